package tabular

import (
	"bytes"
	"io"
	"strings"

	"github.com/plenary/plenary/services/platform/problem"
)

// Columns is the header of one kind of file: the columns an export writes, in its order,
// the other spellings an import accepts for some of them, and the columns an import
// reads that an export does not write (Zoom's First Name, a split working_hours_start).
// A header cell is compared after Column has normalised it.
type Columns struct {
	Export  []string
	Aliases map[string][]string
	Read    []string
}

// Spellings are the header names that mean column c, c's own first.
func (cs Columns) Spellings(c string) []string {
	if a, ok := cs.Aliases[c]; ok {
		return a
	}
	return []string{c}
}

// Ignored lists, as the file spells them, the header cells of sh that are none of cs's
// columns: a report shows them so that a misspelt column does not pass unseen.
func (cs Columns) Ignored(sh *Sheet) []string {
	known := map[string]bool{}
	for _, c := range append(append([]string{}, cs.Export...), cs.Read...) {
		for _, a := range cs.Spellings(c) {
			known[a] = true
		}
	}
	ignored := []string{}
	for i, c := range sh.Columns {
		if c != "" && !known[c] {
			ignored = append(ignored, sh.Header[i])
		}
	}
	return ignored
}

// Cells reads one row of a sheet by column name and gathers the row's problems.
type Cells struct {
	row      Row
	cols     Columns
	Problems []problem.FieldError
}

// Cells starts reading r; a row with more cells than the header has columns already has
// a problem (a cell holding the delimiter that was not quoted).
func (cs Columns) Cells(r Row) *Cells {
	c := &Cells{row: r, cols: cs}
	if r.Extra {
		c.Bad("", "extra_cells", "the row has more cells than the header has columns: put a cell that holds the delimiter in quotes")
	}
	return c
}

// Bad records a problem of the row.
func (c *Cells) Bad(field, code, msg string) {
	c.Problems = append(c.Problems, problem.FieldError{Field: field, Code: code, Message: msg})
}

// Get is the value of column col and whether it is there and not empty: an empty cell
// leaves a field as it is.
func (c *Cells) Get(col string) (string, bool) {
	v, ok := c.row.Cell(c.cols.Spellings(col)...)
	return v, ok && v != ""
}

// Has reports whether the sheet has column col at all (empty or not on this row).
func (c *Cells) Has(col string) bool { return c.row.Sheet().Has(c.cols.Spellings(col)...) }

// String is the value of column col, nil when it is absent or empty.
func (c *Cells) String(col string) *string {
	if v, ok := c.Get(col); ok {
		return &v
	}
	return nil
}

// Bool is a yes/no cell (ParseYesNo), nil when absent or empty; any other value is a
// problem of the row (invalid_boolean), and nil.
func (c *Cells) Bool(col string) *bool {
	v, ok := c.Get(col)
	if !ok {
		return nil
	}
	b, ok := ParseYesNo(v)
	if !ok {
		c.Bad(col, "invalid_boolean", "yes or no (true/false, 1/0)")
		return nil
	}
	return &b
}

// ParseYesNo reads a spreadsheet's yes/no cell as secretariats type it, in the languages
// of the meetings (oui, sí, да, نعم, 是 ...), and whether it is one.
func ParseYesNo(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "y", "1", "x", "oui", "sí", "si", "да", "نعم", "是":
		return true, true
	case "false", "no", "n", "0", "non", "нет", "لا", "否":
		return false, true
	}
	return false, false
}

// YesNo writes a yes/no cell as ParseYesNo reads it.
func YesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Decode decodes a JSON line into v with decode (the single-item API's strict decoder,
// so a line is read as the body of one POST) and answers the line's problems: the field
// errors of a validation problem, else the problem itself; none when it decodes.
func (l Line) Decode(v any, decode func(io.Reader, any) error) []problem.FieldError {
	err := decode(bytes.NewReader(l.JSON), v)
	if err == nil {
		return nil
	}
	pe := problem.From(err)
	if len(pe.Fields) > 0 {
		return pe.Fields
	}
	return []problem.FieldError{{Code: pe.Code, Message: pe.Message}}
}

// Reader decodes the import body of one kind of file into the rows of a service: a CSV
// sheet row by row with Row, JSON lines line by line with Line.
type Reader[R any] struct {
	Columns Columns
	// Key is the column every row needs (how an import finds what a row updates); a
	// sheet without it is refused whole, as KeyMissing says.
	Key        string
	KeyMissing string
	Row        func(Row) R
	Line       func(Line) R
}

// Read decodes body, and lists the header cells the import does not read.
func (rd Reader[R]) Read(format Format, body []byte) ([]R, []string, error) {
	if format == JSONLines {
		lines, err := ReadJSONLines(body, MaxRows)
		if err != nil {
			return nil, nil, err
		}
		rows := make([]R, 0, len(lines))
		for _, l := range lines {
			rows = append(rows, rd.Line(l))
		}
		return rows, []string{}, nil
	}
	sh, err := ReadCSV(body, MaxRows)
	if err != nil {
		return nil, nil, err
	}
	if !sh.Has(rd.Columns.Spellings(rd.Key)...) {
		return nil, nil, problem.Invalid("missing_column", rd.KeyMissing,
			problem.FieldError{Field: rd.Key, Code: "missing_column", Message: "a column named " + rd.Key})
	}
	rows := make([]R, 0, len(sh.Rows))
	for _, r := range sh.Rows {
		rows = append(rows, rd.Row(r))
	}
	return rows, rd.Columns.Ignored(sh), nil
}

// ReadRequest reads an import request's body whole and its format (DetectFormat).
func ReadRequest(body io.Reader, formatQuery, contentType string) (Format, []byte, error) {
	b, err := ReadBody(body)
	if err != nil {
		return "", nil, err
	}
	f, err := DetectFormat(formatQuery, contentType, b)
	if err != nil {
		return "", nil, err
	}
	return f, b, nil
}

// Finish fills in what the service did not know (the body's format, the ignored
// columns) and answers err, a refused commit as the report's Failure with them.
func (r *Report) Finish(f Format, ignored []string, err error) error {
	r.Format, r.IgnoredColumns = f, ignored
	if err != nil && problem.From(err).Code == "import_invalid" {
		return r.Failure()
	}
	return err
}
