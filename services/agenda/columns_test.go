package agenda

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/plenary/plenary/contracts"
)

var columnSeeds = []string{
	`null`, `{}`, `[]`, ` { "en" : "Opening" , "fr":"Ouverture" } `, `{"en":"Opening","en":"Again"}`,
	`{"ar":"افتتاح الدورة","zh":"开幕"}`, `{"en":"Tab\there"}`, `{"en":"say \"hi\""}`, `{"en":"\u00e9"}`,
	`{"en":"x",}`, `{"en":1}`, `{"en":null}`, `{"en":"x"} trailing`, `{"en":"x"`, "{\"en\":\"\xff\"}", `"text"`,
	`["en","fr"]`, `[ "en" ]`, `["en",]`, `["en",null]`, `[1]`, `[[]]`,
	`[{"name":"H.E. Ms. Amina Diallo","affiliation":"Permanent Mission of Senegal","stakeholder_group":"Member States","regional_group":"African Group","language":"fr"}]`,
	`[{}]`, `[{"Name":"case"}]`, `[{"name":"a","name":"b"}]`, `[{"name":"a","extra":"x"}]`, `[{"name":"a"},]`, `[{"name":"a"} {"name":"b"}]`,
	`[{"name":"a\\b"}]`, `[null]`, `{"name":"not a list"}`,
}

// equalToJSON checks one decoder against encoding/json on raw: the same value, and an
// error exactly when encoding/json gives one.
func equalToJSON[T any](t *testing.T, raw string, fast func(string, *T) error) {
	t.Helper()
	var want, got T
	werr := json.Unmarshal([]byte(raw), &want)
	gerr := fast(raw, &got)
	if (werr == nil) != (gerr == nil) || (werr == nil && !reflect.DeepEqual(got, want)) {
		t.Fatalf("%q: got %#v (%v), encoding/json %#v (%v)", raw, got, gerr, want, werr)
	}
}

func TestColumnDecodersAreEncodingJSON(t *testing.T) {
	for _, raw := range columnSeeds {
		equalToJSON[contracts.Text](t, raw, decodeText)
		equalToJSON[[]string](t, raw, decodeStrings)
		equalToJSON[[]Speaker](t, raw, decodeSpeakers)
	}
}

func FuzzColumnDecoders(f *testing.F) {
	for _, raw := range columnSeeds {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		equalToJSON[contracts.Text](t, raw, decodeText)
		equalToJSON[[]string](t, raw, decodeStrings)
		equalToJSON[[]Speaker](t, raw, decodeSpeakers)
	})
}
