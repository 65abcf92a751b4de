package agenda

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/planner"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/timeapi"
)

// MeetingJSON is the API form of a meeting.
type MeetingJSON struct {
	ID                   string         `json:"id"`
	Title                contracts.Text `json:"title"`
	VenueTZ              string         `json:"venue_tz"`
	Format               string         `json:"format"`
	DefaultLang          string         `json:"default_lang"`
	Platform             string         `json:"platform"`
	InterpretationPolicy string         `json:"interpretation_policy"`
	Public               bool           `json:"public"`
	// Regions are the meeting's own audience regions, in the shape /v1/planning/slots takes.
	Regions []timeapi.RegionJSON `json:"regions"`
	// SecretariatEmail is where seats still open are reported; OpenSeatsNoticeHours how
	// long before the first session ahead (null: the staffing policy's default).
	SecretariatEmail     string    `json:"secretariat_email"`
	OpenSeatsNoticeHours *int      `json:"open_seats_notice_hours"`
	Version              int64     `json:"version"`
	CreatedAt            time.Time `json:"created_at"`
	UpdatedAt            time.Time `json:"updated_at"`
}

func meetingJSON(m Meeting) MeetingJSON {
	var notice *int
	if m.OpenSeatsNoticeHours > 0 {
		notice = &m.OpenSeatsNoticeHours
	}
	return MeetingJSON{SecretariatEmail: m.SecretariatEmail, OpenSeatsNoticeHours: notice, ID: m.ID, Title: m.Title, VenueTZ: m.VenueTZ, Format: m.Format, DefaultLang: m.DefaultLang,
		Platform: m.Platform, InterpretationPolicy: m.InterpretationPolicy, Public: m.Public, Version: m.Version, Regions: timeapi.RegionsJSON(m.Regions),
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

// TimesJSON is a time range in one zone, with offsets.
type TimesJSON struct {
	TZ    string `json:"tz"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// SessionJSON is the API form of a session.
type SessionJSON struct {
	ID        string         `json:"id"`
	MeetingID string         `json:"meeting_id"`
	Title     contracts.Text `json:"title"`
	Status    string         `json:"status"`
	// CancelReason is set on a cancelled session.
	CancelReason string `json:"cancel_reason,omitempty"`
	StartUTC     string `json:"start_utc"`
	EndUTC       string `json:"end_utc"`
	DurationMin  int    `json:"duration_min"`
	// Venue is the session in the meeting's venue zone.
	Venue TimesJSON `json:"venue"`
	// Planned is the session in the zone it was typed in, with the input kept as typed.
	Planned struct {
		TimesJSON
		Input struct {
			TZ    string `json:"tz"`
			Start string `json:"start"`
			End   string `json:"end,omitempty"`
		} `json:"input"`
	} `json:"planned"`
	FloorLanguages  []string `json:"floor_languages"`
	OutputLanguages []string `json:"output_languages"`
	Audience        []string `json:"audience"`
	// StaffedChannels: outputs a delegation or partner staffs, with its interpreters.
	StaffedChannels []StaffedChannel `json:"staffed_channels"`
	ScheduleVersion int64            `json:"schedule_version"`
	Version         int64            `json:"version"`
	Warnings        []zone.Finding   `json:"warnings,omitempty"`
	// AudienceFit says how the time suits each audience region's working hours.
	AudienceFit *planner.FitResult `json:"audience_fit,omitempty"`
}

func rangeIn(start, end time.Time, tz string) TimesJSON {
	z, err := zone.Parse(tz)
	loc := time.UTC
	if err == nil {
		loc = z.Location
		tz = z.Name
	}
	return TimesJSON{TZ: tz, Start: start.In(loc).Format(time.RFC3339), End: end.In(loc).Format(time.RFC3339)}
}

func sessionJSON(x Session, m Meeting) SessionJSON {
	out := SessionJSON{
		ID: x.ID, MeetingID: x.MeetingID, Title: x.Title, Status: x.Status, CancelReason: x.CancelReason,
		StartUTC: x.StartUTC.Format(time.RFC3339), EndUTC: x.EndUTC.Format(time.RFC3339),
		DurationMin: int(x.Duration() / time.Minute), Venue: rangeIn(x.StartUTC, x.EndUTC, m.VenueTZ),
		FloorLanguages: nonNil(x.Floor), OutputLanguages: nonNil(x.Outputs), Audience: nonNil(x.Audience),
		StaffedChannels: nonNilChannels(x.StaffedChannels),
		ScheduleVersion: x.ScheduleVersion, Version: x.Version, Warnings: x.Findings, AudienceFit: AudienceFit(x, m.Regions),
	}
	if out.AudienceFit != nil && out.AudienceFit.MostlyOutside {
		out.Warnings = append(out.Warnings, zone.Finding{Code: "audience_outside_working_hours",
			Message: fmt.Sprintf("%.0f%% of this session's audience would attend outside working hours; see audience_fit", out.AudienceFit.OutsideShare*100)})
	}
	out.Planned.TimesJSON = rangeIn(x.StartUTC, x.EndUTC, x.TZ)
	out.Planned.Input.TZ, out.Planned.Input.Start, out.Planned.Input.End = x.TZInput, x.StartInput, x.EndInput
	return out
}

// ItemJSON is the API form of an agenda item.
type ItemJSON struct {
	ID        string         `json:"id"`
	SessionID string         `json:"session_id"`
	Position  int            `json:"position"`
	Title     contracts.Text `json:"title"`
	StartUTC  string         `json:"start_utc,omitempty"`
	EndUTC    string         `json:"end_utc,omitempty"`
	Speakers  []Speaker      `json:"speakers"`
	Language  string         `json:"language,omitempty"`
	Version   int64          `json:"version"`
}

func itemJSON(it Item) ItemJSON {
	out := ItemJSON{ID: it.ID, SessionID: it.SessionID, Position: it.Position, Title: it.Title, Speakers: it.Speakers, Language: it.Language, Version: it.Version}
	if out.Speakers == nil {
		out.Speakers = []Speaker{}
	}
	if it.StartUTC != nil {
		out.StartUTC = it.StartUTC.Format(time.RFC3339)
	}
	if it.EndUTC != nil {
		out.EndUTC = it.EndUTC.Format(time.RFC3339)
	}
	return out
}

// Handlers is the HTTP adapter of the agenda service.
type Handlers struct{ svc *Service }

// NewHandlers returns the agenda's handlers.
func NewHandlers(svc *Service) *Handlers { return &Handlers{svc: svc} }

// Register mounts the agenda routes on rg (the /v1 group).
func (h *Handlers) Register(rg gin.IRoutes) {
	rg.POST("/meetings", h.createMeeting)
	rg.GET("/meetings", h.listMeetings)
	rg.GET("/meetings/:id", h.getMeeting)
	rg.PATCH("/meetings/:id", h.updateMeeting)
	rg.DELETE("/meetings/:id", h.deleteMeeting)
	rg.POST("/meetings/:id/sessions", h.createSession)
	rg.GET("/meetings/:id/sessions", h.listSessions)
	rg.GET("/meetings/:id/agenda", h.agenda)
	rg.GET("/sessions/:id", h.getSession)
	rg.PATCH("/sessions/:id", h.updateSession)
	rg.POST("/sessions/:id/cancel", h.cancelSession)
	rg.POST("/sessions/:id/items", h.addItem)
	rg.GET("/sessions/:id/items", h.listItems)
	rg.GET("/sessions/:id/items/:item", h.getItem)
	rg.PATCH("/sessions/:id/items/:item", h.updateItem)
	rg.DELETE("/sessions/:id/items/:item", h.deleteItem)
}

// meeting answers a meeting read or written (err is the service's), its version as ETag.
func meeting(c *gin.Context, status int, m Meeting, err error) {
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.Versioned(c, status, m.Version, meetingJSON(m))
}

// session answers a session read or written (err is the service's), in the zone of its
// meeting's venue and with the fit of the meeting's regions.
func (h *Handlers) session(c *gin.Context, status int, x Session, err error) {
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	venue, ok := h.meetingOf(c, x.MeetingID)
	if !ok {
		return
	}
	httpx.Versioned(c, status, x.Version, sessionJSON(x, venue))
}

// item answers an agenda item read or written (err is the service's).
func item(c *gin.Context, status int, it Item, err error) {
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.Versioned(c, status, it.Version, itemJSON(it))
}

// noContent answers a delete (err is the service's).
func noContent(c *gin.Context, err error) {
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *Handlers) createMeeting(c *gin.Context) {
	var in MeetingInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	m, err := h.svc.CreateMeeting(c, in)
	if err == nil {
		c.Header("Location", "/v1/meetings/"+m.ID)
	}
	meeting(c, http.StatusCreated, m, err)
}

func (h *Handlers) listMeetings(c *gin.Context) {
	p, err := httpx.PageParams(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	ms, err := h.svc.Meetings(c, p.After, p.Limit+1)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, httpx.PageOf(p, ms, func(m Meeting) string { return m.ID }, meetingJSON))
}

func (h *Handlers) getMeeting(c *gin.Context) {
	m, err := h.svc.Meeting(c, c.Param("id"))
	meeting(c, http.StatusOK, m, err)
}

func (h *Handlers) updateMeeting(c *gin.Context) {
	var in MeetingInput
	v, ok := httpx.BindUpdate(c, &in)
	if !ok {
		return
	}
	m, err := h.svc.UpdateMeeting(c, c.Param("id"), v, in)
	meeting(c, http.StatusOK, m, err)
}

func (h *Handlers) deleteMeeting(c *gin.Context) {
	v, err := httpx.IfMatchOrAny(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	noContent(c, h.svc.DeleteMeeting(c, c.Param("id"), v))
}

// meetingOf reads a session's meeting: its venue and its regions shape the session's JSON.
func (h *Handlers) meetingOf(c *gin.Context, meetingID string) (Meeting, bool) {
	m, err := h.svc.Meeting(c, meetingID)
	if err != nil {
		httpx.Fail(c, err)
		return Meeting{}, false
	}
	return m, true
}

func (h *Handlers) createSession(c *gin.Context) {
	var in SessionInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	x, m, err := h.svc.createSession(c, c.Param("id"), in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Location", "/v1/sessions/"+x.ID)
	// In the meeting the session was validated against: no second read.
	httpx.Versioned(c, http.StatusCreated, x.Version, sessionJSON(x, m))
}

func (h *Handlers) listSessions(c *gin.Context) {
	venue, ok := h.meetingOf(c, c.Param("id"))
	if !ok {
		return
	}
	xs, err := h.svc.Sessions(c, c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := httpx.List[SessionJSON]{Items: make([]SessionJSON, 0, len(xs))}
	for _, x := range xs {
		out.Items = append(out.Items, sessionJSON(x, venue))
	}
	httpx.JSON(c, http.StatusOK, out)
}

func (h *Handlers) getSession(c *gin.Context) {
	x, err := h.svc.Session(c, c.Param("id"))
	h.session(c, http.StatusOK, x, err)
}

func (h *Handlers) updateSession(c *gin.Context) {
	var in SessionInput
	v, ok := httpx.BindUpdate(c, &in)
	if !ok {
		return
	}
	x, err := h.svc.UpdateSession(c, c.Param("id"), v, in)
	h.session(c, http.StatusOK, x, err)
}

func (h *Handlers) cancelSession(c *gin.Context) {
	v, err := httpx.IfMatchOrAny(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if c.Request.ContentLength != 0 {
		if err := httpx.Bind(c, &in); err != nil {
			httpx.Fail(c, err)
			return
		}
	}
	x, err := h.svc.CancelSession(c, c.Param("id"), v, strings.TrimSpace(in.Reason))
	h.session(c, http.StatusOK, x, err)
}

func (h *Handlers) addItem(c *gin.Context) {
	var in ItemInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	it, err := h.svc.AddItem(c, c.Param("id"), in)
	if err == nil {
		c.Header("Location", "/v1/sessions/"+it.SessionID+"/items/"+it.ID)
	}
	item(c, http.StatusCreated, it, err)
}

func (h *Handlers) listItems(c *gin.Context) {
	its, err := h.svc.Items(c, c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := httpx.List[ItemJSON]{Items: make([]ItemJSON, 0, len(its))}
	for _, it := range its {
		out.Items = append(out.Items, itemJSON(it))
	}
	httpx.JSON(c, http.StatusOK, out)
}

// itemOf loads an item and checks it belongs to the session in the path.
func (h *Handlers) itemOf(c *gin.Context) (Item, bool) {
	it, err := h.svc.Item(c, c.Param("item"))
	if err == nil && it.SessionID != c.Param("id") {
		err = problem.NotFound("agenda_item", c.Param("item"))
	}
	if err != nil {
		httpx.Fail(c, err)
		return it, false
	}
	return it, true
}

func (h *Handlers) getItem(c *gin.Context) {
	if it, ok := h.itemOf(c); ok {
		item(c, http.StatusOK, it, nil)
	}
}

func (h *Handlers) updateItem(c *gin.Context) {
	var in ItemInput
	v, ok := httpx.BindUpdate(c, &in)
	if !ok {
		return
	}
	if _, ok := h.itemOf(c); !ok {
		return
	}
	it, err := h.svc.UpdateItem(c, c.Param("item"), v, in)
	item(c, http.StatusOK, it, err)
}

func (h *Handlers) deleteItem(c *gin.Context) {
	v, err := httpx.IfMatchOrAny(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	if _, ok := h.itemOf(c); !ok {
		return
	}
	noContent(c, h.svc.DeleteItem(c, c.Param("item"), v))
}

func (h *Handlers) agenda(c *gin.Context) {
	// The secretariat (any token that may read the meeting) also sees the staffing
	// verdict; the public agenda does not name interpreters.
	staffing := auth.ActorFrom(c).Kind == auth.ActorToken
	id := c.Param("id")
	// The head (public flag and revision) decides everything else: a revalidation is
	// answered from it alone, before any rendering or further read.
	head, err := h.svc.headFor(c, id)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	// Browsers read it compressed: each coding is made once per cached rendering and has
	// its own entity tag, which a revalidation must name.
	coding, ok := httpx.Preferred(c)
	if !ok {
		return
	}
	inm := c.GetHeader("If-None-Match")
	held := func(etag string) bool { return httpx.NoneMatch(inm, httpx.CodedETag(etag, coding)) }
	a, notModified, err := h.svc.agendaAt(c, id, head, c.Query("tz"), c.Query("lang"), staffing, held)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Writer.Header()["Cache-Control"] = noCache // canonical, shared: no Set per request
	if notModified {
		httpx.NotModified(c, coding, a.ETag, "Authorization")
		return
	}
	httpx.Represent(c, a.Wire, coding, a.ETag, "application/json; charset=utf-8", "Authorization")
}

// noCache is the agendas' Cache-Control: a cache keeps them but asks before each use
// (a 304 is cheap), since any change of the meeting changes them.
var noCache = []string{"no-cache"}
