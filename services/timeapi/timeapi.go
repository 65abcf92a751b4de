// Package timeapi is the HTTP adapter of Plenary's time-zone and planning rules
// (scheduler/zone, scheduler/planner): the tz database in use, conversions, the check of
// a published notice's times, and candidate session slots for regional audiences.
// Handlers parse, call the pure packages and render; every rule lives there.
package timeapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/scheduler/planner"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
)

// Register mounts the routes on the /v1 group:
// GET /time/tzdata, POST /time/convert, POST /time/check, POST /planning/slots.
func Register(rg *gin.RouterGroup) {
	rg.GET("/time/tzdata", tzdata)
	rg.POST("/time/convert", convert)
	rg.POST("/time/check", check)
	rg.POST("/planning/slots", slots)
}

const maxZones = 50

// TZData is the answer of GET /v1/time/tzdata.
type TZData struct {
	Version string `json:"version"`
	Source  string `json:"source"`
	Zones   int    `json:"zones"`
}

func tzdata(c *gin.Context) {
	httpx.JSON(c, http.StatusOK, TZData{Version: zone.TZDataVersion(), Source: "embedded", Zones: len(zone.Names())})
}

// ConvertRequest names one moment, as an instant or as a wall clock in a zone, and the
// zones to show it in.
type ConvertRequest struct {
	Instant   string   `json:"instant,omitempty"`    // RFC 3339
	WallClock string   `json:"wall_clock,omitempty"` // 2022-12-06T16:30, with the zone below
	Zone      string   `json:"zone,omitempty"`
	Fold      string   `json:"fold,omitempty"` // "earlier" or "later" for a time that occurs twice
	To        []string `json:"to"`
	Lang      string   `json:"lang,omitempty"`
	Venue     string   `json:"venue,omitempty"` // zone the day shift is counted against; default Zone
}

// ConvertResponse is the moment and its renderings.
type ConvertResponse struct {
	Instant  time.Time        `json:"instant"`
	Source   *zone.Resolved   `json:"source,omitempty"`
	Times    []zone.Rendering `json:"times"`
	TZData   string           `json:"tzdata"`
	Findings []zone.Finding   `json:"findings,omitempty"`
}

func field(name, code, msg string) problem.FieldError {
	return problem.FieldError{Field: name, Code: code, Message: msg}
}

// source reads the moment a conversion starts from: an instant, or a wall clock in its
// zone (resolved, with its findings); a wall clock's zone is also the default venue.
func source(req ConvertRequest) (out ConvertResponse, venue *time.Location, err error) {
	switch {
	case req.Instant != "" && req.WallClock != "":
		return out, nil, problem.Invalid("invalid_request", "give either instant or wall_clock with zone, not both",
			field("instant", "exclusive", "instant and wall_clock exclude each other"))
	case req.Instant != "":
		t, err := time.Parse(time.RFC3339, req.Instant)
		if err != nil {
			return out, nil, problem.Invalid("invalid_request", "the request is invalid",
				field("instant", "invalid_instant", "expected an RFC 3339 instant such as 2022-12-06T15:30:00Z"))
		}
		out.Instant = t.UTC()
	case req.WallClock != "":
		if req.Zone == "" {
			return out, nil, problem.Invalid("invalid_request", "a wall clock needs its zone",
				field("zone", "required", "give the zone the wall clock is in, e.g. Europe/Paris"))
		}
		z, err := zone.Parse(req.Zone)
		if err != nil {
			return out, nil, err
		}
		w, err := zone.ParseWallClock(req.WallClock)
		if err != nil {
			return out, nil, err
		}
		r, err := zone.Resolve(w, z, zone.Fold(req.Fold))
		if err != nil {
			return out, nil, err
		}
		out.Instant, out.Source, venue = r.Instant, &r, z.Location
		out.Findings = append(out.Findings, r.Findings...)
	default:
		return out, nil, problem.Invalid("invalid_request", "give an instant, or a wall_clock with its zone",
			field("instant", "required", "instant or wall_clock is required"))
	}
	return out, venue, nil
}

func convert(c *gin.Context) {
	var req ConvertRequest
	if err := httpx.Bind(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	if len(req.To) == 0 || len(req.To) > maxZones {
		httpx.Fail(c, problem.Invalid("invalid_request", "the request is invalid",
			field("to", "invalid_length", fmt.Sprintf("give 1 to %d zones to convert to", maxZones))))
		return
	}
	out, venue, err := source(req)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	if req.Venue != "" {
		vz, err := zone.Parse(req.Venue)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		venue = vz.Location
	}
	zs := make([]zone.Zone, 0, len(req.To))
	for _, s := range req.To {
		z, err := zone.Parse(s)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		zs = append(zs, z)
	}
	// An instant some zone shows past the year 9999 (or before the year 1) has no RFC
	// 3339 form there: refused, with the same bounds as every stored instant.
	if !db.StorableTime(out.Instant) {
		f := "instant"
		if req.Instant == "" {
			f = "wall_clock"
		}
		httpx.Fail(c, db.OutOfRange(f))
		return
	}
	out.Times = zone.Convert(out.Instant, zs, req.Lang, venue)
	out.TZData = zone.TZDataVersion()
	httpx.JSON(c, http.StatusOK, out)
}

// CheckRequest is a notice's times, structured (date + times) or as one line (date + text).
type CheckRequest struct {
	Date  string            `json:"date"`
	Times []zone.NoticeTime `json:"times,omitempty"`
	Text  string            `json:"text,omitempty"`
	Venue string            `json:"venue,omitempty"` // the meeting's zone, checked against a one-time line
}

func check(c *gin.Context) {
	var req CheckRequest
	if err := httpx.Bind(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	var n zone.Notice
	switch {
	case req.Text != "" && len(req.Times) > 0:
		httpx.Fail(c, problem.Invalid("invalid_request", "give either text or times, not both",
			field("text", "exclusive", "text and times exclude each other")))
		return
	case req.Text != "":
		var err error
		if n, err = zone.ParseNoticeLine(req.Text, req.Date); err != nil {
			httpx.Fail(c, err)
			return
		}
	default:
		n = zone.Notice{Date: req.Date, Times: req.Times}
	}
	n.Venue = req.Venue
	res, err := zone.CheckNotice(n)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	if res.Findings == nil {
		res.Findings = []zone.NoticeFinding{}
	}
	httpx.JSON(c, http.StatusOK, res)
}

// HoursJSON are working hours as "08:00" and "20:00".
type HoursJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// SlotsRequest asks for candidate slots.
type SlotsRequest struct {
	From            string             `json:"from"` // RFC 3339 instant
	To              string             `json:"to"`
	DurationMinutes int                `json:"duration_minutes"`
	StepMinutes     int                `json:"step_minutes,omitempty"`
	Audiences       []planner.Audience `json:"audiences"`
	Constraints     *ConstraintsJSON   `json:"constraints,omitempty"`
	Regions         []RegionJSON       `json:"regions,omitempty"`
	Hours           *HoursJSON         `json:"hours,omitempty"`
	Limit           int                `json:"limit,omitempty"`
	MaxSessions     int                `json:"max_sessions,omitempty"`
}

// ConstraintsJSON are the venue's hard limits.
type ConstraintsJSON struct {
	Venue      string     `json:"venue,omitempty"`
	VenueHours *HoursJSON `json:"venue_hours,omitempty"`
	Weekdays   []string   `json:"weekdays,omitempty"` // "Mon", "Tuesday" ...
}

// RegionJSON is a meeting-defined region.
type RegionJSON struct {
	Name  string        `json:"name"`
	Zones []RefZoneJSON `json:"zones"`
	Hours *HoursJSON    `json:"hours,omitempty"`
}

// RefZoneJSON is one reference zone of a meeting-defined region.
type RefZoneJSON struct {
	Zone    string     `json:"zone"`
	Country string     `json:"country,omitempty"`
	Weight  float64    `json:"weight,omitempty"`
	Hours   *HoursJSON `json:"hours,omitempty"`
}

// ParseRegions reads regions as the API writes them (hours as HH:MM), for the slot
// planner and for a meeting's own regions alike; field prefixes the errors' fields.
func ParseRegions(rs []RegionJSON, name string) ([]planner.Region, []problem.FieldError) {
	var fields []problem.FieldError
	if len(rs) > 20 {
		fields = append(fields, field(name, "too_many", "at most 20 regions"))
	}
	var out []planner.Region
	for i, r := range rs {
		pr := planner.Region{Name: r.Name, Hours: parseHours(r.Hours, fmt.Sprintf("%s/%d/hours", name, i), &fields)}
		if len(r.Zones) > 50 {
			fields = append(fields, field(fmt.Sprintf("%s/%d/zones", name, i), "too_many", "at most 50 zones per region"))
		}
		for j, z := range r.Zones {
			pr.Zones = append(pr.Zones, planner.RefZone{Zone: z.Zone, Country: z.Country, Weight: z.Weight,
				Hours: parseHours(z.Hours, fmt.Sprintf("%s/%d/zones/%d/hours", name, i, j), &fields)})
		}
		out = append(out, pr)
	}
	return out, fields
}

// RegionsJSON writes regions as the API reads them.
func RegionsJSON(rs []planner.Region) []RegionJSON {
	hours := func(h planner.Hours) *HoursJSON {
		if h.Start == 0 && h.End == 0 {
			return nil
		}
		clock := func(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }
		return &HoursJSON{Start: clock(h.Start), End: clock(h.End)}
	}
	out := make([]RegionJSON, 0, len(rs))
	for _, r := range rs {
		rj := RegionJSON{Name: r.Name, Hours: hours(r.Hours), Zones: []RefZoneJSON{}}
		for _, z := range r.Zones {
			rj.Zones = append(rj.Zones, RefZoneJSON{Zone: z.Zone, Country: z.Country, Weight: z.Weight, Hours: hours(z.Hours)})
		}
		out = append(out, rj)
	}
	return out
}

func parseHours(h *HoursJSON, name string, fields *[]problem.FieldError) planner.Hours {
	if h == nil {
		return planner.Hours{}
	}
	clock := func(s, part string) int {
		hh, mm, ok := strings.Cut(s, ":")
		hv, err1 := strconv.Atoi(hh)
		mv, err2 := strconv.Atoi(mm)
		if !ok || err1 != nil || err2 != nil || len(hh) != 2 || len(mm) != 2 || hv < 0 || hv > 24 || mv < 0 || mv > 59 || hv*60+mv > 1440 {
			*fields = append(*fields, field(name+"/"+part, "invalid_time", "expected HH:MM, e.g. 08:00"))
			return 0
		}
		return hv*60 + mv
	}
	return planner.Hours{Start: clock(h.Start, "start"), End: clock(h.End, "end")}
}

var weekdayNames = map[string]time.Weekday{}

func init() {
	for d := time.Sunday; d <= time.Saturday; d++ {
		weekdayNames[strings.ToLower(d.String())] = d
		weekdayNames[strings.ToLower(d.String()[:3])] = d
	}
}

func slots(c *gin.Context) {
	var body SlotsRequest
	if err := httpx.Bind(c, &body); err != nil {
		httpx.Fail(c, err)
		return
	}
	var fields []problem.FieldError
	instant := func(s, name string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		switch {
		case err != nil:
			fields = append(fields, field(name, "invalid_instant", "expected an RFC 3339 instant such as 2022-12-05T00:00:00+01:00"))
		case !db.StorableTime(t):
			fields = append(fields, field(name, "instant_out_of_range", db.TimeRange))
		}
		return t
	}
	req := planner.Request{
		From: instant(body.From, "from"), To: instant(body.To, "to"),
		Duration:  time.Duration(body.DurationMinutes) * time.Minute,
		Step:      time.Duration(body.StepMinutes) * time.Minute,
		Audiences: body.Audiences, Limit: body.Limit, MaxSessions: body.MaxSessions,
		Hours: parseHours(body.Hours, "hours", &fields),
	}
	regions, rfields := ParseRegions(body.Regions, "regions")
	fields = append(fields, rfields...)
	req.Regions = regions
	if ct := body.Constraints; ct != nil {
		req.Constraints.Venue = ct.Venue
		req.Constraints.VenueHours = parseHours(ct.VenueHours, "constraints/venue_hours", &fields)
		for i, d := range ct.Weekdays {
			wd, ok := weekdayNames[strings.ToLower(strings.TrimSpace(d))]
			if !ok {
				fields = append(fields, field(fmt.Sprintf("constraints/weekdays/%d", i), "invalid_weekday", "expected a weekday such as Mon or Tuesday"))
			}
			req.Constraints.Weekdays = append(req.Constraints.Weekdays, wd)
		}
	}
	if len(fields) > 0 {
		httpx.Fail(c, problem.Invalid("invalid_request", "the planning request is invalid", fields...))
		return
	}
	res, err := planner.Slots(req)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, res)
}
