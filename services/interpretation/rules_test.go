package interpretation

import (
	"testing"

	"github.com/plenary/plenary/services/platform/problem"
)

func TestParseClock(t *testing.T) {
	cases := []struct {
		in   string
		want int
		ok   bool
	}{
		{"08:00", 480, true}, {"00:00", 0, true}, {"24:00", 1440, true}, {"19:45", 1185, true},
		{"24:01", 0, false}, {"8:00", 0, false}, {"08:60", 0, false}, {"25:00", 0, false},
		{"-1:00", 0, false}, {"+1:00", 0, false}, {"-0:00", 0, false}, {"08-00", 0, false}, {"", 0, false}, {"08:0a", 0, false},
	}
	for _, c := range cases {
		got, ok := parseClock(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseClock(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"08:00", "24:00", "23:59", "+1:00", "0x:10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, ok := parseClock(s)
		if !ok {
			return
		}
		if m < 0 || m > 1440 || formatClock(m) != s {
			t.Fatalf("parseClock(%q) = %d, which formats as %q", s, m, formatClock(m))
		}
	})
}

func TestTransitions(t *testing.T) {
	states := []string{StateProposed, StateOffered, StateAccepted, StateDeclined, StateWithdrawn}
	allowed := map[[2]string]bool{
		{StateProposed, StateOffered}: true, {StateProposed, StateWithdrawn}: true,
		{StateOffered, StateAccepted}: true, {StateOffered, StateDeclined}: true, {StateOffered, StateWithdrawn}: true,
		{StateAccepted, StateWithdrawn}: true,
	}
	for _, from := range states {
		for _, to := range states {
			err := checkTransition("a1", from, to)
			if allowed[[2]string{from, to}] {
				if err != nil {
					t.Errorf("%s -> %s refused: %v", from, to, err)
				}
				continue
			}
			if pe := problem.From(err); err == nil || pe.Kind != problem.KindConflict || pe.Code != "invalid_transition" {
				t.Errorf("%s -> %s: %v, want 409 invalid_transition", from, to, err)
			}
		}
	}
	if pe := problem.From(checkTransition("a1", StateOffered, "maybe")); pe.Kind != problem.KindUnprocessable {
		t.Errorf("unknown state: %v", pe)
	}
}

func TestValidRole(t *testing.T) {
	for r, want := range map[string]bool{
		"interpreter": true, "retour": true, "retour+relay_giver": true, "relay_giver+relay_taker": true,
		"": false, "boss": false, "retour+": false, "interpreter+retour": false,
	} {
		if validRole(r) != want {
			t.Errorf("validRole(%q) = %v, want %v", r, !want, want)
		}
	}
}
