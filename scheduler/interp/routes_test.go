package interp

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// morningPool: the pool of a UN meeting whose morning has two agenda blocks (s0 with the
// French and Russian channels only, s1 with five channels) separated by a 45-minute
// coffee break, one sitting. Russian is scarce: among those who work into a channel other
// than Russian, only i04, i15, i16, i11 and i09 have it, and nobody works from Russian
// into another language by retour.
func morningPool() []Interpreter {
	spec := []struct {
		id, langs string
		retour    bool
	}{
		{"i00", "en:A fr:C es:C", false}, {"i01", "es:A fr:C", false}, {"i02", "fr:A en:C", false},
		{"i03", "en:A fr:C ar:C", false}, {"i04", "fr:A ru:C en:C", false}, {"i05", "ar:A en:B", true},
		{"i06", "ru:A en:C es:C", false}, {"i07", "en:A es:C", false}, {"i08", "ar:A fr:B es:C en:B", true},
		{"i09", "zh:A en:B fr:B ru:C", true}, {"i10", "ru:A ar:C zh:C fr:C", false}, {"i11", "en:A fr:C ru:C", false},
		{"i12", "zh:A ar:C fr:C", false}, {"i13", "fr:A zh:C", false}, {"i14", "fr:A en:C es:C", false},
		{"i15", "es:A en:C ru:C", false}, {"i16", "es:A en:C ru:C", false}, {"i17", "ar:A en:B", true},
		{"i18", "fr:A ar:C zh:C", false},
	}
	var pool []Interpreter
	for _, s := range spec {
		it := newInterp(s.id, s.langs)
		it.Retour = s.retour
		pool = append(pool, it)
	}
	return pool
}

// TestRoutesWhenThePivotIsStaffedLast: members of the AR, EN and FR booths of s1 can take
// Russian only by relay from the ES booth (worked out by hand from DOMAIN.md section 3):
//   - the RU booth cannot give it: nobody working from Russian has retour;
//   - the EN booth cannot: only i11 and i09 (EN-B) work into English and have Russian,
//     and i09 would make it two-way (three needed, every one with Russian);
//   - the FR booth cannot: i04 is its only A member with Russian (i09 again two-way), and
//     i04 and i09 are already a full sitting's booth time in s0, the only FR team that has
//     Russian there (s0 has no other channel to relay it from);
//   - the AR booth cannot: no Arabic interpreter has Russian;
//   - the ES booth can: i15 and i16 have Russian, and every member of a pivot must have
//     it first-hand, so the ES booth is exactly i15 and i16.
//
// Members of s1 admitted on that relay were stated "direct" in the final plan when the
// session's exhaustive search found nothing and put back the greedy seating in the order
// it was made (the ES booth last, so the relay was not there yet). Every route must hold.
// The s0 RU booth is a gap of 2 (i06 lacks French and no booth of s0 can give it: the FR
// booth has nobody into Russian; i10 lacks English, which the FR booth i04+i09 could give
// only as a two-way booth of three). The s1 AR booth is short: only i08 has Spanish, so
// only i08 can take Russian, and an Arabic booth needs three under the UN policy.
func TestRoutesWhenThePivotIsStaffedLast(t *testing.T) {
	in := Input{Policy: UN(), Pool: morningPool(), Sessions: []Session{
		session(t, "s0", "2026-12-07T09:00:00Z", "2026-12-07T11:00:00Z", "fr ru en", "fr ru"),
		session(t, "s1", "2026-12-07T11:45:00Z", "2026-12-07T13:45:00Z", "fr ru en", "fr ru en es ar"),
	}}
	for i := range in.Sessions {
		in.Sessions[i].MeetingID = "m0"
	}
	p := Allocate(in)
	gapAt := map[string]Gap{}
	for _, g := range p.Gaps {
		gapAt[g.SessionID+"/"+string(g.Booth)] = g
	}
	for _, v := range CheckPlan(in, p) {
		if _, ok := gapAt[v.SessionID+"/"+string(v.Booth)]; v.Rule != RuleTeamSize || !ok {
			t.Errorf("checker rejects the plan: %+v", v)
		}
	}
	route := func(session string, booth Lang, floor Lang) *Route {
		for i := range p.Routes {
			if r := &p.Routes[i]; r.SessionID == session && r.Booth == booth && r.Floor == floor {
				return r
			}
		}
		return nil
	}
	for _, tc := range []struct {
		session string
		booth   Lang
		members []string // nil: not asserted
		gap     int      // missing seats, -1: a gap of any size, 0: no gap
		ru      string   // how Russian reaches the booth: "relay es/es i15 i16", "direct", "" not asserted
	}{
		{"s0", "fr", []string{"i04", "i09"}, 0, "direct"},
		{"s0", "ru", []string{}, 2, ""},
		{"s1", "es", []string{"i15", "i16"}, 0, "direct"},
		{"s1", "en", nil, 0, "relay es/es i15 i16"},
		{"s1", "ar", nil, -1, "relay es/es i15 i16"},
	} {
		t.Run(tc.session+"/"+string(tc.booth), func(t *testing.T) {
			got := members(p, tc.session, tc.booth)
			if tc.members != nil && !slices.Equal(got, tc.members) {
				t.Errorf("members %v, want %v", got, tc.members)
			}
			g, isGap := gapAt[tc.session+"/"+string(tc.booth)]
			switch {
			case tc.gap == 0 && isGap:
				t.Errorf("gap %+v, want a full booth", g)
			case tc.gap != 0 && !isGap:
				t.Errorf("no gap, want one (members %v)", got)
			case tc.gap > 0 && g.Missing != tc.gap:
				t.Errorf("gap of %d, want %d", g.Missing, tc.gap)
			}
			if tc.ru == "" || len(got) == 0 {
				return
			}
			r := route(tc.session, tc.booth, "ru")
			if r == nil {
				t.Fatalf("no route of ru stated")
			}
			var desc string
			if r.Mode == RouteDirect {
				desc = "direct"
			} else {
				desc = fmt.Sprintf("%s %s/%s %s", r.Mode, r.From, r.Via, strings.Join(r.Givers, " "))
			}
			if desc != tc.ru {
				t.Errorf("ru reaches it %q, want %q", desc, tc.ru)
			}
		})
	}
	// Whoever sits in the s1 FR booth takes Russian from the ES booth as well.
	if got := members(p, "s1", "fr"); len(got) > 0 {
		if r := route("s1", "fr", "ru"); r == nil || r.Mode != RouteRelay || r.From != "es" {
			t.Errorf("s1 FR booth %v takes ru by %+v, want relay from the ES booth", got, r)
		}
	}
}

// TestDropBrokenRelaysCascades: the allocator's last guard, on the s1 block of the
// morning above seated as a search might leave it with the ES pivot one member short
// (i15 without i16): EN i00 i11, ES i15, RU i06, FR i14, AR i08; Russian by relay from
// ES into EN, FR and AR; French by relay from EN (via en) into ES and RU. By hand: the
// ES booth has one giver of Russian, so i00, i14 and i08 lose their route; EN is left
// with i11, one giver of French, so i15 and i06 lose theirs; i11 has French and Russian
// first-hand and stays alone. The plan then states no route the checker rejects, and the
// members taken out are no longer booked.
func TestDropBrokenRelaysCascades(t *testing.T) {
	in := Input{Policy: UN(), Pool: morningPool(), Sessions: []Session{
		session(t, "s1", "2026-12-07T11:45:00Z", "2026-12-07T13:45:00Z", "fr ru en", "fr ru en es ar"),
	}}
	a := newAllocator(in)
	st := &a.sessions[0]
	l := func(s Lang) langID { return a.langs.intern(s) }
	k := func(s Lang) int { return st.boothOf(l(s)) }
	who := func(id string) int { return a.byID[id] }
	ru := hop{floor: l("ru"), via: l("es"), from: k("es")}
	fr := hop{floor: l("fr"), via: l("en"), from: k("en")}
	for _, s := range []struct {
		booth Lang
		id    string
		hops  []hop
	}{
		{"en", "i11", nil}, {"en", "i00", []hop{ru}}, {"es", "i15", []hop{fr}}, {"ru", "i06", []hop{fr}},
		{"fr", "i14", []hop{ru}}, {"ar", "i08", []hop{ru}},
	} {
		a.add(st, k(s.booth), who(s.id), s.hops)
	}
	a.dropBrokenRelays(st)
	p := a.plan()
	var got []string
	for _, as := range p.Assignments {
		got = append(got, string(as.Booth)+":"+as.InterpreterID)
	}
	if want := []string{"en:i11"}; !slices.Equal(got, want) {
		t.Errorf("seats %v, want %v", got, want)
	}
	for _, v := range CheckPlan(in, p) {
		if v.Rule != RuleTeamSize {
			t.Errorf("checker rejects the plan: %+v", v)
		}
	}
	for _, id := range []string{"i00", "i15", "i06", "i14", "i08"} {
		if q := &a.people[who(id)]; len(q.busy) != 0 || q.load != 0 || q.inSess != 0 {
			t.Errorf("%s taken out but still booked: %+v, load %d", id, q.busy, q.load)
		}
	}
	if len(st.added) != 1 {
		t.Errorf("the session's proposals to undo are %v, want i11's alone", st.added)
	}
}
