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
	if !p.lit('{') {
		return decodeInto(s, t)
	}
	if !p.lit('}') {
		for {
			k, ok := p.str()
			if !ok || !p.lit(':') {
				return decodeInto(s, t)
			}
			v, ok := p.str()
			if !ok {
				return decodeInto(s, t)
			}
			m[k] = v
			if p.lit(',') {
				continue
			}
			if p.lit('}') {
				break
			}
			return decodeInto(s, t)
		}
	}
	if !p.end() {
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
	if !p.lit('[') {
		return decodeInto(s, out)
	}
	l := []string{}
	if !p.lit(']') {
		for {
			v, ok := p.str()
			if !ok {
				return decodeInto(s, out)
			}
			l = append(l, v)
			if p.lit(',') {
				continue
			}
			if p.lit(']') {
				break
			}
			return decodeInto(s, out)
		}
	}
	if !p.end() {
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
	if !p.lit('[') {
		return decodeInto(s, out)
	}
	l := []Speaker{}
	if !p.lit(']') {
		for {
			var sp Speaker
			if !p.lit('{') {
				return decodeInto(s, out)
			}
			if !p.lit('}') {
				for {
					k, ok := p.str()
					if !ok || !p.lit(':') {
						return decodeInto(s, out)
					}
					v, ok := p.str()
					if !ok {
						return decodeInto(s, out)
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
						return decodeInto(s, out)
					}
					if p.lit(',') {
						continue
					}
					if p.lit('}') {
						break
					}
					return decodeInto(s, out)
				}
			}
			l = append(l, sp)
			if p.lit(',') {
				continue
			}
			if p.lit(']') {
				break
			}
			return decodeInto(s, out)
		}
	}
	if !p.end() {
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
