// Package contact holds the one rule for the addresses and names of the people Plenary
// writes to (registrants, interpreters): what an email address may contain and how a name
// is normalised, so that every service refuses and repairs the same things. An address is
// refused rather than repaired (a repaired address could reach someone else); a name is
// repaired (it is only shown).
package contact

import (
	"net/mail"
	"strings"
	"unicode"
)

// MaxEmailLen is the longest address SMTP carries (RFC 5321's 254-octet path).
const MaxEmailLen = 254

// Email checks an address with net/mail and returns it trimmed, as typed (callers that
// compare addresses lower-case them). Refused: display names ("Ana <ana@example.org>"),
// lists, a domain without a dot, and any character a reader does not see (bidi controls,
// zero-width characters, soft hyphen, BOM, line breaks): such an address reads like
// another and must never reach a To: header.
func Email(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > MaxEmailLen || strings.ContainsAny(s, "<>\" ,;") || strings.ContainsFunc(s, Invisible) {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", false
	}
	return s, true
}

// Invisible reports the characters a reader does not see: controls, format characters
// (bidi controls, zero-width joiners, soft hyphen, BOM), line and paragraph separators,
// and the Hangul fillers that render as blanks.
func Invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) ||
		r == '\u115f' || r == '\u1160' || r == '\u3164' || r == '\uffa0'
}

// Name normalises a person's name for display and for mail headers: every run of white
// space (line breaks, tabs, U+2028, no-break spaces) becomes one space, the ends are
// trimmed, and invisible format characters are dropped (bidi embeddings, overrides,
// isolates and marks, which can make a name read as another or reorder the text around
// it; zero-width spaces, soft hyphens, BOMs, Hangul fillers), except the zero-width
// joiner and non-joiner, which shape letters in Persian, Arabic and Indic names. It
// reports false when a control character (NUL, BEL...) is left: such a name is refused.
func Name(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u200c' || r == '\u200d':
			return r
		case unicode.Is(unicode.Cf, r) || r == '\u115f' || r == '\u1160' || r == '\u3164' || r == '\uffa0':
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return s, !strings.ContainsFunc(s, unicode.IsControl)
}
