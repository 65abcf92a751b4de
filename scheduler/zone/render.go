package zone

import (
	"fmt"
	"sync"
	"time"

	"github.com/go-playground/locales"
	"github.com/go-playground/locales/ar"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/es"
	"github.com/go-playground/locales/fr"
	"github.com/go-playground/locales/pt"
	"github.com/go-playground/locales/ru"
	"github.com/go-playground/locales/zh"
	"golang.org/x/text/language"
)

// Rendering is an instant shown in one zone, in one language. Date and Time are the
// machine-readable local date and 24-hour time; the other texts are written as CLDR says
// for the reader's locale (its clock, day periods, digits and -u-hc / -u-nu keywords).
type Rendering struct {
	Zone         string    `json:"zone"`
	Instant      time.Time `json:"instant"`   // UTC
	Date         string    `json:"date"`      // 2022-12-06, local
	Time         string    `json:"time"`      // 16:30, local, 24-hour
	TimeText     string    `json:"time_text"` // the local time as the locale writes it: "4:30 PM", "16 h 30"
	Offset       string    `json:"offset"`    // +01:00
	Abbrev       string    `json:"abbreviation,omitempty"`
	Lang         string    `json:"lang"`      // the locale used: the requested one (fr-CA, ar-EG) when Plenary renders its language, else en
	Weekday      string    `json:"weekday"`   // localized
	LongDate     string    `json:"long_date"` // "mardi 6 décembre 2022"
	Text         string    `json:"text"`      // "mardi 6 décembre 2022 à 16:30 (UTC+01:00)"
	Short        string    `json:"short"`     // "mar. 6 déc., 16:30"
	DayShift     int       `json:"day_shift"` // local date minus the venue's local date, in days
	DayShiftText string    `json:"day_shift_text,omitempty"`
	Findings     []Finding `json:"findings,omitempty"`
}

// renderLang is one language Plenary renders in: its plural rules and the forms of "day".
type renderLang struct {
	tag   language.Tag
	tr    locales.Translator
	day   map[locales.PluralRule]string
	space string // between number and word
}

var languages = []renderLang{
	{language.English, en.New(), map[locales.PluralRule]string{locales.PluralRuleOne: "day", locales.PluralRuleOther: "days"}, " "},
	{language.French, fr.New(), map[locales.PluralRule]string{locales.PluralRuleOne: "jour", locales.PluralRuleOther: "jours"}, " "},
	{language.Spanish, es.New(), map[locales.PluralRule]string{locales.PluralRuleOne: "día", locales.PluralRuleOther: "días"}, " "},
	{language.Arabic, ar.New(), map[locales.PluralRule]string{locales.PluralRuleZero: "يوم", locales.PluralRuleOne: "يوم", locales.PluralRuleTwo: "يومان",
		locales.PluralRuleFew: "أيام", locales.PluralRuleMany: "يومًا", locales.PluralRuleOther: "يوم"}, " "},
	{language.Russian, ru.New(), map[locales.PluralRule]string{locales.PluralRuleOne: "день", locales.PluralRuleFew: "дня", locales.PluralRuleMany: "дней", locales.PluralRuleOther: "дня"}, " "},
	{language.Portuguese, pt.New(), map[locales.PluralRule]string{locales.PluralRuleOne: "dia", locales.PluralRuleOther: "dias"}, " "},
	{language.Chinese, zh.New(), map[locales.PluralRule]string{locales.PluralRuleOther: "天"}, ""},
}

// locale is how one requested locale is rendered: the language's words for day shifts and
// the CLDR date data of the closest CLDR locale.
type locale struct {
	*renderLang
	dates dateLocale
	name  string // the locale reported as used: "fr-CA", "ar-EG", or "en" for a language Plenary does not render
}

var localeCache sync.Map // requested lang -> locale

// Languages lists the languages Plenary renders times in; others are written in English.
func Languages() []string {
	out := make([]string, len(languages))
	for i, l := range languages {
		out[i] = l.tag.String()
	}
	return out
}

func lookup(lang string) locale {
	if v, ok := localeCache.Load(lang); ok {
		return v.(locale)
	}
	tag, err := language.Parse(lang)
	if err != nil || len(lang) > 64 {
		tag = language.English
	}
	base, _ := tag.Base()
	l := locale{renderLang: &languages[0], name: "en"}
	for i := range languages {
		if b, _ := languages[i].tag.Base(); b == base {
			l.renderLang, l.name = &languages[i], tag.String()
			break
		}
	}
	if l.name == "en" {
		// Another language is written in English; its -u-hc / -u-nu keywords still apply.
		tag, _ = language.English.SetTypeForKey("hc", tag.TypeForKey("hc"))
		tag, _ = tag.SetTypeForKey("nu", tag.TypeForKey("nu"))
	}
	l.dates = dateLocaleFor(tag.String())
	if len(lang) <= 64 {
		localeCache.Store(lang, l)
	}
	return l
}

// Render shows t in loc for a reader of lang, with the day shift against the venue's
// local date (venue may be nil).
func Render(t time.Time, loc *time.Location, lang string, venue *time.Location) Rendering {
	if loc == nil {
		loc = time.UTC
	}
	l := lookup(lang)
	lt := t.In(loc)
	_, off := lt.Zone()
	r := Rendering{
		Zone:     loc.String(),
		Instant:  t.UTC(),
		Date:     lt.Format("2006-01-02"),
		Time:     lt.Format("15:04"),
		TimeText: l.dates.time(lt),
		Offset:   FormatOffset(off),
		Abbrev:   abbrevAt(loc, t),
		Lang:     l.name,
	}
	r.Weekday = l.dates.data.DaysWide[lt.Weekday()]
	r.LongDate = l.dates.date(lt)
	r.Text = l.longText(lt, off)
	r.Short = l.dates.short(lt)
	if venue != nil {
		r.DayShift = civilDays(lt) - civilDays(t.In(venue))
		r.DayShiftText = l.dayShift(r.DayShift)
	}
	return r
}

func civilDays(t time.Time) int {
	return int(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (l locale) longText(lt time.Time, off int) string {
	// The offset keeps Latin digits: it is a technical notation readers copy.
	return l.dates.dateTime(lt) + " (" + UTCLabel(off) + ")"
}

// dayShift writes "+1 day", "-1 jour", "+١ يوم" (in the locale's digits); "" for no shift.
func (l locale) dayShift(n int) string {
	if n == 0 {
		return ""
	}
	abs, sign := n, "+"
	if n < 0 {
		abs, sign = -n, "-"
	}
	word, ok := l.day[l.tr.CardinalPluralRule(float64(abs), 0)]
	if !ok {
		word = l.day[locales.PluralRuleOther]
	}
	return l.dates.localDigits(fmt.Sprintf("%s%d%s%s", sign, abs, l.space, word))
}

// FormatDateTime is the long one-line form used by emails and the API's text:
// "mardi 6 décembre 2022 à 16:30 (UTC+01:00)".
func FormatDateTime(t time.Time, loc *time.Location, lang string) string {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	_, off := lt.Zone()
	return lookup(lang).longText(lt, off)
}

// FormatTime is the local time alone as the locale writes it: "4:30 PM", "16 h 30".
func FormatTime(t time.Time, loc *time.Location, lang string) string {
	if loc == nil {
		loc = time.UTC
	}
	return lookup(lang).dates.time(t.In(loc))
}

// Convert renders t in each zone. A zone given as an abbreviation is named by it and
// carries a finding when the abbreviation is not in effect at t.
func Convert(t time.Time, zones []Zone, lang string, venue *time.Location) []Rendering {
	out := make([]Rendering, 0, len(zones))
	for _, z := range zones {
		r := Render(t, z.Location, lang, venue)
		if z.Name != "" {
			r.Zone = z.Name
		}
		if f := z.CheckAt(t); f != nil {
			r.Findings = append(r.Findings, *f)
		}
		out = append(out, r)
	}
	return out
}

// Brief is the part of Render that an agenda shows for each time: Zone, Offset, Abbrev,
// Lang, Text, DayShift and DayShiftText, each as Render writes it; the other fields are
// left empty. An agenda of 500 sessions renders thousands of times, and the dates,
// weekdays and short forms it does not show were most of their cost.
func Brief(t time.Time, loc *time.Location, lang string, venue *time.Location) Rendering {
	if loc == nil {
		loc = time.UTC
	}
	l := lookup(lang)
	lt := t.In(loc)
	_, off := lt.Zone()
	r := Rendering{Zone: loc.String(), Offset: FormatOffset(off), Abbrev: abbrevAt(loc, t), Lang: l.name, Text: l.longText(lt, off)}
	if venue != nil {
		r.DayShift = civilDays(lt) - civilDays(t.In(venue))
		r.DayShiftText = l.dayShift(r.DayShift)
	}
	return r
}
