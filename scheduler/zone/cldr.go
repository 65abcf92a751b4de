package zone

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// cldrLocale is what CLDR says about writing Gregorian dates in one locale, for the few
// forms Plenary uses; cldr_data.go is generated from the CLDR JSON (see cldrgen/gen.mjs).
// Weekdays run from Sunday, months from January.
type cldrLocale struct {
	DateFull       string // dateFormats/full: "EEEE d MMMM y"
	TimeShort      string // timeFormats/short: "HH 'h' mm"
	AtTimeFull     string // dateTimeFormats-atTime/standard/full: "{1} 'à' {0}"
	DateTimeMedium string // dateTimeFormats-atTime/standard/medium, joins the short forms (as ICU does)
	MMMEd          string // availableFormats: weekday, day and month, abbreviated
	Hm, HmTwelve   string // availableFormats Hm and hm: the time on a 24- and a 12-hour clock

	DaysWide, DaysAbbr, DaysStandAbbr                        [7]string
	MonthsWide, MonthsAbbr, MonthsStandWide, MonthsStandAbbr [12]string
	AM, PM                                                   string
	Periods                                                  []dayPeriod // flexible day periods, for "B"
	Numbering                                                string      // default numbering system: "latn", "arab" ...
}

// dayPeriod is a flexible day period ("in the morning"): from and before are minutes
// after midnight.
type dayPeriod struct {
	from, before int
	name         string
}

// dateLocale is a requested locale resolved against CLDR: the data of the closest CLDR
// locale, the digits (a -u-nu keyword wins over the locale's default) and the hour cycle
// a -u-hc keyword asks for.
type dateLocale struct {
	id     string // the CLDR locale whose data is used, e.g. "fr-CA", "es-419"
	data   *cldrLocale
	nu     string // the numbering system: "latn", "arab" ...
	digits []rune // nil for Latin digits
	hc     string // "", or "h11", "h12", "h23", "h24"
}

// resolveCLDR finds the CLDR locale for tag the way CLDR's lookup does: the most specific
// of language-script-region, language-region, language-script, language that CLDR has
// (zh-TW is zh-Hant-TW, so it gets zh-Hant). ok is false when CLDR has nothing for the
// language among those Plenary renders.
func resolveCLDR(tag language.Tag) (dateLocale, bool) {
	base, _ := tag.Base()
	script, _ := tag.Script()
	region, rconf := tag.Region()
	def, _ := language.Make(base.String()).Script()
	b, s := base.String(), script.String()
	var cands []string
	if rconf == language.Exact {
		r := region.String()
		cands = append(cands, b+"-"+s+"-"+r)
		if script == def {
			cands = append(cands, b+"-"+r)
		}
	}
	if script != def {
		cands = append(cands, b+"-"+s)
	}
	cands = append(cands, b)
	for _, id := range cands {
		if data, ok := cldrLocales[id]; ok {
			l := dateLocale{id: id, data: data}
			nu := data.Numbering
			if v := tag.TypeForKey("nu"); v != "" {
				if _, ok := cldrDigits[v]; ok {
					nu = v
				}
			}
			l.nu = nu
			if nu != "latn" {
				l.digits = []rune(cldrDigits[nu])
			}
			switch v := tag.TypeForKey("hc"); v {
			case "h11", "h12", "h23", "h24":
				l.hc = v
			}
			return l, true
		}
	}
	return dateLocale{}, false
}

// hourLetters are the CLDR pattern letters of the four hour cycles.
var hourLetters = map[string]rune{"h11": 'K', "h12": 'h', "h23": 'H', "h24": 'k'}

func hourLetter(pattern string) rune {
	inQuote := false
	for _, r := range pattern {
		switch {
		case r == '\'':
			inQuote = !inQuote
		case !inQuote && (r == 'h' || r == 'H' || r == 'K' || r == 'k'):
			return r
		}
	}
	return 0
}

// timePattern is the locale's short time, on the hour cycle a -u-hc keyword asks for:
// CLDR's pattern for that clock (Hm or hm) with the hour letter of the cycle.
func (l dateLocale) timePattern() string {
	p := l.data.TimeShort
	if l.hc == "" {
		return p
	}
	want := hourLetters[l.hc]
	if hourLetter(p) == want {
		return p
	}
	p = l.data.Hm
	if want == 'h' || want == 'K' {
		p = l.data.HmTwelve
	}
	return replaceHour(p, want)
}

func replaceHour(p string, want rune) string {
	var sb strings.Builder
	inQuote := false
	for _, r := range p {
		switch {
		case r == '\'':
			inQuote = !inQuote
		case !inQuote && (r == 'h' || r == 'H' || r == 'K' || r == 'k'):
			r = want
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// shortTimePattern is the time of the short form (weekday, day, month, hour, minute): the
// availableFormats time of the locale's clock, the hour in as few digits as it needs
// (CLDR's numeric hour), unless a -u-hc keyword chose the clock.
func (l dateLocale) shortTimePattern() string {
	if l.hc != "" {
		return l.timePattern()
	}
	switch hourLetter(l.data.TimeShort) {
	case 'h', 'K':
		return narrowHour(l.data.HmTwelve)
	}
	return narrowHour(l.data.Hm)
}

func narrowHour(p string) string {
	for _, h := range []string{"HH", "hh", "KK", "kk"} {
		p = strings.Replace(p, h, h[:1], 1)
	}
	return p
}

func (l dateLocale) date(t time.Time) string { return l.format(l.data.DateFull, t) }
func (l dateLocale) time(t time.Time) string { return l.format(l.timePattern(), t) }

// dateTime is dateStyle full with timeStyle short: "mardi 6 décembre 2022 à 16:30".
func (l dateLocale) dateTime(t time.Time) string {
	return join(l.data.AtTimeFull, l.date(t), l.time(t))
}

// short is the weekday, day, month and time: "Tue, Dec 6, 4:30 PM", "mar. 6 déc., 16:30".
func (l dateLocale) short(t time.Time) string {
	return join(l.data.DateTimeMedium, l.format(l.data.MMMEd, t), l.format(l.shortTimePattern(), t))
}

// join fills a CLDR dateTime pattern: {1} is the date, {0} the time, quotes are literals.
func join(p, date, tm string) string {
	var sb strings.Builder
	inQuote := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\'' && i+1 < len(p) && p[i+1] == '\'':
			sb.WriteByte('\'')
			i++
		case c == '\'':
			inQuote = !inQuote
		case !inQuote && strings.HasPrefix(p[i:], "{1}"):
			sb.WriteString(date)
			i += 2
		case !inQuote && strings.HasPrefix(p[i:], "{0}"):
			sb.WriteString(tm)
			i += 2
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// format writes t by a CLDR date pattern (UTS #35, the fields Plenary's patterns use).
func (l dateLocale) format(p string, t time.Time) string {
	var sb strings.Builder
	for i := 0; i < len(p); {
		c := p[i]
		if c == '\'' {
			if i+1 < len(p) && p[i+1] == '\'' {
				sb.WriteByte('\'')
				i += 2
				continue
			}
			j := strings.IndexByte(p[i+1:], '\'')
			if j < 0 {
				sb.WriteString(p[i+1:])
				break
			}
			sb.WriteString(p[i+1 : i+1+j])
			i += j + 2
			continue
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			r, n := utf8.DecodeRuneInString(p[i:])
			sb.WriteRune(r)
			i += n
			continue
		}
		n := 1
		for i+n < len(p) && p[i+n] == c {
			n++
		}
		i += n
		sb.WriteString(l.field(c, n, t))
	}
	return sb.String()
}

// field writes one field of a pattern: letter c repeated n times (UTS #35).
func (l dateLocale) field(c byte, n int, t time.Time) string {
	d := l.data
	switch c {
	case 'y':
		if n == 2 {
			return l.num(t.Year()%100, 2)
		}
		return l.num(t.Year(), n)
	case 'M', 'L':
		m := int(t.Month()) - 1
		switch {
		case n <= 2:
			return l.num(m+1, n)
		case n == 3 && c == 'M':
			return d.MonthsAbbr[m]
		case n == 3:
			return d.MonthsStandAbbr[m]
		case c == 'M':
			return d.MonthsWide[m]
		default:
			return d.MonthsStandWide[m]
		}
	case 'd':
		return l.num(t.Day(), n)
	case 'E', 'c':
		w := int(t.Weekday())
		switch {
		case n >= 4:
			return d.DaysWide[w]
		case c == 'c' && n == 3:
			return d.DaysStandAbbr[w]
		case c == 'c':
			return l.num(w+1, n)
		default:
			return d.DaysAbbr[w]
		}
	case 'h':
		return l.num((t.Hour()+11)%12+1, n)
	case 'H':
		return l.num(t.Hour(), n)
	case 'K':
		return l.num(t.Hour()%12, n)
	case 'k':
		return l.num((t.Hour()+23)%24+1, n)
	case 'm':
		return l.num(t.Minute(), n)
	case 's':
		return l.num(t.Second(), n)
	case 'a', 'b':
		if t.Hour() < 12 {
			return d.AM
		}
		return d.PM
	case 'B':
		return l.period(t)
	default:
		// A field Plenary's patterns do not use: written as the letters, visibly.
		return strings.Repeat(string(c), n)
	}
}

func (l dateLocale) period(t time.Time) string {
	m := t.Hour()*60 + t.Minute()
	for _, p := range l.data.Periods {
		if p.from <= m && m < p.before || p.from > p.before && (m >= p.from || m < p.before) {
			if p.name != "" {
				return p.name
			}
		}
	}
	if t.Hour() < 12 {
		return l.data.AM
	}
	return l.data.PM
}

// num writes n with at least width digits, in the locale's digits.
func (l dateLocale) num(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return l.localDigits(s)
}

func (l dateLocale) localDigits(s string) string {
	if l.digits == nil {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return l.digits[r-'0']
		}
		return r
	}, s)
}

// dateLocaleFor resolves a requested BCP 47 locale; a language CLDR data is not kept for
// (or a tag that does not parse) is written in English, keeping its -u-hc / -u-nu keywords.
func dateLocaleFor(lang string) dateLocale {
	tag, err := language.Parse(lang)
	if err != nil || len(lang) > 64 {
		tag = language.English
	}
	if l, ok := resolveCLDR(tag); ok {
		return l
	}
	l, _ := resolveCLDR(language.English)
	return l
}

// NumberingSystem is the CLDR numbering system lang writes numbers in, "latn" or e.g.
// "arab" for ar-EG (a -u-nu keyword wins), so that other text with numbers (a count of
// hours in a subject) uses the same digits as the dates.
func NumberingSystem(lang string) string {
	return lookup(lang).dates.nu
}
