package tabular_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/tabular"
)

func code(t *testing.T, err error) string {
	t.Helper()
	var pe *problem.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a problem", err)
	}
	return pe.Code
}

// The files below are written as spreadsheets save them: Excel's "CSV UTF-8" starts with
// a byte-order mark; a French or Spanish locale separates with ';'; LibreOffice writes an
// empty row as separators only; a cell with a comma or a line break is quoted.
func TestReadCSV(t *testing.T) {
	type row struct {
		line  int
		cells []string
		extra bool
	}
	cases := []struct {
		name    string
		in      string
		delim   rune
		columns []string
		rows    []row
	}{
		{"excel utf-8 with BOM", "\ufeffName,Email\r\nJosé Núñez,jose@example.org\r\n", ',',
			[]string{"name", "email"}, []row{{2, []string{"José Núñez", "jose@example.org"}, false}}},
		{"french locale semicolons", "Nom;Email;Langues\nÉlodie Dupré;elodie@example.fr;fr-A en-C\n", ';',
			[]string{"nom", "email", "langues"}, []row{{2, []string{"Élodie Dupré", "elodie@example.fr", "fr-A en-C"}, false}}},
		{"quoted comma and line break", "name,affiliation\n\"Rodríguez, María\",\"Senate,\nTrinidad\"\nنور الهدى,UN\n", ',',
			[]string{"name", "affiliation"}, []row{{2, []string{"Rodríguez, María", "Senate,\nTrinidad"}, false}, {4, []string{"نور الهدى", "UN"}, false}}},
		{"blank rows and separator-only rows", "email;name\n\n;\n李娜@example.cn;李娜\n ; \nana@example.org;Ana\n", ';',
			[]string{"email", "name"}, []row{{4, []string{"李娜@example.cn", "李娜"}, false}, {6, []string{"ana@example.org", "Ana"}, false}}},
		{"zoom header spellings", "First Name,Last Name,Email,Country/Region,Approval Status\nWei,Zhang,wei@example.cn,China,approved\n", ',',
			[]string{"first_name", "last_name", "email", "country_region", "approval_status"},
			[]row{{2, []string{"Wei", "Zhang", "wei@example.cn", "China", "approved"}, false}}},
		{"a comma that was not quoted", "name,email\nRodríguez, María,maria@example.org\nShort\n", ',',
			[]string{"name", "email"}, []row{{2, []string{"Rodríguez", " María", "maria@example.org"}, true}, {3, []string{"Short"}, false}}},
		{"tab separated", "name\temail\nAna\tana@example.org\n", '\t', []string{"name", "email"}, []row{{2, []string{"Ana", "ana@example.org"}, false}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sh, err := tabular.ReadCSV([]byte(tc.in), tabular.MaxRows)
			if err != nil {
				t.Fatal(err)
			}
			if sh.Delimiter != tc.delim || !slices.Equal(sh.Columns, tc.columns) {
				t.Fatalf("delimiter %q columns %q, want %q %q", sh.Delimiter, sh.Columns, tc.delim, tc.columns)
			}
			if len(sh.Rows) != len(tc.rows) {
				t.Fatalf("%d rows, want %d: %+v", len(sh.Rows), len(tc.rows), sh.Rows)
			}
			for i, want := range tc.rows {
				got := sh.Rows[i]
				if got.Line != want.line || !slices.Equal(got.Cells, want.cells) || got.Extra != want.extra {
					t.Errorf("row %d = line %d %q extra=%v, want line %d %q extra=%v", i, got.Line, got.Cells, got.Extra, want.line, want.cells, want.extra)
				}
			}
		})
	}
}

func TestRowCell(t *testing.T) {
	sh, err := tabular.ReadCSV([]byte("E-mail ,Name\n  ana@example.org ,\"'=HYPERLINK(\"\"x\"\")\"\nbo@example.org\n"), 10)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := sh.Rows[0].Cell("email", "e_mail"); !ok || v != "ana@example.org" {
		t.Fatalf("email %q %v", v, ok)
	}
	if v, _ := sh.Rows[0].Cell("name"); v != `=HYPERLINK("x")` {
		t.Fatalf("an exported formula-like cell keeps its text without the apostrophe: %q", v)
	}
	if v, ok := sh.Rows[1].Cell("name"); !ok || v != "" {
		t.Fatalf("a short row's missing cell is empty: %q %v", v, ok)
	}
	if _, ok := sh.Rows[0].Cell("zone"); ok {
		t.Fatal("no zone column")
	}
}

func TestReadCSVErrors(t *testing.T) {
	many := "email\n" + strings.Repeat("a@example.org\n", 11)
	cases := []struct {
		name, in, code, field string
	}{
		{"empty", "", "empty_file", ""},
		{"blank only", "\ufeff\n\n;;\n", "empty_file", ""},
		{"utf-16 from a spreadsheet's unicode text", "\xff\xfeN\x00a\x00", "invalid_encoding", ""},
		{"windows-1252 accent", "name\nJos\xe9\n", "invalid_encoding", "rows/2"},
		{"nul byte", "name\nA\x00\n", "invalid_encoding", "rows/2"},
		{"quote not closed", "name,email\nAna,ana@example.org\n\"Bo,bo@example.org\n", "malformed_csv", "rows/3"},
		{"bare quote", "name\nAna \"the\" Bo\n", "malformed_csv", "rows/2"},
		{"duplicate column", "email,Email\na@example.org,b@example.org\n", "duplicate_column", "rows/1"},
		{"too many rows", many, "too_many_rows", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tabular.ReadCSV([]byte(tc.in), 10)
			if err == nil {
				t.Fatal("accepted")
			}
			if c := code(t, err); c != tc.code {
				t.Fatalf("code %s, want %s (%v)", c, tc.code, err)
			}
			var pe *problem.Error
			errors.As(err, &pe)
			if tc.field != "" && (len(pe.Fields) == 0 || pe.Fields[0].Field != tc.field) {
				t.Fatalf("fields %+v, want %s", pe.Fields, tc.field)
			}
		})
	}
}

func TestReadJSONLines(t *testing.T) {
	in := "\ufeff{\"email\":\"a@example.org\"}\n\n  {\"email\": \"b@example.org\"}  \r\nnot json\n"
	lines, err := tabular.ReadJSONLines([]byte(in), 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, fmt.Sprintf("%d:%s", l.Line, l.JSON))
	}
	want := []string{`1:{"email":"a@example.org"}`, `3:{"email": "b@example.org"}`, `4:not json`}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if _, err := tabular.ReadJSONLines([]byte(strings.Repeat("{}\n", 11)), 10); code(t, err) != "too_many_rows" {
		t.Fatal(err)
	}
	if _, err := tabular.ReadJSONLines([]byte("\n\n"), 10); code(t, err) != "empty_file" {
		t.Fatal(err)
	}
}

func TestDetectFormat(t *testing.T) {
	cases := []struct {
		query, ct, body string
		want            tabular.Format
		code            string
	}{
		{"", "text/csv; charset=utf-8", "{", tabular.CSV, ""},
		{"", "application/x-ndjson", "name", tabular.JSONLines, ""},
		{"", "", "\ufeff  {\"a\":1}", tabular.JSONLines, ""},
		{"", "application/octet-stream", "name,email", tabular.CSV, ""},
		{"jsonl", "text/csv", "", tabular.JSONLines, ""},
		{"xlsx", "", "", "", "invalid_format"},
		{"", "application/json", "{}", "", "unsupported_media_type"},
	}
	for _, tc := range cases {
		got, err := tabular.DetectFormat(tc.query, tc.ct, []byte(tc.body))
		if tc.code != "" {
			if err == nil || code(t, err) != tc.code {
				t.Errorf("%+v: %v, want %s", tc, err, tc.code)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%+v: %v %v", tc, got, err)
		}
	}
}

// TestWriterOpensInSpreadsheets checks the export's bytes: a BOM, CRLF, RFC 4180 quoting,
// and formula-like cells defused.
func TestWriterOpensInSpreadsheets(t *testing.T) {
	var buf bytes.Buffer
	w, err := tabular.NewWriter(&buf, "name", "email")
	if err != nil {
		t.Fatal(err)
	}
	_ = w.Write("Rodríguez, María", "maria@example.org")
	_ = w.Write("=cmd|' /C calc'!A0", "-x@example.org")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffname,email\r\n\"Rodríguez, María\",maria@example.org\r\n'=cmd|' /C calc'!A0,'-x@example.org\r\n"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
}

func TestColumn(t *testing.T) {
	for in, want := range map[string]string{"First Name": "first_name", " E-mail ": "e_mail", "Country/Region": "country_region",
		"consent_reminders": "consent_reminders", "Zip/Postal Code": "zip_postal_code", "Courriel": "courriel", "": ""} {
		if got := tabular.Column(in); got != want {
			t.Errorf("Column(%q) = %q, want %q", in, got, want)
		}
	}
}
