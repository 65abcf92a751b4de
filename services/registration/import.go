package registration

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/tabular"
)

// A registrant list travels as a spreadsheet with the columns below (the export writes
// them in this order). Zoom's registrant export is taken as it comes: its "First Name"
// and "Last Name" make the name, its "Email" the address, and a row whose "Approval
// Status" is not approved is skipped; its other columns (City, Organization, Job Title,
// custom questions ...) are listed as ignored. Sessions are session ids separated by
// spaces, empty for every session of the meeting.
var listColumns = tabular.Columns{
	Export: []string{"name", "email", "locale", "tz", "sessions", "consent_reminders"},
	Aliases: map[string][]string{
		"name":              {"name", "full_name"},
		"email":             {"email", "email_address", "e_mail"},
		"locale":            {"locale", "language", "lang"},
		"tz":                {"tz", "zone", "time_zone", "timezone"},
		"consent_reminders": {"consent_reminders", "consent"},
	},
	// Zoom's columns that the import reads.
	Read: []string{"first_name", "last_name", "approval_status"},
}

var listReader = tabular.Reader[ImportRow]{
	Columns:    listColumns,
	Key:        "email",
	KeyMissing: "the header has no email column: each row needs the registrant's email address",
	Row:        rowOf,
	Line:       lineOf,
}

// ImportRow is one row of a registrant list: its line in the file and the input it
// holds, or the problems found reading it.
type ImportRow struct {
	Line     int
	Input    Input
	Problems []problem.FieldError
	// Skip says why the row is left out on purpose (Zoom: not approved); empty otherwise.
	Skip string
}

// rowOf maps a list's row onto a registration's input; an empty cell leaves the field as
// it is (on a new registration: the meeting's default).
func rowOf(r tabular.Row) ImportRow {
	cells := listColumns.Cells(r)
	cell := cells.Get
	out := ImportRow{Line: r.Line}
	in := &out.Input
	in.Name, in.Email, in.Locale, in.TZ = cells.String("name"), cells.String("email"), cells.String("locale"), cells.String("tz")
	if in.Name == nil {
		first, _ := cell("first_name")
		last, _ := cell("last_name")
		sep := " "
		if hanOnly(first) && hanOnly(last) {
			sep = "" // Chinese names are written without a space: 王 + 芳 is 王芳
		}
		if n := strings.TrimSpace(first + sep + last); n != "" {
			in.Name = &n
		}
	}
	if v, ok := cell("sessions"); ok {
		ids := strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\n' })
		in.Sessions = &ids
	}
	in.ConsentReminders = cells.Bool("consent_reminders")
	if v, ok := cell("approval_status"); ok && !strings.EqualFold(v, "approved") {
		out.Skip = "approval status " + v
	}
	out.Problems = cells.Problems
	return out
}

func hanOnly(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.Is(unicode.Han, r) })
}

// lineOf decodes a JSON line, the body POST /v1/meetings/{id}/registrations takes.
func lineOf(l tabular.Line) ImportRow {
	row := ImportRow{Line: l.Line}
	row.Problems = l.Decode(&row.Input, httpx.Decode)
	return row
}

// ReadList decodes an import body (CSV or JSON lines) into rows.
func ReadList(format tabular.Format, body []byte) ([]ImportRow, []string, error) {
	return listReader.Read(format, body)
}

// ImportDefaults fill the locale and zone of a new registrant whose row has none; empty
// fields take the meeting's default language and venue zone.
type ImportDefaults struct {
	Locale string
	TZ     string
}

// Import validates a registrant list row by row with the rules of Register and Update
// (Input.apply) and, with commit and no invalid row, stores it in one transaction, each
// registration with its audit entry and event as Register and Update write them. A row
// whose email is registered for the meeting updates that registration (never its
// unsubscription: an import cannot subscribe someone again); rows that change nothing
// are left alone.
func (s *Service) Import(ctx context.Context, meetingID string, rows []ImportRow, def ImportDefaults, commit bool) (tabular.Report, error) {
	rep := tabular.NewReport("", len(rows), nil)
	ids, err := s.meetings.SessionIDs(ctx, meetingID)
	if err != nil {
		return rep, err
	}
	if def, err = s.importDefaults(ctx, meetingID, def); err != nil {
		return rep, err
	}
	existing, err := s.store.ofMeeting(ctx, s.db, meetingID)
	if err != nil {
		return rep, err
	}
	p := importPlan{rep: &rep, meetingID: meetingID, ids: ids, def: def, now: s.clock(),
		byEmail: make(map[string]Registration, len(existing)), firstLine: map[string]int{}}
	for _, r := range existing {
		p.byEmail[r.Email] = r
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
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, c := range p.changes {
			var err error
			if c.before == nil {
				err = s.writeCreated(ctx, tx, c.r)
			} else {
				err = s.writeUpdated(ctx, tx, *c.before, c.r)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("import registrations of meeting %s: %w", meetingID, err)
	}
	rep.Committed = true
	return rep, nil
}

// importDefaults completes the defaults of an import with the meeting's language and
// venue zone, and refuses a default that is not a locale or a zone.
func (s *Service) importDefaults(ctx context.Context, meetingID string, def ImportDefaults) (ImportDefaults, error) {
	if def.Locale == "" || def.TZ == "" {
		lang, tz, err := s.meetings.Defaults(ctx, meetingID)
		if err != nil {
			return def, err
		}
		if def.Locale == "" {
			def.Locale = lang
		}
		if def.TZ == "" {
			def.TZ = tz
		}
	}
	if _, ok := ValidLocale(def.Locale); !ok {
		return def, problem.Invalid("invalid_locale", fmt.Sprintf("the default locale %q is not a BCP 47 language tag such as fr-CA, ar or en", def.Locale),
			problem.FieldError{Field: "locale", Code: "invalid_locale", Message: "a BCP 47 language tag"})
	}
	if _, err := zone.Parse(def.TZ); err != nil {
		fe := zoneFieldError("tz", err)
		return def, problem.Invalid(fe.Code, fmt.Sprintf("the default zone %q: %s", def.TZ, fe.Message), fe)
	}
	return def, nil
}

// importPlan is what an import would write, row by row: the registrations it creates
// and those it updates (with what they were), and in the report every row's outcome.
type importPlan struct {
	rep       *tabular.Report
	meetingID string
	ids       []string
	def       ImportDefaults
	now       time.Time
	byEmail   map[string]Registration
	firstLine map[string]int
	changes   []importChange
}

type importChange struct {
	r      Registration
	before *Registration
}

// add plans one row: a registrant already registered for the meeting (by address) is
// updated unless nothing changes, anyone else registered; a bad row only reported.
func (p *importPlan) add(row ImportRow) {
	rep := p.rep
	if len(row.Problems) > 0 {
		rep.Add(row.Line, row.Problems...)
		return
	}
	if row.Skip != "" {
		rep.Skipped++
		return
	}
	if row.Input.Unsubscribed != nil {
		rep.Add(row.Line, problem.FieldError{Field: "unsubscribed", Code: "not_allowed", Message: "an import cannot change a registrant's unsubscription"})
		return
	}
	if row.Input.Email == nil || strings.TrimSpace(*row.Input.Email) == "" {
		rep.Add(row.Line, problem.FieldError{Field: "email", Code: "required", Message: "each row needs the registrant's email address: it is how an import finds them"})
		return
	}
	key, ok := ValidEmail(*row.Input.Email)
	if !ok {
		key = strings.ToLower(strings.TrimSpace(*row.Input.Email))
	}
	if first, dup := p.firstLine[key]; dup {
		rep.Add(row.Line, problem.FieldError{Field: "email", Code: "duplicate_in_file", Message: fmt.Sprintf("%s is also on row %d; keep one row per registrant", key, first)})
		return
	}
	p.firstLine[key] = row.Line
	if old, ok := p.byEmail[key]; ok {
		r := old
		if err := row.Input.apply(&r, p.ids, false); err != nil {
			rep.AddError(row.Line, err)
			return
		}
		if same(old, r) {
			rep.Unchanged++
			return
		}
		r.Version++
		r.UpdatedAt = p.now
		rep.Updated++
		p.changes = append(p.changes, importChange{r: r, before: &old})
		return
	}
	in := row.Input
	if in.Locale == nil {
		in.Locale = &p.def.Locale
	}
	if in.TZ == nil {
		in.TZ = &p.def.TZ
	}
	r := Registration{ID: uuid.Must(uuid.NewV7()).String(), MeetingID: p.meetingID, Version: 1, CreatedAt: p.now, UpdatedAt: p.now}
	if err := in.apply(&r, p.ids, true); err != nil {
		rep.AddError(row.Line, err)
		return
	}
	rep.Created++
	p.changes = append(p.changes, importChange{r: r})
}

// Registrations lists a meeting's registrations in id order (the export).
func (s *Service) Registrations(ctx context.Context, meetingID string) ([]Registration, error) {
	if _, err := s.meetings.SessionIDs(ctx, meetingID); err != nil {
		return nil, err // the meeting's 404
	}
	return s.store.ofMeeting(ctx, s.db, meetingID)
}

func (s *store) ofMeeting(ctx context.Context, q interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}, meetingID string) ([]Registration, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+cols+` FROM registrations WHERE meeting_id = $1 ORDER BY id`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("list registrations of meeting %s: %w", meetingID, err)
	}
	defer rows.Close()
	var out []Registration
	for rows.Next() {
		var r Registration
		var sessions string
		if err := rows.Scan(&r.ID, &r.MeetingID, &r.Name, &r.Email, &r.Locale, &r.TZ, &sessions, &r.ConsentReminders, &r.Unsubscribed,
			&r.Version, &r.CreatedAt, &r.UpdatedAt, &r.Pending); err != nil {
			return nil, fmt.Errorf("list registrations of meeting %s: %w", meetingID, err)
		}
		if err := json.Unmarshal([]byte(sessions), &r.Sessions); err != nil {
			return nil, fmt.Errorf("decode sessions of registration %s: %w", r.ID, err)
		}
		r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// WriteList writes registrations as the import reads them.
func WriteList(w io.Writer, regs []Registration) error {
	cw, err := tabular.NewWriter(w, listColumns.Export...)
	if err != nil {
		return err
	}
	for _, r := range regs {
		if err := cw.Write(r.Name, r.Email, r.Locale, r.TZ, strings.Join(r.Sessions, " "), tabular.YesNo(r.ConsentReminders)); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// importList is POST /v1/meetings/{id}/registrations/import: a dry run unless
// ?commit=true; ?locale= and ?tz= are the defaults of rows without their own.
func (h *Handlers) importList() gin.HandlerFunc {
	return tabular.Handler(ReadList, func(c *gin.Context, rows []ImportRow, commit bool) (tabular.Report, error) {
		return h.svc.Import(c, c.Param("id"), rows, ImportDefaults{Locale: c.Query("locale"), TZ: c.Query("tz")}, commit)
	})
}

// exportList is GET /v1/meetings/{id}/registrations/export.csv.
func (h *Handlers) exportList(c *gin.Context) {
	regs, err := h.svc.Registrations(c, c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.CSV(c, "registrations.csv", func(w io.Writer) error { return WriteList(w, regs) })
}
