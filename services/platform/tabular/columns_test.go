package tabular_test

import (
	"encoding/json"
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/tabular"
)

var people = tabular.Columns{
	Export:  []string{"name", "email", "consent"},
	Aliases: map[string][]string{"email": {"email", "e_mail"}},
	Read:    []string{"first_name"},
}

// A sheet as Zoom exports it, with a column the import does not know and one spelt as an
// alias: the unknown one is reported as the file spells it.
func TestColumnsIgnoredAndCells(t *testing.T) {
	sh, err := tabular.ReadCSV([]byte("First Name,E-Mail,Consent,Job Title\nWei,wei@example.cn,oui,Clerk\nAna,,maybe,Clerk,extra\n"), tabular.MaxRows)
	if err != nil {
		t.Fatal(err)
	}
	if got := people.Ignored(sh); !slices.Equal(got, []string{"Job Title"}) {
		t.Errorf("ignored columns = %q, want [Job Title]", got)
	}
	first := people.Cells(sh.Rows[0])
	if e := first.String("email"); e == nil || *e != "wei@example.cn" {
		t.Errorf("email through its alias e_mail = %v", e)
	}
	if b := first.Bool("consent"); b == nil || !*b {
		t.Errorf(`consent "oui" = %v, want true`, b)
	}
	if first.String("name") != nil || first.Has("name") {
		t.Error("a column the sheet lacks reads as absent")
	}
	if len(first.Problems) != 0 {
		t.Errorf("problems of a good row: %v", first.Problems)
	}
	second := people.Cells(sh.Rows[1])
	if second.String("email") != nil || !second.Has("email") {
		t.Error("an empty cell of a present column reads as nil, the column as present")
	}
	if b := second.Bool("consent"); b != nil {
		t.Errorf(`consent "maybe" = %v, want nil`, *b)
	}
	var codes []string
	for _, p := range second.Problems {
		codes = append(codes, p.Field+":"+p.Code)
	}
	if want := []string{":extra_cells", "consent:invalid_boolean"}; !slices.Equal(codes, want) {
		t.Errorf("problems = %q, want %q", codes, want)
	}
}

// The yes/no words of the meetings' languages, and what is neither.
func TestParseYesNo(t *testing.T) {
	for in, want := range map[string]bool{"Yes": true, "oui": true, "Sí": true, "да": true, "نعم": true, "是": true, "X": true, "1": true,
		"no": false, "NON": false, "нет": false, "لا": false, "否": false, "0": false} {
		got, ok := tabular.ParseYesNo(in)
		if !ok || got != want {
			t.Errorf("ParseYesNo(%q) = %v, %v; want %v, true", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "maybe", "2", "ja"} {
		if _, ok := tabular.ParseYesNo(in); ok {
			t.Errorf("ParseYesNo(%q) took it as yes or no", in)
		}
	}
	for _, b := range []bool{true, false} {
		if got, ok := tabular.ParseYesNo(tabular.YesNo(b)); !ok || got != b {
			t.Errorf("YesNo(%v) does not read back", b)
		}
	}
}

type person struct {
	Line     int
	Email    string
	Problems []problem.FieldError
}

var reader = tabular.Reader[person]{
	Columns:    people,
	Key:        "email",
	KeyMissing: "each row needs an email address",
	Row: func(r tabular.Row) person {
		v, _ := r.Cell(people.Spellings("email")...)
		return person{Line: r.Line, Email: v}
	},
	Line: func(l tabular.Line) person {
		var in struct {
			Email string `json:"email"`
		}
		p := person{Line: l.Line}
		p.Problems = l.Decode(&in, func(r io.Reader, v any) error {
			d := json.NewDecoder(r)
			d.DisallowUnknownFields()
			if err := d.Decode(v); err != nil {
				return problem.Invalid("invalid_json", err.Error())
			}
			return nil
		})
		p.Email = in.Email
		return p
	},
}

func TestReader(t *testing.T) {
	rows, ignored, err := reader.Read(tabular.CSV, []byte("Name,Email,Phone\nAna,ana@example.org,1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Line != 2 || rows[0].Email != "ana@example.org" || !slices.Equal(ignored, []string{"Phone"}) {
		t.Errorf("csv rows %+v, ignored %q", rows, ignored)
	}
	_, _, err = reader.Read(tabular.CSV, []byte("name\nAna\n"))
	var pe *problem.Error
	if !errors.As(err, &pe) || pe.Code != "missing_column" || len(pe.Fields) != 1 || pe.Fields[0].Field != "email" {
		t.Errorf("a sheet without its key column: %v", err)
	}
	rows, ignored, err = reader.Read(tabular.JSONLines, []byte("{\"email\": \"a@example.org\"}\n\n{\"mail\": 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Problems != nil || rows[1].Line != 3 || len(rows[1].Problems) != 1 || rows[1].Problems[0].Code != "invalid_json" || len(ignored) != 0 {
		t.Errorf("json lines rows %+v, ignored %q", rows, ignored)
	}
}

// A refused commit answers the report's failure with the format and ignored columns the
// handler knows; other errors pass through.
func TestReportFinish(t *testing.T) {
	rep := tabular.NewReport("", 2, nil)
	rep.Add(3, problem.FieldError{Field: "email", Code: "required", Message: "an address"})
	err := rep.Finish(tabular.CSV, []string{"Phone"}, rep.Failure())
	var pe *problem.Error
	if !errors.As(err, &pe) || pe.Code != "import_invalid" || len(pe.Fields) != 1 || pe.Fields[0].Field != "rows/3/email" {
		t.Fatalf("finish of a refused commit: %v", err)
	}
	if got := pe.Extra["report"].(tabular.Report); got.Format != tabular.CSV || !slices.Equal(got.IgnoredColumns, []string{"Phone"}) {
		t.Errorf("the failure's report has format %q, ignored %q", got.Format, got.IgnoredColumns)
	}
	other := errors.New("disk full")
	if err := rep.Finish(tabular.CSV, nil, other); err != other {
		t.Errorf("another error became %v", err)
	}
	if err := rep.Finish(tabular.JSONLines, []string{}, nil); err != nil || rep.Format != tabular.JSONLines {
		t.Errorf("a good import: %v, format %q", err, rep.Format)
	}
}
