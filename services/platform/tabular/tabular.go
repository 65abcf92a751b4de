// Package tabular reads the files secretariats import: spreadsheets saved as CSV (UTF-8
// with or without a byte-order mark, comma- or semicolon-separated as the spreadsheet's
// locale decides, a header row, quoted cells holding commas or line breaks, blank rows)
// and JSON lines (one JSON object per line). It knows files, not the domain: each service
// maps the columns or objects to its own input and validates them with its own rules.
//
// Rows are numbered as the file's lines, counting the header as line 1, because that is
// the number a spreadsheet shows beside the row a secretariat has to fix.
package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/plenary/plenary/services/platform/problem"
)

// MaxRows is the most data rows one import takes.
const MaxRows = 10_000

// Format is the syntax of an import body.
type Format string

const (
	CSV        Format = "csv"
	JSONLines  Format = "jsonl"
	bomUTF8           = "\ufeff"
	bomUTF16LE        = "\xff\xfe"
	bomUTF16BE        = "\xfe\xff"
)

// DetectFormat chooses the syntax from ?format= (csv or jsonl), else the Content-Type
// (text/csv; application/x-ndjson, application/jsonl and kin), else the first byte of
// the body: a JSON line starts with "{", anything else is taken as CSV.
func DetectFormat(query, contentType string, body []byte) (Format, error) {
	switch strings.ToLower(query) {
	case "csv":
		return CSV, nil
	case "jsonl", "ndjson":
		return JSONLines, nil
	case "":
	default:
		return "", problem.Invalid("invalid_format", "format must be csv or jsonl",
			problem.FieldError{Field: "format", Code: "invalid_format", Message: "csv or jsonl"})
	}
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil {
			return "", problem.New(problem.KindUnsupportedMedia, "unsupported_media_type", "send text/csv or application/jsonl")
		}
		switch mt {
		case "text/csv", "application/csv", "text/comma-separated-values", "application/vnd.ms-excel":
			return CSV, nil
		case "application/jsonl", "application/x-ndjson", "application/ndjson", "application/x-jsonlines", "application/jsonlines", "application/json-lines":
			return JSONLines, nil
		case "text/plain", "application/octet-stream":
		default:
			return "", problem.New(problem.KindUnsupportedMedia, "unsupported_media_type", "send text/csv or application/jsonl, not %s", mt)
		}
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(body, []byte(bomUTF8)), " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return JSONLines, nil
	}
	return CSV, nil
}

// Sheet is a CSV file read whole: its columns and its data rows.
type Sheet struct {
	// Columns are the header's names normalised (see Column), in file order.
	Columns []string
	// Header is the header as written in the file.
	Header []string
	// Delimiter is the separator found in the header: ',', ';' or a tab.
	Delimiter rune
	Rows      []Row
	index     map[string]int
}

// Row is one data row of a sheet.
type Row struct {
	// Line is where the row starts in the file (the header is line 1).
	Line  int
	Cells []string
	// Extra is set when the row has more cells than the header names: usually a comma
	// in a cell that was not quoted. The row is still returned, so that a report can
	// name it beside the others.
	Extra bool
	sheet *Sheet
}

// Cell is the trimmed value of the first of names that is a column of the sheet (without
// the apostrophe an export put before a formula-like cell), and whether any is; a row
// shorter than the header has empty trailing cells.
func (r Row) Cell(names ...string) (string, bool) {
	for _, n := range names {
		if i, ok := r.sheet.index[n]; ok {
			if i < len(r.Cells) {
				return Undefuse(strings.TrimSpace(r.Cells[i])), true
			}
			return "", true
		}
	}
	return "", false
}

// Sheet is the sheet the row belongs to.
func (r Row) Sheet() *Sheet { return r.sheet }

// Has reports whether the sheet has any of the named columns.
func (s *Sheet) Has(names ...string) bool {
	for _, n := range names {
		if _, ok := s.index[n]; ok {
			return true
		}
	}
	return false
}

// Column normalises a header name so that spellings of one column meet: lower case,
// runs of anything but letters and digits become one "_", trimmed. "First Name",
// "first-name" and " FIRST_NAME " are all "first_name"; "Country/Region" is
// "country_region".
func Column(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
			continue
		}
		sep = true
	}
	return b.String()
}

// ReadCSV reads a whole CSV body of at most maxRows data rows. Errors are problems with
// stable codes: empty_file, invalid_encoding, malformed_csv, duplicate_column,
// too_many_rows.
func ReadCSV(body []byte, maxRows int) (*Sheet, error) {
	if err := checkEncoding(body); err != nil {
		return nil, err
	}
	body = bytes.TrimPrefix(body, []byte(bomUTF8))
	s := &Sheet{Delimiter: delimiter(body), index: map[string]int{}}
	cr := csv.NewReader(bytes.NewReader(body))
	cr.Comma = s.Delimiter
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue // a spreadsheet's empty row is written as ";;;;"
		}
		if s.Header == nil {
			if err := s.setHeader(rec, line); err != nil {
				return nil, err
			}
			continue
		}
		if len(s.Rows) == maxRows {
			return nil, problem.New(problem.KindTooLarge, "too_many_rows",
				"the file has more than %d rows; split it and import each part", maxRows).WithExtra("max_rows", maxRows)
		}
		s.Rows = append(s.Rows, Row{Line: line, Cells: rec, Extra: len(rec) > len(s.Header), sheet: s})
	}
	if s.Header == nil {
		return nil, problem.Invalid("empty_file", "the file is empty: send a header row, then one row per entry")
	}
	return s, nil
}

func (s *Sheet) setHeader(rec []string, line int) error {
	s.Header = rec
	s.Columns = make([]string, len(rec))
	for i, h := range rec {
		c := Column(h)
		s.Columns[i] = c
		if c == "" {
			continue // an unnamed column (a trailing separator) is ignored
		}
		if j, dup := s.index[c]; dup {
			return problem.Invalid("duplicate_column", fmt.Sprintf("the header names %q twice (columns %d and %d)", c, j+1, i+1),
				problem.FieldError{Field: fmt.Sprintf("rows/%d", line), Code: "duplicate_column", Message: fmt.Sprintf("%q is named twice", h)})
		}
		s.index[c] = i
	}
	return nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// delimiter picks the separator that occurs most often outside quotes on the first line
// that is not blank: spreadsheets in French, Spanish or German locales write ';'.
func delimiter(body []byte) rune {
	counts := map[rune]int{}
	inQuote := false
	started := false
	for _, r := range string(body) {
		switch {
		case r == '"':
			inQuote = !inQuote
		case inQuote:
		case r == '\n' || r == '\r':
			if started {
				goto done
			}
		case r == ',' || r == ';' || r == '\t':
			counts[r]++
			started = true
		default:
			if !unicode.IsSpace(r) {
				started = true
			}
		}
	}
done:
	best, n := ',', 0
	for _, r := range []rune{',', ';', '\t'} {
		if counts[r] > n {
			best, n = r, counts[r]
		}
	}
	return best
}

func checkEncoding(body []byte) error {
	if bytes.HasPrefix(body, []byte(bomUTF16LE)) || bytes.HasPrefix(body, []byte(bomUTF16BE)) {
		return problem.Invalid("invalid_encoding", "the file is UTF-16 (a spreadsheet's \"Unicode text\"); save it as \"CSV UTF-8\" and send it again")
	}
	if utf8.Valid(body) && bytes.IndexByte(body, 0) < 0 {
		return nil
	}
	line := 1
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		if (r == utf8.RuneError && size == 1) || r == 0 {
			return problem.Invalid("invalid_encoding",
				fmt.Sprintf("line %d is not UTF-8 text; save the file as \"CSV UTF-8\" (or JSON lines in UTF-8) and send it again", line),
				problem.FieldError{Field: fmt.Sprintf("rows/%d", line), Code: "invalid_encoding", Message: "not UTF-8 text"})
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := "a quote is not closed or a quoted cell has text after its closing quote"
		if errors.Is(pe.Err, csv.ErrBareQuote) {
			msg = `a quote appears inside an unquoted cell; write the cell in quotes and double the quote ("")`
		}
		return problem.Invalid("malformed_csv", fmt.Sprintf("line %d, column %d: %s", pe.StartLine, pe.Column, msg),
			problem.FieldError{Field: fmt.Sprintf("rows/%d", pe.StartLine), Code: "malformed_csv", Message: msg})
	}
	return problem.Invalid("malformed_csv", "the file is not readable as CSV")
}

// Line is one JSON line: its number in the file and its bytes.
type Line struct {
	Line int
	JSON []byte
}

// MaxLineBytes bounds one JSON line.
const MaxLineBytes = 64 << 10

// ReadJSONLines splits a body into its non-blank lines, at most maxRows of them. Each
// line is decoded by the caller with the same strict decoder as the single-item API, so
// a bad line is a problem of that row, not of the file.
func ReadJSONLines(body []byte, maxRows int) ([]Line, error) {
	if err := checkEncoding(body); err != nil {
		return nil, err
	}
	body = bytes.TrimPrefix(body, []byte(bomUTF8))
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), MaxLineBytes)
	var out []Line
	n := 0
	for sc.Scan() {
		n++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if len(out) == maxRows {
			return nil, problem.New(problem.KindTooLarge, "too_many_rows",
				"the file has more than %d rows; split it and import each part", maxRows).WithExtra("max_rows", maxRows)
		}
		out = append(out, Line{Line: n, JSON: append([]byte(nil), b...)})
	}
	if err := sc.Err(); err != nil {
		return nil, problem.Invalid("line_too_long", fmt.Sprintf("line %d is longer than %d bytes", n+1, MaxLineBytes),
			problem.FieldError{Field: fmt.Sprintf("rows/%d", n+1), Code: "line_too_long", Message: "one JSON object per line"})
	}
	if len(out) == 0 {
		return nil, problem.Invalid("empty_file", "the file is empty: send one JSON object per line")
	}
	return out, nil
}

// Writer writes a CSV export: UTF-8 with a byte-order mark (so that a spreadsheet opens
// accents, Arabic and Chinese correctly) and a header row, with CRLF line ends as RFC
// 4180 has them.
type Writer struct{ w *csv.Writer }

// NewWriter starts an export on w with its header.
func NewWriter(w io.Writer, header ...string) (*Writer, error) {
	if _, err := io.WriteString(w, bomUTF8); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	return &Writer{w: cw}, nil
}

// Write writes one row. A cell a spreadsheet would take as a formula (=, +, -, @) is
// prefixed with an apostrophe, so that an exported name cannot run in the reader's
// spreadsheet (CSV injection); the import takes the apostrophe off again.
func (w *Writer) Write(cells ...string) error {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = Defuse(c)
	}
	return w.w.Write(out)
}

// Flush ends the export.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}

// Defuse prefixes a cell that starts like a spreadsheet formula with an apostrophe.
func Defuse(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return "'" + c
	}
	return c
}

// Undefuse removes the apostrophe Defuse added.
func Undefuse(c string) string {
	if len(c) > 1 && c[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(c[1])) {
		return c[1:]
	}
	return c
}

// ReadBody reads an import body whole, within the server's body limit.
func ReadBody(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, problem.Invalid("empty_file", "the request needs a body: a CSV file or JSON lines")
	}
	b, err := io.ReadAll(r)
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return nil, problem.New(problem.KindTooLarge, "body_too_large", "the file is larger than %d bytes; split it and import each part", maxErr.Limit)
	case err != nil:
		return nil, problem.Invalid("unreadable_body", "the request body could not be read")
	}
	return b, nil
}

// Report is the answer of an import: what it would do (a dry run) or did (committed),
// and every problem by row and field.
type Report struct {
	Format    Format `json:"format"`
	Committed bool   `json:"committed"`
	Rows      int    `json:"rows"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	// Skipped rows are left out on purpose (a registrant Zoom lists as denied).
	Skipped int `json:"skipped"`
	// Invalid is the number of rows with at least one problem.
	Invalid int `json:"invalid"`
	// IgnoredColumns are header names the import does not read (Zoom's City, Phone ...),
	// listed so that a misspelt column does not pass unseen.
	IgnoredColumns []string     `json:"ignored_columns"`
	Problems       []RowProblem `json:"problems"`
}

// RowProblem is one problem of one row.
type RowProblem struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// NewReport starts a report of rows rows.
func NewReport(f Format, rows int, ignored []string) Report {
	if ignored == nil {
		ignored = []string{}
	}
	return Report{Format: f, Rows: rows, IgnoredColumns: ignored, Problems: []RowProblem{}}
}

// Add records the problems of one row: the field errors of a validation problem, or the
// problem itself. It counts the row as invalid once however many problems it has.
func (r *Report) Add(line int, problems ...problem.FieldError) {
	if len(problems) == 0 {
		return
	}
	if n := len(r.Problems); n == 0 || r.Problems[n-1].Row != line {
		r.Invalid++
	}
	for _, p := range problems {
		r.Problems = append(r.Problems, RowProblem{Row: line, Field: p.Field, Code: p.Code, Message: p.Message})
	}
}

// AddError records err as problems of a row: its field errors, or its code when it has none.
func (r *Report) AddError(line int, err error) {
	pe := problem.From(err)
	if pe.Kind == problem.KindInternal {
		r.Add(line, problem.FieldError{Code: "internal", Message: pe.Message})
		return
	}
	if len(pe.Fields) == 0 {
		r.Add(line, problem.FieldError{Code: pe.Code, Message: pe.Message})
		return
	}
	r.Add(line, pe.Fields...)
}

// Failure is the error a commit answers when some rows are invalid: nothing is stored,
// and the report says what to fix (each problem is also a field error "rows/<row>/<field>").
func (r Report) Failure() error {
	fields := make([]problem.FieldError, 0, len(r.Problems))
	for _, p := range r.Problems {
		f := fmt.Sprintf("rows/%d", p.Row)
		if p.Field != "" {
			f += "/" + p.Field
		}
		fields = append(fields, problem.FieldError{Field: f, Code: p.Code, Message: p.Message})
	}
	return problem.Unprocessable("import_invalid",
		fmt.Sprintf("%d of %d rows are not valid; nothing was stored (fix them, or check with a dry run first)", r.Invalid, r.Rows),
		fields...).WithExtra("report", r)
}
