package interp

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var propZones = []string{"UTC", "Europe/Paris", "Asia/Tokyo", "America/New_York", "Australia/Sydney", "America/Sao_Paulo"}

// randomInput builds a small world: a few languages, a pool of up to a dozen interpreters
// with random classes, retour, remote work from various zones, caps, unavailability, and
// a handful of sessions over a few days (around the March DST change) with commitments
// and declines.
func randomInput(t testing.TB, r *rand.Rand) Input {
	all := langs("en fr es ar zh ru")
	r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	ls := all[:2+r.IntN(3)]
	if r.IntN(6) == 0 {
		return sixLanguageWorld(r)
	}
	pick := func() Lang { return ls[r.IntN(len(ls))] }
	day0 := time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC)
	at := func() time.Time {
		return day0.Add(time.Duration(r.IntN(4*24*4)) * 15 * time.Minute)
	}
	var in Input
	switch r.IntN(3) {
	case 0:
		in.Policy = AIIC()
	case 1:
		in.Policy = UN()
	default:
		in.Policy = AIIC()
		in.Policy.Name = "custom"
		in.Policy.Caps.BoothMinutesPerDay = 240
		in.Policy.Caps.MinRest = 90 * time.Minute
	}
	in.Policy.RelayAllowed = r.IntN(5) > 0
	n := 4 + r.IntN(14)
	for i := 0; i < n; i++ {
		it := Interpreter{ID: fmt.Sprintf("i%02d", i), Name: fmt.Sprintf("Interp%02d", i), Email: fmt.Sprintf("i%02d@example.org", i)}
		a := pick()
		it.Languages = []LangSkill{{a, ClassA}}
		for k := r.IntN(5); k > 0; k-- {
			l := pick()
			if it.ClassOf(l) != "" {
				continue
			}
			c := ClassC
			if r.IntN(3) == 0 {
				c = ClassB
			}
			it.Languages = append(it.Languages, LangSkill{l, c})
		}
		it.Retour = r.IntN(3) == 0
		if r.IntN(3) == 0 {
			it.Remote = true
			loc, err := time.LoadLocation(propZones[r.IntN(len(propZones))])
			if err != nil {
				t.Fatal(err)
			}
			it.Location = loc
			if r.IntN(2) == 0 {
				s := r.IntN(12) * 60
				it.Hours = WorkingHours{Start: s, End: s + 6*60 + r.IntN(7)*60}
			}
		}
		if r.IntN(4) == 0 {
			it.Caps = Caps{BoothMinutesPerDay: 120 + r.IntN(5)*60, SessionsPerDay: 1 + r.IntN(2), BoothMinutesPerWeek: 300 + r.IntN(6)*60}
		}
		if r.IntN(5) == 0 {
			s := at()
			it.Unavailable = []Interval{{Start: s, End: s.Add(time.Duration(1+r.IntN(12)) * time.Hour)}}
		}
		in.Pool = append(in.Pool, it)
	}
	for i, ns := 0, 1+r.IntN(5); i < ns; i++ {
		s := Session{ID: fmt.Sprintf("s%d", i), MeetingID: fmt.Sprintf("m%d", r.IntN(2)), Start: at()}
		s.End = s.Start.Add(time.Duration(2+r.IntN(11)) * 15 * time.Minute)
		if r.IntN(8) == 0 {
			s.End = s.End.Add(2 * time.Hour)
		}
		for k := 1 + r.IntN(2); k > 0; k-- {
			s.Floor = append(s.Floor, pick())
		}
		for k := r.IntN(4); k > 0; k-- {
			s.Outputs = append(s.Outputs, pick())
		}
		s.Cancelled = r.IntN(10) == 0
		in.Sessions = append(in.Sessions, s)
	}
	for k := r.IntN(3); k > 0; k-- {
		s := at()
		in.Commitments = append(in.Commitments, Commitment{InterpreterID: in.Pool[r.IntN(n)].ID, Start: s, End: s.Add(time.Duration(1+r.IntN(3)) * time.Hour)})
	}
	for k := r.IntN(3); k > 0; k-- {
		in.Declined = append(in.Declined, Declined{InterpreterID: in.Pool[r.IntN(n)].ID, SessionID: in.Sessions[r.IntN(len(in.Sessions))].ID, Booth: pick()})
	}
	return in
}

// sixLanguageWorld: a UN-style meeting of one or two sittings whose floor and channels
// are drawn from the six UN languages (a block's floor sometimes speaks languages it has
// no channel for), and a pool where each interpreter has one A and
// two or three C languages (English and French the likeliest), some Arabic and Chinese
// interpreters with an English or French B and retour.
func sixLanguageWorld(r *rand.Rand) Input {
	six := langs("ar zh en fr ru es")
	in := Input{Policy: UN()}
	if r.IntN(2) == 0 {
		in.Policy = AIIC()
	}
	n := 8 + r.IntN(12)
	for i := 0; i < n; i++ {
		a := six[r.IntN(6)]
		it := Interpreter{ID: fmt.Sprintf("i%02d", i), Name: fmt.Sprintf("Interp%02d", i), Email: fmt.Sprintf("i%02d@example.org", i),
			Languages: []LangSkill{{a, ClassA}}}
		for k := 2 + r.IntN(2); k > 0; k-- {
			l := six[r.IntN(6)]
			if r.IntN(2) == 0 {
				l = langs("en fr")[r.IntN(2)]
			}
			if it.ClassOf(l) != "" {
				continue
			}
			c := ClassC
			if (a == "ar" || a == "zh") && (l == "en" || l == "fr") && r.IntN(2) == 0 {
				c, it.Retour = ClassB, true
			}
			it.Languages = append(it.Languages, LangSkill{l, c})
		}
		in.Pool = append(in.Pool, it)
	}
	start := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	for i, ns := 0, 1+r.IntN(3); i < ns; i++ {
		s := Session{ID: fmt.Sprintf("s%d", i), MeetingID: "m0", Start: start, End: start.Add(time.Duration(4+r.IntN(5)) * 15 * time.Minute)}
		out := slices.Clone(six)
		r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		s.Outputs = out[:2+r.IntN(5)]
		s.Floor = slices.Clone(s.Outputs[:1+r.IntN(len(s.Outputs))])
		if r.IntN(3) == 0 {
			// A block whose speakers use languages it has no channel for (a short
			// block with two channels while the floor speaks three): the booths take
			// those languages first-hand or by relay from the other block's pivots.
			r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
			s.Outputs = slices.Clone(out[:2+r.IntN(3)])
			s.Floor = slices.Clone(out[:1+r.IntN(4)])
		}
		in.Sessions = append(in.Sessions, s)
		start = s.End.Add(time.Duration(r.IntN(5)) * 15 * time.Minute) // coffee breaks, sometimes a longer one
	}
	return in
}

type vkey struct {
	session, interp, rule string
	booth                 Lang
}

func keys(vs []Violation) map[vkey]bool {
	m := map[vkey]bool{}
	for _, v := range vs {
		m[vkey{v.SessionID, v.InterpreterID, v.Rule, v.Booth}] = true
	}
	return m
}

// TestAllocateProperties: on thousands of random worlds, the checker finds nothing in the
// allocator's plan but the short teams it reports as gaps, and every gap is real: no
// interpreter of the pool can be added to that booth, given the rest of the plan, without
// breaking a hard rule (brute force over the pool, judged by the checker).
func TestAllocateProperties(t *testing.T) {
	const worlds = 3000
	r := rand.New(rand.NewPCG(2026, 12))
	var seats, filled, gaps, probes, hops, notes, retour, sixFilled int
	for w := 0; w < worlds; w++ {
		in := randomInput(t, r)
		p := Allocate(in)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("world %d: %s\ninput: %+v\nplan: %+v", w, fmt.Sprintf(format, args...), in, p)
		}
		base := CheckPlan(in, p)
		gapAt := map[string]Gap{}
		for _, g := range p.Gaps {
			gapAt[g.SessionID+"/"+string(g.Booth)] = g
			if g.Rule == "" || g.Code == "" || g.Fix.Code == "" || g.Missing < 1 || g.Args.Booth != g.Booth || g.Args.Session != g.SessionID {
				fail("incomplete gap %+v", g)
			}
		}
		short := map[string]bool{}
		for _, v := range base {
			if v.Rule != RuleTeamSize {
				fail("checker rejects the plan: %+v", v)
			}
			if _, ok := gapAt[v.SessionID+"/"+string(v.Booth)]; !ok {
				fail("short team without a gap: %+v", v)
			}
			short[v.SessionID+"/"+string(v.Booth)] = true
		}
		for k := range gapAt {
			if !short[k] {
				fail("gap %s but the checker sees a full team", k)
			}
		}
		before := keys(base)
		for _, g := range p.Gaps {
			for _, it := range in.Pool {
				probes++
				more := append(append([]Assignment(nil), p.Assignments...), Assignment{SessionID: g.SessionID, Booth: g.Booth, InterpreterID: it.ID})
				worse := false
				for k := range keys(Check(in, more)) {
					if !before[k] {
						worse = true
						break
					}
				}
				if !worse {
					fail("gap %+v is not real: %s fits", g, it.ID)
				}
			}
		}
		for _, s := range in.Sessions {
			for _, b := range PlanBooths(s, in.Policy) {
				seats += b.Size
			}
		}
		filled += len(p.Assignments)
		if len(in.Sessions) > 0 && len(in.Pool) >= 8 && in.Sessions[0].MeetingID == "m0" && len(in.Commitments) == 0 {
			sixFilled += len(p.Assignments)
		}
		gaps += len(p.Gaps)
		hops += len(p.RelayHops)
		notes += len(p.Notes)
		for _, a := range p.Assignments {
			if strings.Contains(string(a.Role), string(RoleRetour)) {
				retour++
			}
		}
		if w%10 == 0 && !reflect.DeepEqual(p, Allocate(in)) {
			fail("not deterministic")
		}
	}
	t.Logf("%d worlds, %d seats, %d filled, %d gaps, %d brute-force probes, %d relay hops, %d notes, %d retour seats, %d seats in six-language worlds", worlds, seats, filled, gaps, probes, hops, notes, retour, sixFilled)
	// The generator must exercise both outcomes, or the property proves nothing.
	if gaps == 0 || filled == 0 || hops == 0 || notes == 0 || retour == 0 {
		t.Fatalf("degenerate generator: %d filled, %d gaps, %d hops, %d notes, %d retour", filled, gaps, hops, notes, retour)
	}
}

// TestGapsAreRealExhaustive: on small random worlds (up to two sessions, up to seven
// interpreters, six-language worlds among them), every session the allocator leaves
// short is one that no seating staffs: an exhaustive search over every way to seat the
// pool in that session's booths (each interpreter in one booth they can work into, or
// none), with the rest of the plan as proposed, finds none that the checker accepts
// with every booth full.
func TestGapsAreRealExhaustive(t *testing.T) {
	const worlds = 1500
	r := rand.New(rand.NewPCG(13, 2026))
	var searched, seatings, short int
	for w := 0; w < worlds; w++ {
		in := randomInput(t, r)
		in.Sessions = in.Sessions[:min(2, len(in.Sessions))]
		in.Pool = in.Pool[:min(5+r.IntN(5), len(in.Pool))]
		p := Allocate(in)
		gapSessions := map[string]bool{}
		for _, g := range p.Gaps {
			gapSessions[g.SessionID] = true
		}
		for sid := range gapSessions {
			short++
			var s *Session
			for i := range in.Sessions {
				if in.Sessions[i].ID == sid {
					s = &in.Sessions[i]
					break
				}
			}
			var others []Assignment
			for _, a := range p.Assignments {
				if a.SessionID != sid {
					others = append(others, a)
				}
			}
			base := keys(Check(in, others))
			booths := PlanBooths(*s, in.Policy)
			size := map[Lang]int{}
			for _, b := range booths {
				size[b.Booth] = b.Size
			}
			// Every interpreter's choices: none, or a booth of the session they work into.
			choices := make([][]Lang, len(in.Pool))
			space := 1
			for n, it := range in.Pool {
				choices[n] = []Lang{""}
				for _, b := range booths {
					if c := it.ClassOf(b.Booth); c == ClassA || (c == ClassB && it.Retour) {
						choices[n] = append(choices[n], b.Booth)
					}
				}
				space *= len(choices[n])
			}
			if space > 1<<14 {
				continue
			}
			searched++
			pick := make([]int, len(in.Pool))
			for {
				seatings++
				seated := map[Lang]int{}
				as := slices.Clone(others)
				for n, c := range pick {
					if b := choices[n][c]; b != "" {
						seated[b]++
						as = append(as, Assignment{SessionID: sid, Booth: b, InterpreterID: in.Pool[n].ID, Role: RoleInterpreter})
					}
				}
				full := true
				for b, n := range size {
					full = full && seated[b] >= n
				}
				if full {
					ok := true
					for k := range keys(Check(in, as)) {
						if k.session == sid || !base[k] {
							ok = false
							break
						}
					}
					if ok {
						t.Fatalf("world %d: session %s has gaps %v, but this seating staffs it: %v\ninput %+v", w, sid, gapRules(p), as, in)
					}
				}
				// Next seating (odometer).
				n := 0
				for ; n < len(pick); n++ {
					pick[n]++
					if pick[n] < len(choices[n]) {
						break
					}
					pick[n] = 0
				}
				if n == len(pick) {
					break
				}
			}
		}
	}
	t.Logf("%d worlds, %d short sessions, %d searched exhaustively, %d seatings judged", worlds, short, searched, seatings)
	if searched < 100 {
		t.Fatalf("only %d sessions searched: the generator does not exercise the claim", searched)
	}
}
