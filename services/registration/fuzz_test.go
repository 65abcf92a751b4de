package registration_test

import (
	"net/mail"
	"strings"
	"testing"

	"github.com/plenary/plenary/services/registration"
)

func FuzzValidEmail(f *testing.F) {
	for _, s := range []string{"ana@example.org", "Ana <ana@example.org>", "a@b", "\"x y\"@example.org", "a@example.org\r\nBcc: x@y.z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := registration.ValidEmail(s)
		if !ok {
			return
		}
		if got != strings.ToLower(got) || strings.ContainsAny(got, "\r\n<> ,;\"") {
			t.Fatalf("%q accepted as %q", s, got)
		}
		if a, err := mail.ParseAddress(got); err != nil || a.Address != got {
			t.Fatalf("%q accepted as %q, which does not parse back: %v", s, got, err)
		}
	})
}

func FuzzValidLocale(f *testing.F) {
	for _, s := range []string{"fr-CA", "ar", "en", "zh-Hant-TW", "x", "und", "fr_CA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := registration.ValidLocale(s)
		if !ok {
			return
		}
		if again, ok := registration.ValidLocale(got); !ok || again != got {
			t.Fatalf("%q -> %q is not canonical (%q, %v)", s, got, again, ok)
		}
	})
}
