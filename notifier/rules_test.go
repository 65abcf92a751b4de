package notifier_test

import (
	"testing"
	"time"

	"github.com/plenary/plenary/notifier"
)

func TestParseRules(t *testing.T) {
	got, err := notifier.ParseRules("registrant:24h, registrant:1h,interpreter:48h")
	if err != nil || len(got) != 3 || got[1].Before != time.Hour || got[2].Audience != notifier.Interpreters {
		t.Fatalf("%+v %v", got, err)
	}
	for _, bad := range []string{"registrant", "speaker:1h", "registrant:soon", "registrant:30s", "registrant:1h,registrant:60m", "interpreter:-1h",
		"registrant:24h,registrant:1440m"} {
		if _, err := notifier.ParseRules(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got, err := notifier.ParseRules(""); err != nil || len(got) != 0 {
		t.Errorf("empty: %v %v", got, err)
	}
}

// TestRuleNames: a rule is named by its lead time as people write it. The expected names
// are the (a 668h30m rule was named "668h3"; rules echoed as "24h0m0s").
func TestRuleNames(t *testing.T) {
	tests := []struct{ in, name string }{
		{"668h30m", "668h30m"},
		{"24h", "24h"},
		{"1440m", "24h"},
		{"90m", "1h30m"},
		{"1h30m", "1h30m"},
		{"30m", "30m"},
		{"1m", "1m"},
		{"1h0m0s", "1h"},
		{"2h10m", "2h10m"},
		{"1h30m45s", "1h30m"}, // truncated to the minute
		{"1440h", "1440h"},
	}
	for _, tt := range tests {
		rs, err := notifier.ParseRules("registrant:" + tt.in)
		if err != nil || len(rs) != 1 || rs[0].Name != tt.name {
			t.Errorf("rule %q named %+v (%v), want %q", tt.in, rs, err, tt.name)
		}
	}
}

// TestFormatLeadRoundTrips: every lead time ParseRules accepts (1 minute to 60 days, by the
// minute) is written so that the parser, and Go's own time.ParseDuration, read it back.
func TestFormatLeadRoundTrips(t *testing.T) {
	for m := 1; m <= 60*24*60; m++ {
		d := time.Duration(m) * time.Minute
		s := notifier.FormatLead(d)
		back, err := time.ParseDuration(s)
		if err != nil || back != d {
			t.Fatalf("FormatLead(%v) = %q, read back as %v (%v)", d, s, back, err)
		}
		rs, err := notifier.ParseRules("interpreter:" + s)
		if err != nil || rs[0].Before != d || rs[0].Name != s {
			t.Fatalf("ParseRules(%q) = %+v, %v", s, rs, err)
		}
	}
}

func FuzzParseRules(f *testing.F) {
	for _, s := range []string{"registrant:24h,registrant:1h,interpreter:48h", "interpreter:90m", ":", ",,", "registrant:1h30m", "registrant:668h30m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rules, err := notifier.ParseRules(s)
		if err != nil {
			return
		}
		for _, r := range rules {
			if r.Before < time.Minute || (r.Audience != notifier.Registrants && r.Audience != notifier.Interpreters) {
				t.Fatalf("%q gave %+v", s, r)
			}
			// The name is the lead time, and reads back to it.
			if back, err := time.ParseDuration(r.Name); err != nil || back != r.Before || notifier.FormatLead(r.Before) != r.Name {
				t.Fatalf("%q: rule %+v is named %q, which reads back as %v (%v)", s, r, r.Name, back, err)
			}
		}
	})
}
