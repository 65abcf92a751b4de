package interp

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// fourLanguagePool can staff EN/FR/ES/AR with everyone having every floor language.
func fourLanguagePool(prefix string, n int) []Interpreter {
	var pool []Interpreter
	for _, b := range []string{"en", "fr", "es", "ar"} {
		for i := 0; i < n; i++ {
			l := "en:C fr:C es:C ar:C"
			l = strings.Replace(l, b+":C", b+":A", 1)
			pool = append(pool, newInterp(prefix+b+string(rune('a'+i)), l))
		}
	}
	return pool
}

func mustClean(t *testing.T, in Input, p Plan) {
	t.Helper()
	if vs := Check(in, p.Assignments); len(vs) != 0 {
		t.Fatalf("checker rejects the allocator's plan: %v", violationRules(vs))
	}
}

func TestAllocateFourBooths(t *testing.T) {
	s := session(t, "s1", "2026-12-06T15:30:00Z", "2026-12-06T17:30:00Z", "en fr es ar", "en fr es ar")
	in := Input{Sessions: []Session{s}, Pool: fourLanguagePool("", 3), Policy: AIIC()}
	p := Allocate(in)
	if len(p.Gaps) != 0 {
		t.Fatalf("gaps: %v", gapRules(p))
	}
	for _, b := range langs("en fr es ar") {
		if got := members(p, "s1", b); len(got) != 2 {
			t.Errorf("%s booth: %v, want 2 members", b, got)
		}
	}
	if len(p.Assignments) != 8 || len(p.RelayHops) != 0 {
		t.Errorf("want 8 assignments and no relay, got %d and %v", len(p.Assignments), p.RelayHops)
	}
	mustClean(t, in, p)

	in.Policy = UN()
	p = Allocate(in)
	if got := members(p, "s1", "ar"); len(got) != 3 {
		t.Errorf("UN: AR booth has %v, want three", got)
	}
	if len(p.Assignments) != 9 || len(p.Gaps) != 0 {
		t.Errorf("UN: want 2+2+2+3 = 9 and no gap, got %d, gaps %v", len(p.Assignments), gapRules(p))
	}
	mustClean(t, in, p)
}

// TestAllocateGapRules: each hard rule, alone, leaves the seat empty and is named.
func TestAllocateGapRules(t *testing.T) {
	day := "2026-12-07T"
	base := func() Input {
		return Input{
			Sessions: []Session{session(t, "s1", day+"10:00:00Z", day+"12:00:00Z", "en", "fr")},
			Pool:     []Interpreter{newInterp("fa", "fr:A en:C"), newInterp("fb", "fr:A en:B")},
			Policy:   AIIC(),
		}
	}
	cases := []struct {
		name   string
		edit   func(in *Input)
		gap    string // session/booth:rule; "" for no gap
		inFix  string
		filled int
	}{
		{name: "all rules met", edit: func(*Input) {}, filled: 2},
		{name: "nobody works into the booth", edit: func(in *Input) { in.Sessions[0].Outputs = langs("de") },
			gap: "s1/de:booth_language"},
		{name: "pool too small", edit: func(in *Input) { in.Pool = in.Pool[:1] }, gap: "s1/fr:team_size", filled: 1},
		{name: "floor language missing, relay off", edit: func(in *Input) {
			in.Pool[1] = newInterp("fb", "fr:A de:C")
			in.Policy.RelayAllowed = false
		}, gap: "s1/fr:language_coverage", filled: 1},
		{name: "double booking", edit: func(in *Input) {
			in.Commitments = []Commitment{{InterpreterID: "fb", Start: at(t, day+"11:00:00Z"), End: at(t, day+"13:00:00Z")}}
		}, gap: "s1/fr:double_booking", filled: 1, inFix: "double_booking Fb"},
		{name: "rest", edit: func(in *Input) {
			in.Commitments = []Commitment{{InterpreterID: "fb", Start: at(t, day+"12:30:00Z"), End: at(t, day+"13:00:00Z")}}
		}, gap: "s1/fr:rest", filled: 1},
		{name: "daily cap in booth minutes", edit: func(in *Input) {
			in.Pool[1].Caps.BoothMinutesPerDay = 200
			in.Commitments = []Commitment{{InterpreterID: "fb", Start: at(t, day+"06:00:00Z"), End: at(t, day+"07:30:00Z")}}
		}, gap: "s1/fr:daily_cap", filled: 1, inFix: "daily_cap Fb 210"},
		{name: "sessions per day", edit: func(in *Input) {
			in.Pool[1].Caps.SessionsPerDay = 1
			in.Commitments = []Commitment{{InterpreterID: "fb", Start: at(t, day+"06:00:00Z"), End: at(t, day+"06:30:00Z")}}
		}, gap: "s1/fr:sessions_per_day", filled: 1},
		{name: "weekly cap", edit: func(in *Input) {
			for d := 1; d <= 4; d++ { // Mon 7 Dec is this week's first day; use earlier days of the same ISO week? no: later days
				st := at(t, day+"14:00:00Z").Add(time.Duration(d) * 24 * time.Hour)
				in.Commitments = append(in.Commitments, Commitment{InterpreterID: "fb", Start: st, End: st.Add(3 * time.Hour)})
			}
			in.Pool[1].Caps.BoothMinutesPerWeek = 12 * 60
		}, gap: "s1/fr:weekly_cap", filled: 1},
		{name: "declared unavailability", edit: func(in *Input) {
			in.Pool[1].Unavailable = []Interval{{Start: at(t, day+"00:00:00Z"), End: at(t, day+"23:59:00Z")}}
		}, gap: "s1/fr:unavailable", filled: 1},
		{name: "declined", edit: func(in *Input) {
			in.Declined = []Declined{{InterpreterID: "fb", SessionID: "s1", Booth: "fr"}}
		}, gap: "s1/fr:declined", filled: 1, inFix: "declined Fb"},
		{name: "remote, outside working hours", edit: func(in *Input) {
			in.Pool[1].Remote = true
			in.Pool[1].Location = mustZone(t, "Asia/Tokyo") // 19:00-21:00 local
		}, gap: "s1/fr:working_hours", filled: 1, inFix: "working_hours Fb Asia/Tokyo 19:00-21:00 08:00-20:00"},
		{name: "B language without retour cannot work into it", edit: func(in *Input) {
			in.Pool[1] = newInterp("fb", "en:A fr:B")
		}, gap: "s1/fr:team_size", filled: 1},
		{name: "B language with retour can", edit: func(in *Input) {
			in.Pool[1] = newInterp("fb", "en:A fr:B")
			in.Pool[1].Retour = true
		}, filled: 2},
		{name: "cancelled session gets nothing", edit: func(in *Input) { in.Sessions[0].Cancelled = true }},
		{name: "english-only session gets no booth", edit: func(in *Input) { in.Sessions[0].Outputs = langs("en") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := base()
			tc.edit(&in)
			p := Allocate(in)
			var want []string
			if tc.gap != "" {
				want = []string{tc.gap}
			}
			if got := gapRules(p); !slices.Equal(got, want) {
				t.Fatalf("gaps %v, want %v (%+v)", got, want, p.Gaps)
			}
			if tc.inFix != "" {
				// The hint names the one rule to lift and its values (the services write
				// the sentence).
				h := p.Gaps[0].Hint
				if h == nil || h.Code != MsgHint {
					t.Fatalf("no hint: %+v", p.Gaps[0])
				}
				mins := ""
				if h.Args.Minutes > 0 {
					mins = fmt.Sprint(h.Args.Minutes)
				}
				got := strings.Join(strings.Fields(strings.Join([]string{h.Args.Reason, h.Args.Interpreter, h.Args.Zone, h.Args.Local, h.Args.Hours, mins}, " ")), " ")
				if got != tc.inFix {
					t.Errorf("hint %q, want %q", got, tc.inFix)
				}
			}
			for _, g := range p.Gaps {
				// "1 more FR-A interpreter (or FR-B with retour) working from en, available
				// 2026-12-07 10:00-12:00 UTC": the seats missing, the booth, the floor, the time.
				if g.Fix.Code != MsgFixMore || g.Fix.Args.Count != g.Missing || g.Fix.Args.Booth != g.Booth ||
					!slices.Equal(g.Fix.Args.Languages, []Lang{"en"}) || !g.Fix.Args.Start.Equal(at(t, "2026-12-07T10:00:00Z")) || !g.Fix.Args.End.Equal(at(t, "2026-12-07T12:00:00Z")) {
					t.Errorf("fix %+v of gap %+v", g.Fix, g)
				}
			}
			if len(p.Assignments) != tc.filled {
				t.Errorf("%d assignments, want %d: %+v", len(p.Assignments), tc.filled, p.Assignments)
			}
			// Every gap is also what the checker sees: a short team and nothing else.
			for _, v := range Check(in, p.Assignments) {
				if v.Rule != RuleTeamSize {
					t.Errorf("checker: %+v", v)
				}
			}
		})
	}
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// Ana works from Tokyo, where the session starts at 02:30; she is the least loaded and
// prefers the booth, yet Bruno and Carla are chosen and the note says why.
func TestAllocateRemoteOutsideWorkingHours(t *testing.T) {
	s := session(t, "s1", "2026-12-06T17:30:00Z", "2026-12-06T19:30:00Z", "en", "fr")
	ana := newInterp("ana", "fr:A en:B")
	ana.Remote, ana.Location = true, mustZone(t, "Asia/Tokyo")
	ana.Preferences.Booths = []Lang{"fr"}
	bruno, carla := newInterp("bruno", "fr:A en:C"), newInterp("carla", "fr:A en:C")
	bruno.Name, carla.Name = "Bruno", "Carla"
	// Bruno and Carla already worked this week: on load alone Ana would win.
	in := Input{Sessions: []Session{s}, Pool: []Interpreter{ana, bruno, carla}, Policy: AIIC(),
		Commitments: []Commitment{
			{InterpreterID: "bruno", Start: at(t, "2026-12-01T09:00:00Z"), End: at(t, "2026-12-01T12:00:00Z")},
			{InterpreterID: "carla", Start: at(t, "2026-12-01T09:00:00Z"), End: at(t, "2026-12-01T12:00:00Z")},
		}}
	p := Allocate(in)
	if got := members(p, "s1", "fr"); !slices.Equal(got, []string{"bruno", "carla"}) {
		t.Fatalf("FR booth %v, want bruno and carla", got)
	}
	if len(p.Notes) != 1 {
		t.Fatalf("notes %+v", p.Notes)
	}
	if n := p.Notes[0]; n.Code != MsgPassedOver || n.Args.Reason != RuleWorkingHours || n.Args.Interpreter != "Ana" || n.Args.Zone != "Asia/Tokyo" ||
		n.Args.Local != "02:30-04:30" || n.Args.Booth != "fr" || n.Args.Session != "s1" || !slices.Equal(n.Args.Chosen, []string{"Bruno", "Carla"}) {
		t.Errorf("note %+v", n)
	}
	mustClean(t, in, p)

	// In her daytime she is chosen, and no note is written.
	in.Sessions[0] = session(t, "s1", "2026-12-06T01:00:00Z", "2026-12-06T03:00:00Z", "en", "fr")
	p = Allocate(in)
	if got := members(p, "s1", "fr"); !slices.Contains(got, "ana") || len(p.Notes) != 0 {
		t.Errorf("daytime: FR booth %v, notes %+v", got, p.Notes)
	}
	// On-site interpreters are not held to their home hours.
	in.Sessions[0] = s
	in.Pool[0].Remote = false
	p = Allocate(in)
	if got := members(p, "s1", "fr"); !slices.Contains(got, "ana") {
		t.Errorf("on site: FR booth %v, want ana in it", got)
	}
}

// Floor EN/AR; the FR and ES members have no Arabic and take it from the EN booth, whose
// two members have Arabic.
func TestAllocateRelay(t *testing.T) {
	s := session(t, "s1", "2026-12-06T10:00:00Z", "2026-12-06T12:00:00Z", "en ar", "en fr es ar")
	pool := []Interpreter{
		newInterp("ea", "en:A ar:C"), newInterp("eb", "en:A ar:B"),
		newInterp("aa", "ar:A en:C"), newInterp("ab", "ar:A en:B"),
		newInterp("fa", "fr:A en:C"), newInterp("fb", "fr:A en:B"),
		newInterp("sa", "es:A en:C"), newInterp("sb", "es:A en:C fr:C"),
	}
	in := Input{Sessions: []Session{s}, Pool: pool, Policy: AIIC()}
	p := Allocate(in)
	if len(p.Gaps) != 0 {
		t.Fatalf("gaps %v", gapRules(p))
	}
	want := []RelayHop{{"s1", "es", "en", "ar", "en"}, {"s1", "fr", "en", "ar", "en"}}
	if !reflect.DeepEqual(p.RelayHops, want) {
		t.Errorf("relay hops %+v, want %+v", p.RelayHops, want)
	}
	roles := map[string]Role{}
	for _, a := range p.Assignments {
		roles[a.InterpreterID] = a.Role
	}
	if roles["ea"] != RoleRelayGiver || roles["fa"] != RoleRelayTaker || roles["aa"] != RoleInterpreter {
		t.Errorf("roles %v", roles)
	}
	mustClean(t, in, p)

	// One Arabic speaker in the EN booth is not enough to give relay.
	in.Pool = slices.Delete(slices.Clone(pool), 1, 2)
	p = Allocate(in)
	if got := gapRules(p); !slices.Equal(got, []string{"s1/en:team_size", "s1/es:relay_givers", "s1/fr:relay_givers"}) {
		t.Errorf("gaps %v", got)
	}
	mustClean2(t, in, p)

	// Relay off: the same booths are a language coverage gap.
	in.Pool = pool
	in.Policy.RelayAllowed = false
	p = Allocate(in)
	if got := gapRules(p); !slices.Equal(got, []string{"s1/es:language_coverage", "s1/fr:language_coverage"}) {
		t.Errorf("relay off: gaps %v", got)
	}
}

// mustClean2: the checker finds nothing but the short teams the plan reports as gaps.
func mustClean2(t *testing.T, in Input, p Plan) {
	t.Helper()
	gaps := map[string]bool{}
	for _, g := range p.Gaps {
		gaps[g.SessionID+"/"+string(g.Booth)] = true
	}
	for _, v := range Check(in, p.Assignments) {
		if v.Rule != RuleTeamSize || !gaps[v.SessionID+"/"+string(v.Booth)] {
			t.Errorf("checker: %+v", v)
		}
	}
}

// A retour member in a booth that gives relay makes it a three-person booth (AIIC art. 6):
// with only two, the booth cannot be a pivot.
func TestAllocateRetourPivotNeedsThree(t *testing.T) {
	s := session(t, "s1", "2026-12-06T10:00:00Z", "2026-12-06T12:00:00Z", "en ar", "en fr ar")
	pool := []Interpreter{
		newInterp("ea", "ar:A en:B"), newInterp("eb", "en:A ar:C"),
		newInterp("aa", "ar:A en:C"), newInterp("ab", "ar:A en:C"),
		newInterp("fa", "fr:A en:C"), newInterp("fb", "fr:A en:C"),
	}
	pool[0].Retour = true
	in := Input{Sessions: []Session{s}, Pool: pool, Policy: AIIC()}
	p := Allocate(in)
	if got := gapRules(p); !slices.Equal(got, []string{"s1/fr:relay_givers"}) {
		t.Errorf("gaps %v", got)
	}
	mustClean2(t, in, p)

	in.Pool = append(in.Pool, newInterp("ec", "en:A ar:C"))
	p = Allocate(in)
	if len(p.Gaps) != 0 {
		t.Errorf("with a third EN member: gaps %v", gapRules(p))
	}
	if got := members(p, "s1", "en"); !slices.Equal(got, []string{"eb", "ec"}) {
		t.Errorf("EN booth %v, want the two A members (no retour, so two suffice)", got)
	}
	mustClean(t, in, p)
}

func TestAllocateSameTeamFairnessAndDeterminism(t *testing.T) {
	var sessions []Session
	for d := 0; d < 4; d++ {
		day := time.Date(2026, 12, 7+d, 0, 0, 0, 0, time.UTC)
		for k, h := range []int{9, 14} {
			s := Session{ID: "m1-" + string(rune('a'+2*d+k)), MeetingID: "m1", Start: day.Add(time.Duration(h) * time.Hour),
				End: day.Add(time.Duration(h+2) * time.Hour), Floor: langs("en fr"), Outputs: langs("en fr")}
			sessions = append(sessions, s)
		}
	}
	pool := []Interpreter{}
	for _, id := range []string{"e1", "e2", "e3", "e4"} {
		pool = append(pool, newInterp(id, "en:A fr:C"))
	}
	for _, id := range []string{"f1", "f2", "f3", "f4"} {
		pool = append(pool, newInterp(id, "fr:A en:B"))
	}
	in := Input{Sessions: sessions, Pool: pool, Policy: AIIC()}
	p := Allocate(in)
	mustClean(t, in, p)
	// Same day: the morning team stays for the afternoon.
	if a, b := members(p, "m1-a", "en"), members(p, "m1-b", "en"); !slices.Equal(a, b) {
		t.Errorf("same team: morning %v, afternoon %v", a, b)
	}
	// Over the week the work is shared out: the AIIC daily cap (2 sessions) and the load
	// make every EN interpreter work.
	load := map[string]int{}
	for _, a := range p.Assignments {
		load[a.InterpreterID]++
	}
	for _, id := range []string{"e1", "e2", "e3", "e4", "f1", "f2", "f3", "f4"} {
		if load[id] != 4 {
			t.Errorf("%s works %d sessions, want 4 (fair share): %v", id, load[id], load)
		}
	}
	// Determinism: a shuffled pool and session list give the same plan.
	rev := Input{Sessions: slices.Clone(sessions), Pool: slices.Clone(pool), Policy: AIIC()}
	slices.Reverse(rev.Sessions)
	slices.Reverse(rev.Pool)
	if q := Allocate(rev); !reflect.DeepEqual(p, q) {
		t.Errorf("plans differ with input order")
	}
}

func TestAllocateKeptAndPreferences(t *testing.T) {
	s := session(t, "s1", "2026-12-06T10:00:00Z", "2026-12-06T12:00:00Z", "en", "fr")
	pool := []Interpreter{newInterp("fa", "fr:A en:C"), newInterp("fb", "fr:A en:C"), newInterp("fc", "fr:A en:C"), newInterp("fd", "fr:A en:C")}
	pool[0].Preferences.AvoidMeetings = []string{"m1"}
	pool[3].Preferences.Sessions = []string{"s1"}
	in := Input{Sessions: []Session{s}, Pool: pool, Policy: AIIC(),
		Kept: []Assignment{{SessionID: "s1", Booth: "fr", InterpreterID: "fc", Role: RoleInterpreter}}}
	p := Allocate(in)
	if got := members(p, "s1", "fr"); !slices.Equal(got, []string{"fc", "fd"}) {
		t.Errorf("FR booth %v, want kept fc and fd who asked for the session", got)
	}
	mustClean(t, in, p)
	// A kept seat of a cancelled session is not carried over; a note asks to withdraw it.
	in.Sessions[0].Cancelled = true
	p = Allocate(in)
	if len(p.Assignments) != 0 || len(p.Notes) != 1 || p.Notes[0].Code != MsgWithdrawCancelled || p.Notes[0].Args.Interpreter == "" {
		t.Errorf("cancelled: %+v", p)
	}
}
