// Package audit is the trail of every secretariat change: who (the token, or the system),
// when, what (action, resource, meeting) and the resource before and after. Services
// record each change in the transaction that makes it, so the trail and the data never
// disagree; GET /v1/audit?meeting=... reads it. It is how a secretariat answers "who
// moved this session".
package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
)

// Change is one change to record. Before is nil for a creation, After for a deletion.
type Change struct {
	Action    string // e.g. session.reschedule
	Resource  string // meeting, session, agenda_item, registration, token ...
	ID        string
	MeetingID string
	Before    any
	After     any
}

// Entry is a recorded change.
type Entry struct {
	ID        string          `json:"id"`
	At        time.Time       `json:"at"`
	Actor     ActorJSON       `json:"actor"`
	Action    string          `json:"action"`
	Resource  string          `json:"resource"`
	RID       string          `json:"resource_id"`
	MeetingID string          `json:"meeting_id,omitempty"`
	RequestID string          `json:"request_id,omitempty"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
}

// ActorJSON is who made a change.
type ActorJSON struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

func encode(v any) (string, error) {
	if v == nil {
		return "null", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit: encode: %w", err)
	}
	return string(b), nil
}

// Record writes ch, made by the actor of ctx at at, within tx.
func Record(ctx context.Context, tx *sql.Tx, at time.Time, ch Change) error {
	r, err := Row(ctx, at, ch)
	if err != nil {
		return err
	}
	q, args := r.Insert()
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("record %s of %s %s: %w", ch.Action, ch.Resource, ch.ID, err)
	}
	return nil
}

// Row is the trail's row of ch, made by the actor of ctx at at, for a store that writes
// it in a statement of its own making (db.GuardedInsert); Record writes it alone.
func Row(ctx context.Context, at time.Time, ch Change) (db.Row, error) {
	a := auth.ActorFrom(ctx)
	before, err := encode(ch.Before)
	if err != nil {
		return db.Row{}, err
	}
	after, err := encode(ch.After)
	if err != nil {
		return db.Row{}, err
	}
	return db.Row{Table: "audit_log", Columns: entryColumns, Values: []any{
		uuid.Must(uuid.NewV7()).String(), at.UTC(), string(a.Kind), a.ID, a.Name, ch.Action, ch.Resource, ch.ID, ch.MeetingID, a.RequestID, before, after}}, nil
}

var entryColumns = []string{"id", "at", "actor_kind", "actor_id", "actor_name", "action", "resource_type", "resource_id", "meeting_id", "request_id", "before_json", "after_json"}

// TokenHook records token changes (auth.Store.Audit).
func TokenHook(now func() time.Time) func(ctx context.Context, tx *sql.Tx, action string, t auth.Token, before, after any) error {
	return func(ctx context.Context, tx *sql.Tx, action string, t auth.Token, before, after any) error {
		return Record(ctx, tx, now(), Change{Action: action, Resource: "token", ID: t.ID, Before: before, After: after})
	}
}

// Log reads the trail.
type Log struct{ db *db.DB }

// NewLog returns the reader of the trail.
func NewLog(d *db.DB) *Log { return &Log{db: d} }

// Query selects entries.
type Query struct {
	MeetingID string // one meeting's; all when empty
	Before    string // older than this entry (a cursor); the newest when empty
	Limit     int
	// WithTokens includes the administration of API tokens (for admins).
	WithTokens bool
}

// List returns entries newest first.
func (l *Log) List(ctx context.Context, q Query) ([]Entry, error) {
	const sel = `SELECT id, at, actor_kind, actor_id, actor_name, action, resource_type, resource_id, meeting_id, request_id, before_json, after_json
		FROM audit_log WHERE ($1 = '' OR meeting_id = $1) AND ($2 = '' OR id < $2) AND ($3 OR resource_type <> 'token') ORDER BY id DESC LIMIT $4`
	rows, err := l.db.QueryContext(ctx, sel, q.MeetingID, q.Before, q.WithTokens, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		var e Entry
		var b, a string
		if err := rows.Scan(&e.ID, &e.At, &e.Actor.Kind, &e.Actor.ID, &e.Actor.Name, &e.Action, &e.Resource, &e.RID, &e.MeetingID, &e.RequestID, &b, &a); err != nil {
			return nil, fmt.Errorf("list audit: %w", err)
		}
		e.At = e.At.UTC()
		e.Before, e.After = json.RawMessage(b), json.RawMessage(a)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Handlers is the HTTP adapter of the trail.
type Handlers struct{ log *Log }

// NewHandlers returns the trail's handlers.
func NewHandlers(l *Log) *Handlers { return &Handlers{log: l} }

// Register mounts GET /audit on rg (the /v1 group).
func (h *Handlers) Register(rg gin.IRoutes) { rg.GET("/audit", h.list) }

func (h *Handlers) list(c *gin.Context) {
	p, err := httpx.PageParams(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	meeting := c.Query("meeting")
	if len(meeting) > 64 {
		httpx.Fail(c, problem.Invalid("invalid_meeting", "meeting must be a meeting id"))
		return
	}
	admin := auth.ActorFrom(c.Request.Context()).Role == auth.RoleAdmin
	es, err := h.log.List(c, Query{MeetingID: meeting, Before: p.After, Limit: p.Limit + 1, WithTokens: admin})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	// The trail reads newest first: the cursor is the oldest entry shown.
	httpx.JSON(c, http.StatusOK, httpx.PageOf(p, es, func(e Entry) string { return e.ID }, func(e Entry) Entry { return e }))
}
