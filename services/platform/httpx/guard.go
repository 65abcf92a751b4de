package httpx

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/problem"
)

// Text the databases cannot store is refused at the edge, the same on SQLite and
// PostgreSQL: PostgreSQL rejects a NUL byte in any text and bytes that are not UTF-8,
// and would answer an error deep in a query (a 500) where SQLite would store them.
func textProblem(field, where string) *problem.Error {
	return problem.Invalid("invalid_text", where+" holds a NUL character or bytes that are not UTF-8",
		problem.FieldError{Field: field, Code: "invalid_text", Message: "no NUL characters; UTF-8 only"})
}

func storableText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// textGuard refuses a request whose path or query holds text no database can store,
// before routing reaches a handler (and on unknown routes too).
func textGuard() gin.HandlerFunc {
	return func(c *gin.Context) {
		u := c.Request.URL
		if !storableText(u.Path) || !storableText(u.RawPath) {
			Fail(c, textProblem("(path)", "the path"))
			return
		}
		// Without percent escapes the names and values are bytes of the raw query ('+'
		// becomes a space), so checking it whole is enough, without parsing it here.
		if !strings.Contains(u.RawQuery, "%") && storableText(u.RawQuery) {
			c.Next()
			return
		}
		for k, vs := range u.Query() {
			if !storableText(k) {
				Fail(c, textProblem("(query)", "a query parameter's name"))
				return
			}
			for _, v := range vs {
				if !storableText(v) {
					Fail(c, textProblem(k, "query parameter "+k))
					return
				}
			}
		}
		c.Next()
	}
}

// Storable reports, as a problem naming the field, text in v (a decoded value) that no
// database can store (NUL characters) and instants outside the years 1 to 9999. Consumers
// of other input than request bodies (events) use it to refuse such values up front.
func Storable(v any) error { return checkDecoded(v) }

// checkDecoded walks a decoded body for text with NUL characters (JSON may carry them as
// \u0000) and for instants outside the years the databases store, and names the first
// offending field as a JSON path ("sessions/0/title/en").
func checkDecoded(v any) error {
	return walk(reflect.ValueOf(v), "", 0)
}

var timeType = reflect.TypeOf(time.Time{})

func walk(v reflect.Value, path string, depth int) error {
	if depth > 32 || !v.IsValid() {
		return nil
	}
	field := func() string {
		if path == "" {
			return "(body)"
		}
		return strings.TrimPrefix(path, "/")
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walk(v.Elem(), path, depth+1)
	case reflect.String:
		if !storableText(v.String()) {
			return textProblem(field(), "field "+field())
		}
	case reflect.Struct:
		if v.Type() == timeType {
			t := v.Interface().(time.Time)
			if !t.IsZero() && !db.StorableTime(t.UTC()) {
				return db.OutOfRange(field())
			}
			return nil
		}
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name := sf.Name
			if tag, ok := sf.Tag.Lookup("json"); ok {
				if tag == "-" {
					continue
				}
				if n, _, _ := strings.Cut(tag, ","); n != "" {
					name = n
				}
			}
			p := path + "/" + name
			if sf.Anonymous {
				p = path
			}
			if err := walk(v.Field(i), p, depth+1); err != nil {
				return err
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key()
			key := fmt.Sprint(k.Interface())
			if k.Kind() == reflect.String && !storableText(k.String()) {
				return textProblem(field(), "a key of field "+field())
			}
			if err := walk(iter.Value(), path+"/"+key, depth+1); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // raw bytes (json.RawMessage) are checked where they are decoded
		}
		for i := range v.Len() {
			if err := walk(v.Index(i), path+"/"+strconv.Itoa(i), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// budget gives each request a deadline: every database call it makes ends by then (the
// drivers honour the context), so a hung database answers 503 within the server's write
// timeout instead of leaving the client with no answer at all.
func budget(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := &budgetContext{Context: c.Request.Context(), deadline: time.Now().Add(d)}
		defer ctx.release()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// budgetContext is a request's context with its budget's deadline, whose timer is made
// only when something waits on it (a database call asks for Done): a read answered from
// memory, such as a cached public agenda or a 304, never pays for one.
type budgetContext struct {
	context.Context // the request's
	deadline        time.Time
	mu              sync.Mutex
	timed           atomic.Pointer[context.Context] // the timed context, once made
	cancel          context.CancelFunc
	released        bool
}

// Deadline is the budget's end, timer or not.
func (b *budgetContext) Deadline() (time.Time, bool) { return b.deadline, true }

// Done makes the timer on the first call.
func (b *budgetContext) Done() <-chan struct{} { return b.timer().Done() }

// Err is the timed context's once there is one; before that, past the deadline it is
// DeadlineExceeded, as the timer would have said, else the request's.
func (b *budgetContext) Err() error {
	if t := b.timed.Load(); t != nil {
		return (*t).Err()
	}
	if err := b.Context.Err(); err != nil {
		return err
	}
	if !time.Now().Before(b.deadline) {
		return context.DeadlineExceeded
	}
	return nil
}

// Value is the timed context's once there is one, so that context.Cause finds it.
func (b *budgetContext) Value(key any) any {
	if t := b.timed.Load(); t != nil {
		return (*t).Value(key)
	}
	return b.Context.Value(key)
}

func (b *budgetContext) timer() context.Context {
	if t := b.timed.Load(); t != nil {
		return *t
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if t := b.timed.Load(); t != nil {
		return *t
	}
	var t context.Context
	if b.released {
		// Asked after the request ended: the request's own context, which the server
		// cancels as the request ends, without a timer left behind.
		t = b.Context
	} else {
		t, b.cancel = context.WithDeadline(b.Context, b.deadline)
	}
	b.timed.Store(&t)
	return t
}

// release stops the timer, if one was made, when the request ends.
func (b *budgetContext) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.released = true
	if b.cancel != nil {
		b.cancel()
	}
}
