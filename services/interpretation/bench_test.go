package interpretation_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
	"github.com/plenary/plenary/services/platform/problem"
)

// rangeWorld stores 100 meetings of 10 sessions over four weeks (two to six booths of
// the six UN languages, UN policy) and 600 interpreters, through the services.
func rangeWorld(b *testing.B) (*interpretation.Service, []string, map[string]agenda.Session) {
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ag := agenda.NewService(d, agenda.WithClock(clock))
	svc := interpretation.NewService(d, ag, interpretation.WithClock(clock))
	r := rand.New(rand.NewPCG(6, 600))
	six := []string{"en", "fr", "es", "ar", "zh", "ru"}
	for i := range 600 {
		a := six[i%6]
		ls := []interp.LangSkill{{Lang: interp.Lang(a), Class: interp.ClassA}}
		retour := r.IntN(4) == 0 // works into a B language as well
		for _, l := range six {
			switch {
			case l == a:
			case retour && !slices.ContainsFunc(ls, func(x interp.LangSkill) bool { return x.Class == interp.ClassB }):
				ls = append(ls, interp.LangSkill{Lang: interp.Lang(l), Class: interp.ClassB})
			case r.IntN(10) < 3 || (l == "en" && r.IntN(10) < 6):
				ls = append(ls, interp.LangSkill{Lang: interp.Lang(l), Class: interp.ClassC})
			}
		}
		name, email, tz, locale := fmt.Sprintf("P%03d", i), fmt.Sprintf("p%03d@example.org", i), "Europe/Paris", "en"
		if _, err := svc.CreateInterpreter(ctx, interpretation.InterpreterInput{Name: &name, Email: &email, TZ: &tz, Locale: &locale, Languages: ls, Retour: &retour}); err != nil {
			b.Fatalf("%v %+v", err, problem.From(err).Fields)
			b.Fatal(err)
		}
	}
	un := "un"
	var meetings []string
	sessions := map[string]agenda.Session{}
	for m := range 100 {
		paris := "Europe/Paris"
		mt, err := ag.CreateMeeting(ctx, agenda.MeetingInput{Title: contracts.Text{"en": fmt.Sprintf("Meeting %d", m)}, VenueTZ: &paris, InterpretationPolicy: &un})
		if err != nil {
			b.Fatal(err)
		}
		meetings = append(meetings, mt.ID)
		for range 10 {
			day := time.Date(2027, 1, 4+r.IntN(28), 0, 0, 0, 0, time.UTC)
			start := day.Add(time.Duration(7*60+r.IntN(11*4)*15) * time.Minute).Format("2006-01-02T15:04")
			dur := 60 + r.IntN(5)*30
			out := slices.Clone(six)
			r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
			out = out[:2+r.IntN(5)]
			floor := slices.Clone(out[:1+r.IntN(min(4, len(out)))])
			x, err := ag.CreateSession(ctx, mt.ID, agenda.SessionInput{Title: contracts.Text{"en": "Sitting"}, Start: &start, DurationMin: &dur,
				TZ: ptr("UTC"), Floor: floor, Outputs: out})
			if err != nil {
				b.Fatal(err)
			}
			sessions[x.ID] = x
		}
	}
	return svc, meetings, sessions
}

func ptr[T any](v T) *T { return &v }

// BenchmarkPlanRange plans four weeks of 100 meetings (1,000 sessions, 600 interpreters)
// as one date range, beside the baseline a secretariat has without it: one plan per
// meeting, each blind to the others. It reports seats filled and, for the baseline, the
// interpreters it books twice across meetings (the range plan books nobody twice).
func BenchmarkPlanRange(b *testing.B) {
	svc, meetings, sessions := rangeWorld(b)
	ctx := context.Background()
	from, to := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 2, 5, 0, 0, 0, 0, time.UTC)
	b.Run("range", func(b *testing.B) {
		var res interpretation.RangePlanResult
		for b.Loop() {
			var err error
			if res, err = svc.PlanRange(ctx, from, to, false); err != nil {
				b.Fatal(err)
			}
		}
		seats := 0
		for _, m := range res.Meetings {
			for _, x := range m.Booths {
				seats += x.Size
			}
		}
		b.ReportMetric(float64(res.Assignments)/float64(seats)*100, "%filled")
		b.ReportMetric(float64(doubleBooked(res.Meetings, sessions)), "double-booked")
	})
	b.Run("per-meeting", func(b *testing.B) {
		var plans []interpretation.PlanResult
		for b.Loop() {
			plans = plans[:0]
			for _, m := range meetings {
				p, err := svc.Plan(ctx, m, false)
				if err != nil {
					b.Fatal(err)
				}
				plans = append(plans, p)
			}
		}
		seats, filled := 0, 0
		for _, p := range plans {
			filled += len(p.Assignments)
			for _, x := range p.Booths {
				seats += x.Size
			}
		}
		b.ReportMetric(float64(filled)/float64(seats)*100, "%filled")
		b.ReportMetric(float64(doubleBooked(plans, sessions)), "double-booked")
	})
}

// doubleBooked counts the seats given to an interpreter who holds an overlapping seat in
// another meeting's plan.
func doubleBooked(plans []interpretation.PlanResult, sessions map[string]agenda.Session) int {
	type seat struct{ meeting, session string }
	byPerson := map[string][]seat{}
	for _, p := range plans {
		for _, a := range p.Assignments {
			byPerson[a.InterpreterID] = append(byPerson[a.InterpreterID], seat{p.MeetingID, a.SessionID})
		}
	}
	n := 0
	for _, seats := range byPerson {
		for i, x := range seats {
			for _, y := range seats[i+1:] {
				sx, sy := sessions[x.session], sessions[y.session]
				if x.meeting != y.meeting && sx.StartUTC.Before(sy.EndUTC) && sy.StartUTC.Before(sx.EndUTC) {
					n++
				}
			}
		}
	}
	return n
}
