package agenda

import (
	"unicode/utf8"

	"github.com/plenary/plenary/contracts"
)

// The JSON columns (titles, language lists, speakers) are read by a scanner for the plain
// shapes this package writes: an agenda of 500 sessions reads 2,500 of them, and
// encoding/json's reflection was a fifth of its cold rendering. Anything else (escapes,
// unknown keys, other types, bad UTF-8, broken JSON) goes to encoding/json, so the result
// and the errors are always encoding/json's.

func decodeText(s string, t *contracts.Text) error {
	if s == "null" {
		return nil
	}
	p := jsonScan{s: s}
	m := contracts.Text{}
	ok := p.seq('{', '}', func() bool {
		k, v, ok := p.member()
		if ok {
			m[k] = v
		}
		return ok
	})
	if !ok || !p.end() {
		return decodeInto(s, t)
	}
	*t = m
	return nil
}

func decodeStrings(s string, out *[]string) error {
	if s == "null" {
		return nil
	}
	p := jsonScan{s: s}
	l := []string{}
	ok := p.seq('[', ']', func() bool {
		v, ok := p.str()
		if ok {
			l = append(l, v)
		}
		return ok
	})
	if !ok || !p.end() {
		return decodeInto(s, out)
	}
	*out = l
	return nil
}

func decodeSpeakers(s string, out *[]Speaker) error {
	if s == "null" {
		return nil
	}
	p := jsonScan{s: s}
	l := []Speaker{}
	ok := p.seq('[', ']', func() bool {
		var sp Speaker
		ok := p.seq('{', '}', func() bool {
			k, v, ok := p.member()
			if !ok {
				return false
			}
			switch k {
			case "name":
				sp.Name = v
			case "affiliation":
				sp.Affiliation = v
			case "stakeholder_group":
				sp.StakeholderGroup = v
			case "regional_group":
				sp.RegionalGroup = v
			case "language":
				sp.Language = v
			default: // encoding/json matches keys without regard to case
				return false
			}
			return true
		})
		if ok {
			l = append(l, sp)
		}
		return ok
	})
	if !ok || !p.end() {
		return decodeInto(s, out)
	}
	*out = l
	return nil
}

// jsonScan reads plain JSON: strings without escapes, punctuation, white space.
type jsonScan struct {
	s string
	i int
}

func (p *jsonScan) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonScan) lit(c byte) bool {
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// seq reads an object's members or an array's elements between open and close, each by
// item; false when the text is not of that shape or an item is not.
func (p *jsonScan) seq(open, close byte, item func() bool) bool {
	if !p.lit(open) {
		return false
	}
	if p.lit(close) {
		return true
	}
	for {
		if !item() {
			return false
		}
		if !p.lit(',') {
			return p.lit(close)
		}
	}
}

// member reads an object member whose value is a string: "key": "value".
func (p *jsonScan) member() (k, v string, ok bool) {
	if k, ok = p.str(); !ok || !p.lit(':') {
		return "", "", false
	}
	v, ok = p.str()
	return k, v, ok
}

func (p *jsonScan) end() bool {
	p.ws()
	return p.i == len(p.s)
}

// str reads a string without escapes or control characters, in valid UTF-8; false for
// anything else (which encoding/json then reads).
func (p *jsonScan) str() (string, bool) {
	p.ws()
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return "", false
	}
	ascii := true
	for j := p.i + 1; j < len(p.s); j++ {
		switch c := p.s[j]; {
		case c == '"':
			v := p.s[p.i+1 : j]
			if !ascii && !utf8.ValidString(v) {
				return "", false
			}
			p.i = j + 1
			return v, true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}
