package mail

// appendQuotedPrintable appends s quoted-printable encoded (RFC 2045 6.7) byte for byte
// as mime/quotedprintable's Writer encodes it (the encoder go-mail uses for a part):
// lines of at most 76 characters with soft breaks, CR, LF and CRLF as CRLF, a space or tab
// before a line end or at the end encoded, '=' and bytes outside printable ASCII as =XX.
//
// Written here because the Writer takes its input a byte at a time and flushes every line
// through an io.Writer, which made encoding the text and HTML parts the largest share of
// assembling a cached reminder (a fifth of the notifier's CPU per email); this appends
// each run of plain bytes at once. TestQuotedMatchesStdlib and FuzzQuotedMatchesStdlib
// hold it to the Writer's output.
func appendQuotedPrintable(out []byte, s string) []byte {
	const room = 75 // characters of a line before its soft break ('=')
	col := 0        // characters in the line being written
	cr := false     // the last line end was a CR: a LF right after it is the same end
	for p := 0; p < len(s); {
		switch b := s[p]; {
		case qpPlain(b):
			q := p + 1
			for q < len(s) && qpPlain(s[q]) {
				q++
			}
			for run := s[p:q]; len(run) > 0; {
				if col == room {
					out = append(out, "=\r\n"...)
					col = 0
				}
				k := min(room-col, len(run))
				out = append(out, run[:k]...)
				col += k
				run = run[k:]
			}
			cr = false
			p = q
		case b == '\r' || b == '\n':
			p++
			if cr && b == '\n' {
				cr = false
				continue
			}
			if b == '\r' {
				cr = true
			}
			out, _ = qpEncodeTrailingSpace(out, col)
			out = append(out, "\r\n"...)
			col = 0
		default:
			out, col = qpEncode(out, col, b)
			p++
		}
	}
	out, _ = qpEncodeTrailingSpace(out, col)
	return out
}

// qpPlain reports whether b is written as itself: printable ASCII but '=', space and tab.
func qpPlain(b byte) bool { return b >= '!' && b <= '~' && b != '=' || b == ' ' || b == '\t' }

// qpEncode appends b as =XX, after a soft break if the line has no room for it.
func qpEncode(out []byte, col int, b byte) ([]byte, int) {
	const hex = "0123456789ABCDEF"
	if col > 72 {
		out = append(out, "=\r\n"...)
		col = 0
	}
	return append(out, '=', hex[b>>4], hex[b&0x0f]), col + 3
}

// qpEncodeTrailingSpace encodes a space or tab that ends the line, which a reader would
// otherwise be free to drop (RFC 2045 6.7, rule 3).
func qpEncodeTrailingSpace(out []byte, col int) ([]byte, int) {
	if col == 0 {
		return out, col
	}
	if b := out[len(out)-1]; b == ' ' || b == '\t' {
		return qpEncode(out[:len(out)-1], col-1, b)
	}
	return out, col
}
