// Package privacy answers a person's requests about their data (GDPR articles 15 and
// 17): export everything Plenary holds about a registrant, found by email address, and
// erase it, with the reminders and the calendar feed that hang on it. Each erasure is in
// the audit trail without the personal data itself.
// The same goes for an interpreter: their profile, assignments and emails; erasure
// anonymises the profile (assignments stay, for the meetings' records, without a name)
// and is refused while the interpreter still holds an assignment to come. A delegation's
// interpreter listed on a session's staffed channel is found by the same address and
// removed from the channel.
package privacy

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/registration"
)

// Privacy owns no table. It asks each owner of personal data to export and erase its
// part, through these interfaces (main wires the services in).

// Registrations is the registration service's part.
type Registrations interface {
	ByEmail(ctx context.Context, email string) ([]registration.Registration, error)
	Erase(ctx context.Context, ids []string) (int, error)
}

// Interpreters is the interpretation service's part.
type Interpreters interface {
	InterpretersByEmail(ctx context.Context, email string) ([]interpretation.PersonInterpreter, error)
	CheckErasable(ctx context.Context, ids []string) error
	EraseInterpreters(ctx context.Context, ids []string) error
}

// Channels is the agenda's part: the interpreters a delegation or partner listed on a
// session's staffed channel, by address.
type Channels interface {
	ChannelInterpretersByEmail(ctx context.Context, email string) ([]agenda.ChannelInterpreterEntry, error)
	EraseChannelInterpreter(ctx context.Context, email string) ([]agenda.Session, error)
}

// Notifier is the notifier's part: its copies of the person and the emails to them.
type Notifier interface {
	PersonDeliveries(ctx context.Context, p notifier.Person) ([]notifier.PersonDelivery, error)
	ErasePerson(ctx context.Context, p notifier.Person) (int, error)
}

// Trail is the audit trail's part.
type Trail interface {
	RecordErasurePlan(ctx context.Context, at time.Time, plan []audit.Erasure) error
	Erase(ctx context.Context, at time.Time, done []audit.Erasure) error
}

// Owners are the owners of personal data; a nil owner holds nothing (a process without
// the service).
type Owners struct {
	Registrations Registrations
	Interpreters  Interpreters
	Channels      Channels
	Notifier      Notifier
	Trail         Trail
}

// Service finds and erases a person's data.
type Service struct {
	o   Owners
	now func() time.Time
}

// NewService returns the privacy service.
func NewService(o Owners, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{o: o, now: now}
}

// Export is everything held about one email address.
type Export struct {
	Email         string         `json:"email"`
	Registrations []Registration `json:"registrations"`
	// Deliveries are the emails planned or sent to the person, with their content.
	Deliveries []notifier.PersonDelivery `json:"deliveries"`
	// Interpreters are the person's interpreter profiles, with their assignments.
	Interpreters []interpretation.PersonInterpreter `json:"interpreters"`
	// ChannelInterpreters: where a delegation or partner listed the person as an
	// interpreter of a session's staffed channel.
	ChannelInterpreters []agenda.ChannelInterpreterEntry `json:"channel_interpreters"`
}

// Registration is one registration as exported.
type Registration struct {
	ID               string    `json:"id"`
	MeetingID        string    `json:"meeting_id"`
	Name             string    `json:"name"`
	Email            string    `json:"email"`
	Locale           string    `json:"locale"`
	TZ               string    `json:"tz"`
	Sessions         []string  `json:"sessions"`
	ConsentReminders bool      `json:"consent_reminders"`
	Unsubscribed     bool      `json:"unsubscribed"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

func view(r registration.Registration) Registration {
	s := r.Sessions
	if s == nil {
		s = []string{}
	}
	return Registration{ID: r.ID, MeetingID: r.MeetingID, Name: r.Name, Email: r.Email, Locale: r.Locale, TZ: r.TZ, Sessions: s,
		ConsentReminders: r.ConsentReminders, Unsubscribed: r.Unsubscribed, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// Erased says what an erasure removed.
type Erased struct {
	Registrations int `json:"registrations"`
	Interpreters  int `json:"interpreters"`
	Deliveries    int `json:"deliveries"`
	// ChannelInterpreters counts the sessions whose staffed channels listed the person.
	ChannelInterpreters int `json:"channel_interpreters"`
}

func normalise(email string) (string, error) {
	e, ok := registration.ValidEmail(email)
	if !ok {
		return "", problem.Invalid("invalid_email", "email must be one address such as ana@example.org",
			problem.FieldError{Field: "email", Code: "invalid_email", Message: "one address"})
	}
	return e, nil
}

// found is what the owners hold about one address.
type found struct {
	regs     []registration.Registration
	its      []interpretation.PersonInterpreter
	channels []agenda.ChannelInterpreterEntry
}

func (s *Service) find(ctx context.Context, email string) (found, error) {
	var f found
	var err error
	if s.o.Registrations != nil {
		if f.regs, err = s.o.Registrations.ByEmail(ctx, email); err != nil {
			return f, err
		}
	}
	if s.o.Interpreters != nil {
		if f.its, err = s.o.Interpreters.InterpretersByEmail(ctx, email); err != nil {
			return f, err
		}
	}
	if s.o.Channels != nil {
		if f.channels, err = s.o.Channels.ChannelInterpretersByEmail(ctx, email); err != nil {
			return f, err
		}
	}
	return f, nil
}

// person names the found data the way the notifier keys it.
func (f found) person() notifier.Person {
	var p notifier.Person
	for _, r := range f.regs {
		p.Registrations = append(p.Registrations, notifier.PersonRegistration{ID: r.ID, MeetingID: r.MeetingID, Version: r.Version})
	}
	for _, it := range f.its {
		p.Interpreters = append(p.Interpreters, it.ID)
		for _, a := range it.Assignments {
			p.Assignments = append(p.Assignments, a.ID)
		}
	}
	return p
}

// Export returns the person's registrations, interpreter profiles and the emails planned
// or sent to them.
func (s *Service) Export(ctx context.Context, email string) (Export, error) {
	email, err := normalise(email)
	if err != nil {
		return Export{}, err
	}
	out := Export{Email: email, Registrations: []Registration{}, Deliveries: []notifier.PersonDelivery{}, Interpreters: []interpretation.PersonInterpreter{},
		ChannelInterpreters: []agenda.ChannelInterpreterEntry{}}
	f, err := s.find(ctx, email)
	if err != nil {
		return out, err
	}
	for _, r := range f.regs {
		out.Registrations = append(out.Registrations, view(r))
	}
	out.Interpreters = append(out.Interpreters, f.its...)
	out.ChannelInterpreters = append(out.ChannelInterpreters, f.channels...)
	if s.o.Notifier != nil {
		ds, err := s.o.Notifier.PersonDeliveries(ctx, f.person())
		if err != nil {
			return out, err
		}
		out.Deliveries = append(out.Deliveries, ds...)
	}
	return out, nil
}

// Erase removes the person's data by asking each owner to erase its part, one
// transaction per owner, after a plan of what will go is in the trail. The order makes an
// interruption harmless and a second run finish the job: nothing is touched while an
// interpreter still holds a seat to come; the notifier's tombstones come first, so that
// the registration.deleted events about to be emitted (and any replay of the stream)
// cannot bring the person back; the trail forgets the content last, after the owners'
// own entries of the erasure are written.
func (s *Service) Erase(ctx context.Context, email string) (Erased, error) {
	email, err := normalise(email)
	if err != nil {
		return Erased{}, err
	}
	f, err := s.find(ctx, email)
	if err != nil {
		return Erased{}, err
	}
	p := f.person()
	if len(p.Interpreters) > 0 {
		if err := s.o.Interpreters.CheckErasable(ctx, p.Interpreters); err != nil {
			return Erased{}, err
		}
	}
	var plan []audit.Erasure
	for _, r := range f.regs {
		plan = append(plan, audit.Erasure{Resource: "registration", ID: r.ID, MeetingID: r.MeetingID})
	}
	for _, it := range f.its {
		plan = append(plan, audit.Erasure{Resource: "interpreter", ID: it.ID})
	}
	// A session that listed the person forgets only the trail entries that hold the
	// address (its other history stays).
	seen := map[string]bool{}
	for _, c := range f.channels {
		if !seen[c.SessionID] {
			seen[c.SessionID] = true
			plan = append(plan, audit.Erasure{Resource: "session", ID: c.SessionID, MeetingID: c.MeetingID, Containing: email})
		}
	}
	if len(plan) == 0 {
		return Erased{}, nil
	}
	now := s.now().UTC()
	if s.o.Trail != nil {
		if err := s.o.Trail.RecordErasurePlan(ctx, now, plan); err != nil {
			return Erased{}, err
		}
	}
	var out Erased
	if s.o.Notifier != nil {
		if out.Deliveries, err = s.o.Notifier.ErasePerson(ctx, p); err != nil {
			return out, fmt.Errorf("erase the notifier's part: %w", err)
		}
	}
	if len(f.regs) > 0 {
		ids := make([]string, len(f.regs))
		for i, r := range f.regs {
			ids[i] = r.ID
		}
		if out.Registrations, err = s.o.Registrations.Erase(ctx, ids); err != nil {
			return out, fmt.Errorf("erase registrations: %w", err)
		}
	}
	if len(p.Interpreters) > 0 {
		if err := s.o.Interpreters.EraseInterpreters(ctx, p.Interpreters); err != nil {
			return out, fmt.Errorf("erase interpreters: %w", err)
		}
		out.Interpreters = len(p.Interpreters)
	}
	if len(f.channels) > 0 {
		xs, err := s.o.Channels.EraseChannelInterpreter(ctx, email)
		if err != nil {
			return out, fmt.Errorf("erase channel interpreters: %w", err)
		}
		out.ChannelInterpreters = len(xs)
	}
	if s.o.Trail != nil {
		if err := s.o.Trail.Erase(ctx, now, plan); err != nil {
			return out, err
		}
	}
	return out, nil
}

// Handlers is the admin API of personal data.
type Handlers struct{ svc *Service }

// NewHandlers returns the handlers.
func NewHandlers(s *Service) *Handlers { return &Handlers{svc: s} }

// Register mounts POST /people/export and POST /people/erase on rg (the /v1 group). Both
// take the address in the body, so that it stays out of URLs and access logs.
func (h *Handlers) Register(rg gin.IRoutes) {
	rg.POST("/people/export", h.export)
	rg.POST("/people/erase", h.erase)
}

type personInput struct {
	Email string `json:"email"`
}

func (h *Handlers) export(c *gin.Context) {
	var in personInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	out, err := h.svc.Export(c, in.Email)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	httpx.JSON(c, http.StatusOK, out)
}

func (h *Handlers) erase(c *gin.Context) {
	var in personInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	out, err := h.svc.Erase(c, in.Email)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, out)
}
