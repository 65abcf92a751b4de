package interp

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// blocks builds the agenda blocks of one meeting day: "09:00-10:00 10:15-11:15 ...".
func blocks(t *testing.T, day, spans, floor, outputs string) []Session {
	var out []Session
	for n, sp := range strings.Fields(spans) {
		from, to, _ := strings.Cut(sp, "-")
		out = append(out, session(t, fmt.Sprintf("b%d", n+1), day+"T"+from+":00Z", day+"T"+to+":00Z", floor, outputs))
	}
	return out
}

func sittingPool() []Interpreter {
	var pool []Interpreter
	for i := 1; i <= 4; i++ {
		pool = append(pool, newInterp(fmt.Sprintf("en%d", i), "en:A fr:C es:C"), newInterp(fmt.Sprintf("fr%d", i), "fr:A en:C es:C"))
	}
	return pool
}

// A morning of three agenda blocks with coffee breaks of 15 minutes is one sitting: one
// team per booth covers all of it (180 booth minutes), no rest is asked inside it, and it
// counts as one sitting of the day. Staffed as separate sessions it would need a new team
// after every break (an hour's rest) and hit the two-sessions-a-day cap at the third.
func TestAllocateSittingOneTeam(t *testing.T) {
	ss := blocks(t, "2026-12-08", "09:00-10:00 10:15-11:15 11:30-12:30", "en fr", "en fr")
	for _, pol := range []Policy{AIIC(), UN()} {
		in := Input{Sessions: ss, Pool: sittingPool(), Policy: pol}
		p := Allocate(in)
		if len(p.Gaps) != 0 {
			t.Fatalf("%s: gaps %v", pol.Name, gapRules(p))
		}
		if vs := CheckPlan(in, p); len(vs) != 0 {
			t.Fatalf("%s: checker %+v", pol.Name, vs)
		}
		for _, b := range langs("en fr") {
			first := members(p, "b1", b)
			for _, s := range []string{"b2", "b3"} {
				if got := members(p, s, b); !slices.Equal(got, first) {
					t.Errorf("%s: %s booth of %s is %v, of b1 %v: want one team for the sitting", pol.Name, b, s, got, first)
				}
			}
		}
		if len(p.PassedOver) != 0 {
			t.Errorf("%s: passed over %+v", pol.Name, p.PassedOver)
		}
	}
	// The checker counts the sitting as such: the same team with 15-minute breaks is no
	// rest violation, but with break_max 10 minutes the blocks are three sittings.
	in := Input{Sessions: ss, Pool: sittingPool(), Policy: AIIC()}
	p := Allocate(in)
	in.Policy.BreakMaxMinutes = 10
	got := map[string]bool{}
	for _, v := range Check(in, p.Assignments) {
		got[v.Rule] = true
	}
	if !got[RuleRest] || !got[RuleSessionsPerDay] {
		t.Errorf("three sittings of one team: violations %v, want rest and sessions_per_day", got)
	}
}

// A sitting of four one-hour blocks is 240 booth minutes, more than one team covers
// (180): a second team takes the fourth block, and the plan says why.
func TestAllocateSittingSecondTeam(t *testing.T) {
	ss := blocks(t, "2026-12-08", "09:00-10:00 10:15-11:15 11:30-12:30 12:45-13:45", "en fr", "en fr")
	in := Input{Sessions: ss, Pool: sittingPool(), Policy: AIIC()}
	p := Allocate(in)
	if len(p.Gaps) != 0 {
		t.Fatalf("gaps %v", gapRules(p))
	}
	if vs := CheckPlan(in, p); len(vs) != 0 {
		t.Fatalf("checker %+v", vs)
	}
	first, last := members(p, "b1", "fr"), members(p, "b4", "fr")
	if !slices.Equal(members(p, "b3", "fr"), first) {
		t.Errorf("b3 FR %v, want the sitting's team %v", members(p, "b3", "fr"), first)
	}
	for _, m := range last {
		if slices.Contains(first, m) {
			t.Errorf("b4 FR %v shares %s with the first team %v", last, m, first)
		}
	}
	var why []string
	for _, po := range p.PassedOver {
		if po.SessionID == "b4" && po.Rule == RuleSittingCap && slices.Contains(first, po.InterpreterID) {
			why = append(why, fmt.Sprintf("%s %s %d/%d", po.Code, po.Args.Reason, po.Args.Minutes, po.Args.Cap))
		}
	}
	if len(why) != 2 || why[0] != "passed_over sitting_cap 240/180" {
		t.Errorf("passed over: %+v", p.PassedOver)
	}
}

// A day of two sittings (morning and afternoon, 180 booth minutes each) is what one team
// may work (AIIC and UN: two 3-hour sittings a day). An evening block is a third sitting
// beyond the 360-minute day: a second team takes it and the notes say why.
func TestAllocateDayOverCap(t *testing.T) {
	ss := blocks(t, "2026-12-08", "09:00-10:00 10:15-11:15 11:30-12:30 14:00-15:00 15:15-16:15 16:30-17:30 18:45-19:45", "en fr", "en fr")
	in := Input{Sessions: ss, Pool: sittingPool(), Policy: UN()}
	p := Allocate(in)
	if len(p.Gaps) != 0 {
		t.Fatalf("gaps %v", gapRules(p))
	}
	if vs := CheckPlan(in, p); len(vs) != 0 {
		t.Fatalf("checker %+v", vs)
	}
	team := members(p, "b1", "en")
	for _, s := range []string{"b2", "b3", "b4", "b5", "b6"} {
		if got := members(p, s, "en"); !slices.Equal(got, team) {
			t.Errorf("%s EN %v, want the day's team %v", s, got, team)
		}
	}
	evening := members(p, "b7", "en")
	for _, m := range evening {
		if slices.Contains(team, m) {
			t.Errorf("evening EN %v shares %s with the day team", evening, m)
		}
	}
	var notes []string
	for _, n := range p.Notes {
		notes = append(notes, fmt.Sprintf("%s %s %s %s/%s %d/%d", n.Code, n.Args.Reason, n.Args.Interpreter, n.Args.Session, n.Args.Booth, n.Args.Count, n.Args.Cap))
	}
	for _, m := range team {
		name := strings.ToUpper(m[:1]) + m[1:]
		if !slices.Contains(notes, "passed_over sessions_per_day "+name+" b7/en 2/2") {
			t.Errorf("no note for %s on b7:\n%s", name, strings.Join(notes, "\n"))
		}
	}
	// Teams say which rule sized them.
	for _, tn := range p.Teams {
		if tn.Rule != SizeByDuration || tn.Size != 2 || tn.Args.Policy != "un" || tn.Args.Need != 2 {
			t.Errorf("team note %+v", tn)
		}
	}
}
