// Package privacy answers a person's requests about their data (GDPR articles 15 and
// 17): export everything Plenary holds about a registrant, found by email address, and
// erase it, with the reminders and the calendar feed that hang on it. Each erasure is in
// the audit trail without the personal data itself.
//
// Interpreters are not covered yet: the interpretation service has no deletion or
// anonymisation of an interpreter to call.
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
	Email         string                  `json:"email"`
	Registrations []Registration `json:"registrations"`
	// Deliveries are the emails planned or sent to the person, with their content.
	Deliveries []Delivery `json:"deliveries"`
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
	out := Export{Email: email, Registrations: []Registration{}, Deliveries: []Delivery{}}
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
		rows, err := s.db.QueryContext(ctx, `SELECT id, kind, meeting_id, session_id, state, due_at, payload FROM notifier_deliveries WHERE recipient = $1 ORDER BY due_at, id`, recipientOf(id))
		if err != nil {
			return out, fmt.Errorf("read deliveries: %w", err)
		}
		for rows.Next() {
			var d Delivery
			var payload string
			if err := rows.Scan(&d.ID, &d.Kind, &d.MeetingID, &d.SessionID, &d.State, &d.DueAt, &payload); err != nil {
				rows.Close()
				return out, fmt.Errorf("read deliveries: %w", err)
			}
			d.DueAt = d.DueAt.UTC()
			d.Payload = json.RawMessage(payload)
			if !json.Valid(d.Payload) {
				b, _ := json.Marshal(payload)
				d.Payload = b
			}
			out.Deliveries = append(out.Deliveries, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return out, err
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
			if _, err := tx.ExecContext(ctx, `UPDATE notifier_registrations SET name = '', email = '', deleted = TRUE WHERE id = $1`, id); err != nil {
				return fmt.Errorf("erase the notifier's copy of %s: %w", id, err)
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM notifier_deliveries WHERE recipient = $1`, recipientOf(id))
			if err != nil {
				return fmt.Errorf("erase deliveries of %s: %w", id, err)
			}
			n, _ := res.RowsAffected()
			out.Deliveries += int(n)
			// The trail says that an erasure happened, never whose data it was.
			return audit.Record(ctx, tx, s.now(), audit.Change{Action: "person.erase", Resource: "registration", ID: id, MeetingID: r.MeetingID,
				After: map[string]int64{"deliveries": n}})
		})
		if err != nil {
			return out, err
		}
		out.Registrations++
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
