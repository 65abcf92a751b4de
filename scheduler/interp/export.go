package interp

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// ZoomMaxInterpreters is the most interpreters a Zoom meeting takes.
const ZoomMaxInterpreters = 20

// ZoomInterpreter is one entry of Zoom's interpreters list: languages is a pair of
// Zoom country codes, source first ("US,FR").
type ZoomInterpreter struct {
	Email     string `json:"email"`
	Languages string `json:"languages"`
}

// WebexInterpreter is one entry of Webex's simultaneous interpretation list: a channel
// pair by ISO 639 codes (source, target) and one entry per email.
type WebexInterpreter struct {
	LanguageCode1 string `json:"languageCode1"`
	LanguageCode2 string `json:"languageCode2"`
	Email         string `json:"email"`
}

// zoomCountry maps a language to the country code Zoom names it by. Zoom identifies
// interpretation languages by a country: English is US, Chinese CN, Japanese JP, Korean
// KR, Arabic SA (Saudi Arabia), Portuguese PT, and the others their main country. A
// language not listed cannot be exported to Zoom.
var zoomCountry = map[Lang]string{
	"ar": "SA", "de": "DE", "en": "US", "es": "ES", "fr": "FR", "it": "IT", "ja": "JP",
	"ko": "KR", "nl": "NL", "pt": "PT", "ru": "RU", "zh": "CN", "tr": "TR", "pl": "PL",
	"sv": "SE", "uk": "UA", "hi": "IN", "id": "ID", "vi": "VN", "th": "TH", "fa": "IR",
	"he": "IL", "el": "GR", "cs": "CZ", "ro": "RO", "hu": "HU", "fi": "FI", "da": "DK",
	"nb": "NO", "no": "NO", "sw": "KE", "ms": "MY", "bn": "BD", "ur": "PK",
}

// exportPair is the language pair a member is listed with on a platform: the session's
// first floor language other than the booth, into the booth. Zoom and Webex take one
// pair per interpreter; the other floor languages reach the booth the same way in the
// room (the platforms' channel is the booth's output).
type exportPair struct {
	email    string
	src, dst Lang
}

func exportPairs(s Session, assignments []Assignment, pool []Interpreter) ([]exportPair, error) {
	people := map[string]*Interpreter{}
	for i := range pool {
		people[pool[i].ID] = &pool[i]
	}
	var out []exportPair
	for _, a := range assignments {
		if a.SessionID != s.ID {
			continue
		}
		it, ok := people[a.InterpreterID]
		if !ok {
			return nil, &Error{Code: CodeExportUnknownPerson, Message: fmt.Sprintf("export session %s: interpreter %s is not in the pool", s.ID, a.InterpreterID)}
		}
		if strings.TrimSpace(it.Email) == "" {
			return nil, &Error{Code: CodeExportMissingEmail, Message: fmt.Sprintf("export session %s: interpreter %s has no email", s.ID, it.Name)}
		}
		var src Lang
		for _, f := range s.Floor {
			if f != a.Booth {
				src = f
				break
			}
		}
		if src == "" {
			return nil, &Error{Code: CodeExportNoSource, Message: fmt.Sprintf("export session %s: the %s booth has no floor language to interpret from", s.ID, a.Booth.Upper())}
		}
		out = append(out, exportPair{email: strings.ToLower(strings.TrimSpace(it.Email)), src: src, dst: a.Booth})
	}
	slices.SortFunc(out, func(x, y exportPair) int {
		return cmp.Or(cmp.Compare(x.dst, y.dst), cmp.Compare(x.email, y.email), cmp.Compare(x.src, y.src))
	})
	return slices.Compact(out), nil
}

// ZoomInterpreters lists a session's interpreters in the shape of Zoom's meeting settings
// (interpreters: [{email, languages}]). It fails with zoom_too_many_interpreters beyond 20
// entries and zoom_unsupported_language for a language Zoom has no code for.
func ZoomInterpreters(s Session, assignments []Assignment, pool []Interpreter) ([]ZoomInterpreter, error) {
	pairs, err := exportPairs(s, assignments, pool)
	if err != nil {
		return nil, err
	}
	out := make([]ZoomInterpreter, 0, len(pairs))
	for _, p := range pairs {
		a, okA := zoomCountry[p.src]
		b, okB := zoomCountry[p.dst]
		if !okA || !okB {
			bad := p.src
			if okA {
				bad = p.dst
			}
			return nil, &Error{Code: CodeZoomUnsupportedLang, Message: fmt.Sprintf("export session %s to Zoom: no Zoom code for language %q", s.ID, bad)}
		}
		out = append(out, ZoomInterpreter{Email: p.email, Languages: a + "," + b})
	}
	if len(out) > ZoomMaxInterpreters {
		return nil, &Error{Code: CodeZoomTooMany, Message: fmt.Sprintf("export session %s to Zoom: %d interpreters, Zoom takes at most %d", s.ID, len(out), ZoomMaxInterpreters)}
	}
	return out, nil
}

// WebexInterpreters lists a session's interpreters in the shape Webex takes: ISO 639
// codes, one entry per email. The same email with two different pairs fails with
// webex_conflicting_email; identical duplicates are merged.
func WebexInterpreters(s Session, assignments []Assignment, pool []Interpreter) ([]WebexInterpreter, error) {
	pairs, err := exportPairs(s, assignments, pool)
	if err != nil {
		return nil, err
	}
	byEmail := map[string]exportPair{}
	out := make([]WebexInterpreter, 0, len(pairs))
	for _, p := range pairs {
		if prev, ok := byEmail[p.email]; ok {
			if prev != p {
				return nil, &Error{Code: CodeWebexConflictingEmail, Message: fmt.Sprintf("export session %s to Webex: %s is listed for %s-%s and %s-%s; Webex takes one pair per email",
					s.ID, p.email, prev.src, prev.dst, p.src, p.dst)}
			}
			continue
		}
		byEmail[p.email] = p
		out = append(out, WebexInterpreter{LanguageCode1: string(p.src), LanguageCode2: string(p.dst), Email: p.email})
	}
	return out, nil
}
