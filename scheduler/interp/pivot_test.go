package interp

import (
	"slices"
	"strings"
	"testing"
)

// unPool is a realistic pool for the six UN languages: everyone has one A language and
// two or three C languages (English and French the most common), a few Arabic and
// Chinese interpreters have English as a B and work retour into it. Nobody hears all six.
func unPool() []Interpreter {
	spec := []struct{ id, langs string }{
		{"en1", "en:A fr:C es:C ru:C"}, {"en2", "en:A fr:C es:C ru:C"}, {"en3", "en:A fr:C ru:C es:C"}, {"en4", "en:A fr:C es:C"},
		{"fr1", "fr:A en:C es:C"}, {"fr2", "fr:A en:C es:C"}, {"fr3", "fr:A en:C ru:C"},
		{"es1", "es:A en:C fr:C"}, {"es2", "es:A en:C fr:C"}, {"es3", "es:A en:C fr:C pt:C"},
		{"ru1", "ru:A en:C fr:C"}, {"ru2", "ru:A en:C fr:C"}, {"ru3", "ru:A en:C de:C"},
		{"ar1", "ar:A en:B fr:C"}, {"ar2", "ar:A en:B fr:C"}, {"ar3", "ar:A en:B fr:C"}, {"ar4", "ar:A fr:C en:C"},
		{"zh1", "zh:A en:B fr:C"}, {"zh2", "zh:A en:B"}, {"zh3", "zh:A en:B fr:C"}, {"zh4", "zh:A en:C fr:C"},
	}
	var pool []Interpreter
	for _, s := range spec {
		it := newInterp(s.id, s.langs)
		it.Retour = it.ClassOf("en") == ClassB
		pool = append(pool, it)
	}
	return pool
}

// TestAllocateSixLanguages: a UN meeting whose floor and channels are AR, ZH, EN, FR, RU
// and ES, staffed from the pool above, is staffed only through pivots: the AR and ZH
// booths give their languages by retour into English, the EN booth (whose members all
// have French, Spanish and Russian) gives those to the booths that lack them. One hop,
// two givers each, team sizes as the policy says.
func TestAllocateSixLanguages(t *testing.T) {
	six := "ar zh en fr ru es"
	s := session(t, "s1", "2026-12-07T10:00:00Z", "2026-12-07T13:00:00Z", six, six)
	for _, tc := range []struct {
		policy Policy
		sizes  map[Lang]int
		rules  map[Lang]string
	}{
		{UN(), map[Lang]int{"ar": 3, "zh": 3, "en": 2, "fr": 2, "ru": 2, "es": 2},
			map[Lang]string{"ar": SizeThreeBooth, "zh": SizeThreeBooth, "en": SizeByDuration}},
		{AIIC(), map[Lang]int{"ar": 3, "zh": 3, "en": 2, "fr": 2, "ru": 2, "es": 2},
			map[Lang]string{"ar": SizeTwoWay, "zh": SizeTwoWay, "en": SizeByDuration}},
	} {
		t.Run(tc.policy.Name, func(t *testing.T) {
			in := Input{Sessions: []Session{s}, Pool: unPool(), Policy: tc.policy}
			p := Allocate(in)
			if len(p.Gaps) != 0 {
				t.Fatalf("gaps: %v %+v", gapRules(p), p.Gaps)
			}
			if vs := CheckPlan(in, p); len(vs) != 0 {
				t.Fatalf("checker rejects the plan: %+v", vs)
			}
			for b, n := range tc.sizes {
				if got := members(p, "s1", b); len(got) != n {
					t.Errorf("%s booth %v, want %d", b, got, n)
				}
			}
			for _, tn := range p.Teams {
				if want, ok := tc.rules[tn.Booth]; ok && tn.Rule != want {
					t.Errorf("%s team sized by %s (%+v), want %s", tn.Booth, tn.Rule, tn.Args, want)
				}
			}
			byBooth := map[Lang]map[Lang]Route{}
			for _, r := range p.Routes {
				if byBooth[r.Booth] == nil {
					byBooth[r.Booth] = map[Lang]Route{}
				}
				byBooth[r.Booth][r.Floor] = r
			}
			for _, b := range langs(six) {
				for _, f := range langs(six) {
					if f == b {
						continue
					}
					r, ok := byBooth[b][f]
					if !ok {
						t.Errorf("no route for %s into the %s booth", f, b)
						continue
					}
					if r.Mode != RouteRelay {
						continue
					}
					// Arabic and Chinese reach the other booths only through their own
					// booth's retour into English; nothing passes through two pivots.
					if (f == "ar" || f == "zh") && (r.From != f || r.Via != "en") {
						t.Errorf("%s into %s from %s via %s, want the %s booth's retour into en", f, b, r.From, r.Via, f)
					}
					if pr, ok := byBooth[r.From][f]; ok && pr.Mode != RouteDirect {
						t.Errorf("%s reaches %s through %s, which takes it by relay itself", f, b, r.From)
					}
					if len(r.Givers) < 2 {
						t.Errorf("%s into %s: givers %v", f, b, r.Givers)
					}
				}
			}
			// The floor languages nobody outside their booth hears are relayed.
			if r := byBooth["fr"]["zh"]; r.Mode != RouteRelay || !strings.HasPrefix(strings.Join(r.Givers, ","), "zh") {
				t.Errorf("zh into fr: %+v", r)
			}
			var retour int
			for _, a := range p.Assignments {
				if a.Booth == "ar" && strings.Contains(string(a.Role), string(RoleRetour)) {
					retour++
				}
			}
			if retour < 2 {
				t.Errorf("AR booth has %d members working retour, want at least 2: %+v", retour, p.Assignments)
			}
		})
	}
}

// Without pivots the same meeting cannot be staffed: with relay off in the policy every
// booth is a language coverage gap (the state the issue describes).
func TestAllocateSixLanguagesNeedsRelay(t *testing.T) {
	six := "ar zh en fr ru es"
	s := session(t, "s1", "2026-12-07T10:00:00Z", "2026-12-07T13:00:00Z", six, six)
	pol := UN()
	pol.RelayAllowed = false
	p := Allocate(Input{Sessions: []Session{s}, Pool: unPool(), Policy: pol})
	if len(p.Assignments) != 0 || len(p.Gaps) != 6 {
		t.Fatalf("relay off: %d assignments, gaps %v", len(p.Assignments), gapRules(p))
	}
	for _, g := range p.Gaps {
		if g.Rule != RuleLanguageCoverage {
			t.Errorf("gap %+v", g)
		}
	}
}

// Two AR interpreters with English retour are needed to give Arabic by relay: with one,
// the Arabic listeners' booth is staffed but the others lack Arabic, and the gaps say so.
func TestAllocatePivotNeedsTwoGivers(t *testing.T) {
	s := session(t, "s1", "2026-12-07T10:00:00Z", "2026-12-07T12:00:00Z", "ar en", "ar en fr")
	pool := []Interpreter{
		newInterp("ar1", "ar:A en:B fr:C"), newInterp("ar2", "ar:A fr:C"), newInterp("ar3", "ar:A fr:C en:C"),
		newInterp("en1", "en:A fr:C"), newInterp("en2", "en:A fr:C"),
		newInterp("fr1", "fr:A en:C"), newInterp("fr2", "fr:A en:C"),
	}
	pool[0].Retour = true
	in := Input{Sessions: []Session{s}, Pool: pool, Policy: AIIC()}
	p := Allocate(in)
	// (The closest EN candidate is Ar1, already in the AR booth.)
	if got := gapRules(p); !slices.Equal(got, []string{"s1/en:double_booking", "s1/fr:relay_givers"}) {
		t.Errorf("gaps %v", got)
	}
	mustClean2(t, in, p)
	// A second retour interpreter: the AR booth gives Arabic into English, three strong.
	in.Pool[1] = newInterp("ar2", "ar:A en:B fr:C")
	in.Pool[1].Retour = true
	p = Allocate(in)
	if len(p.Gaps) != 0 {
		t.Fatalf("gaps %v", gapRules(p))
	}
	if vs := CheckPlan(in, p); len(vs) != 0 {
		t.Fatalf("checker: %+v", vs)
	}
	if got := members(p, "s1", "ar"); len(got) != 3 {
		t.Errorf("AR booth %v, want three (a two-way booth giving relay)", got)
	}
	want := []RelayHop{{"s1", "en", "ar", "ar", "en"}, {"s1", "fr", "ar", "ar", "en"}}
	if !slices.Equal(p.RelayHops, want) {
		t.Errorf("hops %+v, want %+v", p.RelayHops, want)
	}
}

// InferRoutes reads the same routes off the allocator's seats as the allocator states,
// for the six-language meeting (where every route is forced by the pool's languages).
func TestInferRoutesAgreesOnSixLanguages(t *testing.T) {
	six := "ar zh en fr ru es"
	s := session(t, "s1", "2026-12-07T10:00:00Z", "2026-12-07T13:00:00Z", six, six)
	in := Input{Sessions: []Session{s}, Pool: unPool(), Policy: UN()}
	p := Allocate(in)
	got := InferRoutes(in, p.Assignments)
	if len(got) != len(p.Routes) || len(got) != 30 {
		t.Fatalf("%d inferred routes, %d planned, want 30 (6 booths x 5 floor languages)", len(got), len(p.Routes))
	}
	for n, r := range got {
		q := p.Routes[n]
		if r.Booth != q.Booth || r.Floor != q.Floor || r.Mode != q.Mode || (r.Mode == RouteRelay && r.Via != q.Via) ||
			!slices.Equal(r.Direct, q.Direct) {
			t.Errorf("route %d: inferred %+v, planned %+v", n, r, q)
		}
		if r.Mode == RouteRelay && (r.Floor == "ar" || r.Floor == "zh") && r.From != r.Floor {
			t.Errorf("inferred %+v: Arabic and Chinese come from their own booth", r)
		}
	}
	// A seat taken away from the AR booth leaves two: no longer a two-way pivot.
	var fewer []Assignment
	dropped := false
	for _, a := range p.Assignments {
		if a.Booth == "ar" && !dropped {
			dropped = true
			continue
		}
		fewer = append(fewer, a)
	}
	for _, r := range InferRoutes(in, fewer) {
		if r.Floor == "ar" && r.Booth == "fr" && r.Mode != RouteMissing {
			t.Errorf("ar into fr with a two-member AR booth: %+v", r)
		}
	}
}
