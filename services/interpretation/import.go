package interpretation

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/tabular"
)

// A roster travels as a spreadsheet: one row per interpreter, the columns below (the
// export writes them in this order, the import reads them in any order, each spelling
// tabular.Column accepts, and the other spellings a roster uses for a column). Languages
// are written as the trade writes them, "fr-A en-B es-C"; working hours as "08:00-20:00"
// in the interpreter's zone; caps in minutes, empty for the policy's default.
var rosterColumns = tabular.Columns{
	Export: []string{"name", "email", "locale", "tz", "languages", "retour", "remote", "working_hours",
		"booth_minutes_per_day", "booth_minutes_per_week", "sessions_per_day", "min_rest_minutes"},
	Aliases: map[string][]string{
		"name":          {"name", "full_name", "interpreter"},
		"email":         {"email", "email_address", "e_mail", "mail"},
		"tz":            {"tz", "zone", "time_zone", "timezone"},
		"languages":     {"languages", "language_combination", "combination"},
		"working_hours": {"working_hours", "hours"},
	},
	Read: []string{"working_hours_start", "working_hours_end"},
}

var rosterReader = tabular.Reader[InterpreterImportRow]{
	Columns:    rosterColumns,
	Key:        "email",
	KeyMissing: "the header has no email column: each row needs the interpreter's email address",
	Row:        interpreterRow,
	Line:       interpreterLine,
}

// InterpreterImportRow is one row of a roster: its line in the file and the input it
// holds, or the problems found reading it (a cell that is not a number, a JSON line that
// does not decode).
type InterpreterImportRow struct {
	Line     int
	Input    InterpreterInput
	Problems []problem.FieldError
}

// ParseLanguages reads a language combination as rosters write it: "fr-A en-B es-C"
// (separated by spaces, commas or semicolons; "fr-a" and "FR-A" are the same). Whether
// the codes and classes are valid is the interpreter's rule (interp.Interpreter.Validate);
// this only splits the text.
func ParseLanguages(s string) ([]interp.LangSkill, error) {
	out := []interp.LangSkill{}
	for tok := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\t' || r == '\n' }) {
		lang, class, ok := strings.Cut(tok, "-")
		if !ok || lang == "" || class == "" || strings.Contains(class, "-") {
			return nil, fmt.Errorf("%q is not a language and its class, such as fr-A, en-B or es-C", tok)
		}
		out = append(out, interp.LangSkill{Lang: interp.Lang(strings.ToLower(lang)), Class: interp.Class(strings.ToUpper(class))})
	}
	return out, nil
}

// FormatLanguages writes a combination as ParseLanguages reads it.
func FormatLanguages(ls []interp.LangSkill) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = string(l.Lang) + "-" + string(l.Class)
	}
	return strings.Join(parts, " ")
}

// interpreterRow maps a roster's row onto an interpreter's input. An empty cell leaves
// the field as it is (on a new interpreter: its default).
func interpreterRow(r tabular.Row) InterpreterImportRow {
	cells := rosterColumns.Cells(r)
	cell, bad := cells.Get, cells.Bad
	var in InterpreterInput
	in.Name, in.Email, in.Locale, in.TZ = cells.String("name"), cells.String("email"), cells.String("locale"), cells.String("tz")
	if v, ok := cell("languages"); ok {
		ls, err := ParseLanguages(v)
		if err != nil {
			bad("languages", "invalid_languages", err.Error())
		} else {
			in.Languages = ls
		}
	}
	in.Retour, in.Remote = cells.Bool("retour"), cells.Bool("remote")
	if v, ok := cell("working_hours"); ok {
		start, end, found := strings.Cut(strings.ReplaceAll(strings.ReplaceAll(v, "–", "-"), " ", ""), "-")
		if !found {
			bad("working_hours", "invalid_hours", `local working hours such as "08:00-20:00"`)
		} else {
			in.WorkingHours = &HoursJSON{Start: start, End: end}
		}
	} else {
		s, okS := cell("working_hours_start")
		e, okE := cell("working_hours_end")
		if okS || okE {
			in.WorkingHours = &HoursJSON{Start: s, End: e}
		}
	}
	var caps CapsJSON
	anyCap := false
	for _, f := range []struct {
		col string
		dst *int
	}{{"booth_minutes_per_day", &caps.BoothMinutesPerDay}, {"booth_minutes_per_week", &caps.BoothMinutesPerWeek},
		{"sessions_per_day", &caps.SessionsPerDay}, {"min_rest_minutes", &caps.MinRestMinutes}} {
		if !cells.Has(f.col) {
			continue
		}
		anyCap = true
		v, ok := cell(f.col)
		if !ok {
			continue // empty: the policy's default
		}
		n, err := strconv.Atoi(v)
		if err != nil || n > 100_000 {
			bad(f.col, "invalid_number", "a whole number of minutes (or sessions), or empty for the policy's default")
			continue
		}
		*f.dst = n
	}
	if anyCap {
		in.Caps = &caps
	}
	return InterpreterImportRow{Line: r.Line, Input: in, Problems: cells.Problems}
}

// interpreterLine decodes a JSON line, the body POST /v1/interpreters takes.
func interpreterLine(l tabular.Line) InterpreterImportRow {
	row := InterpreterImportRow{Line: l.Line}
	row.Problems = l.Decode(&row.Input, httpx.Decode)
	return row
}

// ImportInterpreters validates a roster row by row with the rules of CreateInterpreter
// and UpdateInterpreter (InterpreterInput.apply) and, with commit and no invalid row,
// stores it in one transaction: an interpreter whose email is in the pool is updated
// (the columns present and non-empty replace its values), any other is created. Rows
// that change nothing are left alone, so importing an export again writes nothing.
func (s *Service) ImportInterpreters(ctx context.Context, rows []InterpreterImportRow, commit bool) (tabular.Report, error) {
	rep := tabular.NewReport("", len(rows), nil)
	pool, err := s.store.interpreters(ctx, s.db, "", 0)
	if err != nil {
		return rep, err
	}
	p := rosterPlan{rep: &rep, now: s.clock(), byEmail: map[string][]Interpreter{}, firstLine: map[string]int{}}
	for _, it := range pool {
		k := strings.ToLower(strings.TrimSpace(it.Email))
		p.byEmail[k] = append(p.byEmail[k], it)
	}
	for _, row := range rows {
		p.add(row)
	}
	if !commit {
		return rep, nil
	}
	if rep.Invalid > 0 {
		return rep, rep.Failure()
	}
	updated, err := s.writeRoster(ctx, p.changes, p.now)
	if err != nil {
		return rep, fmt.Errorf("import interpreters: %w", err)
	}
	rep.Committed = true
	if len(updated) > 0 {
		if err := s.recheckInterpreters(ctx, updated, ""); err != nil {
			// The import has committed; the next change or check judges again.
			s.log.Warn("interpretation re-check failed", "error", err.Error())
		}
	}
	return rep, nil
}

// rosterPlan is what a roster import would write, row by row: the interpreters it
// creates and those it updates (with what they were), and in the report every row's
// outcome.
type rosterPlan struct {
	rep       *tabular.Report
	now       time.Time
	byEmail   map[string][]Interpreter
	firstLine map[string]int
	changes   []rosterChange
}

type rosterChange struct {
	it     Interpreter
	before *InterpreterJSON
}

// add plans one row: an interpreter of the pool (by address) is updated unless nothing
// changes, anyone else created; a bad row, or an address two interpreters share, only
// reported.
func (p *rosterPlan) add(row InterpreterImportRow) {
	rep := p.rep
	if len(row.Problems) > 0 {
		rep.Add(row.Line, row.Problems...)
		return
	}
	if row.Input.Email == nil || strings.TrimSpace(*row.Input.Email) == "" {
		rep.Add(row.Line, problem.FieldError{Field: "email", Code: "required", Message: "each row needs the interpreter's email address: it is how an import finds them"})
		return
	}
	key := strings.ToLower(strings.TrimSpace(*row.Input.Email))
	if first, dup := p.firstLine[key]; dup {
		rep.Add(row.Line, problem.FieldError{Field: "email", Code: "duplicate_in_file", Message: fmt.Sprintf("%s is also on row %d; keep one row per interpreter", key, first)})
		return
	}
	p.firstLine[key] = row.Line
	existing := p.byEmail[key]
	switch len(existing) {
	case 0:
		it := Interpreter{Version: 1, CreatedAt: p.now, UpdatedAt: p.now}
		it.ID = newID()
		if err := row.Input.apply(&it, true); err != nil {
			rep.AddError(row.Line, err)
			return
		}
		rep.Created++
		p.changes = append(p.changes, rosterChange{it: it})
	case 1:
		it := existing[0]
		before := interpreterJSON(it)
		if err := row.Input.apply(&it, false); err != nil {
			rep.AddError(row.Line, err)
			return
		}
		if after := interpreterJSON(it); reflect.DeepEqual(before, after) {
			rep.Unchanged++
			return
		}
		it.Version++
		it.UpdatedAt = p.now
		rep.Updated++
		p.changes = append(p.changes, rosterChange{it: it, before: &before})
	default:
		rep.Add(row.Line, problem.FieldError{Field: "email", Code: "ambiguous_email",
			Message: fmt.Sprintf("%d interpreters of the pool have this address; update them one by one", len(existing))})
	}
}

// writeRoster stores an import's changes in one transaction, each with its audit entry,
// and answers the ids of the interpreters it updated (their staffing is judged again).
func (s *Service) writeRoster(ctx context.Context, changes []rosterChange, now time.Time) ([]string, error) {
	var updated []string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		updated = updated[:0]
		for _, c := range changes {
			if c.before == nil {
				if err := s.store.insertInterpreter(ctx, tx, c.it); err != nil {
					return err
				}
				if err := audit.Record(ctx, tx, now, audit.Change{Action: "interpreter.create", Resource: "interpreter", ID: c.it.ID, After: interpreterJSON(c.it)}); err != nil {
					return err
				}
				continue
			}
			if err := s.store.updateInterpreter(ctx, tx, c.it); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, now, audit.Change{Action: "interpreter.update", Resource: "interpreter", ID: c.it.ID,
				Before: *c.before, After: interpreterJSON(c.it)}); err != nil {
				return err
			}
			updated = append(updated, c.it.ID)
		}
		return nil
	})
	return updated, err
}

// ReadRoster decodes an import body (CSV or JSON lines) into rows.
func ReadRoster(format tabular.Format, body []byte) ([]InterpreterImportRow, []string, error) {
	return rosterReader.Read(format, body)
}

// WriteRoster writes the pool as the import reads it.
func WriteRoster(w io.Writer, pool []Interpreter) error {
	cw, err := tabular.NewWriter(w, rosterColumns.Export...)
	if err != nil {
		return err
	}
	for _, it := range pool {
		j := interpreterJSON(it)
		cap := func(n int) string {
			if n == 0 {
				return ""
			}
			return strconv.Itoa(n)
		}
		if err := cw.Write(j.Name, j.Email, j.Locale, j.TZ, FormatLanguages(j.Languages), tabular.YesNo(j.Retour), tabular.YesNo(j.Remote),
			j.WorkingHours.Start+"-"+j.WorkingHours.End, cap(j.Caps.BoothMinutesPerDay), cap(j.Caps.BoothMinutesPerWeek),
			cap(j.Caps.SessionsPerDay), cap(j.Caps.MinRestMinutes)); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// Pool lists every interpreter in id order (the export).
func (s *Service) Pool(ctx context.Context) ([]Interpreter, error) {
	return s.store.interpreters(ctx, s.db, "", 0)
}

// importInterpreters is POST /v1/interpreters/import: a dry run unless ?commit=true.
func (h *Handlers) importInterpreters() gin.HandlerFunc {
	return tabular.Handler(ReadRoster, func(c *gin.Context, rows []InterpreterImportRow, commit bool) (tabular.Report, error) {
		return h.svc.ImportInterpreters(c, rows, commit)
	})
}

// exportInterpreters is GET /v1/interpreters/export.csv: the pool as the import reads it.
func (h *Handlers) exportInterpreters(c *gin.Context) {
	pool, err := h.svc.Pool(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.CSV(c, "interpreters.csv", func(w io.Writer) error { return WriteRoster(w, pool) })
}
