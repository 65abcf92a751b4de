package mail

import (
	"bytes"
	"math/rand/v2"
	"mime/quotedprintable"
	"strings"
	"testing"
)

// appendQuotedPrintable appends what mime/quotedprintable's Writer writes, for text of every kind:
// long lines, trailing spaces and tabs before line ends and at the end, CR, LF and CRLF,
// '=', control bytes and UTF-8 in other scripts, lines at every length around 76.
func TestQuotedMatchesStdlib(t *testing.T) {
	alphabet := []string{"a", "Z", " ", "\t", "=", "\n", "\r", "\r\n", ".", "é", "ف", "王", "\x00", "\x7f", "~", "!", "<a href=\"x\">"}
	rng := rand.New(rand.NewPCG(1, 2))
	inputs := []string{"", " ", "\t", "\n", "=", "a \n", "a\t", strings.Repeat("x", 75), strings.Repeat("x", 76), strings.Repeat("x", 74) + " ", strings.Repeat("é", 40)}
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(300) {
			if rng.IntN(4) == 0 {
				b.WriteString(strings.Repeat("y", rng.IntN(90)))
			}
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	for _, s := range inputs {
		var want bytes.Buffer
		w := quotedprintable.NewWriter(&want)
		_, _ = w.Write([]byte(s))
		_ = w.Close()
		if got := appendQuotedPrintable([]byte("prefix"), s); string(got) != "prefix"+want.String() {
			t.Fatalf("%q:\n got %q\nwant %q", s, got[6:], want.String())
		}
	}
}

// FuzzQuotedMatchesStdlib holds appendQuotedPrintable to mime/quotedprintable's Writer for
// any input.
func FuzzQuotedMatchesStdlib(f *testing.F) {
	for _, s := range []string{"", " \r\n", "a\r\rb\n\nc", strings.Repeat("x", 74) + " \t\r\n=", strings.Repeat("é", 40), "\r\x00\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		w := quotedprintable.NewWriter(&want)
		_, _ = w.Write([]byte(s))
		_ = w.Close()
		if got := appendQuotedPrintable(nil, s); string(got) != want.String() {
			t.Fatalf("%q:\n got %q\nwant %q", s, got, want.String())
		}
	})
}
