package mail

// qpEncoder is mime/quotedprintable's Writer (text mode) as an appender: the same
// state machine, byte for byte the same output (TestQuotedMatchesStdlib), writing into a
// slice instead of through an io.Writer, so that a template's parts are encoded per
// message at the cost of a copy.
type qpEncoder struct {
	out  []byte
	line [78]byte
	i    int
	cr   bool
}

const qpLineMax = 76

// appendQuotedPrintable appends s quoted-printable encoded, as go-mail encodes a part.
func appendQuotedPrintable(out []byte, s string) []byte {
	e := qpEncoder{out: out}
	n := 0
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b >= '!' && b <= '~' && b != '=':
			continue
		case b == ' ' || b == '\t' || b == '\n' || b == '\r':
			continue
		}
		if i > n {
			e.write(s[n:i])
			n = i
		}
		e.encode(b)
		n++
	}
	if n < len(s) {
		e.write(s[n:])
	}
	e.checkLastByte()
	e.flush()
	return e.out
}

func (e *qpEncoder) write(p string) {
	for i := 0; i < len(p); i++ {
		b := p[i]
		if b == '\n' || b == '\r' {
			if e.cr && b == '\n' {
				e.cr = false
				continue
			}
			if b == '\r' {
				e.cr = true
			}
			e.checkLastByte()
			e.insertCRLF()
			continue
		}
		if e.i == qpLineMax-1 {
			e.insertSoftLineBreak()
		}
		e.line[e.i] = b
		e.i++
		e.cr = false
	}
}

func (e *qpEncoder) encode(b byte) {
	const upperhex = "0123456789ABCDEF"
	if qpLineMax-1-e.i < 3 {
		e.insertSoftLineBreak()
	}
	e.line[e.i] = '='
	e.line[e.i+1] = upperhex[b>>4]
	e.line[e.i+2] = upperhex[b&0x0f]
	e.i += 3
}

func (e *qpEncoder) checkLastByte() {
	if e.i == 0 {
		return
	}
	if b := e.line[e.i-1]; b == ' ' || b == '\t' {
		e.i--
		e.encode(b)
	}
}

func (e *qpEncoder) insertSoftLineBreak() {
	e.line[e.i] = '='
	e.i++
	e.insertCRLF()
}

func (e *qpEncoder) insertCRLF() {
	e.line[e.i] = '\r'
	e.line[e.i+1] = '\n'
	e.i += 2
	e.flush()
}

func (e *qpEncoder) flush() {
	e.out = append(e.out, e.line[:e.i]...)
	e.i = 0
}
