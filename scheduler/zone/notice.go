package zone

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// NoticeTime is one time a notice prints: "11:00" in "EDT".
type NoticeTime struct {
	Time string `json:"time"` // HH:MM, 24-hour
	Zone string `json:"zone"` // as printed
}

// Notice is the times a published notice gives for one moment, on one date (YYYY-MM-DD,
// the date as printed beside the first time).
type Notice struct {
	Date  string       `json:"date"`
	Times []NoticeTime `json:"times"`
}

const maxNoticeLine = 1000

var noticeEntry = regexp.MustCompile(`^(\d{1,2})(?:[:h.](\d{2}))?\s*(?:(?i:(a\.?m\.?|p\.?m\.?))(?:\s+|$))?\s*(.*)$`)

// ParseNoticeLine reads one line in the usual form "11:00 EDT / 15:00 UTC / 17:00 CEST"
// (also with |, ",", ";" or " - " between the times; 11h00 and 3:00 pm are accepted).
// date is the date printed with the notice, YYYY-MM-DD.
func ParseNoticeLine(line, date string) (Notice, error) {
	bad := func(format string, a ...any) (Notice, error) {
		return Notice{}, &Error{Code: CodeInvalidNotice, Input: trunc(line), Message: fmt.Sprintf(format, a...)}
	}
	if _, _, _, err := parseDate(strings.TrimSpace(date)); err != nil {
		return Notice{}, &Error{Code: CodeInvalidDate, Input: trunc(date), Message: fmt.Sprintf("the notice date %q is not of the form 2021-11-03 (%s)", trunc(date), err)}
	}
	if len(line) > maxNoticeLine {
		return bad("the notice line is longer than %d characters", maxNoticeLine)
	}
	parts := splitNotice(line)
	n := Notice{Date: strings.TrimSpace(date)}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		m := noticeEntry.FindStringSubmatch(p)
		if m == nil {
			return bad("%q is not a time followed by a zone, such as \"11:00 EDT\"", trunc(p))
		}
		h, _ := strconv.Atoi(m[1])
		min := 0
		if m[2] != "" {
			min, _ = strconv.Atoi(m[2])
		}
		if ap := strings.ToLower(strings.ReplaceAll(m[3], ".", "")); ap != "" {
			if h < 1 || h > 12 {
				return bad("%q: with am/pm the hour runs from 1 to 12", trunc(p))
			}
			h %= 12
			if ap == "pm" {
				h += 12
			}
		}
		if h > 23 || min > 59 {
			return bad("%q: no such time of day", trunc(p))
		}
		zone := strings.TrimSpace(m[4])
		if zone == "" {
			return bad("%q has no time zone", trunc(p))
		}
		n.Times = append(n.Times, NoticeTime{Time: fmt.Sprintf("%02d:%02d", h, min), Zone: zone})
	}
	if len(n.Times) == 0 {
		return bad("no times found; expected a line such as \"11:00 EDT / 15:00 UTC / 17:00 CEST\"")
	}
	return n, nil
}

// splitNotice cuts a line at its separators. A "/" separates only when spaced or followed
// by a time (IANA names contain slashes); a hyphen only when spaced (GMT-3 contains one).
func splitNotice(line string) []string {
	var parts []string
	rs := []rune(line)
	start := 0
	for i := 0; i < len(rs); i++ {
		cut := false
		switch rs[i] {
		case '|', ',', ';':
			cut = true
		case '/':
			cut = (i > 0 && rs[i-1] == ' ') || nextIsDigit(rs, i+1)
		case '-', '\u2013', '\u2014':
			cut = i > 0 && rs[i-1] == ' ' && i+1 < len(rs) && rs[i+1] == ' '
		}
		if cut {
			parts = append(parts, string(rs[start:i]))
			start = i + 1
		}
	}
	return append(parts, string(rs[start:]))
}

func nextIsDigit(rs []rune, i int) bool {
	for ; i < len(rs) && rs[i] == ' '; i++ {
	}
	return i < len(rs) && rs[i] >= '0' && rs[i] <= '9'
}

// Reasons a notice entry disagrees.
const (
	ReasonWrongConversion         = "wrong_conversion"
	ReasonAbbreviationNotInEffect = CodeAbbreviationNotInEffect
	ReasonGMTSignReversed         = "gmt_sign_reversed"
	ReasonNonexistentLocalTime    = CodeNonexistentLocalTime
)

// NoticeFinding is one entry of a notice that does not say what it should.
type NoticeFinding struct {
	Index     int    `json:"index"`      // 0-based position in the notice
	Says      string `json:"says"`       // "17:00 CEST"
	ShouldSay string `json:"should_say"` // "16:00 CET"
	Reason    string `json:"reason"`
	Message   string `json:"message"`
}

// NoticeEntry is how one printed time was understood.
type NoticeEntry struct {
	Says    string      `json:"says"`
	Zone    string      `json:"zone"`     // canonical zone
	Instant []time.Time `json:"instants"` // none in a gap, two in an overlap (UTC)
	Abbrev  string      `json:"abbreviation,omitempty"`
}

// CheckResult is the verdict on a notice.
type CheckResult struct {
	Consistent bool            `json:"consistent"`
	Reference  time.Time       `json:"reference"` // UTC
	Basis      string          `json:"basis"`     // how Reference was chosen: "majority" or "utc_entry"
	Entries    []NoticeEntry   `json:"entries"`
	Findings   []NoticeFinding `json:"findings"`
}

type printedTime struct {
	says     string
	z        Zone
	wall     WallClock
	cands    []time.Time // on the notice date
	nearby   []time.Time // on the notice date and the days either side
	literal  *time.Time  // the instant the abbreviation's own offset gives
	reversed *time.Time  // the instant a GMT±N read with the POSIX sign gives
	utc      bool
}

// CheckNotice tells whether the times of a notice name one moment, and for each that does
// not, what it should say and why. The reference moment is the one most entries agree on;
// a tie is broken in favour of a UTC/GMT entry (what secretariats convert from), then of
// the earliest entry. Entries in summer or winter abbreviations are checked against the
// date too: a correct time with "EDT" printed after US summer time ended is still flagged.
func CheckNotice(n Notice) (CheckResult, error) {
	y, mo, d, err := parseDate(strings.TrimSpace(n.Date))
	if err != nil {
		return CheckResult{}, &Error{Code: CodeInvalidDate, Input: trunc(n.Date), Message: fmt.Sprintf("the notice date %q is not of the form 2021-11-03 (%s)", trunc(n.Date), err)}
	}
	if len(n.Times) < 2 {
		return CheckResult{}, &Error{Code: CodeInvalidNotice, Message: "a notice to check needs at least two times for the same moment"}
	}
	if len(n.Times) > 50 {
		return CheckResult{}, &Error{Code: CodeInvalidNotice, Message: "a notice to check has at most 50 times"}
	}
	es := make([]printedTime, len(n.Times))
	for i, nt := range n.Times {
		e := &es[i]
		e.says = strings.TrimSpace(nt.Time) + " " + strings.TrimSpace(nt.Zone)
		hm, err := ParseWallClock(fmt.Sprintf("%04d-%02d-%02dT%s", y, int(mo), d, strings.TrimSpace(nt.Time)))
		if err != nil || hm.HasOffset || hm.Second != 0 {
			return CheckResult{}, &Error{Code: CodeInvalidNotice, Input: trunc(nt.Time), Message: fmt.Sprintf("time %d (%q) is not of the form HH:MM", i+1, trunc(nt.Time))}
		}
		e.wall = hm
		z, err := Parse(nt.Zone)
		if err != nil {
			var ze *Error
			if !errors.As(err, &ze) {
				return CheckResult{}, err
			}
			return CheckResult{}, &Error{Code: ze.Code, Input: ze.Input, Suggestions: ze.Suggestions,
				Message: fmt.Sprintf("time %d (%q): %s", i+1, trunc(e.says), ze.Message)}
		}
		e.z = z
		e.cands = candidates(hm, z.Location)
		// Notices print one date; a time in a far zone may fall on the day before or after.
		for _, dd := range []int{-1, 0, 1} {
			o := WallClockOf(hm.local().AddDate(0, 0, dd))
			e.nearby = append(e.nearby, candidates(o, z.Location)...)
		}
		naive := hm.local()
		if off, ok := z.AbbrevOffset(); ok {
			t := naive.Add(-time.Duration(off) * time.Second)
			e.literal = &t
		}
		if z.Fixed {
			off := z.OffsetAt(naive)
			if off == 0 {
				e.utc = true
			} else if humanSigned(z.Input) {
				t := naive.Add(time.Duration(off) * time.Second)
				e.reversed = &t
			}
		}
	}
	ref, basis, ok := reference(es)
	if !ok {
		return CheckResult{}, &Error{Code: CodeInvalidNotice, Message: "none of the times exists on that date"}
	}
	res := CheckResult{Reference: ref, Basis: basis}
	for i := range es {
		e := &es[i]
		ent := NoticeEntry{Says: e.says, Zone: e.z.Name, Instant: append([]time.Time{}, e.cands...), Abbrev: e.z.Abbrev}
		res.Entries = append(res.Entries, ent)
		if f, bad := judge(i, e, ref, n.Date); bad {
			res.Findings = append(res.Findings, f)
		}
	}
	res.Consistent = len(res.Findings) == 0
	return res, nil
}

// humanSigned tells whether a fixed zone was written GMT±N/UTC±N, the form people get
// backwards by reading it as the POSIX Etc/GMT±N.
func humanSigned(in string) bool {
	u := strings.ToUpper(strings.TrimSpace(in))
	return strings.HasPrefix(u, "GMT") || strings.HasPrefix(u, "UTC") || strings.HasPrefix(u, "ETC/GMT")
}

func reference(es []printedTime) (time.Time, string, bool) {
	votes := map[time.Time]int{}
	for _, e := range es {
		for _, c := range e.nearby {
			votes[c]++
		}
	}
	// The reference is a time some entry gives on the printed date: the most agreed on,
	// then a UTC entry's, then the earliest entry's.
	best := 0
	for _, e := range es {
		for _, c := range e.cands {
			best = max(best, votes[c])
		}
	}
	if best == 0 {
		return time.Time{}, "", false
	}
	tied := map[time.Time]bool{}
	for _, e := range es {
		for _, c := range e.cands {
			if votes[c] == best {
				tied[c] = true
			}
		}
	}
	if len(tied) > 1 {
		for _, e := range es {
			if e.utc && len(e.cands) == 1 && tied[e.cands[0]] {
				return e.cands[0], "utc_entry", true
			}
		}
	}
	for _, e := range es {
		for _, c := range e.cands {
			if tied[c] {
				return c, "majority", true
			}
		}
	}
	return time.Time{}, "", false
}

func judge(i int, e *printedTime, ref time.Time, date string) (NoticeFinding, bool) {
	z := e.z
	lt := ref.In(z.Location)
	label := z.Name
	switch {
	case z.Abbrev != "":
		if label = abbrevAt(z.Location, ref); label == "" {
			label = UTCLabel(z.OffsetAt(ref))
		}
	case z.Fixed:
		label = strings.TrimSpace(z.Input)
	}
	should := lt.Format("15:04") + " " + label
	if base, err := ParseDate(date); err == nil {
		if shift := civilDays(lt) - civilDays(base); shift != 0 {
			should += fmt.Sprintf(" (%s)", lookup("en").dayShift(shift))
		}
	}
	f := NoticeFinding{Index: i, Says: e.says, ShouldSay: should}
	matches := false
	for _, c := range e.nearby {
		matches = matches || c.Equal(ref)
	}
	refUTC := ref.UTC().Format("15:04") + " UTC"
	nie := z.CheckAt(ref)
	switch {
	case matches && nie == nil:
		return f, false
	case matches:
		f.Reason = ReasonAbbreviationNotInEffect
		f.Message = fmt.Sprintf("the time is right for %s, but %s", z.Name, nie.Message)
	case e.literal != nil && e.literal.Equal(ref) && nie != nil:
		f.Reason = ReasonAbbreviationNotInEffect
		f.Message = fmt.Sprintf("%s is %s by the offset %s stands for, but %s: %s is %s there", e.says, refUTC, z.Abbrev, nie.Message, refUTC, should)
	case e.reversed != nil && e.reversed.Equal(ref):
		off := z.OffsetAt(ref)
		dir := "ahead of"
		if off < 0 {
			dir = "behind"
		}
		f.Reason = ReasonGMTSignReversed
		f.Message = fmt.Sprintf("%s means %s, %s %s UTC; the time printed was computed as %s, the sign read backwards (the POSIX reading of Etc/GMT names): %s is %s",
			strings.TrimSpace(z.Input), UTCLabel(off), hoursText(off), dir, UTCLabel(-off), refUTC, should)
	case len(e.cands) == 0:
		f.Reason = ReasonNonexistentLocalTime
		f.Message = gapError(e.wall, z).Message + "; " + refUTC + " is " + should
	default:
		f.Reason = ReasonWrongConversion
		var was string
		if len(e.cands) > 0 {
			was = " (" + e.says + " is " + e.cands[0].UTC().Format("15:04") + " UTC)"
		}
		f.Message = fmt.Sprintf("%s is %s in %s, not %s%s", refUTC, should, z.Name, e.says, was)
		if nie != nil {
			f.Message += "; also, " + nie.Message
		}
	}
	return f, true
}

func hoursText(off int) string {
	if off < 0 {
		off = -off
	}
	h, m := off/hour, off%hour/60
	s := fmt.Sprintf("%d hour", h)
	if h != 1 {
		s += "s"
	}
	if m != 0 {
		s += fmt.Sprintf(" %d minutes", m)
	}
	return s
}
