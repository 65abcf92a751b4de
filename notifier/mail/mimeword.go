package mail

import "mime"

// mimeWordDecoder decodes RFC 2047 encoded words in header values for display; a value
// it cannot decode is shown as it is.
type mimeWordDecoder struct{ d mime.WordDecoder }

func (w *mimeWordDecoder) decode(s string) string {
	out, err := w.d.DecodeHeader(s)
	if err != nil {
		return s
	}
	return out
}
