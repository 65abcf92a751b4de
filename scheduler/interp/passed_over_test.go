package interp

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// passedOverPool is a French booth's pool on Monday 7 December 2026, 14:00-16:00 UTC,
// where each interpreter who works into French and would be preferred (nobody has booth
// time yet, or already works that day) is kept out by one hard rule, and two are free.
// The expected rule of each is read off DOMAIN.md and the AIIC policy's numbers: a
// remote interpreter in Auckland (03:00-05:00 NZDT, outside 08:00-20:00), declared
// unavailable, booked 14:30-15:30 elsewhere (double booking), booked until 13:30
// elsewhere (15 minutes' rest, the policy wants an hour), capped at 90 booth minutes a
// day (the session is 120), capped at 90 a week, and capped at one sitting a day with a
// morning sitting elsewhere.
func passedOverPool(t *testing.T) (Input, map[string]string) {
	t.Helper()
	day := func(hm string) time.Time { return at(t, "2026-12-07T"+hm+":00Z") }
	fr := func(id, name string) Interpreter {
		it := newInterp(id, "fr:A en:C")
		it.Name = name
		return it
	}
	auckland, err := time.LoadLocation("Pacific/Auckland")
	if err != nil {
		t.Fatal(err)
	}
	hours := fr("fr-a", "Aroha Durand")
	hours.Remote, hours.Location = true, auckland
	unavailable := fr("fr-b", "Bernard Lefèvre")
	unavailable.Unavailable = []Interval{{Start: day("12:00"), End: day("18:00")}}
	double := fr("fr-c", "Camille Roux")
	rest := fr("fr-d", "Denis Moreau")
	daily := fr("fr-e", "Élise Fontaine")
	daily.Caps.BoothMinutesPerDay = 90
	weekly := fr("fr-f", "Fanny Girard")
	weekly.Caps.BoothMinutesPerWeek = 90
	perDay := fr("fr-g", "Gilles Mercier")
	perDay.Caps.SessionsPerDay = 1
	pool := []Interpreter{hours, unavailable, double, rest, daily, weekly, perDay,
		fr("fr-y", "Yvonne Petit"), fr("fr-z", "Zoé Lambert"),
		newInterp("en-a", "en:A fr:C"), newInterp("en-b", "en:A fr:C")}
	in := Input{
		Sessions: []Session{session(t, "s1", "2026-12-07T14:00:00Z", "2026-12-07T16:00:00Z", "en fr", "en fr")},
		Pool:     pool, Policy: AIIC(),
		Commitments: []Commitment{
			{InterpreterID: "fr-c", Start: day("14:30"), End: day("15:30"), Ref: "other meeting"},
			{InterpreterID: "fr-d", Start: day("12:00"), End: day("13:45"), Ref: "other meeting"},
			{InterpreterID: "fr-g", Start: day("08:00"), End: day("09:00"), Ref: "other meeting"},
		},
	}
	want := map[string]string{"fr-a": RuleWorkingHours, "fr-b": RuleUnavailable, "fr-c": RuleDoubleBooking, "fr-d": RuleRest,
		"fr-e": RuleDailyCap, "fr-f": RuleWeeklyCap, "fr-g": RuleSessionsPerDay}
	return in, want
}

func checkPassedOver(t *testing.T, in Input, p Plan, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, po := range p.PassedOver {
		if po.SessionID != "s1" || po.Booth != "fr" {
			t.Errorf("passed over elsewhere: %+v", po)
		}
		got[po.InterpreterID] = po.Rule
	}
	for id, rule := range want {
		if got[id] != rule {
			t.Errorf("%s passed over for %q, want %q (passed over: %+v)", id, got[id], rule, p.PassedOver)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("%s passed over, but nothing keeps them out", id)
		}
	}
	// The notes name each of them with the rule and the values its sentence says (the
	// services write the words in the reader's language).
	for _, it := range in.Pool {
		rule, ok := want[it.ID]
		if !ok {
			continue
		}
		if !slices.ContainsFunc(p.Notes, func(n Text) bool {
			a := n.Args
			if n.Code != MsgPassedOver || a.Interpreter != it.Name || a.Booth != "fr" || a.Session != "s1" || a.Reason != rule {
				return false
			}
			switch rule {
			case RuleWorkingHours:
				return a.Local != "" && a.Hours != "" && a.Zone != ""
			case RuleDailyCap, RuleWeeklyCap:
				return a.Minutes > a.Cap && a.Cap > 0
			case RuleSessionsPerDay:
				return a.Count >= a.Cap && a.Cap > 0
			}
			return true
		}) {
			t.Errorf("no note names %s (%s): %+v", it.Name, rule, p.Notes)
		}
	}
}

// Every interpreter who matches the FR booth and is kept out by a hard rule is named, with
// the rule, when the booth is filled by the two who are free.
func TestPassedOverEveryReason(t *testing.T) {
	in, want := passedOverPool(t)
	p := Allocate(in)
	if len(p.Gaps) != 0 {
		t.Fatalf("gaps %v", gapRules(p))
	}
	if got := members(p, "s1", "fr"); !slices.Equal(got, []string{"fr-y", "fr-z"}) {
		t.Fatalf("FR booth %v, want the two free interpreters", got)
	}
	if vs := CheckPlan(in, p); len(vs) != 0 {
		t.Fatalf("checker: %+v", vs)
	}
	checkPassedOver(t, in, p, want)
}

// The same when nobody is free: the booth is a gap, and the notes still name every
// interpreter it could have had and why not, not only the closest one.
func TestPassedOverWhenTheBoothStaysEmpty(t *testing.T) {
	in, want := passedOverPool(t)
	in.Pool = slices.DeleteFunc(in.Pool, func(it Interpreter) bool { return it.ID == "fr-y" || it.ID == "fr-z" })
	p := Allocate(in)
	if got := gapRules(p); len(got) != 1 || !strings.HasPrefix(got[0], "s1/fr:") {
		t.Fatalf("gaps %v, want the FR booth", got)
	}
	if got := members(p, "s1", "fr"); len(got) != 0 {
		t.Fatalf("FR booth %v", got)
	}
	checkPassedOver(t, in, p, want)
	// One free interpreter: one seat filled, one a gap; still everyone named once.
	in, _ = passedOverPool(t)
	in.Pool = slices.DeleteFunc(in.Pool, func(it Interpreter) bool { return it.ID == "fr-z" })
	p = Allocate(in)
	if got := members(p, "s1", "fr"); !slices.Equal(got, []string{"fr-y"}) {
		t.Fatalf("FR booth %v", got)
	}
	checkPassedOver(t, in, p, want)
}
