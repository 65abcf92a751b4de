package zone

import (
	"fmt"
	"strconv"
	"strings"
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
	"golang.org/x/text/message"
)

// Rendering is an instant shown in one zone, in one language.
type Rendering struct {
	Zone         string    `json:"zone"`
	Instant      time.Time `json:"instant"` // UTC
	Date         string    `json:"date"`    // 2022-12-06, local
	Time         string    `json:"time"`    // 16:30, local
	Offset       string    `json:"offset"`  // +01:00
	Abbrev       string    `json:"abbreviation,omitempty"`
	Lang         string    `json:"lang"`      // the language used after matching (en, fr ...)
	Weekday      string    `json:"weekday"`   // localized
	LongDate     string    `json:"long_date"` // "mardi 6 décembre 2022"
	Text         string    `json:"text"`      // "mardi 6 décembre 2022, 16:30 (UTC+01:00)"
	Short        string    `json:"short"`     // "16:30 mar. 6 déc."
	DayShift     int       `json:"day_shift"` // local date minus the venue's local date, in days
	DayShiftText string    `json:"day_shift_text,omitempty"`
	Findings     []Finding `json:"findings,omitempty"`
}

// renderLang is one language Plenary renders in: CLDR names and the plural forms of "day".
type renderLang struct {
	tag      language.Tag
	tr       locales.Translator
	dateTime string // joins long date and time
	day      map[locales.PluralRule]string
	space    string // between number and word
}

var languages = []renderLang{
	{language.English, en.New(), ", ", map[locales.PluralRule]string{locales.PluralRuleOne: "day", locales.PluralRuleOther: "days"}, " "},
	{language.French, fr.New(), ", ", map[locales.PluralRule]string{locales.PluralRuleOne: "jour", locales.PluralRuleOther: "jours"}, " "},
	{language.Spanish, es.New(), ", ", map[locales.PluralRule]string{locales.PluralRuleOne: "día", locales.PluralRuleOther: "días"}, " "},
	{language.Arabic, ar.New(), "، ", map[locales.PluralRule]string{locales.PluralRuleZero: "يوم", locales.PluralRuleOne: "يوم", locales.PluralRuleTwo: "يومان",
		locales.PluralRuleFew: "أيام", locales.PluralRuleMany: "يومًا", locales.PluralRuleOther: "يوم"}, " "},
	{language.Russian, ru.New(), ", ", map[locales.PluralRule]string{locales.PluralRuleOne: "день", locales.PluralRuleFew: "дня", locales.PluralRuleMany: "дней", locales.PluralRuleOther: "дня"}, " "},
	{language.Portuguese, pt.New(), ", ", map[locales.PluralRule]string{locales.PluralRuleOne: "dia", locales.PluralRuleOther: "dias"}, " "},
	{language.Chinese, zh.New(), " ", map[locales.PluralRule]string{locales.PluralRuleOther: "天"}, ""},
}

var matcher = func() language.Matcher {
	tags := make([]language.Tag, len(languages))
	for i, l := range languages {
		tags[i] = l.tag
	}
	return language.NewMatcher(tags)
}()

// locale is a matched language plus the digits the requested locale asks for.
type locale struct {
	*renderLang
	zero rune // '0', or e.g. '٠' where the locale uses Arabic-Indic digits
}

var localeCache sync.Map // requested lang -> locale

// Languages lists the languages Plenary renders times in; others fall back by matching.
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
	_, i, conf := matcher.Match(tag)
	if conf == language.No {
		i = 0
	}
	l := locale{renderLang: &languages[i], zero: '0'}
	// The numbering system comes from CLDR via x/text: "ar" uses Arabic-Indic digits,
	// "ar-MA" or "ar-u-nu-latn" Latin ones.
	if d := []rune(message.NewPrinter(tag).Sprintf("%d", 0)); len(d) == 1 && d[0] != '0' && i != 0 {
		l.zero = d[0]
	}
	if len(lang) <= 64 {
		localeCache.Store(lang, l)
	}
	return l
}

func (l locale) digits(s string) string {
	if l.zero == '0' {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return l.zero + (r - '0')
		}
		return r
	}, s)
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
		Zone:    loc.String(),
		Instant: t.UTC(),
		Date:    lt.Format("2006-01-02"),
		Time:    lt.Format("15:04"),
		Offset:  FormatOffset(off),
		Abbrev:  abbrevAt(loc, t),
		Lang:    l.tag.String(),
	}
	r.Weekday = l.tr.WeekdayWide(lt.Weekday())
	r.LongDate = l.digits(l.tr.FmtDateFull(lt))
	r.Text = l.longText(lt, off)
	r.Short = l.short(lt)
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
	return l.digits(l.tr.FmtDateFull(lt)+l.dateTime+lt.Format("15:04")) + " (" + UTCLabel(off) + ")"
}

func (l locale) short(lt time.Time) string {
	if l.tag == language.Chinese {
		return l.digits(lt.Format("15:04") + " " + strconv.Itoa(int(lt.Month())) + "月" + strconv.Itoa(lt.Day()) + "日" + l.tr.WeekdayAbbreviated(lt.Weekday()))
	}
	return l.digits(lt.Format("15:04") + " " + l.tr.WeekdayAbbreviated(lt.Weekday()) + " " + strconv.Itoa(lt.Day()) + " " + l.tr.MonthAbbreviated(lt.Month()))
}

// dayShift writes "+1 day", "-1 jour", "+١ يوم"; "" for no shift.
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
	return l.digits(fmt.Sprintf("%s%d%s%s", sign, abs, l.space, word))
}

// FormatDateTime is the long one-line form used by emails:
// "mardi 6 décembre 2022, 16:30 (UTC+01:00)".
func FormatDateTime(t time.Time, loc *time.Location, lang string) string {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	_, off := lt.Zone()
	return lookup(lang).longText(lt, off)
}

// FormatTime is the local time alone, "16:30", in the locale's digits.
func FormatTime(t time.Time, loc *time.Location, lang string) string {
	if loc == nil {
		loc = time.UTC
	}
	return lookup(lang).digits(t.In(loc).Format("15:04"))
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
