package interp

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// ZoomMaxInterpreters is the most interpreters a Zoom meeting takes.
const ZoomMaxInterpreters = 20

// ZoomInterpreter is one entry of Zoom's interpreters list: languages is the legacy pair
// of Zoom country codes, source first ("US,FR"); interpreter_languages the same pair by
// Zoom's language names ("English,French").
type ZoomInterpreter struct {
	Email                string `json:"email"`
	Languages            string `json:"languages"`
	InterpreterLanguages string `json:"interpreter_languages"`
}

// WebexInterpreter is one entry of Webex's simultaneous interpretation list: a channel
// pair by ISO 639 codes (source, target) and one entry per email.
type WebexInterpreter struct {
	LanguageCode1 string `json:"languageCode1"`
	LanguageCode2 string `json:"languageCode2"`
	Email         string `json:"email"`
}

// zoomLanguage is one of Zoom's system interpretation languages: the country code the
// legacy languages field names it by and the name interpreter_languages takes. Zoom has
// nine (English, Chinese, Japanese, German, French, Russian, Portuguese, Spanish,
// Korean); any other language, Arabic included, is a custom language the Zoom account
// must define first, so the export refuses it rather than send what Zoom rejects.
type zoomLanguage struct{ country, name string }

var zoomLanguages = map[Lang]zoomLanguage{
	"en": {"US", "English"}, "zh": {"CN", "Chinese"}, "ja": {"JP", "Japanese"}, "de": {"DE", "German"},
	"fr": {"FR", "French"}, "ru": {"RU", "Russian"}, "pt": {"PT", "Portuguese"}, "es": {"ES", "Spanish"},
	"ko": {"KR", "Korean"},
}

// exportPair is the language pair a member is listed with on a platform, one per channel
// (booth) and the same for all its members: the booth's language and the language it
// works with, which is the channel it gives retour into when it works both ways (the AR
// booth into English), else the session's first floor language other than the booth.
// Zoom and Webex pairs work both ways, so one pair per channel carries the booth.
type exportPair struct {
	email    string
	src, dst Lang
}

func exportPairs(s Session, assignments []Assignment, pool []Interpreter) ([]exportPair, error) {
	people := map[string]*Interpreter{}
	for i := range pool {
		people[pool[i].ID] = &pool[i]
	}
	partner := map[Lang]Lang{}
	routesIn := Input{Sessions: []Session{s}, Pool: pool, Policy: Policy{RelayAllowed: true}}
	for _, r := range InferRoutes(routesIn, assignments) {
		if r.Mode == RouteRelay && r.From == r.Floor && r.Via != r.From {
			if _, ok := partner[r.From]; !ok || r.Via < partner[r.From] {
				partner[r.From] = r.Via
			}
		}
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
		src := partner[a.Booth]
		for _, f := range s.Floor {
			if src == "" && f != a.Booth {
				src = f
			}
		}
		if src == "" {
			return nil, &Error{Code: CodeExportNoSource, Message: fmt.Sprintf("export session %s: the %s booth has no floor language to interpret from", s.ID, a.Booth.Upper())}
		}
		out = append(out, exportPair{email: strings.ToLower(strings.TrimSpace(it.Email)), src: src, dst: a.Booth})
	}
	// A channel staffed by others is on the platform too: its interpreters (those with an
	// email) are listed on it, paired with the session's first floor language other than
	// the channel (how they work, retour or not, is their team's business).
	for _, c := range s.StaffedChannels {
		var src Lang
		for _, f := range s.Floor {
			if src == "" && f != c.Lang {
				src = f
			}
		}
		if src == "" {
			continue // its listeners hear the floor: no channel to open
		}
		for _, it := range c.Interpreters {
			if e := strings.ToLower(strings.TrimSpace(it.Email)); e != "" {
				out = append(out, exportPair{email: e, src: src, dst: c.Lang})
			}
		}
	}
	slices.SortFunc(out, func(x, y exportPair) int {
		return cmp.Or(cmp.Compare(x.dst, y.dst), cmp.Compare(x.email, y.email), cmp.Compare(x.src, y.src))
	})
	return slices.Compact(out), nil
}

// ZoomInterpreters lists a session's interpreters in the shape of Zoom's meeting settings
// (interpreters: [{email, languages, interpreter_languages}]). It fails with
// zoom_too_many_interpreters beyond 20 entries and zoom_unsupported_language for a
// language that is not one of Zoom's system languages (a custom language is the
// account's to define).
func ZoomInterpreters(s Session, assignments []Assignment, pool []Interpreter) ([]ZoomInterpreter, error) {
	pairs, err := exportPairs(s, assignments, pool)
	if err != nil {
		return nil, err
	}
	out := make([]ZoomInterpreter, 0, len(pairs))
	for _, p := range pairs {
		a, okA := zoomLanguages[p.src]
		b, okB := zoomLanguages[p.dst]
		if !okA || !okB {
			bad := p.src
			if okA {
				bad = p.dst
			}
			return nil, &Error{Code: CodeZoomUnsupportedLang, Message: fmt.Sprintf(
				"export session %s to Zoom: %q is not one of Zoom's nine system interpretation languages (en, zh, ja, de, fr, ru, pt, es, ko); add it as a custom interpretation language in the Zoom account and set that channel there, or export to Webex", s.ID, bad)}
		}
		out = append(out, ZoomInterpreter{Email: p.email, Languages: a.country + "," + b.country, InterpreterLanguages: a.name + "," + b.name})
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
