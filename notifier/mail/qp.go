package mail

import "mime/quotedprintable"

// appender is an io.Writer that appends to a slice, so that mime/quotedprintable's
// Writer (the encoder go-mail uses for a part) writes a template's part straight into the
// message being assembled.
type appender []byte

func (a *appender) Write(p []byte) (int, error) {
	*a = append(*a, p...)
	return len(p), nil
}

// appendQuotedPrintable appends s quoted-printable encoded, as go-mail encodes a part.
func appendQuotedPrintable(out []byte, s string) []byte {
	a := appender(out)
	w := quotedprintable.NewWriter(&a)
	_, _ = w.Write([]byte(s)) // an appender never fails
	_ = w.Close()
	return a
}
