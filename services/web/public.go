package web

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"

	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/i18n"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/registration"
)

// regForm is the registration form as typed, with its field errors.
type regForm struct {
	Name, Email, Locale, TZ string
	All, Consent            bool
	Errors                  map[string]string // by field: name, email, locale, tz, sessions
	General                 string            // a refusal of the whole form
	Languages               []langOption
	Zones                   []zoneOption
}

// publicView is the public meeting page.
type publicView struct {
	MeetingID string
	Title     text
	ShownIn   string
	TZ        string
	VenueTZ   string
	Zones     []zoneOption
	Sessions  []sessionRow
	Closed    bool
	Form      regForm
	Action    string
	PickerURL string
}

// publicMeeting reads a meeting that is public; others are not found, so that the page
// does not tell which private meetings exist.
func (h *Handlers) publicMeeting(c *gin.Context) (agenda.Meeting, error) {
	m, err := h.d.Agenda.Meeting(c, c.Param("id"))
	if err != nil {
		return m, err
	}
	if !m.Public {
		return m, problem.NotFound("meeting", c.Param("id"))
	}
	return m, nil
}

// readerZone is ?tz= (or the form's zone) when valid, else the venue's.
func readerZone(tz, venue string) zone.Zone {
	if tz != "" {
		if z, err := zone.Parse(tz); err == nil {
			return z
		}
	}
	z, _ := zone.Parse(venue)
	return z
}

// buildPublic assembles the page for lang and zone z; form is what the reader typed.
func (h *Handlers) buildPublic(c *gin.Context, m agenda.Meeting, lang language.Tag, z zone.Zone, form regForm, ticked []string) (frame, error) {
	v, err := h.d.Agenda.Agenda(c, m.ID, z, lang.String(), false)
	if err != nil {
		return frame{}, err
	}
	avail, err := h.d.Registrations.Availability(c, m.ID)
	if err != nil {
		return frame{}, err
	}
	venue, err := zone.LoadLocation(m.VenueTZ)
	if err != nil {
		venue = time.UTC
	}
	t := tr{lang}
	pv := publicView{MeetingID: m.ID, Title: localized(v.Meeting.Title, lang), TZ: z.Name, VenueTZ: m.VenueTZ,
		ShownIn: t.S("page.shown_in", z.Name), Zones: h.zoneOptions(z.Name), Closed: avail.Closed,
		Action: "/m/" + m.ID + "/register" + withQuery("", "lang", lang.String(), "tz", c.Query("tz"))}
	// The browser's first language, when it is the page's, gives the dates their regional
	// forms (fr-CA, ar-EG).
	locale := ""
	if tags, _, err := language.ParseAcceptLanguage(c.GetHeader("Accept-Language")); err == nil && len(tags) > 0 {
		locale = tags[0].String()
	}
	pv.Sessions = sessionRows(v, z.Location, venue, lang, locale)
	for i := range pv.Sessions {
		x := &pv.Sessions[i]
		if left, capped := avail.SeatsLeft[x.ID]; capped {
			x.Full = left == 0
			x.Seats = t.S("page.seats_left", left)
			if x.Full {
				x.Seats = t.S("page.full")
			}
		}
		x.Checked = slices.Contains(ticked, x.ID)
		if form.Errors != nil && form.Errors["session:"+x.ID] != "" {
			x.Error = form.Errors["session:"+x.ID]
		}
	}
	if form.TZ == "" {
		form.TZ = z.Name
	}
	form.Zones = h.zoneOptions(form.TZ)
	form.Languages = languageOptions(lang, form.Locale)
	pv.Form = form
	f := h.newFrame(lang, pv.Title.Text, func(code string) string {
		return withQuery("/m/"+m.ID, "lang", code, "tz", c.Query("tz"))
	})
	f.Script = true
	f.Content = pv
	return f, nil
}

// publicPage is GET /m/{id}: the agenda of a public meeting in the reader's language and
// zone, with the registration form. A program asking for JSON gets the JSON agenda.
func (h *Handlers) publicPage(c *gin.Context) {
	m, err := h.publicMeeting(c)
	if err != nil {
		h.fail(c, readerLanguage(c, ""), err)
		return
	}
	lang := readerLanguage(c, m.DefaultLang)
	if c.NegotiateFormat(gin.MIMEHTML, gin.MIMEJSON) == gin.MIMEJSON {
		a, err := h.d.Agenda.AgendaJSON(c, m.ID, c.Query("tz"), lang.String(), false)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		c.Header("ETag", a.ETag)
		c.Writer.Header().Add("Vary", "Accept, Accept-Language") // after CORS's Origin
		c.Header("Cache-Control", "no-cache")
		if c.GetHeader("If-None-Match") == a.ETag {
			c.Status(http.StatusNotModified)
			return
		}
		c.Data(http.StatusOK, "application/json; charset=utf-8", a.Body)
		return
	}
	z := readerZone(c.Query("tz"), m.VenueTZ)
	f, err := h.buildPublic(c, m, lang, z, regForm{All: true}, nil)
	if err != nil {
		h.fail(c, lang, err)
		return
	}
	var buf bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&buf, "public.html", f); err != nil {
		h.fail(c, lang, problem.Internal(err))
		return
	}
	// The page changes with the agenda, the seats left, the language and the zone: its
	// ETag is its own digest, so a revalidation costs a render but no transfer.
	etag := etagOf(buf.Bytes())
	c.Header("ETag", etag)
	c.Writer.Header().Add("Vary", "Accept, Accept-Language") // after CORS's Origin
	c.Header("Cache-Control", "no-cache")
	if lm := h.lastModified(c, m); !lm.IsZero() {
		c.Header("Last-Modified", lm.UTC().Format(http.TimeFormat))
	}
	c.Header("Content-Security-Policy", csp)
	c.Header("Content-Language", f.Lang)
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// lastModified is the latest change of the meeting or one of its sessions.
func (h *Handlers) lastModified(c *gin.Context, m agenda.Meeting) time.Time {
	lm := m.UpdatedAt
	xs, err := h.d.Agenda.Sessions(c, m.ID)
	if err != nil {
		return time.Time{}
	}
	for _, x := range xs {
		if x.UpdatedAt.After(lm) {
			lm = x.UpdatedAt
		}
	}
	return lm
}

// fieldMessages turn the registration service's field codes into sentences for the form.
var fieldMessages = map[string]string{"name": "page.err.name", "email": "page.err.email", "locale": "page.err.language", "tz": "page.err.zone"}

// register is POST /m/{id}/register, the form of the public page. Every outcome is a page
// in the reader's language; a refused form comes back with what was typed and each error
// next to its field.
func (h *Handlers) register(c *gin.Context) {
	m, err := h.publicMeeting(c)
	if err != nil {
		h.fail(c, readerLanguage(c, ""), err)
		return
	}
	lang := readerLanguage(c, m.DefaultLang)
	t := tr{lang}
	form := regForm{Name: c.PostForm("name"), Email: c.PostForm("email"), Locale: c.PostForm("locale"), TZ: c.PostForm("tz"),
		All: c.PostForm("scope") != "some", Consent: c.PostForm("consent") == "yes", Errors: map[string]string{}}
	ticked := c.PostFormArray("session")
	z := readerZone(c.Query("tz"), m.VenueTZ)
	again := func(status int) {
		if len(form.Errors) > 0 && form.General == "" {
			form.General = t.S("page.err.summary")
		}
		f, err := h.buildPublic(c, m, lang, z, form, ticked)
		if err != nil {
			h.fail(c, lang, err)
			return
		}
		h.render(c, status, "public.html", f, true)
	}
	email := strings.ToLower(strings.TrimSpace(form.Email))
	// A bot fills every field; a person never sees this one. It is told what a person
	// would be told, and nothing is stored or sent.
	if c.PostForm("website") != "" {
		h.sent(c, lang, m, email)
		return
	}
	now := h.d.Now()
	if !h.byIP.allow(c.ClientIP(), now) || (email != "" && !h.byKey.allow(m.ID+"|"+email, now)) {
		c.Header("Retry-After", "600")
		form.General = t.S("page.err.rate")
		again(http.StatusTooManyRequests)
		return
	}
	in := registrationInput(t, &form, ticked)
	if len(form.Errors) > 0 {
		// Every field's error at once: the form's own and the service's.
		addFieldErrors(t, form.Errors, h.d.Registrations.Validate(c, m.ID, in))
		again(http.StatusUnprocessableEntity)
		return
	}
	if _, err = h.d.Registrations.SelfRegister(c, m.ID, in); err != nil {
		status, ok := refusal(t, &form, err)
		if !ok {
			h.fail(c, lang, err)
			return
		}
		again(status)
		return
	}
	h.sent(c, lang, m, email)
}

// registrationInput is the form as the registration service takes it; the form's own
// errors (no session ticked, a language the pages do not speak) go to form.Errors.
func registrationInput(t tr, form *regForm, ticked []string) registration.Input {
	in := registration.Input{Name: &form.Name, Email: &form.Email, Locale: &form.Locale, TZ: &form.TZ, ConsentReminders: &form.Consent}
	if !form.All {
		if len(ticked) == 0 {
			form.Errors["sessions"] = t.S("page.err.sessions")
		}
		in.Sessions = &ticked
	}
	if form.Locale != "" {
		if _, ok := registration.ValidLocale(form.Locale); !ok || !slices.Contains(i18n.Codes(), i18n.Choose(form.Locale).String()) {
			form.Errors["locale"] = t.S("page.err.language")
		}
	}
	return in
}

// refusal puts a refused self-registration on the form, next to the fields it concerns,
// and answers the status the form comes back with; false for a failure that is not the
// form's (it is answered as an error page).
func refusal(t tr, form *regForm, err error) (int, bool) {
	p := problem.From(err)
	switch p.Code {
	case "validation_failed":
		addFieldErrors(t, form.Errors, err)
		return http.StatusUnprocessableEntity, true
	case "session_full":
		ids, _ := p.Extra["full_sessions"].([]string)
		for _, id := range ids {
			form.Errors["session:"+id] = t.S("page.err.full")
		}
		form.Errors["sessions"] = t.S("page.err.full")
		return http.StatusConflict, true
	case "already_registered":
		form.Errors["email"] = t.S("page.err.already")
		return http.StatusConflict, true
	case "registration_closed":
		return http.StatusConflict, true
	}
	return 0, false
}

// sent tells the reader to open the confirmation link.
func (h *Handlers) sent(c *gin.Context, lang language.Tag, m agenda.Meeting, email string) {
	t := tr{lang}
	msg := message{Heading: t.S("page.sent_title"), Text: t.S("page.sent", email), Back: withQuery("/m/"+m.ID, "lang", lang.String(), "tz", c.Query("tz"))}
	f := h.newFrame(lang, msg.Heading, nil)
	f.Content = msg
	h.render(c, http.StatusOK, "message.html", f, true)
}

// addFieldErrors writes the sentences of a validation problem's fields into errs.
func addFieldErrors(t tr, errs map[string]string, err error) {
	if err == nil {
		return
	}
	for _, fe := range problem.From(err).Fields {
		field, _, _ := strings.Cut(fe.Field, "/")
		if key, ok := fieldMessages[field]; ok {
			errs[field] = t.S(key)
		} else if field == "sessions" {
			errs["sessions"] = t.S("page.err.sessions")
		}
	}
}
