package interp

import (
	"slices"
	"testing"
	"time"
)

func asg(session string, booth Lang, id string) Assignment {
	return Assignment{SessionID: session, Booth: booth, InterpreterID: id, Role: RoleInterpreter}
}

// Floor EN/AR into EN, FR, ES, AR. The FR members have no Arabic.
func relayInput(t *testing.T, frLangs string) (Input, []Assignment) {
	s := session(t, "s1", "2026-12-06T10:00:00Z", "2026-12-06T12:00:00Z", "en ar", "en fr es ar")
	pool := []Interpreter{
		newInterp("ea", "en:A ar:C"), newInterp("eb", "en:A ar:C"),
		newInterp("aa", "ar:A en:C"), newInterp("ab", "ar:A en:C"),
		newInterp("sa", "es:A en:C"), newInterp("sb", "es:A en:C"), // take Arabic from EN
		newInterp("fa", frLangs), newInterp("fb", frLangs),
	}
	as := []Assignment{asg("s1", "en", "ea"), asg("s1", "en", "eb"), asg("s1", "ar", "aa"), asg("s1", "ar", "ab"),
		asg("s1", "es", "sa"), asg("s1", "es", "sb"), asg("s1", "fr", "fa"), asg("s1", "fr", "fb")}
	return Input{Sessions: []Session{s}, Pool: pool, Policy: AIIC()}, as
}

func TestCheckRelay(t *testing.T) {
	// One pivot: FR understands English and takes Arabic from the EN booth.
	in, as := relayInput(t, "fr:A en:C es:C")
	if vs := Check(in, as); len(vs) != 0 {
		t.Errorf("relay through one pivot: %v", violationRules(vs))
	}
	// Two pivots: FR understands only Spanish; the ES booth has no Arabic itself, it takes
	// it from EN. FR would hear Arabic through ES through EN: rejected. English still
	// reaches FR through one pivot (ES has it first-hand).
	in, as = relayInput(t, "fr:A es:C")
	want := []string{"s1/fr/fa:relay_chain", "s1/fr/fb:relay_chain"}
	if got := violationRules(Check(in, as)); !slices.Equal(got, want) {
		t.Errorf("relay through two pivots: %v, want %v", got, want)
	}
	// Relay off in the policy: the ES booth lacks Arabic.
	in, as = relayInput(t, "fr:A en:C ar:C")
	in.Policy.RelayAllowed = false
	want = []string{"s1/es/sa:language_coverage", "s1/es/sb:language_coverage"}
	if got := violationRules(Check(in, as)); !slices.Equal(got, want) {
		t.Errorf("relay off: %v, want %v", got, want)
	}
	// A single Arabic speaker in the pivot booth cannot give relay alone.
	in, as = relayInput(t, "fr:A en:C")
	in.Pool = append(in.Pool, newInterp("ec", "en:A fr:C"))
	as[1] = asg("s1", "en", "ec") // no Arabic: it could only come through FR, which has none either
	got := violationRules(Check(in, as))
	want = []string{"s1/en/ec:relay_chain", "s1/es/sa:relay_givers", "s1/es/sb:relay_givers", "s1/fr/fa:relay_givers", "s1/fr/fb:relay_givers"}
	if !slices.Equal(got, want) {
		t.Errorf("one relay giver: %v, want %v", got, want)
	}
	// A pivot booth working retour needs three (AIIC art. 6).
	in, as = relayInput(t, "fr:A en:C")
	in.Pool[0] = newInterp("ea", "ar:A en:B")
	in.Pool[0].Retour = true
	want = []string{"s1/es/sa:relay_givers", "s1/es/sb:relay_givers", "s1/fr/fa:relay_givers", "s1/fr/fb:relay_givers"}
	if got := violationRules(Check(in, as)); !slices.Equal(got, want) {
		t.Errorf("retour pivot of two: %v, want %v", got, want)
	}
	// A third member without Arabic: the EN booth has three, but its Arabic output would
	// partly be a relay itself, so it is no pivot for Arabic (and ec has no route at all).
	in.Pool = append(in.Pool, newInterp("ec", "en:A"))
	want = []string{"s1/en/ec:language_coverage", "s1/es/sa:relay_chain", "s1/es/sb:relay_chain", "s1/fr/fa:relay_chain", "s1/fr/fb:relay_chain"}
	if got := violationRules(Check(in, append(as, asg("s1", "en", "ec")))); !slices.Equal(got, want) {
		t.Errorf("retour pivot of three: %v, want %v", got, want)
	}
	// With Arabic, the third member makes the two-way EN booth a pivot.
	in.Pool[len(in.Pool)-1] = newInterp("ec", "en:A ar:C")
	if got := violationRules(Check(in, append(as, asg("s1", "en", "ec")))); len(got) != 0 {
		t.Errorf("two-way pivot of three: %v", got)
	}
}

func TestCheckRules(t *testing.T) {
	day := "2026-12-07T"
	base := func() (Input, []Assignment) {
		return Input{
			Sessions: []Session{
				session(t, "s1", day+"10:00:00Z", day+"12:00:00Z", "en", "fr"),
				session(t, "s2", day+"14:00:00Z", day+"16:00:00Z", "en", "fr"),
			},
			Pool:   []Interpreter{newInterp("fa", "fr:A en:C"), newInterp("fb", "fr:A en:C"), newInterp("fc", "fr:A en:C"), newInterp("fd", "fr:A en:C")},
			Policy: AIIC(),
		}, []Assignment{asg("s1", "fr", "fa"), asg("s1", "fr", "fb"), asg("s2", "fr", "fc"), asg("s2", "fr", "fd")}
	}
	cases := []struct {
		name string
		edit func(in *Input, as *[]Assignment)
		want []string
	}{
		{name: "valid", edit: func(*Input, *[]Assignment) {}},
		{name: "team too small", edit: func(_ *Input, as *[]Assignment) { *as = (*as)[1:] }, want: []string{"s1/fr:team_size"}},
		{name: "UN three in the AR booth", edit: func(in *Input, as *[]Assignment) {
			in.Policy = UN()
			in.Sessions[0].Outputs = langs("ar")
			in.Pool[0], in.Pool[1] = newInterp("fa", "ar:A en:C"), newInterp("fb", "ar:A en:C")
			(*as)[0].Booth, (*as)[1].Booth = "ar", "ar"
		}, want: []string{"s1/ar:team_size"}},
		{name: "booth language not A, B without retour", edit: func(in *Input, _ *[]Assignment) {
			in.Pool[0] = newInterp("fa", "en:A fr:B")
		}, want: []string{"s1/fr/fa:booth_language"}},
		{name: "C language is never a booth language", edit: func(in *Input, _ *[]Assignment) {
			in.Pool[0] = newInterp("fa", "en:A fr:C")
			in.Pool[0].Retour = true
		}, want: []string{"s1/fr/fa:booth_language"}},
		{name: "floor language missing", edit: func(in *Input, _ *[]Assignment) {
			in.Pool[0] = newInterp("fa", "fr:A de:C")
		}, want: []string{"s1/fr/fa:language_coverage"}},
		{name: "double booking", edit: func(in *Input, as *[]Assignment) {
			in.Sessions[1].Start, in.Sessions[1].End = at(t, day+"11:00:00Z"), at(t, day+"13:00:00Z")
			*as = append(*as, asg("s1", "fr", "fc"))
		}, want: []string{"s2/fr/fc:double_booking"}},
		{name: "two booths of one session", edit: func(in *Input, as *[]Assignment) {
			in.Sessions[0].Outputs = langs("fr es")
			in.Pool[0] = newInterp("fa", "fr:A es:A en:C")
			in.Pool = append(in.Pool, newInterp("se", "es:A en:C"))
			*as = append(*as, asg("s1", "es", "fa"), asg("s1", "es", "se"))
		}, want: []string{"s1/es/fa:double_booking"}},
		{name: "double booking against a commitment elsewhere", edit: func(in *Input, _ *[]Assignment) {
			in.Commitments = []Commitment{{InterpreterID: "fa", Start: at(t, day+"11:59:00Z"), End: at(t, day+"13:00:00Z")}}
		}, want: []string{"s1/fr/fa:double_booking"}},
		{name: "rest", edit: func(in *Input, _ *[]Assignment) {
			in.Commitments = []Commitment{{InterpreterID: "fa", Start: at(t, day+"12:30:00Z"), End: at(t, day+"13:00:00Z")}}
		}, want: []string{"s1/fr/fa:rest"}},
		{name: "commitments among themselves are not judged", edit: func(in *Input, _ *[]Assignment) {
			in.Commitments = []Commitment{{InterpreterID: "fa", Start: at(t, day+"20:00:00Z"), End: at(t, day+"21:00:00Z")},
				{InterpreterID: "fa", Start: at(t, day+"20:30:00Z"), End: at(t, day+"21:00:00Z")}}
			in.Policy.Caps.SessionsPerDay = 3
		}},
		{name: "daily cap", edit: func(in *Input, as *[]Assignment) {
			in.Pool[0].Caps.BoothMinutesPerDay = 200
			(*as)[2].InterpreterID = "fa"
		}, want: []string{"s2/fr/fa:daily_cap"}},
		{name: "remote cap of three hours a day (AIIC)", edit: func(in *Input, as *[]Assignment) {
			in.Pool[0].Remote = true
			(*as)[2].InterpreterID = "fa"
		}, want: []string{"s2/fr/fa:daily_cap"}},
		{name: "sessions per day", edit: func(in *Input, as *[]Assignment) {
			in.Pool[0].Caps.SessionsPerDay = 1
			(*as)[2].InterpreterID = "fa"
		}, want: []string{"s2/fr/fa:sessions_per_day"}},
		{name: "weekly cap", edit: func(in *Input, _ *[]Assignment) {
			in.Pool[0].Caps.BoothMinutesPerWeek = 100
		}, want: []string{"s1/fr/fa:weekly_cap"}},
		{name: "unavailable", edit: func(in *Input, _ *[]Assignment) {
			in.Pool[1].Unavailable = []Interval{{Start: at(t, day+"11:00:00Z"), End: at(t, day+"11:30:00Z")}}
		}, want: []string{"s1/fr/fb:unavailable"}},
		{name: "remote outside working hours", edit: func(in *Input, _ *[]Assignment) {
			in.Pool[1].Remote = true
			in.Pool[1].Location = mustZone(t, "America/Los_Angeles") // 02:00 local
		}, want: []string{"s1/fr/fb:working_hours"}},
		{name: "remote inside custom working hours", edit: func(in *Input, _ *[]Assignment) {
			in.Pool[1].Remote = true
			in.Pool[1].Location = mustZone(t, "America/Los_Angeles")
			in.Pool[1].Hours = WorkingHours{Start: 120, End: 300}
		}},
		{name: "declined", edit: func(in *Input, _ *[]Assignment) {
			in.Declined = []Declined{{InterpreterID: "fb", SessionID: "s1", Booth: "fr"}}
		}, want: []string{"s1/fr/fb:declined"}},
		{name: "cancelled session", edit: func(in *Input, _ *[]Assignment) { in.Sessions[1].Cancelled = true },
			want: []string{"s2/fr/fc:cancelled_session", "s2/fr/fd:cancelled_session"}},
		{name: "unknown interpreter, session and booth; duplicate", edit: func(_ *Input, as *[]Assignment) {
			*as = append(*as, asg("s1", "fr", "zz"), asg("s9", "fr", "fa"), asg("s1", "de", "fc"), asg("s1", "fr", "fa"))
		}, want: []string{"s1/de/fc:unknown_booth", "s1/fr/fa:duplicate_assignment", "s1/fr/zz:unknown_interpreter", "s9/fr/fa:unknown_session"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, as := base()
			tc.edit(&in, &as)
			got := violationRules(Check(in, as))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ok := newInterp("ana", "fr:A en:B es:C")
	cases := []struct {
		name  string
		edit  func(*Interpreter)
		codes []string
	}{
		{name: "valid", edit: func(*Interpreter) {}},
		{name: "no A", edit: func(i *Interpreter) { i.Languages = []LangSkill{{"fr", ClassB}} }, codes: []string{"no_a_language"}},
		{name: "no languages", edit: func(i *Interpreter) { i.Languages = nil }, codes: []string{"required"}},
		{name: "bad codes", edit: func(i *Interpreter) {
			i.Languages = []LangSkill{{"fr", ClassA}, {"EN", ClassC}, {"xx", ClassC}, {"eng", ClassC}}
		}, codes: []string{"invalid_language", "invalid_language", "invalid_language"}},
		{name: "bad class", edit: func(i *Interpreter) { i.Languages[1].Class = "D" }, codes: []string{"invalid_class"}},
		{name: "duplicate", edit: func(i *Interpreter) { i.Languages[1].Lang = "fr" }, codes: []string{"duplicate_language"}},
		{name: "retour without B", edit: func(i *Interpreter) { i.Retour = true; i.Languages[1].Class = ClassC }, codes: []string{"retour_without_b"}},
		{name: "hours reversed", edit: func(i *Interpreter) { i.Hours = WorkingHours{Start: 20 * 60, End: 8 * 60} }, codes: []string{"invalid_hours"}},
		{name: "hours past midnight", edit: func(i *Interpreter) { i.Hours = WorkingHours{Start: 60, End: 25 * 60} }, codes: []string{"invalid_hours"}},
		{name: "negative cap", edit: func(i *Interpreter) { i.Caps.MinRest = -time.Minute }, codes: []string{"negative_cap"}},
		{name: "empty unavailability", edit: func(i *Interpreter) {
			i.Unavailable = []Interval{{Start: at(t, "2026-12-06T10:00:00Z"), End: at(t, "2026-12-06T10:00:00Z")}}
		}, codes: []string{"invalid_interval"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := ok
			it.Languages = slices.Clone(ok.Languages)
			tc.edit(&it)
			var codes []string
			for _, f := range it.Validate() {
				codes = append(codes, f.Code)
			}
			if !slices.Equal(codes, tc.codes) {
				t.Errorf("codes %v, want %v", codes, tc.codes)
			}
			err := it.ValidateErr()
			if (err == nil) != (len(tc.codes) == 0) {
				t.Fatalf("ValidateErr %v", err)
			}
			if err != nil && err.(*Error).ProblemCode() != CodeInvalidInterpreter {
				t.Errorf("problem code %q", err.(*Error).ProblemCode())
			}
		})
	}
	for _, p := range []Policy{AIIC(), UN()} {
		if fe := p.Validate(); fe != nil {
			t.Errorf("%s: %v", p.Name, fe)
		}
	}
	bad := Policy{Name: "custom", TeamSizes: []TeamSizeRule{{UpToMinutes: 60, Size: 1}, {UpToMinutes: 30, Size: 2}}, MaxSessionMinutes: 180}
	var codes []string
	for _, f := range bad.Validate() {
		codes = append(codes, f.Code)
	}
	if want := []string{"solo_too_long", "not_ascending", "incomplete", "required"}; !slices.Equal(codes, want) {
		t.Errorf("custom policy codes %v, want %v", codes, want)
	}
	if err := bad.ValidateErr(); err == nil || err.(*Error).ProblemCode() != CodeInvalidPolicy {
		t.Errorf("ValidateErr %v", err)
	}
}
