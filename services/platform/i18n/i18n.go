// Package i18n is Plenary's one message catalogue and its one language choice, shared by
// the emails (notifier/render), the public and registrant pages (services/web) and the
// interpreter's assignment page. Every sentence is written in the seven languages Plenary
// speaks: the six UN languages (ar, zh, en, fr, ru, es) and Portuguese.
//
// The language of a reader follows DOMAIN.md: the locale (fr-CA), its base language (fr),
// the meeting's default language, then English. A multilingual title picks its value by
// the same chain and says when it is not in the reader's language, so a page or an email
// never mixes languages silently.
package i18n

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Languages Plenary writes in. English, first, is the last resort of every chain.
var Languages = []language.Tag{
	language.English, language.French, language.Spanish, language.Arabic,
	language.Chinese, language.Russian, language.Portuguese,
}

// Codes are the Languages as BCP 47 strings, in the same order.
func Codes() []string {
	out := make([]string, len(Languages))
	for i, t := range Languages {
		out[i] = t.String()
	}
	return out
}

var matcher = language.NewMatcher(Languages)

// supported returns the language Plenary writes for a tag when it is the tag's own
// language (fr for fr-CA, zh for zh-Hans-CN, pt for pt-BR), or false.
func supported(tag language.Tag) (language.Tag, bool) {
	_, i, conf := matcher.Match(tag)
	if conf < language.High {
		return language.Tag{}, false
	}
	return Languages[i], true
}

// Choose is the language of a reader: the first of prefs (a locale, then the meeting's
// default language) whose language Plenary writes, else English. Empty and malformed
// entries are skipped.
func Choose(prefs ...string) language.Tag {
	for _, p := range prefs {
		tag, err := language.Parse(strings.TrimSpace(p))
		if err != nil || tag == language.Und {
			continue
		}
		if t, ok := supported(tag); ok {
			return t
		}
	}
	return language.English
}

// FromAcceptLanguage is the first language of an Accept-Language header (by quality)
// that Plenary writes, or "" when none is.
func FromAcceptLanguage(header string) string {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return ""
	}
	for _, t := range tags {
		if s, ok := supported(t); ok {
			return s.String()
		}
	}
	return ""
}

// Dir is the writing direction of a language's usual script: "rtl" or "ltr".
func Dir(tag language.Tag) string {
	switch s, _ := tag.Script(); s.String() {
	case "Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg":
		return "rtl"
	}
	return "ltr"
}

// DirOf is Dir for a tag written as a string; "ltr" when it does not parse.
func DirOf(lang string) string {
	tag, err := language.Parse(lang)
	if err != nil {
		return "ltr"
	}
	return Dir(tag)
}

// Name is a language's name written in the language in: "français" for fr in fr,
// "French" for fr in en. It falls back to the tag itself.
func Name(of, in language.Tag) string {
	base, _ := of.Base()
	if n := display.Tags(in).Name(language.Make(base.String())); n != "" {
		return n
	}
	return of.String()
}

// SelfName is a language's name in itself ("français", "العربية", "中文"), for a
// language switcher.
func SelfName(tag language.Tag) string {
	if n := display.Self.Name(tag); n != "" {
		return n
	}
	return tag.String()
}

// Localized is a multilingual value picked for one reader.
type Localized struct {
	Text string `json:"text"`
	// Lang is the language the text is in (a key of the multilingual value).
	Lang string `json:"lang"`
	// TranslationMissing says the text is not in the reader's language.
	TranslationMissing bool `json:"translation_missing"`
	// Available are the languages the value has, sorted.
	Available []string `json:"available"`
}

// Pick chooses from a multilingual value (language -> text) for a reader of locale in a
// meeting whose default language is defaultLang. The chain: the exact locale (fr-CA), its
// base language (fr) or another regional form of it (fr-FR), the meeting's default, English,
// then the alphabetically first language, so that the answer never depends on map order.
func Pick(t map[string]string, locale, defaultLang string) Localized {
	keys := make([]string, 0, len(t))
	for k, v := range t {
		if v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := Localized{Available: keys}
	if len(keys) == 0 {
		out.TranslationMissing = true
		return out
	}
	parsed := make([]language.Tag, len(keys))
	for i, k := range keys {
		parsed[i], _ = parseTag(k)
	}
	exact := func(want string) int {
		w, err := parseTag(want)
		if err != nil || want == "" {
			return -1
		}
		for i, k := range keys {
			if k == want || parsed[i] == w {
				return i
			}
		}
		return -1
	}
	sameBase := func(want string) int {
		w, err := parseTag(want)
		if err != nil || want == "" {
			return -1
		}
		wb, _ := w.Base()
		for i := range keys {
			if b, _ := parsed[i].Base(); b == wb && parsed[i] != language.Und {
				return i
			}
		}
		return -1
	}
	chosen := -1
	for _, step := range []func() int{
		func() int { return exact(locale) },
		func() int { return exact(baseOf(locale)) },
		func() int { return sameBase(locale) },
		func() int { return exact(defaultLang) },
		func() int { return sameBase(defaultLang) },
		func() int { return exact("en") },
		func() int { return sameBase("en") },
	} {
		if chosen = step(); chosen >= 0 {
			break
		}
	}
	if chosen < 0 {
		chosen = 0
	}
	out.Text, out.Lang = t[keys[chosen]], keys[chosen]
	reader, err := parseTag(locale)
	if locale == "" || err != nil {
		reader = Choose(locale, defaultLang)
	}
	rb, _ := reader.Base()
	cb, _ := parsed[chosen].Base()
	out.TranslationMissing = rb != cb
	return out
}

func baseOf(locale string) string {
	tag, err := parseTag(locale)
	if err != nil {
		return ""
	}
	b, conf := tag.Base()
	if conf == language.No {
		return ""
	}
	return b.String()
}

var cat = func() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, set := range []map[string]map[language.Tag]any{emailMessages, assignmentMessages, pageMessages, offerMessages, secretariatMessages} {
		for key, byLang := range set {
			for tag, msg := range byLang {
				var err error
				switch m := msg.(type) {
				case string:
					err = b.SetString(tag, key, m)
				case catalog.Message:
					err = b.Set(tag, key, m)
				}
				if err != nil {
					panic("i18n: message " + key + ": " + err.Error()) // the catalogue is source code
				}
			}
		}
	}
	return b
}()

// Printer prints the catalogue's messages in tag (one of Languages); a key the language
// lacks prints in English, a whole sentence, never a mix (TestCatalogueIsComplete keeps
// every language complete).
func Printer(tag language.Tag) *message.Printer {
	return message.NewPrinter(tag, message.Catalog(cat))
}

// Keys lists every message key, sorted (for tests and previews).
func Keys() []string {
	var out []string
	for _, set := range []map[string]map[language.Tag]any{emailMessages, assignmentMessages, pageMessages, offerMessages, secretariatMessages} {
		for k := range set {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Translated reports whether key is written in tag (rather than falling back to English).
func Translated(tag language.Tag, key string) bool {
	for _, set := range []map[string]map[language.Tag]any{emailMessages, assignmentMessages, pageMessages, offerMessages, secretariatMessages} {
		if byLang, ok := set[key]; ok {
			_, ok := byLang[tag]
			return ok
		}
	}
	return false
}

// parsedTags memoizes language.Parse for Pick, which an agenda of 500 sessions calls
// thousands of times with the same few tags (titles' keys, the reader's locale). Bounded:
// the tags come from requests and stored values.
var (
	parsedTags sync.Map // string -> parsedTag
	nparsed    atomic.Int64
)

type parsedTag struct {
	tag language.Tag
	err error
}

const maxParsedTags = 4096

func parseTag(s string) (language.Tag, error) {
	if v, ok := parsedTags.Load(s); ok {
		p := v.(parsedTag)
		return p.tag, p.err
	}
	tag, err := language.Parse(s)
	if len(s) <= 64 {
		if nparsed.Add(1) > maxParsedTags {
			parsedTags.Clear()
			nparsed.Store(1)
		}
		parsedTags.Store(s, parsedTag{tag: tag, err: err})
	}
	return tag, err
}
