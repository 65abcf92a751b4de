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
	for _, bad := range []string{"registrant", "speaker:1h", "registrant:soon", "registrant:30s", "registrant:1h,registrant:60m", "interpreter:-1h"} {
		if _, err := notifier.ParseRules(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got, err := notifier.ParseRules(""); err != nil || len(got) != 0 {
		t.Errorf("empty: %v %v", got, err)
	}
}

func FuzzParseRules(f *testing.F) {
	for _, s := range []string{"registrant:24h,registrant:1h,interpreter:48h", "interpreter:90m", ":", ",,", "registrant:1h30m"} {
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
		}
	})
}
