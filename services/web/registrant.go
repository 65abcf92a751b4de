package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"

	"github.com/plenary/plenary/notifier/ics"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/i18n"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/registration"
)

// manageView is the registrant's page.
type manageView struct {
	Notice       string
	Unsubscribed bool
	Name, Email  string
	Meeting      text
	All, Consent bool
	Sessions     []sessionRow
	Languages    []langOption
	Zones        []zoneOption
	Errors       map[string]string
	Action       string
	Unregister   string
	Feed         string
	ShownIn      string
}

// registrantLanguage is the language of a registrant's pages: their locale, else the
// meeting's default; ?lang= switches it for one visit.
func registrantLanguage(c *gin.Context, r registration.Registration, m agenda.Meeting) language.Tag {
	return i18n.Choose(c.Query("lang"), r.Locale, m.DefaultLang)
}

// registrantPage is the handler of a page of /r/{id}: it verifies the manage link and
// reads the registration and its meeting, then runs page with them and the registrant's
// language. A link that does not open is a page in the reader's language.
func (h *Handlers) registrantPage(page func(c *gin.Context, r registration.Registration, m agenda.Meeting, lang language.Tag)) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, m, err := h.registrant(c)
		if err != nil {
			h.fail(c, readerLanguage(c, ""), err)
			return
		}
		page(c, r, m, registrantLanguage(c, r, m))
	}
}

// registrant verifies the manage link of /r/{id} and reads the registration and meeting.
func (h *Handlers) registrant(c *gin.Context) (registration.Registration, agenda.Meeting, error) {
	id := c.Param("id")
	if _, err := h.verify(c.Query("token"), signed.Registration, id); err != nil {
		return registration.Registration{}, agenda.Meeting{}, err
	}
	return h.registrationOf(c, id)
}

// registrationOf reads a registration whose link was verified, and its meeting.
func (h *Handlers) registrationOf(c *gin.Context, id string) (registration.Registration, agenda.Meeting, error) {
	r, err := h.d.Registrations.Get(c, id)
	if err != nil {
		return r, agenda.Meeting{}, err
	}
	m, err := h.d.Agenda.Meeting(c, r.MeetingID)
	return r, m, err
}

// manageURL is a link of the registrant's pages, /r/{id}{sub}, carrying the manage
// link's token (first, as the emails write it) and then the other query pairs.
func manageURL(id, token, sub string, query ...string) string {
	u := "/r/" + url.PathEscape(id) + sub + "?token=" + url.QueryEscape(token)
	for i := 0; i+1 < len(query); i += 2 {
		u += "&" + query[i] + "=" + url.QueryEscape(query[i+1])
	}
	return u
}

func (h *Handlers) manageFrame(c *gin.Context, r registration.Registration, m agenda.Meeting, notice string, errs map[string]string) (frame, error) {
	lang := registrantLanguage(c, r, m)
	z := readerZone(r.TZ, m.VenueTZ)
	v, err := h.d.Agenda.Agenda(c, m.ID, z, lang.String(), false)
	if err != nil {
		return frame{}, err
	}
	venue, err := zone.LoadLocation(m.VenueTZ)
	if err != nil {
		venue = time.UTC
	}
	token := c.Query("token")
	mv := manageView{Notice: notice, Unsubscribed: r.Unsubscribed, Name: r.Name, Email: r.Email, Meeting: localized(v.Meeting.Title, lang),
		All: len(r.Sessions) == 0, Consent: r.ConsentReminders, Languages: languageOptions(lang, r.Locale), Zones: h.zoneOptions(r.TZ),
		Errors: errs, Action: manageURL(r.ID, token, ""), Unregister: manageURL(r.ID, token, "/unregister"),
		Feed: h.d.Links.Calendar(signed.CalendarRegistration+r.ID, h.d.Now()), ShownIn: tr{lang}.S("page.shown_in", z.Name)}
	for _, x := range sessionRows(v, z.Location, venue, lang, r.Locale) {
		x.Checked = mv.All || slices.Contains(r.Sessions, x.ID)
		if x.Checked && !x.Cancelled {
			x.ICS = manageURL(r.ID, token, "/ics/"+url.PathEscape(x.ID))
			details := mv.Meeting.Text
			x.Google = googleLink(x.Title.Text, x.Start, x.End, details)
			x.Outlook = outlookLink(x.Title.Text, x.Start, x.End, details)
		}
		mv.Sessions = append(mv.Sessions, x)
	}
	f := h.newFrame(lang, tr{lang}.S("page.manage_title"), func(code string) string {
		return manageURL(r.ID, token, "", "lang", code)
	})
	f.Content = mv
	return f, nil
}

// managePage is GET /r/{id}?token=: the registrant's registration, to change or cancel.
func (h *Handlers) managePage(c *gin.Context, r registration.Registration, m agenda.Meeting, lang language.Tag) {
	notice := ""
	if c.Query("saved") == "1" {
		notice = tr{lang}.S("page.saved")
	}
	h.showManage(c, r, m, lang, notice)
}

// confirm is GET /r/{id}/confirm?token=, the double opt-in link of the first email:
// opening it makes the registration active (the reminders start from then).
func (h *Handlers) confirm(c *gin.Context, r registration.Registration, m agenda.Meeting, lang language.Tag) {
	r, _, err := h.d.Registrations.Confirm(c, r.ID)
	if err != nil {
		h.fail(c, lang, err)
		return
	}
	h.showManage(c, r, m, lang, tr{lang}.S("page.confirmed"))
}

// showManage answers the manage page with a notice above it.
func (h *Handlers) showManage(c *gin.Context, r registration.Registration, m agenda.Meeting, lang language.Tag, notice string) {
	f, err := h.manageFrame(c, r, m, notice, nil)
	if err != nil {
		h.fail(c, lang, err)
		return
	}
	h.render(c, http.StatusOK, "manage.html", f, true)
}

// update is POST /r/{id}?token=, the manage page's form.
func (h *Handlers) update(c *gin.Context, r registration.Registration, m agenda.Meeting, lang language.Tag) {
	t := tr{lang}
	locale, tz := c.PostForm("locale"), c.PostForm("tz")
	consent := c.PostForm("consent") == "yes"
	in := registration.Input{Locale: &locale, TZ: &tz, ConsentReminders: &consent}
	all := c.PostForm("scope") != "some"
	ticked := c.PostFormArray("session")
	errs := map[string]string{}
	if all {
		ticked = []string{}
	} else if len(ticked) == 0 {
		errs["sessions"] = t.S("page.err.sessions")
	}
	in.Sessions = &ticked
	if r.Unsubscribed && c.PostForm("resubscribe") == "yes" {
		no := false
		in.Unsubscribed = &no
	}
	if len(errs) == 0 {
		_, err := h.d.Registrations.Update(c, r.ID, -1, in)
		if err == nil {
			c.Redirect(http.StatusSeeOther, manageURL(r.ID, c.Query("token"), "", "saved", "1"))
			return
		}
		if problem.From(err).Code != "validation_failed" {
			h.fail(c, lang, err)
			return
		}
		addFieldErrors(t, errs, err)
	}
	// Show what was chosen, with the errors.
	shown := r
	shown.Locale, shown.TZ, shown.ConsentReminders, shown.Sessions = locale, tz, consent, ticked
	if _, err := zone.Parse(tz); err != nil {
		shown.TZ = r.TZ
	}
	f, err := h.manageFrame(c, shown, m, t.S("page.err.summary"), errs)
	if err != nil {
		h.fail(c, lang, err)
		return
	}
	if mv, ok := f.Content.(manageView); ok {
		mv.Zones = h.zoneOptions(tz)
		mv.All = all
		f.Content = mv
	}
	h.render(c, http.StatusUnprocessableEntity, "manage.html", f, true)
}

// unregister is POST /r/{id}/unregister?token=: the registration is deleted.
func (h *Handlers) unregister(c *gin.Context, r registration.Registration, m agenda.Meeting, lang language.Tag) {
	if err := h.d.Registrations.Delete(c, r.ID, -1); err != nil {
		h.fail(c, lang, err)
		return
	}
	t := tr{lang}
	title := i18n.Pick(m.Title, r.Locale, m.DefaultLang).Text
	msg := message{Heading: t.S("page.unregister"), Text: t.S("page.unregistered", title)}
	if m.Public {
		msg.Back = withQuery("/m/"+m.ID, "lang", lang.String())
	}
	f := h.newFrame(lang, msg.Heading, nil)
	f.Content = msg
	h.render(c, http.StatusOK, "message.html", f, true)
}

// sessionICS is GET /r/{id}/ics/{session}?token=: one session of the registration as an
// .ics file to open in any calendar.
func (h *Handlers) sessionICS(c *gin.Context, r registration.Registration, m agenda.Meeting, lang language.Tag) {
	x, err := h.d.Agenda.Session(c, c.Param("session"))
	if err == nil && (x.MeetingID != r.MeetingID || (len(r.Sessions) > 0 && !slices.Contains(r.Sessions, x.ID))) {
		err = problem.NotFound("session", c.Param("session"))
	}
	if err != nil {
		h.fail(c, lang, err)
		return
	}
	mt, st := i18n.Pick(m.Title, r.Locale, m.DefaultLang), i18n.Pick(x.Title, r.Locale, m.DefaultLang)
	ev := ics.Event{SessionID: x.ID, RecipientID: signed.CalendarRegistration + r.ID, Sequence: x.ScheduleVersion,
		Start: x.StartUTC, End: x.EndUTC, Organizer: h.d.Organizer, Status: ics.StatusConfirmed}
	// SUMMARY names the meeting and the session, tagged with the language they are in.
	ev.Summary, ev.SummaryLang = ics.Title(mt.Text, mt.Lang, st.Text, st.Lang)
	if x.Status == agenda.StatusCancelled {
		ev.Status = ics.StatusCancelled
	}
	feed := ics.Feed{Name: mt.Text, Events: []ics.Event{ev}}
	body, err := ics.Publish(feed, h.d.Now())
	if err != nil {
		h.fail(c, lang, problem.Internal(err))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("Content-Disposition", `attachment; filename="session.ics"`)
	c.Data(http.StatusOK, ics.MIMEType+"; charset=utf-8", body)
}

// unsubscribeView is the unsubscribe page.
type unsubscribeView struct {
	Lead, Done string
	Action     string
}

// unsubscribed verifies an unsubscribe link and reads its registration and meeting.
func (h *Handlers) unsubscribed(c *gin.Context) (registration.Registration, agenda.Meeting, error) {
	id, err := h.verify(c.Param("token"), signed.Unsubscribe, "")
	if err != nil {
		return registration.Registration{}, agenda.Meeting{}, err
	}
	return h.registrationOf(c, id)
}

// unsubscribePage is GET /u/{token}: it names the meeting and asks to confirm in one
// click; a GET changes nothing, since mail scanners follow links.
func (h *Handlers) unsubscribePage(c *gin.Context) {
	r, m, err := h.unsubscribed(c)
	if err != nil {
		h.fail(c, readerLanguage(c, ""), err)
		return
	}
	h.renderUnsubscribe(c, r, m, r.Unsubscribed)
}

func (h *Handlers) renderUnsubscribe(c *gin.Context, r registration.Registration, m agenda.Meeting, done bool) {
	lang := registrantLanguage(c, r, m)
	t := tr{lang}
	title := i18n.Pick(m.Title, r.Locale, m.DefaultLang).Text
	v := unsubscribeView{Lead: t.S("page.unsub_lead", title), Action: "/u/" + url.PathEscape(c.Param("token"))}
	if done {
		v.Done = t.S("page.unsub_done", title)
	}
	f := h.newFrame(lang, t.S("page.unsub_title"), nil)
	f.Content = v
	h.render(c, http.StatusOK, "unsubscribe.html", f, true)
}

// unsubscribe is POST /u/{token}: the page's button, and the RFC 8058 one-click POST a
// mail client sends (List-Unsubscribe=One-Click), which gets a short answer.
func (h *Handlers) unsubscribe(c *gin.Context) {
	if _, _, err := h.unsubscribed(c); err != nil {
		h.fail(c, readerLanguage(c, ""), err)
		return
	}
	r, err := h.d.Registrations.Unsubscribe(c, c.Param("token"))
	if err != nil {
		h.fail(c, readerLanguage(c, ""), err)
		return
	}
	if c.PostForm("List-Unsubscribe") == "One-Click" {
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte("unsubscribed\n"))
		return
	}
	m, err := h.d.Agenda.Meeting(c, r.MeetingID)
	if err != nil {
		h.fail(c, readerLanguage(c, ""), err)
		return
	}
	h.renderUnsubscribe(c, r, m, true)
}
