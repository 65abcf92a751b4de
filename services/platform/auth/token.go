package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/versioned"
)

// TokenPrefix starts every secretariat token, so that a leaked one is easy to recognise
// (secret scanners, logs) and cannot be mistaken for a signed link.
const TokenPrefix = "pln_"

// tokenBytes is the entropy of a token.
const tokenBytes = 32

// maxTokenLen bounds what ParseBearer accepts before any work is done.
const maxTokenLen = 128

// Token is a secretariat API token as stored (never the secret itself).
type Token struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Role       Role       `json:"role"`
	Meetings   []string   `json:"meetings"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Actor returns the actor a request made with t acts as.
func (t Token) Actor() Actor {
	return Actor{Kind: ActorToken, ID: t.ID, Name: t.Name, Role: t.Role, Meetings: t.Meetings}
}

// NewToken is what the secretariat gives to create a token.
type NewToken struct {
	Name     string   `json:"name"`
	Role     Role     `json:"role"`
	Meetings []string `json:"meetings"`
}

// Validate checks a new token's fields.
func (n NewToken) Validate() error {
	var errs []problem.FieldError
	if !n.Role.Valid() {
		errs = append(errs, problem.FieldError{Field: "role", Code: "invalid_value", Message: "admin, planner or viewer"})
	}
	if len(n.Name) > 200 || strings.ContainsAny(n.Name, "\r\n") {
		errs = append(errs, problem.FieldError{Field: "name", Code: "invalid_value", Message: "one line of at most 200 characters"})
	}
	if len(n.Meetings) > 100 {
		errs = append(errs, problem.FieldError{Field: "meetings", Code: "too_many", Message: "at most 100 meetings"})
	}
	for i, m := range n.Meetings {
		if m == "" || len(m) > 64 {
			errs = append(errs, problem.FieldError{Field: fmt.Sprintf("meetings/%d", i), Code: "invalid_value", Message: "a meeting id"})
		}
	}
	if n.Role == RoleAdmin && len(n.Meetings) > 0 {
		errs = append(errs, problem.FieldError{Field: "meetings", Code: "not_allowed", Message: "an admin token cannot be limited to meetings"})
	}
	if len(errs) > 0 {
		return problem.Invalid("invalid_token_request", "the token request is not valid", errs...)
	}
	return nil
}

// Hash is what the database keeps of a token. A plain SHA-256 is right here, unlike for
// passwords: the token carries 256 random bits, so there is nothing to guess or look up
// in a dictionary and a slow hash (bcrypt, argon2) would only slow every request down.
// The lookup by hash also avoids comparing secrets in Go code.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ParseBearer reads a secretariat token from an Authorization header value. It accepts
// only "Bearer pln_<43 base64url characters>" and says nothing about why it refused.
func ParseBearer(header string) (string, bool) {
	if len(header) > maxTokenLen+len("Bearer ") {
		return "", false
	}
	scheme, tok, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	raw, ok := strings.CutPrefix(tok, TokenPrefix)
	if !ok || len(raw) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return "", false
	}
	if b, err := base64.RawURLEncoding.Strict().DecodeString(raw); err != nil || len(b) != tokenBytes {
		return "", false
	}
	return tok, true
}

// Store keeps the tokens.
type Store struct {
	db  *db.DB
	now func() time.Time
	// Audit, when set, records token changes in the transaction that makes them.
	Audit func(ctx context.Context, tx *sql.Tx, action string, t Token, before, after any) error

	mu sync.Mutex
	// seen is when each token's last_used_at was last written: at most once a minute, so
	// that reads do not turn into a write each. Bounded by the number of tokens.
	seen map[string]time.Time
	// cache keeps live tokens by hash for cacheTTL, so that a busy client costs one read
	// per token every few seconds. Revoking in this process takes effect at once; another
	// API replica notices within cacheTTL. Only valid tokens enter it, so it is bounded by
	// the number of tokens.
	cache map[string]cachedToken
}

type cachedToken struct {
	t     Token
	until time.Time
}

// cacheTTL bounds how long another replica may accept a token after its revocation.
const cacheTTL = 5 * time.Second

// NewStore returns the token store.
func NewStore(d *db.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: d, now: now, seen: map[string]time.Time{}, cache: map[string]cachedToken{}}
}

func (s *Store) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Create makes a token and returns it with its secret, which is not stored and cannot be
// shown again.
func (s *Store) Create(ctx context.Context, n NewToken) (Token, string, error) {
	if err := n.Validate(); err != nil {
		return Token{}, "", err
	}
	var raw [tokenBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return Token{}, "", fmt.Errorf("token entropy: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	meetings := n.Meetings
	if meetings == nil {
		meetings = []string{}
	}
	t := Token{ID: uuid.Must(uuid.NewV7()).String(), Name: n.Name, Role: n.Role, Meetings: meetings, CreatedAt: s.clock()}
	if t.Name == "" {
		t.Name = string(t.Role) + " token"
	}
	mj, _ := json.Marshal(meetings)
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, name, role, meetings, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			t.ID, t.Name, string(t.Role), string(mj), Hash(secret), t.CreatedAt); err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		if s.Audit != nil {
			return s.Audit(ctx, tx, "token.create", t, nil, t)
		}
		return nil
	})
	if err != nil {
		return Token{}, "", err
	}
	return t, secret, nil
}

const tokenCols = `id, name, role, meetings, created_at, last_used_at, revoked_at`

func scanToken(row interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var role, meetings string
	var used, revoked sql.NullTime
	if err := row.Scan(&t.ID, &t.Name, &role, &meetings, &t.CreatedAt, &used, &revoked); err != nil {
		return t, err
	}
	t.Role = Role(role)
	t.CreatedAt = t.CreatedAt.UTC()
	if used.Valid {
		u := used.Time.UTC()
		t.LastUsedAt = &u
	}
	if revoked.Valid {
		r := revoked.Time.UTC()
		t.RevokedAt = &r
	}
	if err := json.Unmarshal([]byte(meetings), &t.Meetings); err != nil {
		return t, fmt.Errorf("token %s meetings: %w", t.ID, err)
	}
	return t, nil
}

// List returns every token, revoked ones included, oldest first.
func (s *Store) List(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Count returns the number of tokens that are not revoked.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count tokens: %w", err)
	}
	return n, nil
}

// Revoke ends a token. Revoking a revoked token changes nothing.
func (s *Store) Revoke(ctx context.Context, id string) (Token, error) {
	var out Token
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.clock()
		var err error
		out, err = s.resource().Update(ctx, tx, id, -1, func(t *Token) error {
			if t.RevokedAt == nil {
				t.RevokedAt = &now
			}
			return nil
		})
		return err
	})
	if err == nil {
		s.forget(id) // after the commit: a read during the transaction may have cached it
	}
	return out, err
}

// resource is the update of a token: read, written, in the trail. A token has no
// version (it is created, then at most revoked); the only change is its revocation.
func (s *Store) resource() versioned.Resource[Token] {
	return versioned.Resource[Token]{
		Name: "token",
		Get: func(ctx context.Context, tx *sql.Tx, id string) (Token, error) {
			q := `SELECT ` + tokenCols + ` FROM api_tokens WHERE id = $1`
			if s.db.Dialect == db.Postgres {
				q += ` FOR UPDATE`
			}
			t, err := scanToken(tx.QueryRowContext(ctx, q, id))
			if db.NotFound(err) {
				return t, problem.NotFound("token", id)
			}
			if err != nil {
				return t, fmt.Errorf("read token %s: %w", id, err)
			}
			return t, nil
		},
		Put: func(ctx context.Context, tx *sql.Tx, t Token) error {
			if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, t.RevokedAt, t.ID); err != nil {
				return fmt.Errorf("revoke token %s: %w", t.ID, err)
			}
			s.forget(t.ID)
			return nil
		},
		Record: func(ctx context.Context, tx *sql.Tx, before, after Token) error {
			if s.Audit == nil {
				return nil
			}
			return s.Audit(ctx, tx, "token.revoke", after, before, after)
		},
		Same: func(before, after Token) bool { return (before.RevokedAt == nil) == (after.RevokedAt == nil) },
	}
}

// Authenticate returns the live token whose secret this is.
func (s *Store) Authenticate(ctx context.Context, secret string) (Token, error) {
	hash := Hash(secret)
	now := s.clock()
	s.mu.Lock()
	ct, ok := s.cache[hash]
	s.mu.Unlock()
	if ok && now.Before(ct.until) && !now.Before(ct.until.Add(-cacheTTL)) {
		s.touch(ctx, ct.t.ID)
		return ct.t, nil
	}
	t, err := scanToken(s.db.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE token_hash = $1`, hash))
	if db.NotFound(err) {
		return Token{}, errUnknownToken
	}
	if err != nil {
		return Token{}, fmt.Errorf("read token: %w", err)
	}
	if t.RevokedAt != nil {
		return Token{}, errUnknownToken
	}
	s.mu.Lock()
	if len(s.cache) > 10000 {
		clear(s.cache)
	}
	s.cache[hash] = cachedToken{t: t, until: now.Add(cacheTTL)}
	s.mu.Unlock()
	s.touch(ctx, t.ID)
	return t, nil
}

var errUnknownToken = problem.New(problem.KindUnauthorized, "invalid_token", "the API token is not valid (unknown or revoked)")

// forget drops a token from the cache (revoked in this process).
func (s *Store) forget(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, ct := range s.cache {
		if ct.t.ID == id {
			delete(s.cache, h)
		}
	}
}

// touch records a token's use, at most once a minute per token.
func (s *Store) touch(ctx context.Context, id string) {
	now := s.clock()
	s.mu.Lock()
	last, ok := s.seen[id]
	due := !ok || now.Sub(last) >= time.Minute || now.Before(last)
	if due {
		s.seen[id] = now
	}
	s.mu.Unlock()
	if !due {
		return
	}
	// Best effort: a failed write only leaves last_used_at a little old.
	// Bounded: a hung database must not hold the request that only wanted to read.
	tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	_, _ = s.db.ExecContext(tctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, id)
}
