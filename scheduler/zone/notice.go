package zone

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// NoticeTime is one time a notice prints: "11:00" in "EDT", "7 p.m." for "Bangkok", or
// "10:00" in "CET" for "Vienna" (a zone and the place it is printed for).
type NoticeTime struct {
	Time  string `json:"time"`            // HH:MM, 24-hour
	Zone  string `json:"zone,omitempty"`  // as printed: an abbreviation, an offset, an IANA name
	Place string `json:"place,omitempty"` // as printed: a country or city ("Bangkok", "Chile")
}

// Notice is the times a published notice gives for one moment, on one date (YYYY-MM-DD,
// the date as printed beside the first time). Venue is the meeting's zone, if known: a
// notice of one time with a zone but no place is checked against it.
type Notice struct {
	Date  string       `json:"date"`
	Times []NoticeTime `json:"times"`
	Venue string       `json:"venue,omitempty"`
}

const maxNoticeLine = 1000

// noticeClock is a time as notices print it at the start of a piece: 11:00, 11h00,
// 10 h 30, 2.15pm, 9 am, 7 p.m., 12 noon.
var noticeClock = regexp.MustCompile(`^(\d{1,2})(?:(?:[:.]|\s?h\s?)(\d{2}))?\s*(?:(?i:(a\.?\s?m\.?|p\.?\s?m\.?|noon|midday))(?:\s+|$|[^\pL]))?\s*(.*)$`)

var noticeNoon = regexp.MustCompile(`^(?i:(noon|midday|midnight))\b\s*(.*)$`)

// ParseNoticeLine reads one line as notices print it: "11:00 EDT / 15:00 UTC / 17:00 CEST"
// (also with |, ",", ";" or " - " between the times), the second time in parentheses
// ("09:30 EST (14:30 GMT)"), a place beside or instead of a zone ("7 p.m. (Bangkok time)",
// "10:00 CET (Vienna time)", "8 a.m. local time in Chile (GMT -4)", "10:00 AM (GMT
// +5:45/Nepal Time)"), 12-hour times ("2.15pm SGT"), 11h00 and "noon".
// date is the date printed with the notice, YYYY-MM-DD.
func ParseNoticeLine(line, date string) (Notice, error) {
	bad := func(format string, a ...any) (Notice, error) {
		return Notice{}, &Error{Code: CodeInvalidNotice, Input: trunc(line), Message: fmt.Sprintf(format, a...)}
	}
	if _, _, _, err := parseDate(strings.TrimSpace(date)); err != nil {
		return Notice{}, &Error{Code: CodeInvalidDate, Input: trunc(date), Message: fmt.Sprintf("the notice date %q is not of the form 2021-11-03 (%s)", trunc(date), err)}
	}
	if len(line) > maxNoticeLine {
		return bad("the notice line is longer than %d characters; give one line of times", maxNoticeLine)
	}
	n := Notice{Date: strings.TrimSpace(date)}
	for _, p := range splitNotice(line) {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		tm, rest, ok, err := noticeTime(p)
		if err != nil {
			return bad("%s", err.Error())
		}
		if ok {
			n.Times = append(n.Times, NoticeTime{Time: tm})
		} else if len(n.Times) == 0 {
			return bad("%q comes before any time; write the time first, as in \"11:00 EDT\"", trunc(p))
		}
		if err := describe(&n.Times[len(n.Times)-1], rest); err != nil {
			return bad("%s", err.Error())
		}
	}
	if len(n.Times) == 0 {
		return bad("no times found; write the times as the notice prints them, e.g. \"11:00 EDT / 15:00 UTC / 17:00 CEST\"")
	}
	for _, t := range n.Times {
		if t.Zone == "" && t.Place == "" {
			return bad("%s has no time zone or place; add one, e.g. \"%s UTC\" or \"%s (Geneva time)\"", t.Time, t.Time, t.Time)
		}
	}
	return n, nil
}

// noticeTime reads the time a piece starts with, if it does, and the text after it.
func noticeTime(p string) (hm, rest string, ok bool, err error) {
	if m := noticeNoon.FindStringSubmatch(p); m != nil {
		if strings.EqualFold(m[1], "midnight") {
			return "00:00", m[2], true, nil
		}
		return "12:00", m[2], true, nil
	}
	m := noticeClock.FindStringSubmatch(p)
	if m == nil || m[1] == "" {
		return "", p, false, nil
	}
	h, _ := strconv.Atoi(m[1])
	min := 0
	if m[2] != "" {
		min, _ = strconv.Atoi(m[2])
	}
	rest = m[4]
	switch ap := strings.ToLower(strings.NewReplacer(".", "", " ", "").Replace(m[3])); ap {
	case "":
	case "noon", "midday":
		if h != 12 || min != 0 {
			return "", "", false, fmt.Errorf("%q: noon is 12:00", trunc(p))
		}
	default:
		if h < 1 || h > 12 {
			return "", "", false, fmt.Errorf("%q: with am/pm the hour runs from 1 to 12", trunc(p))
		}
		h %= 12
		if ap == "pm" {
			h += 12
		}
	}
	if h > 23 || min > 59 {
		return "", "", false, fmt.Errorf("%q: no such time of day", trunc(p))
	}
	return fmt.Sprintf("%02d:%02d", h, min), rest, true, nil
}

// describe adds what a piece says of the time before it: a zone ("EST", "GMT -4",
// "Europe/Paris"), a place ("Bangkok time", "local time in Chile"), or both joined by a
// slash ("GMT +5:45/Nepal Time").
func describe(t *NoticeTime, text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	z, err := Parse(text)
	var ze *Error
	switch {
	case err == nil && z.Place != "":
		return setNotice(&t.Place, text, t.Time)
	case err == nil, errors.As(err, &ze) && ze.Code == CodeAmbiguousAbbreviation:
		// An ambiguous abbreviation is kept: checking the notice says what it may mean.
		return setNotice(&t.Zone, text, t.Time)
	case strings.Contains(text, "/"):
		for _, part := range strings.Split(text, "/") {
			if err := describe(t, part); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("%q after %s is neither a time zone nor a place Plenary knows; write a zone such as \"CET\", \"GMT+1\" or \"Europe/Vienna\", or a country or city", trunc(text), t.Time)
}

func setNotice(slot *string, text, tm string) error {
	if *slot != "" {
		return fmt.Errorf("%s is given two zones or two places (%q and %q); give one of each at most", tm, *slot, trunc(text))
	}
	*slot = text
	return nil
}

// splitNotice cuts a line at its separators, and around parentheses. A "/" separates only
// when spaced or followed by a time (IANA names and "GMT+5:45/Nepal Time" contain slashes);
// a hyphen only when spaced (GMT-3 contains one).
func splitNotice(line string) []string {
	var parts []string
	rs := []rune(line)
	start := 0
	for i := 0; i < len(rs); i++ {
		cut := false
		switch rs[i] {
		case '|', ',', ';', '(', ')', '[', ']':
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
	// ReasonZoneContradictsPlace: the zone printed is not the one the place printed with it
	// (or the venue) keeps on that date: "10:00 CET (Vienna time)" in July.
	ReasonZoneContradictsPlace = "zone_contradicts_place"
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
	z        Zone   // the zone the time is read in: the place's when one is printed
	printed  *Zone  // the zone printed beside a place, checked against it
	placeBy  string // the place as named in messages ("Vienna", "the venue (Europe/Zurich)")
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
	var venue *Zone
	if v := strings.TrimSpace(n.Venue); v != "" {
		vz, err := Parse(v)
		if err != nil {
			return CheckResult{}, err
		}
		venue = &vz
	}
	if len(n.Times) == 0 || len(n.Times) == 1 && n.Times[0].Place == "" && venue == nil {
		return CheckResult{}, &Error{Code: CodeInvalidNotice, Message: "a notice to check needs two times for the same moment, or one time with the place it is for, such as \"10:00 CET (Vienna time)\", or the meeting's venue"}
	}
	if len(n.Times) > 50 {
		return CheckResult{}, &Error{Code: CodeInvalidNotice, Message: "a notice to check has at most 50 times"}
	}
	es := make([]printedTime, len(n.Times))
	for i, nt := range n.Times {
		if es[i], err = readPrinted(i, nt, y, mo, d, venue, len(n.Times) == 1); err != nil {
			return CheckResult{}, err
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
		if f, bad := judgePlace(i, e, ref); bad {
			res.Findings = append(res.Findings, f)
		}
	}
	res.Consistent = len(res.Findings) == 0
	return res, nil
}

// readPrinted reads time i of a notice dated y-mo-d: the wall clock, the zone it is in
// (its place's, the venue's when it is the notice's only time, else its own), and the
// instants it can name, on the date and the days either side.
func readPrinted(i int, nt NoticeTime, y int, mo time.Month, d int, venue *Zone, alone bool) (printedTime, error) {
	var e printedTime
	e.says = says(nt)
	hm, err := ParseWallClock(fmt.Sprintf("%04d-%02d-%02dT%s", y, int(mo), d, strings.TrimSpace(nt.Time)))
	if err != nil || hm.HasOffset || hm.Second != 0 {
		return e, &Error{Code: CodeInvalidNotice, Input: trunc(nt.Time), Message: fmt.Sprintf("time %d (%q) is not of the form HH:MM", i+1, trunc(nt.Time))}
	}
	e.wall = hm
	parse := func(s string) (Zone, error) {
		z, err := Parse(s)
		if err != nil {
			var ze *Error
			if !errors.As(err, &ze) {
				return Zone{}, err
			}
			return Zone{}, &Error{Code: ze.Code, Input: ze.Input, Suggestions: ze.Suggestions,
				Message: fmt.Sprintf("time %d (%q): %s", i+1, trunc(e.says), ze.Message)}
		}
		return z, nil
	}
	var z Zone
	if strings.TrimSpace(nt.Zone) != "" {
		if z, err = parse(nt.Zone); err != nil {
			return e, err
		}
	}
	switch {
	case strings.TrimSpace(nt.Place) != "":
		pz, err := parse(nt.Place)
		if err != nil {
			return e, err
		}
		if z.Location != nil {
			printed := z
			e.printed = &printed
		}
		z, e.placeBy = pz, placeName(pz)
	case alone && venue != nil && z.Location != nil && z.Name != venue.Name:
		// One time with a zone, for a meeting at the venue: the zone must be the venue's.
		printed := z
		e.printed = &printed
		z, e.placeBy = *venue, "the venue ("+venue.Name+")"
	case z.Location == nil:
		return e, &Error{Code: CodeInvalidNotice, Message: fmt.Sprintf("time %d (%q) has no time zone or place", i+1, trunc(e.says))}
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
	return e, nil
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
	case e.placeBy != "" && e.printed != nil:
		// A zone printed for a place: the place's own abbreviation or offset then.
		label = placeLabel(e.printed, z, ref) + " (" + strings.TrimSpace(z.Input) + ")"
	case z.Place != "":
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
		f.Message = fmt.Sprintf("The notice prints %s: the time is right for %s, but %s. Print %s.", e.says, z.Name, nie.Message, should)
	case e.literal != nil && e.literal.Equal(ref) && nie != nil:
		f.Reason = ReasonAbbreviationNotInEffect
		f.Message = fmt.Sprintf("The notice prints %s, which is %s by the offset %s stands for, as the other times say; but %s, and %s is %s there. Print %s.", e.says, refUTC, z.Abbrev, nie.Message, refUTC, should, should)
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
		if z.Name == "UTC" {
			f.Message = fmt.Sprintf("The notice prints %s, but its other times give %s. Print %s.", e.says, refUTC, should)
		} else {
			f.Message = fmt.Sprintf("The notice prints %s, but its other times give %s, which is %s in %s. Print %s.", e.says, refUTC, should, z.Name, should)
		}
		if nie != nil {
			f.Message += " Also, " + nie.Message + "."
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

// says is a printed time as the notice gives it: "11:00 EDT", "19:00 Bangkok time",
// "10:00 CET (Vienna time)".
func says(nt NoticeTime) string {
	t, z, p := strings.TrimSpace(nt.Time), strings.TrimSpace(nt.Zone), strings.TrimSpace(nt.Place)
	switch {
	case p == "":
		return t + " " + z
	case z == "":
		return t + " " + p
	}
	return t + " " + z + " (" + p + ")"
}

// placeName names a zone given as a place: the place ("Vienna", "Chile"), or the zone.
func placeName(z Zone) string {
	if z.Place != "" {
		return z.Place
	}
	return z.Name
}

// placeLabel writes the zone a place keeps at t the way the printed zone was written: an
// abbreviation for an abbreviation (CEST), GMT-3 for GMT-4, else UTC+02:00.
func placeLabel(printed *Zone, place Zone, t time.Time) string {
	off := place.OffsetAt(t)
	if printed.Abbrev != "" {
		if a := abbrevAt(place.Location, t); a != "" {
			return a
		}
	}
	if humanSigned(printed.Input) {
		prefix := strings.ToUpper(strings.TrimSpace(printed.Input))[:3]
		if off == 0 {
			return prefix
		}
		h, m := off/hour, off%hour/60
		if m < 0 {
			m = -m
		}
		if m != 0 {
			return fmt.Sprintf("%s%+d:%02d", prefix, h, m)
		}
		return fmt.Sprintf("%s%+d", prefix, h)
	}
	return UTCLabel(off)
}

// printedOffset is the offset the zone printed beside a place stands for at t.
func printedOffset(z *Zone, t time.Time) int {
	if off, ok := z.AbbrevOffset(); ok {
		return off
	}
	return z.OffsetAt(t)
}

// judgePlace checks the zone printed beside a place (or, for a one-time notice, the
// venue) against the offset the place keeps at that moment on that date. The place is
// taken as what the notice means (readers look at their own clocks); the message gives
// the other reading too.
func judgePlace(i int, e *printedTime, ref time.Time) (NoticeFinding, bool) {
	if e.printed == nil || len(e.cands) == 0 {
		return NoticeFinding{}, false
	}
	at := e.cands[0]
	for _, c := range e.cands {
		if c.Equal(ref) {
			at = c
		}
	}
	po, want := printedOffset(e.printed, at), e.z.OffsetAt(at)
	if po == want {
		return NoticeFinding{}, false
	}
	printed := strings.TrimSpace(e.printed.Input)
	right := placeLabel(e.printed, e.z, at)
	wall := at.In(e.z.Location).Format("15:04")
	other := e.wall.local().Add(-time.Duration(po) * time.Second).In(e.z.Location)
	otherText := other.Format("15:04")
	if civilDays(other) != civilDays(at.In(e.z.Location)) {
		otherText += " on " + other.Format("2 January")
	}
	rightDesc := right
	if right != UTCLabel(want) {
		rightDesc += " (" + UTCLabel(want) + ")"
	}
	printedDesc := printed
	if printed != UTCLabel(po) {
		printedDesc += " (" + UTCLabel(po) + ")"
	}
	place, inPlace := e.placeBy, "in "+e.placeBy
	if strings.HasPrefix(place, "the venue") {
		inPlace = "at " + place
	}
	msg := fmt.Sprintf("The notice prints %s %s for %s, but on %s %s is on %s, not %s. If %s %s is meant, print %s %s; if %s %s is meant, that is %s %s.",
		wall, printed, place, at.In(e.z.Location).Format("2 January 2006"), place, rightDesc, printedDesc,
		wall, inPlace, wall, right, wall, printed, otherText, inPlace)
	if e.z.PlaceNote != "" {
		msg += fmt.Sprintf(" (%s %s; read as %s.)", e.z.Place, e.z.PlaceNote, e.z.Name)
	}
	return NoticeFinding{Index: i, Says: e.says, ShouldSay: wall + " " + right + placeSuffix(e), Reason: ReasonZoneContradictsPlace, Message: msg}, true
}

func placeSuffix(e *printedTime) string {
	if e.z.Place != "" {
		return " (" + strings.TrimSpace(e.z.Input) + ")"
	}
	return ""
}
