// Package privacy answers a person's requests about their data (GDPR articles 15 and
// 17): export everything Plenary holds about a registrant, found by email address, and
// erase it, with the reminders and the calendar feed that hang on it. Each erasure is in
// the audit trail without the personal data itself.
// The same goes for an interpreter: their profile, assignments and emails; erasure
// anonymises the profile (assignments stay, for the meetings' records, without a name)
// and is refused while the interpreter still holds an assignment to come.
package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/registration"
)

// Service finds and erases a person's data.
type Service struct {
	db   *db.DB
	regs *registration.Service
	now  func() time.Time
}

// NewService returns the privacy service.
func NewService(d *db.DB, regs *registration.Service, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, regs: regs, now: now}
}

// Export is everything held about one email address.
type Export struct {
	Email         string         `json:"email"`
	Registrations []Registration `json:"registrations"`
	// Deliveries are the emails planned or sent to the person, with their content.
	Deliveries []Delivery `json:"deliveries"`
	// Interpreters are the person's interpreter profiles, with their assignments.
	Interpreters []Interpreter `json:"interpreters"`
}

// Interpreter is an interpreter profile as exported.
type Interpreter struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Email       string          `json:"email"`
	Locale      string          `json:"locale"`
	TZ          string          `json:"tz"`
	Languages   json.RawMessage `json:"languages"`
	Unavailable json.RawMessage `json:"unavailable"`
	Preferences json.RawMessage `json:"preferences"`
	Assignments []Assignment    `json:"assignments"`
}

// Assignment is one of an interpreter's assignments as exported.
type Assignment struct {
	ID        string    `json:"id"`
	MeetingID string    `json:"meeting_id"`
	SessionID string    `json:"session_id"`
	Booth     string    `json:"booth"`
	Role      string    `json:"role"`
	State     string    `json:"state"`
	StartUTC  time.Time `json:"start_utc"`
	EndUTC    time.Time `json:"end_utc"`
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

// Delivery is one email of the notifier to the person.
type Delivery struct {
	ID        string          `json:"id"`
	Kind      string          `json:"kind"`
	MeetingID string          `json:"meeting_id"`
	SessionID string          `json:"session_id"`
	State     string          `json:"state"`
	DueAt     time.Time       `json:"due_at"`
	Payload   json.RawMessage `json:"payload"`
}

// Erased says what an erasure removed.
type Erased struct {
	Registrations int `json:"registrations"`
	Interpreters  int `json:"interpreters"`
	Deliveries    int `json:"deliveries"`
}

func normalise(email string) (string, error) {
	e, ok := registration.ValidEmail(email)
	if !ok {
		return "", problem.Invalid("invalid_email", "email must be one address such as ana@example.org",
			problem.FieldError{Field: "email", Code: "invalid_email", Message: "one address"})
	}
	return e, nil
}

// recipientOf is how the notifier names a registrant as a recipient.
func recipientOf(regID string) string { return "registration:" + regID }

func (s *Service) registrationIDs(ctx context.Context, email string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM registrations WHERE email = $1 ORDER BY id`, email)
	if err != nil {
		return nil, fmt.Errorf("find registrations: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Export returns the person's registrations and the emails planned or sent to them.
func (s *Service) Export(ctx context.Context, email string) (Export, error) {
	email, err := normalise(email)
	if err != nil {
		return Export{}, err
	}
	out := Export{Email: email, Registrations: []Registration{}, Deliveries: []Delivery{}, Interpreters: []Interpreter{}}
	ids, err := s.registrationIDs(ctx, email)
	if err != nil {
		return out, err
	}
	for _, id := range ids {
		r, err := s.regs.Get(ctx, id)
		if err != nil {
			return out, err
		}
		out.Registrations = append(out.Registrations, view(r))
		if out.Deliveries, err = s.deliveries(ctx, out.Deliveries, recipientOf(id)); err != nil {
			return out, err
		}
	}
	its, err := s.interpreters(ctx, email)
	if err != nil {
		return out, err
	}
	for _, it := range its {
		for _, a := range it.Assignments {
			if out.Deliveries, err = s.deliveries(ctx, out.Deliveries, assignmentRecipient(a.ID)); err != nil {
				return out, err
			}
		}
	}
	out.Interpreters = append(out.Interpreters, its...)
	return out, nil
}

// assignmentRecipient is how the notifier names an interpreter's assignment as a recipient.
func assignmentRecipient(id string) string { return "assignment:" + id }

func (s *Service) deliveries(ctx context.Context, out []Delivery, recipient string) ([]Delivery, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, meeting_id, session_id, state, due_at, payload FROM notifier_deliveries WHERE recipient = $1 ORDER BY due_at, id`, recipient)
	if err != nil {
		return out, fmt.Errorf("read deliveries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d Delivery
		var payload string
		if err := rows.Scan(&d.ID, &d.Kind, &d.MeetingID, &d.SessionID, &d.State, &d.DueAt, &payload); err != nil {
			return out, fmt.Errorf("read deliveries: %w", err)
		}
		d.DueAt = d.DueAt.UTC()
		d.Payload = json.RawMessage(payload)
		if !json.Valid(d.Payload) {
			b, _ := json.Marshal(payload)
			d.Payload = b
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func rawJSON(s string) json.RawMessage {
	if json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s)
	return b
}

// interpreters reads the interpreter profiles of an address (kept as typed, so compared
// without case), with their assignments.
func (s *Service) interpreters(ctx context.Context, email string) ([]Interpreter, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, email, locale, tz, languages, unavailable, preferences FROM interpreters WHERE LOWER(email) = $1 ORDER BY id`, email)
	if err != nil {
		return nil, fmt.Errorf("find interpreters: %w", err)
	}
	var out []Interpreter
	for rows.Next() {
		var it Interpreter
		var langs, unav, prefs string
		if err := rows.Scan(&it.ID, &it.Name, &it.Email, &it.Locale, &it.TZ, &langs, &unav, &prefs); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find interpreters: %w", err)
		}
		it.Languages, it.Unavailable, it.Preferences = rawJSON(langs), rawJSON(unav), rawJSON(prefs)
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Assignments = []Assignment{}
		rows, err := s.db.QueryContext(ctx, `SELECT id, meeting_id, session_id, booth, role, state, start_utc, end_utc FROM assignments WHERE interpreter_id = $1 ORDER BY start_utc, id`, out[i].ID)
		if err != nil {
			return nil, fmt.Errorf("read assignments: %w", err)
		}
		for rows.Next() {
			var a Assignment
			if err := rows.Scan(&a.ID, &a.MeetingID, &a.SessionID, &a.Booth, &a.Role, &a.State, &a.StartUTC, &a.EndUTC); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read assignments: %w", err)
			}
			a.StartUTC, a.EndUTC = a.StartUTC.UTC(), a.EndUTC.UTC()
			out[i].Assignments = append(out[i].Assignments, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Erase deletes the person's registrations (registration.deleted tells the notifier to
// stop reminding them; the calendar feed and links stop working), then removes what the
// notifier kept: its copy of name and address, and every email planned or sent.
func (s *Service) Erase(ctx context.Context, email string) (Erased, error) {
	email, err := normalise(email)
	if err != nil {
		return Erased{}, err
	}
	ids, err := s.registrationIDs(ctx, email)
	if err != nil {
		return Erased{}, err
	}
	var out Erased
	for _, id := range ids {
		r, err := s.regs.Get(ctx, id)
		if err != nil {
			return out, err
		}
		if err := s.regs.Delete(ctx, id, -1); err != nil {
			return out, fmt.Errorf("erase registration %s: %w", id, err)
		}
		err = s.db.Tx(ctx, func(tx *sql.Tx) error {
			// A tombstone, also when the notifier has not seen the registration yet: its
			// projection never updates a deleted row, so events still on their way cannot
			// bring the name and address back.
			if _, err := tx.ExecContext(ctx, `INSERT INTO notifier_registrations (id, meeting_id, name, email, locale, tz, sessions, consent_reminders, unsubscribed, deleted, version)
				VALUES ($1, $2, '', '', '', '', '[]', FALSE, TRUE, TRUE, $3)
				ON CONFLICT (id) DO UPDATE SET name = '', email = '', deleted = TRUE`, id, r.MeetingID, r.Version+1); err != nil {
				return fmt.Errorf("erase the notifier's copy of %s: %w", id, err)
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM notifier_deliveries WHERE recipient = $1`, recipientOf(id))
			if err != nil {
				return fmt.Errorf("erase deliveries of %s: %w", id, err)
			}
			n, _ := res.RowsAffected()
			out.Deliveries += int(n)
			// Earlier entries of the trail held the registration; they keep who changed it
			// and when. The trail says that an erasure happened, never whose data it was.
			if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET before_json = $2, after_json = $2 WHERE resource_type = 'registration' AND resource_id = $1`,
				id, `{"erased":true}`); err != nil {
				return fmt.Errorf("erase the trail of %s: %w", id, err)
			}
			return audit.Record(ctx, tx, s.now(), audit.Change{Action: "person.erase", Resource: "registration", ID: id, MeetingID: r.MeetingID,
				After: map[string]int64{"deliveries": n}})
		})
		if err != nil {
			return out, err
		}
		out.Registrations++
	}
	its, err := s.interpreters(ctx, email)
	if err != nil {
		return out, err
	}
	now := s.now().UTC()
	for _, it := range its {
		for _, a := range it.Assignments {
			if (a.State == "proposed" || a.State == "offered" || a.State == "accepted") && a.EndUTC.After(now) {
				return out, problem.New(problem.KindConflict, "interpreter_has_assignments",
					"interpreter %s still holds assignment %s (%s); withdraw their assignments to come first", it.ID, a.ID, a.State)
			}
		}
	}
	for _, it := range its {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			// The profile stays, for the assignments that name it, without the person.
			if _, err := tx.ExecContext(ctx, `UPDATE interpreters SET name = $2, email = '', unavailable = '[]', preferences = '{}', updated_at = $3, version = version + 1 WHERE id = $1`,
				it.ID, ErasedName, now); err != nil {
				return fmt.Errorf("erase interpreter %s: %w", it.ID, err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE notifier_assignments SET name = $2, email = '' WHERE interpreter_id = $1`, it.ID, ErasedName); err != nil {
				return fmt.Errorf("erase the notifier's copy of %s: %w", it.ID, err)
			}
			var n int64
			for _, a := range it.Assignments {
				res, err := tx.ExecContext(ctx, `DELETE FROM notifier_deliveries WHERE recipient = $1`, assignmentRecipient(a.ID))
				if err != nil {
					return fmt.Errorf("erase deliveries of %s: %w", a.ID, err)
				}
				k, _ := res.RowsAffected()
				n += k
			}
			out.Deliveries += int(n)
			// Earlier entries of the trail held the profile; they keep who changed it and when.
			if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET before_json = $2, after_json = $2 WHERE resource_type = 'interpreter' AND resource_id = $1`,
				it.ID, `{"erased":true}`); err != nil {
				return fmt.Errorf("erase the trail of %s: %w", it.ID, err)
			}
			return audit.Record(ctx, tx, now, audit.Change{Action: "person.erase", Resource: "interpreter", ID: it.ID, After: map[string]int64{"deliveries": n}})
		})
		if err != nil {
			return out, err
		}
		out.Interpreters++
	}
	return out, nil
}

// ErasedName replaces the name of an erased interpreter.
const ErasedName = "(erased)"

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
