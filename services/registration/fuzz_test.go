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

// TestValidEmailRefusesInvisibleCharacters: an address with a bidi control or an invisible
// character reads like another address, so it is refused rather than sent to.
func TestValidEmailRefusesInvisibleCharacters(t *testing.T) {
	for _, s := range []string{
		"a@example.org\u202e", "\u202ea@example.org", "amelie\u200b@example.ca", "a@exa\u00admple.org",
		"a@example.org\u2066", "a\u200d@example.org", "a\ufeff@example.org",
	} {
		if got, ok := registration.ValidEmail(s); ok {
			t.Errorf("ValidEmail(%q) = %q, true; want refused", s, got)
		}
	}
	if got, ok := registration.ValidEmail("Amelie.Tremblay@example.ca"); !ok || got != "amelie.tremblay@example.ca" {
		t.Errorf("a plain address: %q %v", got, ok)
	}
}
