package zone

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Zone is a time zone as a person typed it and as Plenary understands it.
type Zone struct {
	Input    string         // as typed
	Name     string         // canonical: an IANA name, "UTC", or "UTC+05:30" for a fixed offset
	Location *time.Location // never nil for a Zone returned by Parse
	Fixed    bool           // a fixed offset (UTC, +01:00, GMT-3), no DST rules
	Abbrev   string         // the abbreviation typed (e.g. "EDT"); Name is then its reference zone
	Place    string         // the country or city typed ("Chile", "Bangkok time"); Name is its zone
	// PlaceNote says how a place was read when that is a choice, e.g. that Chile spans
	// several zones (Name is then the zone of its capital or of most of its people).
	PlaceNote string
}

// maxOffset bounds fixed offsets: real zones run from UTC-12:00 to UTC+14:00.
const maxOffset = 14 * hour

// Parse reads a zone as secretariats write it: an IANA name (any case), UTC/Z/GMT, an ISO
// offset (+01:00, -0330, +05), GMT±H[:MM] or UTC±H[:MM] with the human sign (GMT-3 is three
// hours behind UTC), an unambiguous abbreviation from the table in abbrev.go, or a place as
// notices print it ("Vienna", "Bangkok time", "local time in Chile"; places.tsv).
func Parse(s string) (Zone, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return Zone{}, &Error{Code: CodeUnknownZone, Input: in, Message: "no time zone given"}
	}
	up := strings.ToUpper(s)
	switch up {
	case "UTC", "Z", "GMT", "UT", "ETC/UTC", "ETC/GMT", "ZULU", "UCT", "ETC/UCT", "ETC/ZULU", "ETC/UNIVERSAL", "UNIVERSAL":
		return Zone{Input: in, Name: "UTC", Location: time.UTC, Fixed: true}, nil
	}
	// Offsets: +01:00, -0330, UTC+1, GMT-3, UTC+05:30.
	rest, prefixed := "", false
	for _, p := range []string{"UTC", "GMT", "UT"} {
		if strings.HasPrefix(up, p) && len(up) > len(p) && (up[len(p)] == '+' || up[len(p)] == '-' || up[len(p)] == ' ' || strings.HasPrefix(up[len(p):], "\u2212")) {
			rest, prefixed = strings.TrimSpace(s[len(p):]), true
			break
		}
	}
	if !prefixed && (strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "\u2212")) {
		rest = s
	}
	if rest != "" {
		off, err := parseOffset(rest)
		if err != nil {
			return Zone{}, &Error{Code: CodeInvalidOffset, Input: in, Message: fmt.Sprintf("%q is not a valid UTC offset: %s", in, err)}
		}
		return FixedZone(off, in), nil
	}
	// The table wins over the legacy tz names CET, EET, WET, EST, MST and HST: "EST" in a
	// notice means New York's winter time, not the tz zone EST (Panama, no DST).
	if a, ok := abbrevByName[up]; ok {
		loc, err := LoadLocation(a.Zone)
		if err != nil {
			return Zone{}, err
		}
		return Zone{Input: in, Name: a.Zone, Location: loc, Abbrev: a.Abbrev}, nil
	}
	if canon, ok := canonicalName(s); ok {
		loc, err := LoadLocation(canon)
		if err != nil {
			return Zone{}, err
		}
		return Zone{Input: in, Name: canon, Location: loc, Fixed: strings.HasPrefix(canon, "Etc/")}, nil
	}
	if zs, ok := ambiguousAbbreviations[up]; ok {
		return Zone{}, &Error{Code: CodeAmbiguousAbbreviation, Input: in, Suggestions: append([]string(nil), zs...),
			Message: fmt.Sprintf("%q is ambiguous: it may mean %s; give the IANA zone name instead", s, quoteList(zs))}
	}
	// A place, as notices print it: "Vienna", "Bangkok time", "local time in Chile".
	if p, ok := lookupPlace(s); ok {
		loc, err := LoadLocation(p.zone)
		if err != nil {
			return Zone{}, err
		}
		return Zone{Input: in, Name: p.zone, Location: loc, Place: p.name, PlaceNote: p.note}, nil
	}
	sug := suggest(s)
	msg := fmt.Sprintf("unknown time zone %q; use an IANA name such as Europe/Paris, a UTC offset such as UTC+01:00, or a known abbreviation", s)
	if len(sug) > 0 {
		msg = fmt.Sprintf("unknown time zone %q; did you mean %s?", s, quoteList(sug))
	}
	return Zone{}, &Error{Code: CodeUnknownZone, Input: in, Suggestions: sug, Message: msg}
}

// MustParse is Parse for zone names fixed in code; it panics on error.
func MustParse(s string) Zone {
	z, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return z
}

// FixedZone is the zone of a fixed offset (seconds east of UTC).
func FixedZone(offset int, input string) Zone {
	if offset == 0 {
		return Zone{Input: input, Name: "UTC", Location: time.UTC, Fixed: true}
	}
	name := "UTC" + FormatOffset(offset)
	return Zone{Input: input, Name: name, Location: time.FixedZone(name, offset), Fixed: true}
}

// parseOffset reads ±H, ±HH, ±HMM, ±HHMM, ±H:MM, ±HH:MM (a sign is required).
func parseOffset(s string) (int, error) {
	s = strings.Replace(s, "\u2212", "-", 1) // the minus sign people paste from documents
	if s == "" || (s[0] != '+' && s[0] != '-') {
		return 0, fmt.Errorf("an offset starts with + or -")
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	body := s[1:]
	var hs, ms string
	if i := strings.IndexByte(body, ':'); i >= 0 {
		hs, ms = body[:i], body[i+1:]
		if len(ms) != 2 {
			return 0, fmt.Errorf("minutes must have two digits")
		}
	} else {
		switch len(body) {
		case 1, 2:
			hs = body
		case 3, 4:
			hs, ms = body[:len(body)-2], body[len(body)-2:]
		default:
			return 0, fmt.Errorf("expected hours, or hours and minutes")
		}
	}
	if hs == "" || len(hs) > 2 || !allDigits(hs) || (ms != "" && !allDigits(ms)) {
		return 0, fmt.Errorf("expected hours, or hours and minutes")
	}
	h, _ := strconv.Atoi(hs)
	m := 0
	if ms != "" {
		m, _ = strconv.Atoi(ms)
	}
	if m > 59 {
		return 0, fmt.Errorf("minutes must be below 60")
	}
	off := sign * (h*hour + m*60)
	if off > maxOffset || off < -maxOffset {
		return 0, fmt.Errorf("offsets run from -14:00 to +14:00")
	}
	return off, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// FormatOffset writes seconds east of UTC as "+01:00" (seconds, which only historical
// local mean times have, are dropped).
func FormatOffset(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/hour, off%hour/60)
}

// UTCLabel writes an offset for people: "UTC+01:00", or "UTC" for zero.
func UTCLabel(off int) string {
	if off == 0 {
		return "UTC"
	}
	return "UTC" + FormatOffset(off)
}

// suggest proposes IANA names close to an unknown input: same city, or a small edit away.
func suggest(s string) []string {
	key := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "_"))
	if key == "" || len(key) > 64 {
		return nil
	}
	type cand struct {
		name string
		dist int
	}
	var cs []cand
	for _, n := range database().names {
		ln := strings.ToLower(n)
		city := ln[strings.LastIndexByte(ln, '/')+1:]
		switch {
		case city == key:
			cs = append(cs, cand{n, 0})
		case strings.HasSuffix(ln, "/"+key):
			cs = append(cs, cand{n, 0})
		default:
			if d := distance(key, ln, 3); d <= 2 {
				cs = append(cs, cand{n, d})
			} else if d := distance(key, city, 3); d <= 1 && len(key) > 3 {
				cs = append(cs, cand{n, d + 1})
			}
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].dist != cs[j].dist {
			return cs[i].dist < cs[j].dist
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for _, c := range cs {
		if len(out) == 5 {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// distance is the Levenshtein distance of a and b, cut off above max.
func distance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
			best = min(best, c)
		}
		if best > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// OffsetAt is the zone's offset (seconds east of UTC) at instant t.
func (z Zone) OffsetAt(t time.Time) int {
	_, off := t.In(z.Location).Zone()
	return off
}

// AbbrevAt names the zone's time at t: the abbreviation people use (from the table or the
// tz database), or "" when there is none but a numeric offset.
func (z Zone) AbbrevAt(t time.Time) string {
	if z.Location == nil {
		return ""
	}
	return abbrevAt(z.Location, t)
}

func abbrevAt(loc *time.Location, t time.Time) string {
	name, off := t.In(loc).Zone()
	if a := abbrevFor(loc.String(), off); a != "" {
		return a
	}
	if name == "" || name[0] == '+' || name[0] == '-' || strings.HasPrefix(name, "UTC") && len(name) > 3 {
		return ""
	}
	return name
}

// CheckAt tells whether the abbreviation the zone was given as is in effect at t in its
// reference zone: "EDT" on 10 Nov 2021 is not (US summer time ended on 7 Nov). It returns
// nil when there is nothing to say.
func (z Zone) CheckAt(t time.Time) *Finding {
	if z.Abbrev == "" || z.Location == nil {
		return nil
	}
	a, ok := abbrevByName[z.Abbrev]
	if !ok {
		return nil
	}
	off := z.OffsetAt(t)
	if off == a.Offset {
		return nil
	}
	right := abbrevAt(z.Location, t)
	label := right
	if label == "" {
		label = UTCLabel(off)
	} else {
		label += " (" + UTCLabel(off) + ")"
	}
	msg := fmt.Sprintf("%s is not in effect on %s in %s; it is %s", a.Abbrev, t.In(z.Location).Format("2 Jan 2006"), a.Zone, label)
	if a.Note != "" {
		msg += " (" + a.Note + ")"
	}
	sug := right
	if sug == "" {
		sug = UTCLabel(off)
	}
	return &Finding{Code: CodeAbbreviationNotInEffect, Message: msg, Suggestion: sug}
}

// AbbrevOffset is the offset the typed abbreviation itself stands for (EDT: -04:00).
func (z Zone) AbbrevOffset() (int, bool) {
	a, ok := abbrevByName[z.Abbrev]
	if !ok {
		return 0, false
	}
	return a.Offset, true
}

// Label is how the zone is shown beside a time: the abbreviation in effect at t if any,
// else the canonical name.
func (z Zone) Label(t time.Time) string {
	if z.Fixed {
		return z.Name
	}
	if a := z.AbbrevAt(t); a != "" && z.Abbrev != "" {
		return a
	}
	return z.Name
}
