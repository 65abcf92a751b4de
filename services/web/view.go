package web

import (
	"net/url"
	"slices"
	"time"

	"golang.org/x/text/language"

	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/i18n"
)

// text is a value shown on a page with the language it is in; Lang and Dir are set when
// it is not the page's language, so that screen readers pronounce it right and a note can
// say the translation is missing.
type text struct {
	Text, Lang, Dir string
	Note            string
}

func localized(l agenda.Localized, page language.Tag) text {
	t := text{Text: l.Text}
	if l.TranslationMissing && l.Lang != "" {
		tag, _ := language.Parse(l.Lang)
		t.Lang, t.Dir = l.Lang, i18n.Dir(tag)
		t.Note = tr{page}.S("note.title_language", i18n.Name(page, page), i18n.Name(tag, page))
	}
	return t
}

type speakerRow struct {
	Name, Affiliation, Group, Regional string
}

type itemRow struct {
	Title    text
	Time     string
	Speakers []speakerRow
}

// sessionRow is one session as a page shows it.
type sessionRow struct {
	ID        string
	Title     text
	Cancelled bool
	Reason    string
	Moved     bool
	// Local is the time in the reader's zone, Venue in the venue's (empty when the same).
	Local, Venue string
	DayShift     string
	Start, End   time.Time
	Floor        []string
	Channels     []string
	Items        []itemRow
	// Registration: seats left ("" when not capped), full, ticked in the form, its error.
	Seats   string
	Full    bool
	Checked bool
	Error   string
	// Registrant's calendar links.
	ICS, Google, Outlook string
}

type zoneOption struct {
	Name     string
	Selected bool
}

type langOption struct {
	Code, Name string
	Selected   bool
}

// when writes a start and end as emails do: the long date and time, then the end's time
// (its date too when it is another day).
func when(start, end time.Time, loc *time.Location, lang string) string {
	s := zone.FormatDateTime(start, loc, lang)
	if start.In(loc).Format(time.DateOnly) != end.In(loc).Format(time.DateOnly) {
		return s + " – " + zone.FormatDateTime(end, loc, lang)
	}
	return s + " – " + zone.FormatTime(end, loc, lang)
}

func languageNames(codes []string, page language.Tag) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		tag, err := language.Parse(c)
		if err != nil {
			out = append(out, c)
			continue
		}
		out = append(out, i18n.Name(tag, page))
	}
	return out
}

// dateLocale is the locale dates are written in: the reader's own (fr-CA: 10 h 30,
// ar-EG: Arabic-Indic digits) when it is of the page's language, else the page's.
func dateLocale(page language.Tag, locale string) string {
	if tag, err := language.Parse(locale); err == nil {
		if b, _ := tag.Base(); b.String() == page.String() {
			return tag.String()
		}
	}
	return page.String()
}

// sessionRows turns an agenda view into rows for a reader in loc reading page, with dates
// written for locale.
func sessionRows(v agenda.AgendaView, loc, venue *time.Location, page language.Tag, locale string) []sessionRow {
	lang := dateLocale(page, locale)
	var rows []sessionRow
	for _, x := range v.Sessions {
		start, err1 := time.Parse(time.RFC3339, x.StartUTC)
		end, err2 := time.Parse(time.RFC3339, x.EndUTC)
		if err1 != nil || err2 != nil {
			continue
		}
		r := sessionRow{ID: x.ID, Title: localized(x.Title, page), Cancelled: x.Status == agenda.StatusCancelled,
			Reason: x.CancelReason, Moved: x.ScheduleVersion > 1 && x.Status != agenda.StatusCancelled,
			Local: when(start, end, loc, lang), Start: start, End: end,
			Floor: languageNames(x.FloorLanguages, page), Channels: languageNames(x.OutputLanguages, page)}
		if venue.String() != loc.String() {
			r.Venue = when(start, end, venue, lang)
			r.DayShift = zone.Render(start, loc, lang, venue).DayShiftText
		}
		for _, it := range x.Items {
			ir := itemRow{Title: localized(it.Title, page)}
			if it.StartUTC != "" {
				if s, err := time.Parse(time.RFC3339, it.StartUTC); err == nil {
					ir.Time = zone.FormatTime(s, loc, lang)
				}
			}
			for _, sp := range it.Speakers {
				ir.Speakers = append(ir.Speakers, speakerRow{Name: sp.Name, Affiliation: sp.Affiliation, Group: sp.StakeholderGroup, Regional: sp.RegionalGroup})
			}
			r.Items = append(r.Items, ir)
		}
		rows = append(rows, r)
	}
	return rows
}

func (h *Handlers) zoneOptions(selected string) []zoneOption {
	out := make([]zoneOption, 0, len(h.zones)+1)
	if !slices.Contains(h.zones, selected) && selected != "" {
		out = append(out, zoneOption{Name: selected, Selected: true})
	}
	for _, z := range h.zones {
		out = append(out, zoneOption{Name: z, Selected: z == selected})
	}
	return out
}

// languageOptions are the languages a registrant may choose; the option of the reader's
// language carries their exact locale (fr-CA) so that dates keep their region's forms.
func languageOptions(page language.Tag, locale string) []langOption {
	var out []langOption
	for _, l := range i18n.Languages {
		code := l.String()
		if tag, err := language.Parse(locale); err == nil {
			if b, _ := tag.Base(); b.String() == code {
				code = tag.String()
			}
		}
		out = append(out, langOption{Code: code, Name: i18n.SelfName(l), Selected: i18n.Choose(locale).String() == l.String() && locale != ""})
	}
	if locale == "" {
		for i := range out {
			out[i].Selected = out[i].Code == page.String()
		}
	}
	return out
}

// googleLink and outlookLink add one session to a web calendar.
func googleLink(title string, start, end time.Time, details string) string {
	const f = "20060102T150405Z"
	q := url.Values{"action": {"TEMPLATE"}, "text": {title}, "dates": {start.UTC().Format(f) + "/" + end.UTC().Format(f)}, "details": {details}}
	return "https://calendar.google.com/calendar/render?" + q.Encode()
}

func outlookLink(title string, start, end time.Time, details string) string {
	q := url.Values{"path": {"/calendar/action/compose"}, "rru": {"addevent"}, "subject": {title},
		"startdt": {start.UTC().Format(time.RFC3339)}, "enddt": {end.UTC().Format(time.RFC3339)}, "body": {details}}
	return "https://outlook.live.com/calendar/0/deeplink/compose?" + q.Encode()
}
