package i18n

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

// Every message is written in every language, with the same verbs as the English one: a
// missing language would print English in the middle of a French page, a missing verb
// would drop a value.
func TestCatalogueIsComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%(\[\d\])?[sd]`)
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, v := range verbs.FindAllString(s, -1) {
			m[strings.Replace(v, "%[1]", "%", 1)]++
		}
		return m
	}
	for _, set := range []map[string]map[language.Tag]any{emailMessages, assignmentMessages, pageMessages} {
		for key, byLang := range set {
			for _, tag := range Languages {
				msg, ok := byLang[tag]
				if !ok {
					t.Errorf("%q has no %s text", key, tag)
					continue
				}
				if !Translated(tag, key) {
					t.Errorf("Translated(%s, %q) = false", tag, key)
				}
				s, isString := msg.(string)
				en, enString := byLang[language.English].(string)
				if isString && enString && fmt.Sprint(count(s)) != fmt.Sprint(count(en)) {
					t.Errorf("%q in %s has verbs %v, English %v", key, tag, count(s), count(en))
				}
				if got := Printer(tag).Sprintf(key, "x", "y"); got == key || got == "" {
					t.Errorf("%s: %q does not resolve", tag, key)
				}
			}
		}
	}
}

// The reader's language, per DOMAIN.md: locale, its base language, the meeting's
// default, English.
func TestChoose(t *testing.T) {
	for _, tc := range []struct {
		prefs []string
		want  string
	}{
		{[]string{"fr-CA", "en"}, "fr"},
		{[]string{"fr", "es"}, "fr"},
		{[]string{"es-MX", "fr"}, "es"},
		{[]string{"ar-EG", "en"}, "ar"},
		{[]string{"zh-Hans-CN", "en"}, "zh"},
		{[]string{"zh-CN", "en"}, "zh"},
		{[]string{"ru-RU", "en"}, "ru"},
		{[]string{"pt-BR", "ar"}, "pt"},
		{[]string{"pt-PT", "ar"}, "pt"},
		{[]string{"de-CH", "fr"}, "fr"}, // not written: the meeting's default
		{[]string{"de", "sw"}, "en"},    // neither: English
		{[]string{"", "es"}, "es"},
		{[]string{"not a tag!", ""}, "en"},
	} {
		if got := Choose(tc.prefs...).String(); got != tc.want {
			t.Errorf("Choose(%q) = %s, want %s", tc.prefs, got, tc.want)
		}
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"fr-CA,fr;q=0.9,en;q=0.8":   "fr",
		"de-DE,de;q=0.9,ar;q=0.5":   "ar", // German is not written: the next the reader accepts
		"en;q=0.2, ru;q=0.9":        "ru",
		"zh-TW,zh;q=0.9":            "zh",
		"de":                        "",
		"":                          "",
		"!!!":                       "",
		"pt-BR,pt;q=0.9,en-US;q=.8": "pt",
	} {
		if got := FromAcceptLanguage(header); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestDir(t *testing.T) {
	for lang, want := range map[string]string{"ar": "rtl", "ar-MA": "rtl", "fr": "ltr", "zh": "ltr", "ru": "ltr", "he": "rtl", "?": "ltr"} {
		if got := DirOf(lang); got != want {
			t.Errorf("DirOf(%s) = %s, want %s", lang, got, want)
		}
	}
}

func TestPick(t *testing.T) {
	title := map[string]string{"en": "Closing session", "fr-CA": "Séance de clôture", "es": "Sesión de clausura"}
	for _, tc := range []struct {
		locale, def string
		text, lang  string
		missing     bool
	}{
		{"fr-CA", "en", "Séance de clôture", "fr-CA", false},
		{"fr-FR", "en", "Séance de clôture", "fr-CA", false}, // a regional value serves its base language
		{"es-MX", "en", "Sesión de clausura", "es", false},
		{"ar", "es", "Sesión de clausura", "es", true}, // the meeting's default before English
		{"zh", "de", "Closing session", "en", true},
		{"", "en", "Closing session", "en", false},
	} {
		got := Pick(title, tc.locale, tc.def)
		if got.Text != tc.text || got.Lang != tc.lang || got.TranslationMissing != tc.missing {
			t.Errorf("Pick(%q, %q) = %+v, want %q in %s missing=%v", tc.locale, tc.def, got, tc.text, tc.lang, tc.missing)
		}
	}
	// Neither the reader's, the default nor English: the alphabetically first, whatever
	// the map's order.
	for range 20 {
		got := Pick(map[string]string{"ru": "Закрытие", "de": "Abschluss", "pt": "Encerramento"}, "ar", "fr")
		if got.Text != "Abschluss" || !got.TranslationMissing {
			t.Fatalf("got %+v", got)
		}
	}
	if got := Pick(nil, "fr", "en"); got.Text != "" || !got.TranslationMissing {
		t.Errorf("empty: %+v", got)
	}
}

// Plural forms follow CLDR's rules for each language (Russian one/few/many: 1, 21 час;
// 2-4, 22 часа; 5-20, 25 часов; Arabic two and few), not English's one/other.
func TestPlurals(t *testing.T) {
	for _, tc := range []struct {
		lang language.Tag
		n    int
		want string
	}{
		{ru, 1, "через час"},
		{ru, 21, "через 21 час"},
		{ru, 3, "через 3 часа"},
		{ru, 24, "через 24 часа"},
		{ru, 5, "через 5 часов"},
		{ru, 11, "через 11 часов"},
		{pt, 1, "em 1 hora"},
		{pt, 48, "em 48 horas"},
		{zh, 24, "24小时后"},
		{ar, 2, "بعد ساعتين"},
	} {
		if got := Printer(tc.lang).Sprintf("in.hours", tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

// Every staffing message is written in every language and names the same values as the
// English one: a missing language would put English in a French agenda, a missing value
// would drop the interpreter or the booth from the sentence.
func TestStaffingMessagesAreComplete(t *testing.T) {
	for _, key := range StaffingKeys() {
		want := fmt.Sprint(Placeholders(en, key))
		for _, tag := range Languages {
			if !HasStaffing(tag, key) {
				t.Errorf("%q has no %s text", key, tag)
				continue
			}
			if got := fmt.Sprint(Placeholders(tag, key)); got != want {
				t.Errorf("%q in %s names %s, English %s", key, tag, got, want)
			}
		}
	}
	if got := Staffing(fr, "team_size", map[string]string{"booth": "FR", "session": "s1", "have": "1", "policy": "AIIC", "need": "2"}); got !=
		"La cabine FR de la séance s1 compte 1 interprète(s) ; la politique AIIC en exige 2." {
		t.Errorf("French team_size: %q", got)
	}
}
