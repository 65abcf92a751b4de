package interp

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// richWorld is benchWorldOf(n) with what the benchmark world lacks: preferences (booths,
// sessions, sessions and meetings to avoid), personal caps, rest and working hours,
// declines, kept seats, cancelled sessions and sittings of blocks with short breaks.
func richWorld(tb testing.TB, n int, pol Policy) Input {
	in := benchWorldOf(tb, n)
	in.Policy = pol
	r := rand.New(rand.NewPCG(uint64(n), 9))
	for i := range in.Pool {
		it := &in.Pool[i]
		switch r.IntN(8) {
		case 0:
			it.Preferences.Booths = []Lang{it.Languages[0].Lang}
		case 1:
			it.Preferences.Sessions = []string{in.Sessions[r.IntN(len(in.Sessions))].ID}
		case 2:
			it.Preferences.AvoidMeetings = []string{in.Sessions[r.IntN(len(in.Sessions))].MeetingID}
		case 3:
			it.Preferences.AvoidSessions = []string{in.Sessions[r.IntN(len(in.Sessions))].ID}
		case 4:
			it.Caps = Caps{BoothMinutesPerDay: 180 + r.IntN(4)*60, SessionsPerDay: 1 + r.IntN(2), BoothMinutesPerWeek: 600 + r.IntN(6)*60,
				MinRest: time.Duration(r.IntN(3)) * 30 * time.Minute}
		case 5:
			s := r.IntN(12) * 60
			it.Hours = WorkingHours{Start: s, End: s + 6*60 + r.IntN(7)*60}
		}
	}
	for k := 0; k < n/5; k++ {
		s := in.Sessions[r.IntN(len(in.Sessions))]
		in.Declined = append(in.Declined, Declined{InterpreterID: in.Pool[r.IntN(len(in.Pool))].ID, SessionID: s.ID, Booth: s.Outputs[0]})
	}
	for k := 0; k < n/10; k++ {
		s := in.Sessions[r.IntN(len(in.Sessions))]
		in.Kept = append(in.Kept, Assignment{SessionID: s.ID, Booth: s.Outputs[r.IntN(len(s.Outputs))],
			InterpreterID: in.Pool[r.IntN(len(in.Pool))].ID, Role: RoleInterpreter})
	}
	for k := 0; k < n/20; k++ {
		in.Sessions[r.IntN(len(in.Sessions))].Cancelled = true
	}
	for k := 0; k < n/3; k++ {
		i := r.IntN(len(in.Sessions) - 1)
		a, b := &in.Sessions[i], &in.Sessions[i+1]
		if a.MeetingID == b.MeetingID {
			d := b.End.Sub(b.Start)
			b.Start = a.End.Add(time.Duration(r.IntN(4)) * 15 * time.Minute)
			b.End = b.Start.Add(d)
		}
	}
	return in
}

// TestSearchSkipsOnlyLosers: the allocator's candidate search reads sub-lists of the
// candidates (those the pick can admit) and stops at a load bound; at every search of
// thousands of random worlds, large worlds with preferences, caps, declines and kept
// seats, and the benchmark world, the same search over every candidate of the booth's
// language, one by one, picks the same interpreter with the same relay hops and passes
// over the same interpreters for the same rules, in the same order (repeats aside). So the indexes change
// nothing in any plan.
func TestSearchSkipsOnlyLosers(t *testing.T) {
	var searches, found, passedOver, giverPicks, relayPicks int
	verifySearch = func(a *allocator, st *sessState, k int, pk pick, bi int, bh []hop, passed []passedEvent) {
		searches++
		if bi >= 0 {
			found++
		}
		passedOver += len(passed)
		if pk.giver != nil {
			giverPicks++
		}
		if pk.relay && !pk.direct {
			relayPicks++
		}
		ri, rh, rp := a.search(st, k, pk, true)
		// A team member is considered twice (with the team, then among all candidates)
		// and may be listed twice; the plan counts them once (recordPassed).
		if ri != bi || !reflect.DeepEqual(rh, bh) || !slices.Equal(firstSeen(rp), firstSeen(passed)) {
			t.Fatalf("session %s, %s booth, pick %+v: the indexed search picks %d %v passing over %v; the full scan %d %v passing over %v",
				st.s.ID, st.booths[k].need.Booth, pk, bi, bh, passed, ri, rh, rp)
		}
	}
	defer func() { verifySearch = nil }()
	r := rand.New(rand.NewPCG(17, 2027))
	for w := 0; w < 2000; w++ {
		Allocate(randomInput(t, r))
	}
	small := searches
	worlds := []Input{richWorld(t, 300, UN()), richWorld(t, 600, AIIC())}
	if !testing.Short() {
		worlds = append(worlds, benchWorldOf(t, 1000))
	}
	for _, in := range worlds {
		Allocate(in)
	}
	t.Logf("%d searches compared (%d in small worlds), %d found someone, %d passed over, %d giver picks, %d relay picks",
		searches, small, found, passedOver, giverPicks, relayPicks)
	if found == 0 || found == searches || passedOver == 0 || giverPicks == 0 || relayPicks == 0 {
		t.Fatalf("the worlds do not exercise the search: %d searches, %d found, %d passed over, %d giver picks, %d relay picks",
			searches, found, passedOver, giverPicks, relayPicks)
	}
}

// firstSeen keeps the first event of each interpreter and rule, in order.
func firstSeen(es []passedEvent) []passedEvent {
	seen := map[passedKey]bool{}
	var out []passedEvent
	for _, e := range es {
		if k := (passedKey{e.i, e.rule}); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// Zones are shared by the interpreters whose zones tell the same time, and only by them:
// two fixed zones of the same name but different offsets stay apart. At 02:00-03:00 UTC
// fr1 (UTC+0 "Atlantis") is at 02:00 local, outside 08:00-20:00, and fr2 (UTC+9, also
// "Atlantis") at 11:00: fr2 and fr3 (on site) staff the FR booth and fr1 is passed over
// for working hours. In July, a zone named Europe/Paris fixed at UTC+1 (its winter
// offset) is not Paris: at 06:30 UTC Paris is at 08:30 (working), the fixed one at 07:30.
func TestZonesSharedOnlyWhenTheSame(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	remote := func(id string, loc *time.Location) Interpreter {
		it := newInterp(id, "fr:A en:C")
		it.Remote, it.Location = true, loc
		return it
	}
	cases := []struct {
		name     string
		pool     []Interpreter
		s        Session
		members  []string
		passedBy string
	}{
		{"same name, other offset",
			[]Interpreter{remote("fr1", time.FixedZone("Atlantis", 0)), remote("fr2", time.FixedZone("Atlantis", 9*3600)), newInterp("fr3", "fr:A en:C")},
			session(t, "s1", "2026-12-08T02:00:00Z", "2026-12-08T03:00:00Z", "en", "en fr"), []string{"fr2", "fr3"}, "fr1"},
		{"a fixed zone named as a zone with summer time",
			[]Interpreter{remote("fr1", time.FixedZone("Europe/Paris", 3600)), remote("fr2", paris), newInterp("fr3", "fr:A en:C")},
			session(t, "s1", "2026-07-01T06:30:00Z", "2026-07-01T07:30:00Z", "en", "en fr"), []string{"fr2", "fr3"}, "fr1"},
	}
	for _, c := range cases {
		in := Input{Sessions: []Session{c.s}, Pool: c.pool, Policy: UN()}
		p := Allocate(in)
		if got := members(p, "s1", "fr"); !slices.Equal(got, c.members) {
			t.Errorf("%s: FR booth %v, want %v (gaps %v)", c.name, got, c.members, gapRules(p))
		}
		var po []string
		for _, o := range p.PassedOver {
			po = append(po, fmt.Sprintf("%s/%s", o.InterpreterID, o.Rule))
		}
		if want := []string{c.passedBy + "/" + RuleWorkingHours}; !slices.Equal(po, want) {
			t.Errorf("%s: passed over %v, want %v", c.name, po, want)
		}
	}
}

// An interpreter's own Location value (a pool loaded one zone at a time) and one shared
// by every interpreter of that zone give the same plan.
func TestZonesPerInterpreterOrShared(t *testing.T) {
	in := richWorld(t, 250, UN())
	shared := in
	shared.Pool = slices.Clone(in.Pool)
	byName := map[string]*time.Location{}
	for i := range shared.Pool {
		it := &shared.Pool[i]
		if it.Location == nil {
			continue
		}
		if byName[it.Location.String()] == nil {
			byName[it.Location.String()] = it.Location
		}
		it.Location = byName[it.Location.String()]
	}
	distinct := map[*time.Location]bool{}
	for _, it := range in.Pool {
		distinct[it.Location] = true
	}
	if len(distinct) <= len(byName)+1 {
		t.Fatalf("the world's interpreters share their Location values (%d for %d zones)", len(distinct), len(byName))
	}
	if p, q := Allocate(in), Allocate(shared); !reflect.DeepEqual(p, q) {
		t.Fatal("the plan depends on whether interpreters share a Location value")
	}
}
