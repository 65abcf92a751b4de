package agenda

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/text/language"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/scheduler/planner"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/i18n"
	"github.com/plenary/plenary/services/platform/problem"
)

// Localized is a multilingual field shown in one language, saying which language was
// used and whether the requested one was missing.
type Localized struct {
	Text               string   `json:"text"`
	Lang               string   `json:"lang"`
	TranslationMissing bool     `json:"translation_missing"`
	Available          []string `json:"available_languages"`
}

// Localize picks t's value for lang with the fallback chain of the trade: the exact tag
// (fr-CA), its base language (fr), the meeting's default language, English, then the
// first available language in tag order.
func Localize(t contracts.Text, lang, defaultLang string) Localized {
	l := i18n.Pick(t, lang, defaultLang)
	return Localized{Text: l.Text, Lang: l.Lang, TranslationMissing: l.TranslationMissing, Available: l.Available}
}

// LocalTimes is a time range shown in one zone.
type LocalTimes struct {
	TZ     string `json:"tz"`
	Start  string `json:"start"` // RFC 3339 with the zone's offset
	End    string `json:"end"`
	Offset string `json:"offset"`
	Abbrev string `json:"abbreviation,omitempty"`
	// Text is the start as a reader of the requested language writes it.
	Text string `json:"text,omitempty"`
	// DayShift is the reader's calendar day against the venue's (+1: a day later).
	DayShift int `json:"day_shift"`
}

// agendaTimes writes the times of one agenda: an agenda of 500 sessions shows a few
// thousand times, most of them instants it shows elsewhere too (parallel rooms, an item
// starting with its session, one item ending as the next starts), so each (instant,
// zone) is written once.
type agendaTimes struct {
	briefs *zone.Briefs
	rfc    map[instantIn]string
}

type instantIn struct {
	unix int64
	loc  *time.Location
}

// newAgendaTimes is for an agenda of about n instants.
func newAgendaTimes(lang string, venue *time.Location, n int) *agendaTimes {
	return &agendaTimes{briefs: zone.NewBriefs(lang, venue), rfc: make(map[instantIn]string, n)}
}

func (a *agendaTimes) local(start, end time.Time, z zone.Zone) LocalTimes {
	r := a.briefs.Brief(start, z.Location)
	return LocalTimes{
		TZ: z.Name, Start: a.rfc3339(start, z.Location), End: a.rfc3339(end, z.Location),
		Offset: r.Offset, Abbrev: r.Abbrev, Text: r.Text, DayShift: r.DayShift,
	}
}

// rfc3339 is t in loc as RFC 3339; the stored instants are whole seconds, others are
// written each time.
func (a *agendaTimes) rfc3339(t time.Time, loc *time.Location) string {
	if t.Nanosecond() != 0 {
		return t.In(loc).Format(time.RFC3339)
	}
	k := instantIn{t.Unix(), loc}
	s, ok := a.rfc[k]
	if !ok {
		s = formatRFC3339(t, loc)
		a.rfc[k] = s
	}
	return s
}

// formatRFC3339 is t.In(loc).Format(time.RFC3339) for a whole second of the years 0 to
// 9999, written from the wall clock as a UTC time: each field of a zoned time looks the
// offset up again, and past the zone's last transition that works its rule out.
func formatRFC3339(t time.Time, loc *time.Location) string {
	_, off := t.In(loc).Zone()
	w := time.Unix(t.Unix()+int64(off), 0).UTC()
	y, mo, d := w.Date()
	if y < 0 || y > 9999 {
		return t.In(loc).Format(time.RFC3339)
	}
	h, mi, sec := w.Clock()
	b := make([]byte, 0, 25)
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+int(mo)/10), byte('0'+int(mo)%10), '-', byte('0'+d/10), byte('0'+d%10), 'T')
	b = append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+sec/10), byte('0'+sec%10))
	// As Format: the offset in minutes (seconds of an old local mean time dropped), Z for 0.
	z := off / 60
	if z == 0 {
		return string(append(b, 'Z'))
	}
	sign := byte('+')
	if z < 0 {
		sign, z = '-', -z
	}
	b = append(b, sign, byte('0'+z/600), byte('0'+z/60%10), ':', byte('0'+z%60/10), byte('0'+z%10))
	return string(b)
}

// AgendaView is a meeting's whole agenda for one reader's zone and language.
type AgendaView struct {
	Meeting struct {
		ID          string    `json:"id"`
		Title       Localized `json:"title"`
		VenueTZ     string    `json:"venue_tz"`
		Format      string    `json:"format"`
		DefaultLang string    `json:"default_lang"`
		Platform    string    `json:"platform"`
	} `json:"meeting"`
	TZ            string `json:"tz"`
	Lang          string `json:"lang"`
	TZDataVersion string `json:"tzdata_version"`
	Revision      int64  `json:"revision"`
	// Interpretation is the checker's latest verdict on the meeting's booths, when planned.
	Interpretation *InterpretationStatus `json:"interpretation,omitempty"`
	Sessions       []SessionView         `json:"sessions"`
}

// SessionView is one session in the agenda.
type SessionView struct {
	ID              string     `json:"id"`
	Title           Localized  `json:"title"`
	Status          string     `json:"status"`
	CancelReason    string     `json:"cancel_reason,omitempty"`
	StartUTC        string     `json:"start_utc"`
	EndUTC          string     `json:"end_utc"`
	Venue           LocalTimes `json:"venue"`
	Local           LocalTimes `json:"local"`
	FloorLanguages  []string   `json:"floor_languages"`
	OutputLanguages []string   `json:"output_languages"`
	Audience        []string   `json:"audience"`
	// StaffedChannels are the outputs a delegation or partner staffs (who, not their
	// interpreters: the agenda may be public).
	StaffedChannels []ChannelView `json:"staffed_channels"`
	ScheduleVersion int64         `json:"schedule_version"`
	// OutsideWorkingHours flags a session most of its audience would attend outside
	// working hours; OutsideShare is the weighted share.
	OutsideWorkingHours bool    `json:"outside_working_hours"`
	OutsideShare        float64 `json:"outside_share"`
	// Interpretation is the session's part of the checker's verdict, when planned.
	Interpretation *SessionInterpretation `json:"interpretation,omitempty"`
	Items          []ItemView             `json:"items"`
}

// ChannelView is an output channel staffed by others, as the agenda shows it.
type ChannelView struct {
	Language  string `json:"language"`
	StaffedBy string `json:"staffed_by"`
}

// ItemView is one agenda item in the agenda.
type ItemView struct {
	ID       string      `json:"id"`
	Position int         `json:"position"`
	Title    Localized   `json:"title"`
	StartUTC string      `json:"start_utc,omitempty"`
	EndUTC   string      `json:"end_utc,omitempty"`
	Local    *LocalTimes `json:"local,omitempty"`
	Speakers []Speaker   `json:"speakers"`
	Language string      `json:"language,omitempty"`
}

// InterpretationStatus is what the agenda shows of a meeting's staffing: the latest
// verdict of the interpretation checker, which re-runs after every change (after a
// session change, from its event). The interpretation service provides it
// (SetInterpretationStatus) and raises the agenda revision (TouchAgenda) when its verdict
// changes, so the cached agenda stays true.
type InterpretationStatus struct {
	CheckedAt time.Time `json:"checked_at"`
	// Revision is the agenda revision the verdict was computed for; an agenda of a later
	// revision may still wait for its re-check.
	Revision    int64                   `json:"revision"`
	Assignments int                     `json:"assignments"`
	OK          bool                    `json:"ok"`
	Violations  []InterpretationProblem `json:"violations"`
	// Routes: how each floor language reaches each staffed booth; shown per session.
	Routes []InterpretationRoute `json:"-"`
}

// InterpretationRoute is how one floor language reaches one booth of a session: direct
// (Direct: who has it first-hand), relay (from the pivot booth From, interpreted into Via,
// given by Givers), or missing (the violations say why).
type InterpretationRoute struct {
	SessionID string           `json:"-"`
	Booth     string           `json:"-"`
	Floor     string           `json:"floor"`
	Mode      string           `json:"mode"`
	Direct    []InterpreterRef `json:"direct"`
	From      string           `json:"from,omitempty"`
	Via       string           `json:"via,omitempty"`
	Givers    []InterpreterRef `json:"givers,omitempty"`
}

// InterpreterRef names an interpreter in the verdict.
type InterpreterRef struct {
	ID   string `json:"interpreter_id"`
	Name string `json:"interpreter_name"`
}

// BoothRoutes is how the floor languages reach one booth of a session.
type BoothRoutes struct {
	Booth  string                `json:"booth"`
	Routes []InterpretationRoute `json:"routes"`
}

// InterpretationProblem is one rule a staffed booth breaks.
type InterpretationProblem struct {
	SessionID string `json:"session_id"`
	Booth     string `json:"booth,omitempty"`
	Rule      string `json:"rule"`
	// Code and Args: the checker's message (scheduler/interp); Message is it written in
	// the agenda's language.
	Code    string       `json:"code,omitempty"`
	Args    *interp.Args `json:"args,omitempty"`
	Message string       `json:"message"`
}

// SessionInterpretation is a session's part of the verdict.
type SessionInterpretation struct {
	OK         bool                    `json:"ok"`
	Violations []InterpretationProblem `json:"violations"`
	// Booths: per staffed booth, in language order, how each floor language reaches it.
	Booths []BoothRoutes `json:"booths"`
}

// InterpretationStatusFunc returns a meeting's latest verdict, false when never checked.
// It reads through q, the agenda's own transaction, so the verdict and the sessions it
// judges come from one snapshot (and SQLite's single connection is not asked twice).
// lang is the agenda's language, in which the verdict's messages are written.
type InterpretationStatusFunc func(ctx context.Context, q db.Querier, meetingID, lang string) (InterpretationStatus, bool, error)

// SetInterpretationStatus lets the agenda show the interpretation checker's verdict.
func (s *Service) SetInterpretationStatus(f InterpretationStatusFunc) { s.interpretation = f }

// TouchAgenda raises a meeting's agenda revision after a change the agenda shows that is
// not the agenda's own (the interpretation verdict), and returns the new revision.
func (s *Service) TouchAgenda(ctx context.Context, meetingID string) (int64, error) {
	err := s.store.bumpAgenda(ctx, s.db, meetingID, s.clock())
	agendaWritten()
	if err != nil {
		return 0, err
	}
	return s.store.agendaRevision(ctx, meetingID)
}

// RaiseAgendaFrom raises a meeting's agenda revision from rev to rev+1 and, in the same
// transaction, runs with(q, rev+1): what the agenda shows of another owner's table (the
// interpretation verdict) is written together with the revision that shows it, so no
// reader ever sees the new revision without it (and caches that agenda under it). False
// when the revision is no longer rev: nothing is raised and with does not run.
func (s *Service) RaiseAgendaFrom(ctx context.Context, meetingID string, rev int64, with func(q db.Querier, rev int64) error) (bool, error) {
	raised := false
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		ok, err := s.store.bumpAgendaFrom(ctx, tx, meetingID, rev, s.clock())
		if err != nil || !ok {
			return err
		}
		raised = true
		return with(tx, rev+1)
	})
	agendaWritten()
	return raised && err == nil, err
}

// AgendaRevision is a meeting's agenda revision, raised by every change the agenda shows.
func (s *Service) AgendaRevision(ctx context.Context, meetingID string) (int64, error) {
	return s.store.agendaRevision(ctx, meetingID)
}

// agendaCache keeps rendered agendas by meeting, agenda revision, zone and language. A
// write raises the revision, so a stale entry is never served, on any replica.
type agendaCache struct {
	// lru keeps each rendering with its compressed forms, made once when first asked,
	// and its entity tag.
	lru   *lru.Cache[agendaKey, cachedAgenda]
	heads *headReads
	kept  keptHeads
	// readers are parsed (tz, lang) pairs: a reader's zone and language tag are parsed
	// once. Keyed by a struct, not a joined string, so a lookup allocates nothing.
	readersMu sync.RWMutex
	readers   map[readerKey]parsedReader
}

// agendaKey names one rendering: a struct (not a joined string) so that a lookup, which
// every public GET and 304 makes, allocates nothing.
type agendaKey struct {
	meetingID string
	revision  int64
	tz, lang  string
	staffing  bool
}

type cachedAgenda struct {
	wire *httpx.Representation
	etag string
}

type readerKey struct{ tz, lang string }

func newAgendaCache(n int) *agendaCache {
	c, err := lru.New[agendaKey, cachedAgenda](n)
	if err != nil {
		panic(err) // only for n <= 0
	}
	return &agendaCache{lru: c, heads: newHeadReads(), readers: map[readerKey]parsedReader{}}
}

// RenderedAgenda is the agenda as JSON bytes with its entity tag (of the identity coding).
type RenderedAgenda struct {
	Body []byte
	ETag string
	// Wire is Body with its compressed forms, kept with it in the cache.
	Wire *httpx.Representation
}

// AgendaJSON returns the agenda of a meeting rendered for tz and lang. It costs one
// indexed read when the agenda has not changed since it was last rendered.
//
// staffing adds the interpretation checker's verdict, which names interpreters and their
// other bookings: it is for the secretariat, not for the public agenda.
func (s *Service) AgendaJSON(ctx context.Context, meetingID, tz, lang string, staffing bool) (RenderedAgenda, error) {
	head, err := s.AgendaHead(ctx, meetingID)
	if err != nil {
		return RenderedAgenda{}, err
	}
	a, _, err := s.agendaAt(ctx, meetingID, head, tz, lang, staffing, nil)
	return a, err
}

// agendaAt serves the agenda at the revision of head: when held (nil: never) says the
// reader already holds its entity tag, only the tag (notModified, no body, no further
// work); else the cached rendering, or a new one.
func (s *Service) agendaAt(ctx context.Context, meetingID string, head AgendaHead, tz, lang string, staffing bool, held func(etag string) bool) (a RenderedAgenda, notModified bool, err error) {
	reader, lang, err := s.readerOf(tz, lang)
	if err != nil {
		return a, false, err
	}
	key := agendaKey{meetingID: meetingID, revision: head.Revision, tz: reader.Name, lang: lang, staffing: staffing}
	if r, ok := s.cache.lru.Get(key); ok {
		if held != nil && held(r.etag) {
			return RenderedAgenda{ETag: r.etag}, true, nil
		}
		return RenderedAgenda{Body: r.wire.Identity(), ETag: r.etag, Wire: r.wire}, false, nil
	}
	if etag := key.etag(); held != nil && held(etag) {
		return RenderedAgenda{ETag: etag}, true, nil
	}
	v, err := s.Agenda(ctx, meetingID, reader, lang, staffing)
	if err != nil {
		return a, false, err
	}
	b, err := encodeAgenda(&v)
	if err != nil {
		return a, false, fmt.Errorf("encode agenda: %w", err)
	}
	// Cache under the revision that was rendered, which may be newer than the one read.
	key.revision = v.Revision
	r := cachedAgenda{wire: httpx.NewRepresentation(b), etag: key.etag()}
	s.cache.lru.Add(key, r)
	return RenderedAgenda{Body: b, ETag: r.etag, Wire: r.wire}, false, nil
}

// etag is the entity tag of the rendering k names: a digest of its name, so that every
// replica gives a rendering the same tag without comparing bytes.
func (k agendaKey) etag() string {
	audience := "public"
	if k.staffing {
		audience = "staff"
	}
	name := k.meetingID + "\x00" + strconv.FormatInt(k.revision, 10) + "\x00" + k.tz + "\x00" + k.lang + "\x00" + audience
	sum := sha256.Sum256([]byte(name))
	return `"a-` + hex.EncodeToString(sum[:12]) + `"`
}

type parsedReader struct {
	zone zone.Zone
	lang string
}

// maxReaders bounds the parsed (tz, lang) pairs kept: requests choose them, so an
// unbounded map would let anyone grow the process.
const maxReaders = 4096

// readerOf parses the reader's zone and language, remembering valid pairs.
func (s *Service) readerOf(tz, lang string) (zone.Zone, string, error) {
	k := readerKey{tz, lang}
	c := s.cache
	c.readersMu.RLock()
	p, ok := c.readers[k]
	c.readersMu.RUnlock()
	if ok {
		return p.zone, p.lang, nil
	}
	z, l, err := readerOf(tz, lang)
	if err != nil {
		return z, l, err
	}
	c.readersMu.Lock()
	if len(c.readers) >= maxReaders {
		clear(c.readers)
	}
	c.readers[k] = parsedReader{zone: z, lang: l}
	c.readersMu.Unlock()
	return z, l, nil
}

func readerOf(tz, lang string) (zone.Zone, string, error) {
	var z zone.Zone
	var err error
	if tz == "" {
		z, err = zone.Parse("UTC")
	} else {
		z, err = zone.Parse(tz)
	}
	if err != nil {
		return z, "", fieldProblem("tz", err)
	}
	if lang == "" {
		lang = "en"
	}
	tag, err := language.Parse(lang)
	if err != nil || len(lang) > 35 {
		return z, "", problem.Invalid("invalid_language", "lang must be a BCP 47 language tag such as en, fr or fr-CA",
			problem.FieldError{Field: "lang", Code: "invalid_language", Message: "a BCP 47 tag"})
	}
	return z, tag.String(), nil
}

// Agenda builds the agenda view of a meeting for the reader's zone and language, with
// the interpretation verdict when staffing is set. It is long because the meeting, its
// sessions, their items and the verdict are read in one transaction, so that the view
// (cached by agenda revision) is one snapshot.
func (s *Service) Agenda(ctx context.Context, meetingID string, reader zone.Zone, lang string, staffing bool) (AgendaView, error) {
	var v AgendaView
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return v, fmt.Errorf("read agenda: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	m, err := s.store.meeting(ctx, tx, meetingID, false)
	if err != nil {
		return v, err
	}
	sessions, err := s.store.agendaSessions(ctx, tx, meetingID)
	if err != nil {
		return v, err
	}
	items, err := s.store.agendaItems(ctx, tx, meetingID)
	if err != nil {
		return v, err
	}
	venue, err := zone.Parse(m.VenueTZ)
	if err != nil {
		return v, fmt.Errorf("venue zone of %s: %w", m.ID, err)
	}
	v.Meeting.ID, v.Meeting.VenueTZ, v.Meeting.Format = m.ID, m.VenueTZ, m.Format
	v.Meeting.DefaultLang, v.Meeting.Platform = m.DefaultLang, m.Platform
	v.Meeting.Title = Localize(m.Title, lang, m.DefaultLang)
	v.TZ, v.Lang, v.TZDataVersion, v.Revision = reader.Name, lang, zone.TZDataVersion(), m.AgendaRevision
	if staffing && s.interpretation != nil {
		st, ok, err := s.interpretation(ctx, tx, meetingID, lang)
		if err != nil {
			return v, fmt.Errorf("interpretation status of %s: %w", meetingID, err)
		}
		if ok {
			if st.Violations == nil {
				st.Violations = []InterpretationProblem{}
			}
			v.Interpretation = &st
		}
	}
	// Routes by session, in booth and floor order as the checker states them.
	routes := map[string][]InterpretationRoute{}
	if v.Interpretation != nil {
		for _, r := range v.Interpretation.Routes {
			routes[r.SessionID] = append(routes[r.SessionID], r)
		}
	}
	v.Sessions = make([]SessionView, 0, len(sessions))
	fits := newAudienceFits(sessions, m.Regions)
	times := newAgendaTimes(lang, venue.Location, 4*len(sessions))
	for _, x := range sessions {
		sv := SessionView{
			ID: x.ID, Title: Localize(x.Title, lang, m.DefaultLang), Status: x.Status, CancelReason: x.CancelReason,
			StartUTC: times.rfc3339(x.StartUTC, time.UTC), EndUTC: times.rfc3339(x.EndUTC, time.UTC),
			Venue:          times.local(x.StartUTC, x.EndUTC, venue),
			Local:          times.local(x.StartUTC, x.EndUTC, reader),
			FloorLanguages: nonNil(x.Floor), OutputLanguages: nonNil(x.Outputs), Audience: nonNil(x.Audience),
			ScheduleVersion: x.ScheduleVersion, Items: []ItemView{}, StaffedChannels: make([]ChannelView, 0, len(x.StaffedChannels)),
		}
		for _, c := range x.StaffedChannels {
			sv.StaffedChannels = append(sv.StaffedChannels, ChannelView{Language: c.Language, StaffedBy: c.StaffedBy})
		}
		if share, mostly, ok := fits.share(x); ok {
			sv.OutsideWorkingHours, sv.OutsideShare = mostly, share
		}
		if v.Interpretation != nil {
			si := &SessionInterpretation{OK: true, Violations: []InterpretationProblem{}, Booths: []BoothRoutes{}}
			for _, p := range v.Interpretation.Violations {
				if p.SessionID == x.ID {
					si.OK = false
					si.Violations = append(si.Violations, p)
				}
			}
			for _, r := range routes[x.ID] {
				if n := len(si.Booths); n == 0 || si.Booths[n-1].Booth != r.Booth {
					si.Booths = append(si.Booths, BoothRoutes{Booth: r.Booth, Routes: []InterpretationRoute{}})
				}
				si.Booths[len(si.Booths)-1].Routes = append(si.Booths[len(si.Booths)-1].Routes, r)
			}
			sv.Interpretation = si
		}
		for _, it := range items[x.ID] {
			iv := ItemView{ID: it.ID, Position: it.Position, Title: Localize(it.Title, lang, m.DefaultLang), Speakers: it.Speakers, Language: it.Language}
			if iv.Speakers == nil {
				iv.Speakers = []Speaker{}
			}
			if it.StartUTC != nil {
				end := *it.StartUTC
				if it.EndUTC != nil {
					end = *it.EndUTC
					iv.EndUTC = times.rfc3339(*it.EndUTC, time.UTC)
				}
				iv.StartUTC = times.rfc3339(*it.StartUTC, time.UTC)
				lt := times.local(*it.StartUTC, end, reader)
				iv.Local = &lt
			}
			sv.Items = append(sv.Items, iv)
		}
		v.Sessions = append(v.Sessions, sv)
	}
	return v, nil
}

// audienceFits measures the sessions of an agenda against their audiences (AudienceFit),
// resolving each distinct audience once for the span of its sessions rather than once
// per session.
type audienceFits struct {
	regions []planner.Region
	spans   map[string]*audienceSpan
}

type audienceSpan struct {
	from, to time.Time
	fitter   *planner.Fitter
	err      error
}

func audienceKey(audience []string) string { return strings.Join(audience, "\x00") }

func newAudienceFits(sessions []Session, regions []planner.Region) audienceFits {
	f := audienceFits{regions: regions, spans: map[string]*audienceSpan{}}
	for _, x := range sessions {
		if len(x.Audience) == 0 {
			continue
		}
		k := audienceKey(x.Audience)
		sp := f.spans[k]
		if sp == nil {
			f.spans[k] = &audienceSpan{from: x.StartUTC, to: x.EndUTC}
			continue
		}
		if x.StartUTC.Before(sp.from) {
			sp.from = x.StartUTC
		}
		if x.EndUTC.After(sp.to) {
			sp.to = x.EndUTC
		}
	}
	return f
}

// share is AudienceFit's OutsideShare and MostlyOutside for x; false where AudienceFit
// is nil (no audience, or one the planner cannot measure).
func (f audienceFits) share(x Session) (share float64, mostly, ok bool) {
	if len(x.Audience) == 0 {
		return 0, false, false
	}
	sp := f.spans[audienceKey(x.Audience)]
	if sp == nil {
		r := AudienceFit(x, f.regions)
		if r == nil {
			return 0, false, false
		}
		return r.OutsideShare, r.MostlyOutside, true
	}
	if sp.fitter == nil && sp.err == nil {
		sp.fitter, sp.err = planner.NewFitter(sp.from, sp.to, x.Audience, f.regions...)
	}
	if sp.err != nil {
		return 0, false, false
	}
	share, mostly, err := sp.fitter.Share(x.StartUTC, x.EndUTC)
	return share, mostly, err == nil
}
