package interpretation_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/tabular"
)

func TestParseLanguages(t *testing.T) {
	cases := []struct {
		in   string
		want []interp.LangSkill
		ok   bool
	}{
		{"fr-A en-B es-C", []interp.LangSkill{{Lang: "fr", Class: "A"}, {Lang: "en", Class: "B"}, {Lang: "es", Class: "C"}}, true},
		{"AR-A, FR-c;en-C", []interp.LangSkill{{Lang: "ar", Class: "A"}, {Lang: "fr", Class: "C"}, {Lang: "en", Class: "C"}}, true},
		{"  zh-A  ", []interp.LangSkill{{Lang: "zh", Class: "A"}}, true},
		{"", []interp.LangSkill{}, true},
		{"fr", nil, false},
		{"fr-A-B", nil, false},
		{"-A", nil, false},
	}
	for _, tc := range cases {
		got, err := interpretation.ParseLanguages(tc.in)
		if (err == nil) != tc.ok || (tc.ok && !slices.Equal(got, tc.want)) {
			t.Errorf("ParseLanguages(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// FuzzReadRoster: any body is read into rows or refused with a client problem, never a
// panic; a combination that parses is written back as it reads.
func FuzzReadRoster(f *testing.F) {
	for _, s := range []string{
		"\ufeffname;email;tz;languages;retour;working_hours\nÉlodie Dupré;elodie@example.fr;Europe/Paris;fr-A en-B es-C;yes;08:00-18:00\n",
		"name,email,languages,booth_minutes_per_day\n\"Rodríguez, María\",maria@example.org,es-A en-C,abc\n",
		"email,languages\nx@example.org,fr\n",
		"{\"name\":\"李娜\",\"email\":\"li@example.cn\",\"tz\":\"Asia/Shanghai\",\"languages\":[{\"lang\":\"zh\",\"class\":\"A\"}]}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		format, err := tabular.DetectFormat("", "", body)
		if err != nil {
			t.Fatal(err)
		}
		rows, _, err := interpretation.ReadRoster(format, body)
		if err != nil {
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Kind == problem.KindInternal {
				t.Fatalf("error %v is not a client problem", err)
			}
			return
		}
		if format != tabular.CSV {
			return // a JSON line's languages are the API's objects, not the roster's text
		}
		for _, r := range rows {
			if r.Input.Languages == nil {
				continue
			}
			again, err := interpretation.ParseLanguages(interpretation.FormatLanguages(r.Input.Languages))
			if err != nil || !slices.Equal(again, r.Input.Languages) {
				t.Fatalf("%v written as %q reads as %v, %v", r.Input.Languages, interpretation.FormatLanguages(r.Input.Languages), again, err)
			}
		}
	})
}
