package contact

import "testing"

func TestEmail(t *testing.T) {
	for in, want := range map[string]string{
		"ana@example.org":                     "ana@example.org",
		"  Ana.Ruiz@Example.ORG ":             "Ana.Ruiz@Example.ORG",
		"tomás@ejemplo.es":                    "tomás@ejemplo.es",
		"a@example.org\u202e":                 "", // right-to-left override
		"a\u200b@example.org":                 "", // zero-width space
		"a\u00ad@example.org":                 "", // soft hyphen
		"\ufeffa@example.org":                 "", // byte-order mark
		"a@exam\u2066ple.org":                 "", // left-to-right isolate
		"a@example.org\r\nBcc: v@example.org": "",
		"a@exa\u2028mple.org":                 "",
		"a@example.org\u2028":                 "a@example.org", // trimmed like any white space
		"Ana <ana@example.org>":               "",
		"a@b.org, c@d.org":                    "",
		"a@localhost":                         "",
		"":                                    "",
		"ana@":                                "",
	} {
		got, ok := Email(in)
		if got != want || ok != (want != "") {
			t.Errorf("Email(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestName(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"Ana Ruiz", "Ana Ruiz", true},
		{"  Ana\r\nBcc: v@example.org ", "Ana Bcc: v@example.org", true},
		{"Ana\tRuiz\u2028López", "Ana Ruiz López", true},
		{"Ana\u00a0Ruiz", "Ana Ruiz", true},
		{"\u202eziuR anA", "ziuR anA", true},           // an override would show "Ana Ruiz"
		{"Ana\u2067 Ruiz\u2069", "Ana Ruiz", true},     // isolates
		{"\u200fمحمد\u200e Ali", "محمد Ali", true},     // bidi marks
		{"Ana\u200bRuiz\u00ad\ufeff", "AnaRuiz", true}, // zero-width space, soft hyphen, BOM
		{"مهر\u200cناز", "مهر\u200cناز", true},         // Persian: the non-joiner shapes the letters
		{"\u3164", "", true},                           // a Hangul filler is no name
		{"Ana\x00Ruiz", "Ana\x00Ruiz", false},
		{"Ana\x07", "Ana\x07", false},
	} {
		got, ok := Name(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Name(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
