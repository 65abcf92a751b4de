package interp

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// A Chinese delegation brings its own ZH team to a UN six-language meeting whose speakers
// speak the five other languages: the organiser staffs five booths (UN: AR 3, the others
// 2 = 11 seats, against 14 with the ZH booth's 3), nothing in ZH, no gap for it, and no
// route from or into it; the language plan still lists the channel, marked.
func TestStaffedChannelIsListedNotStaffed(t *testing.T) {
	six := "ar zh en fr ru es"
	s := session(t, "s1", "2026-12-07T10:00:00Z", "2026-12-07T13:00:00Z", "ar en fr ru es", six)
	s.StaffedChannels = []StaffedChannel{{Lang: "zh", StaffedBy: StaffedByDelegation}}
	in := Input{Sessions: []Session{s}, Pool: unPool(), Policy: UN()}
	p := Allocate(in)
	if len(p.Gaps) != 0 {
		t.Fatalf("gaps %v", gapRules(p))
	}
	if vs := CheckPlan(in, p); len(vs) != 0 {
		t.Fatalf("checker rejects the plan: %+v", vs)
	}
	if got := members(p, "s1", "zh"); len(got) != 0 {
		t.Errorf("the ZH channel is the delegation's, the organiser staffs %v in it", got)
	}
	if len(p.Assignments) != 11 {
		t.Errorf("%d seats, want 11 (AR 3 + EN, FR, RU, ES 2 each)", len(p.Assignments))
	}
	for _, r := range p.Routes {
		if r.Booth == "zh" || r.From == "zh" || r.Via == "zh" {
			t.Errorf("route through the delegation's channel: %+v", r)
		}
	}
	for _, tn := range p.Teams {
		if tn.Booth == "zh" {
			t.Errorf("team note for the delegation's channel: %+v", tn)
		}
	}
	if !slices.ContainsFunc(p.Notes, func(n Text) bool {
		return n.Code == MsgStaffedByOthers && n.Args.Booth == "zh" && n.Args.Session == "s1" && n.Args.StaffedBy == "delegation"
	}) {
		t.Errorf("no note on the delegation's channel: %+v", p.Notes)
	}
	var booths []Lang
	for _, b := range PlanBooths(s, UN()) {
		booths = append(booths, b.Booth)
	}
	if !slices.Equal(booths, langs("ar en es fr ru")) {
		t.Errorf("PlanBooths %v", booths)
	}
	var zh []BoothNeed
	for _, b := range PlanChannels(s, UN()) {
		if b.Booth == "zh" {
			zh = append(zh, b)
		}
	}
	want := []BoothNeed{{SessionID: "s1", Booth: "zh", Sources: langs("ar en es fr ru"), Size: 0, StaffedBy: StaffedByDelegation}}
	if !reflect.DeepEqual(zh, want) {
		t.Errorf("PlanChannels lists ZH as %+v, want %+v", zh, want)
	}
}

// When Chinese is also spoken, the delegation's ZH booth is not a pivot (the organiser
// neither knows its team nor binds it by the policy): the other booths must take Chinese
// first-hand or from one of the organiser's booths. With nobody else hearing Chinese the
// gaps say so; with two EN interpreters who have Chinese, the EN booth carries it.
func TestStaffedChannelIsNoPivot(t *testing.T) {
	six := "ar zh en fr ru es"
	s := session(t, "s1", "2026-12-07T10:00:00Z", "2026-12-07T13:00:00Z", six, six)
	s.StaffedChannels = []StaffedChannel{{Lang: "zh", StaffedBy: StaffedByDelegation}}
	in := Input{Sessions: []Session{s}, Pool: unPool(), Policy: UN()}
	p := Allocate(in)
	if len(p.Gaps) == 0 {
		t.Fatal("Chinese reaches the booths although only ZH interpreters hear it and the ZH booth is the delegation's")
	}
	for _, g := range p.Gaps {
		if g.Booth == "zh" || (g.Rule != RuleLanguageCoverage && g.Rule != RuleRelayGivers) {
			t.Errorf("gap %+v", g)
		}
	}
	if vs := CheckPlan(in, p); len(vs) == 0 {
		t.Error("the checker accepts a plan with gaps")
	}

	pool := unPool()
	for _, id := range []string{"en5", "en6"} {
		pool = append(pool, newInterp(id, "en:A zh:C fr:C es:C ru:C"))
	}
	in.Pool = pool
	p = Allocate(in)
	if len(p.Gaps) != 0 {
		t.Fatalf("gaps %v", gapRules(p))
	}
	if vs := CheckPlan(in, p); len(vs) != 0 {
		t.Fatalf("checker rejects the plan: %+v", vs)
	}
	for _, r := range p.Routes {
		if r.Booth == "zh" || r.From == "zh" || r.Via == "zh" {
			t.Errorf("route through the delegation's channel: %+v", r)
		}
		if r.Floor == "zh" && r.Booth != "en" && (r.Mode != RouteRelay || r.From != "en" || !slices.Equal(r.Givers, []string{"en5", "en6"})) {
			t.Errorf("zh into %s: %+v, want relay from the EN booth given by en5 and en6", r.Booth, r)
		}
	}
}

// The checker: a seat in a channel staffed by others is a violation of its own (withdraw
// it), and the channel needs no team.
func TestCheckStaffedChannel(t *testing.T) {
	s := session(t, "s1", "2026-12-07T10:00:00Z", "2026-12-07T12:00:00Z", "en fr", "en fr zh")
	s.StaffedChannels = []StaffedChannel{{Lang: "zh", StaffedBy: StaffedByPartner}}
	pool := []Interpreter{newInterp("ea", "en:A fr:C"), newInterp("eb", "en:A fr:C"), newInterp("fa", "fr:A en:C"),
		newInterp("fb", "fr:A en:C"), newInterp("za", "zh:A en:C fr:C")}
	in := Input{Sessions: []Session{s}, Pool: pool, Policy: AIIC()}
	team := []Assignment{asg("s1", "en", "ea"), asg("s1", "en", "eb"), asg("s1", "fr", "fa"), asg("s1", "fr", "fb")}
	if vs := Check(in, team); len(vs) != 0 {
		t.Errorf("EN and FR staffed, ZH the partner's: %v", violationRules(vs))
	}
	vs := Check(in, append(team, asg("s1", "zh", "za")))
	if got := violationRules(vs); !slices.Equal(got, []string{"s1/zh/za:" + RuleStaffedByOthers}) {
		t.Errorf("a seat in the partner's channel: %v", got)
	}
	for _, r := range InferRoutes(in, team) {
		if r.Booth == "zh" {
			t.Errorf("route into the partner's channel: %+v", r)
		}
	}
	// Without the mark the same team leaves the ZH booth empty.
	in.Sessions[0].StaffedChannels = nil
	if got := violationRules(Check(in, team)); !slices.Equal(got, []string{"s1/zh:" + RuleTeamSize}) {
		t.Errorf("unmarked ZH channel: %v", got)
	}
}

func TestValidateStaffedChannels(t *testing.T) {
	s := session(t, "s1", "2026-12-07T10:00:00Z", "2026-12-07T12:00:00Z", "en fr", "en fr zh")
	s.StaffedChannels = []StaffedChannel{{Lang: "zh", StaffedBy: "delegation"}, {Lang: "ru", StaffedBy: "partner"},
		{Lang: "zh", StaffedBy: "embassy"}}
	var got []string
	for _, fe := range s.Validate() {
		got = append(got, fe.Field+":"+fe.Code)
	}
	want := []string{"staffed_channels[1].language:not_an_output", "staffed_channels[2].language:duplicate", "staffed_channels[2].staffed_by:invalid_value"}
	if !slices.Equal(got, want) {
		t.Errorf("field errors %v, want %v", got, want)
	}
}

// The platforms list the delegation's interpreters on their channel (those with an
// email), paired as an organiser's booth of it would be: with the first floor language.
func TestExportStaffedChannel(t *testing.T) {
	s := session(t, "s1", "2026-12-07T10:00:00Z", "2026-12-07T12:00:00Z", "en fr", "en fr zh")
	s.StaffedChannels = []StaffedChannel{{Lang: "zh", StaffedBy: StaffedByDelegation, Interpreters: []ChannelInterpreter{
		{Name: "Li Wei", Email: " Li.Wei@Delegation.example.CN "}, {Name: "Zhang Min"}, {Name: "Chen Jing", Email: "chen.jing@delegation.example.cn"}}}}
	pool := []Interpreter{newInterp("ea", "en:A fr:C"), newInterp("fa", "fr:A en:C")}
	as := []Assignment{asg("s1", "en", "ea"), asg("s1", "fr", "fa")}
	zoom, err := ZoomInterpreters(s, as, pool)
	if err != nil {
		t.Fatal(err)
	}
	// Zoom API: languages by country code (FR French, US English, CN Chinese), source first.
	wantZoom := []ZoomInterpreter{{"ea@example.org", "FR,US", "French,English"}, {"fa@example.org", "US,FR", "English,French"},
		{"chen.jing@delegation.example.cn", "US,CN", "English,Chinese"}, {"li.wei@delegation.example.cn", "US,CN", "English,Chinese"}}
	if !reflect.DeepEqual(zoom, wantZoom) {
		t.Errorf("zoom %+v, want %+v", zoom, wantZoom)
	}
	webex, err := WebexInterpreters(s, as, pool)
	if err != nil {
		t.Fatal(err)
	}
	wantWebex := []WebexInterpreter{{"fr", "en", "ea@example.org"}, {"en", "fr", "fa@example.org"},
		{"en", "zh", "chen.jing@delegation.example.cn"}, {"en", "zh", "li.wei@delegation.example.cn"}}
	if !reflect.DeepEqual(webex, wantWebex) {
		t.Errorf("webex %+v, want %+v", webex, wantWebex)
	}
}

// For the allocator and the checker a channel staffed by others is as if the session did
// not offer it: over random six-language meetings (and random worlds), marking one
// channel staffed gives the plan of the same meeting without that channel, the same
// verdict on it, plus one note; and the plan never seats, routes or pivots through it.
func TestStaffedChannelIsAsIfAbsent(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 13))
	marked := 0
	for w := 0; w < 1500; w++ {
		var in Input
		if w%2 == 0 {
			in = sixLanguageWorld(r)
		} else {
			in = randomInput(t, r)
		}
		without := in
		without.Sessions = slices.Clone(in.Sessions)
		in.Sessions = slices.Clone(in.Sessions)
		var notes int
		for i := range in.Sessions {
			s := &in.Sessions[i]
			if len(s.Outputs) == 0 || r.IntN(2) == 0 {
				continue
			}
			l := s.Outputs[r.IntN(len(s.Outputs))]
			s.StaffedChannels = []StaffedChannel{{Lang: l, StaffedBy: StaffedByValues[r.IntN(2)]}}
			without.Sessions[i].Outputs = slices.DeleteFunc(slices.Clone(s.Outputs), func(o Lang) bool { return o == l })
			if !s.Cancelled && s.Start.Before(s.End) && slices.ContainsFunc(s.Floor, func(f Lang) bool { return f != l }) {
				notes++
			}
			marked++
		}
		p, q := Allocate(in), Allocate(without)
		if !reflect.DeepEqual(p.Assignments, q.Assignments) || !reflect.DeepEqual(p.Routes, q.Routes) ||
			!reflect.DeepEqual(p.Gaps, q.Gaps) || !reflect.DeepEqual(p.Teams, q.Teams) || !reflect.DeepEqual(p.PassedOver, q.PassedOver) {
			t.Fatalf("world %d: the plan with a staffed channel differs from the plan without it\ninput %+v\nplan %+v\nwithout %+v", w, in, p, q)
		}
		if len(p.Notes) != len(q.Notes)+notes {
			t.Fatalf("world %d: %d notes, %d without the channels, want %d more: %+v", w, len(p.Notes), len(q.Notes), notes, p.Notes)
		}
		if got, want := Check(in, p.Assignments), Check(without, p.Assignments); !reflect.DeepEqual(got, want) {
			t.Fatalf("world %d: verdict %+v, without the channel %+v", w, got, want)
		}
		for _, a := range p.Assignments {
			for _, s := range in.Sessions {
				if s.ID == a.SessionID && s.StaffedBy(a.Booth) != "" {
					t.Fatalf("world %d: seat %+v in a channel staffed by the %s", w, a, s.StaffedBy(a.Booth))
				}
			}
		}
	}
	if marked < 500 {
		t.Fatalf("only %d channels marked", marked)
	}
}

// A seat already offered in a channel that is then marked staffed by a delegation is kept
// by the allocator (offers are not silently dropped) but the checker asks for its
// withdrawal, and nothing is routed through it.
func TestKeptSeatInAStaffedChannel(t *testing.T) {
	s := session(t, "s1", "2026-12-07T10:00:00Z", "2026-12-07T12:00:00Z", "en fr", "en fr zh")
	s.StaffedChannels = []StaffedChannel{{Lang: "zh", StaffedBy: StaffedByDelegation}}
	pool := []Interpreter{newInterp("ea", "en:A fr:C"), newInterp("eb", "en:A fr:C"), newInterp("fa", "fr:A en:C"),
		newInterp("fb", "fr:A en:C"), newInterp("za", "zh:A en:C fr:C")}
	in := Input{Sessions: []Session{s}, Pool: pool, Policy: AIIC(), Kept: []Assignment{asg("s1", "zh", "za")}}
	p := Allocate(in)
	if got := members(p, "s1", "zh"); !slices.Equal(got, []string{"za"}) {
		t.Errorf("ZH seats %v, want the kept offer", got)
	}
	if len(p.Gaps) != 0 {
		t.Errorf("gaps %v", gapRules(p))
	}
	for _, r := range p.Routes {
		if r.Booth == "zh" || r.From == "zh" {
			t.Errorf("route through the delegation's channel: %+v", r)
		}
	}
	if got := violationRules(CheckPlan(in, p)); !slices.Equal(got, []string{"s1/zh/za:" + RuleStaffedByOthers}) {
		t.Errorf("violations %v", got)
	}
}
