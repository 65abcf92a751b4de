package tabular_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/tabular"
)

// FuzzReadCSV: any body either reads, with rows in file order below the header, or is
// refused with a problem that is not internal; a sheet that reads comes back the same
// through the export's writer.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"\ufeffname,email\r\nJosé,jose@example.org\r\n",
		"Nom;Email\n\"Dupré; Élodie\";e@example.fr\n;\n",
		"First Name,Last Name,Email,Approval Status\n王,芳,wang@example.cn,approved\n",
		"name\n\"open\n",
		"a,b\n1,2,3\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sh, err := tabular.ReadCSV(body, 50)
		if err != nil {
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Kind == problem.KindInternal || pe.Code == "" {
				t.Fatalf("error %v is not a client problem", err)
			}
			return
		}
		if len(sh.Rows) > 50 || len(sh.Columns) != len(sh.Header) {
			t.Fatalf("%d rows, %d columns for %d header cells", len(sh.Rows), len(sh.Columns), len(sh.Header))
		}
		last := 0
		for _, r := range sh.Rows {
			if r.Line <= last || r.Line < 2 {
				t.Fatalf("row at line %d after %d", r.Line, last)
			}
			last = r.Line
		}
		// Round trip through the writer, where the writer cannot change what a reader
		// sees: comma-separated, no carriage returns (a quoted CRLF reads as LF), no cell
		// the writer defuses.
		if sh.Delimiter != ',' || bytes.ContainsRune(body, '\r') {
			return
		}
		var buf bytes.Buffer
		w, err := tabular.NewWriter(&buf, sh.Header...)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range sh.Rows {
			for _, c := range r.Cells {
				if tabular.Defuse(c) != c || strings.ContainsAny(c, ";\t") {
					return
				}
			}
			if err := w.Write(r.Cells...); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(sh.Header, func(h string) bool { return strings.ContainsAny(h, ";\t") }) {
			return
		}
		again, err := tabular.ReadCSV(buf.Bytes(), 50)
		if err != nil {
			t.Fatalf("the export of a sheet does not read back: %v\n%q", err, buf.Bytes())
		}
		if !slices.Equal(again.Header, sh.Header) || len(again.Rows) != len(sh.Rows) {
			t.Fatalf("header %q rows %d, want %q %d", again.Header, len(again.Rows), sh.Header, len(sh.Rows))
		}
		for i := range sh.Rows {
			if !slices.Equal(again.Rows[i].Cells, sh.Rows[i].Cells) {
				t.Fatalf("row %d: %q, want %q", i, again.Rows[i].Cells, sh.Rows[i].Cells)
			}
		}
	})
}
