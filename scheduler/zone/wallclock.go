package zone

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// WallClock is a local date and time as typed, not yet tied to an instant.
type WallClock struct {
	Year   int
	Month  time.Month
	Day    int
	Hour   int
	Minute int
	Second int
	// HasOffset tells that the input carried an explicit offset (Offset, seconds east).
	HasOffset bool
	Offset    int
}

// String writes the wall clock as ISO 8601: 2022-12-06T16:30 (seconds only when set,
// offset only when given).
func (w WallClock) String() string {
	s := fmt.Sprintf("%04d-%02d-%02dT%02d:%02d", w.Year, int(w.Month), w.Day, w.Hour, w.Minute)
	if w.Second != 0 {
		s += fmt.Sprintf(":%02d", w.Second)
	}
	if w.HasOffset {
		s += FormatOffset(w.Offset)
	}
	return s
}

// local is the wall clock read as if it were UTC, the base of all offset arithmetic.
func (w WallClock) local() time.Time {
	return time.Date(w.Year, w.Month, w.Day, w.Hour, w.Minute, w.Second, 0, time.UTC)
}

// WallClockOf is the wall clock t shows (in t's location), without offset.
func WallClockOf(t time.Time) WallClock {
	return WallClock{Year: t.Year(), Month: t.Month(), Day: t.Day(), Hour: t.Hour(), Minute: t.Minute(), Second: t.Second()}
}

// ParseWallClock reads "2022-12-06T16:30", with optional seconds ("16:30:00"), a space in
// place of the T, and an optional offset suffix ("+01:00", "+0100", "Z").
func ParseWallClock(s string) (WallClock, error) {
	in := s
	bad := func(why string) (WallClock, error) {
		return WallClock{}, &Error{Code: CodeInvalidWallClock, Input: in,
			Message: fmt.Sprintf("%q is not a date and time of the form 2022-12-06T16:30 (%s)", trunc(in), why)}
	}
	s = strings.TrimSpace(s)
	if len(s) < 16 {
		return bad("too short")
	}
	if s[10] != 'T' && s[10] != 't' && s[10] != ' ' {
		return bad("expected T between date and time")
	}
	w := WallClock{}
	var err error
	if w.Year, w.Month, w.Day, err = parseDate(s[:10]); err != nil {
		return bad(err.Error())
	}
	rest := s[11:]
	if len(rest) < 5 || rest[2] != ':' || !allDigits(rest[:2]) || !allDigits(rest[3:5]) {
		return bad("expected the time as HH:MM")
	}
	w.Hour, _ = strconv.Atoi(rest[:2])
	w.Minute, _ = strconv.Atoi(rest[3:5])
	rest = rest[5:]
	if len(rest) >= 3 && rest[0] == ':' && allDigits(rest[1:3]) {
		w.Second, _ = strconv.Atoi(rest[1:3])
		rest = rest[3:]
	}
	if w.Hour > 23 || w.Minute > 59 || w.Second > 59 {
		return bad("hour, minute or second out of range")
	}
	switch {
	case rest == "":
	case rest == "Z" || rest == "z":
		w.HasOffset = true
	default:
		off, err := parseOffset(rest)
		if err != nil {
			return bad("offset: " + err.Error())
		}
		w.HasOffset, w.Offset = true, off
	}
	return w, nil
}

// parseDate reads YYYY-MM-DD and checks the day exists.
func parseDate(s string) (int, time.Month, int, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !allDigits(s[:4]) || !allDigits(s[5:7]) || !allDigits(s[8:10]) {
		return 0, 0, 0, fmt.Errorf("expected the date as YYYY-MM-DD")
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:10])
	if y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return 0, 0, 0, fmt.Errorf("no such date")
	}
	return y, time.Month(m), d, nil
}

// ParseDate reads a calendar date YYYY-MM-DD.
func ParseDate(s string) (time.Time, error) {
	y, m, d, err := parseDate(strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, &Error{Code: CodeInvalidDate, Input: s, Message: fmt.Sprintf("%q is not a date of the form 2022-12-06 (%s)", trunc(s), err)}
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func trunc(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// Fold chooses between the two instants of a local time that occurs twice.
type Fold string

const (
	FoldNone    Fold = ""
	FoldEarlier Fold = "earlier" // the first occurrence (still on summer time, usually)
	FoldLater   Fold = "later"   // the second occurrence (after clocks went back)
)

// Resolved is a wall clock tied to an instant in a zone.
type Resolved struct {
	Instant       time.Time `json:"instant"` // UTC
	Local         time.Time `json:"-"`       // the same instant in the zone
	Zone          string    `json:"zone"`
	Offset        string    `json:"offset"` // "+01:00"
	OffsetSeconds int       `json:"offset_seconds"`
	Abbrev        string    `json:"abbreviation,omitempty"`
	// Fold is set when the time occurred twice and the fold (or the offset) chose one.
	Fold     Fold      `json:"fold,omitempty"`
	Findings []Finding `json:"findings,omitempty"`
}

// candidates returns every instant (ascending) whose wall clock in loc is w, ignoring
// w's offset. Empty means w falls in a gap; two means an overlap.
func candidates(w WallClock, loc *time.Location) []time.Time {
	naive := w.local()
	// Offsets run from -12h to +14h, so every instant that can show this wall clock lies
	// within 15 hours of naive; walk the zone's periods across that window.
	var out []time.Time
	seen := map[int]bool{}
	t, end := naive.Add(-15*time.Hour), naive.Add(15*time.Hour)
	for i := 0; i < 8 && t.Before(end); i++ {
		lt := t.In(loc)
		_, off := lt.Zone()
		if !seen[off] {
			seen[off] = true
			c := naive.Add(-time.Duration(off) * time.Second)
			if _, o := c.In(loc).Zone(); o == off {
				out = append(out, c)
			}
		}
		_, next := lt.ZoneBounds()
		if next.IsZero() || !next.After(t) {
			break
		}
		t = next
	}
	if len(out) == 2 && out[1].Before(out[0]) {
		out[0], out[1] = out[1], out[0]
	}
	return out
}

// Resolve ties a wall clock to an instant in z. A time in a DST gap is an error; a time
// that occurs twice needs an explicit offset or fold; an explicit offset must be one the
// zone has at that wall time. Findings carry what is wrong but not fatal (an abbreviation
// not in effect on that date).
func Resolve(w WallClock, z Zone, fold Fold) (Resolved, error) {
	if z.Location == nil {
		return Resolved{}, &Error{Code: CodeUnknownZone, Message: "no time zone given"}
	}
	if fold != FoldNone && fold != FoldEarlier && fold != FoldLater {
		return Resolved{}, &Error{Code: CodeInvalidFold, Input: string(fold), Message: fmt.Sprintf("fold %q is not one of \"earlier\" or \"later\"", trunc(string(fold)))}
	}
	bare := w
	bare.HasOffset, bare.Offset = false, 0
	cs := candidates(w, z.Location)
	switch len(cs) {
	case 0:
		return Resolved{}, gapError(bare, z)
	case 1:
		if w.HasOffset {
			if off := z.OffsetAt(cs[0]); off != w.Offset {
				return Resolved{}, &Error{Code: CodeOffsetNotInZone, Input: w.String(), Candidates: cs,
					Suggestions: []string{bare.String() + FormatOffset(off)},
					Message:     fmt.Sprintf("%s: %s is at %s at that time, not %s", w, z.Name, UTCLabel(off), UTCLabel(w.Offset))}
			}
		}
		return finish(cs[0], z, FoldNone), nil
	}
	// Twice: the offset or the fold decides.
	if w.HasOffset {
		for i, c := range cs {
			if z.OffsetAt(c) == w.Offset {
				f := FoldEarlier
				if i == 1 {
					f = FoldLater
				}
				return finish(c, z, f), nil
			}
		}
		return Resolved{}, &Error{Code: CodeOffsetNotInZone, Input: w.String(), Candidates: cs,
			Suggestions: []string{bare.String() + FormatOffset(z.OffsetAt(cs[0])), bare.String() + FormatOffset(z.OffsetAt(cs[1]))},
			Message:     fmt.Sprintf("%s: %s is at %s or %s at that time, not %s", w, z.Name, UTCLabel(z.OffsetAt(cs[0])), UTCLabel(z.OffsetAt(cs[1])), UTCLabel(w.Offset))}
	}
	switch fold {
	case FoldEarlier:
		return finish(cs[0], z, FoldEarlier), nil
	case FoldLater:
		return finish(cs[1], z, FoldLater), nil
	}
	e0, e1 := cs[0].In(z.Location), cs[1].In(z.Location)
	return Resolved{}, &Error{Code: CodeAmbiguousLocalTime, Input: bare.String(), Candidates: cs,
		Suggestions: []string{e0.Format(time.RFC3339), e1.Format(time.RFC3339)},
		Message: fmt.Sprintf("%s occurs twice in %s, as clocks go back: first at %s (%s, %s UTC), then at %s (%s, %s UTC); give the offset or fold \"earlier\" or \"later\"",
			bare, z.Name, e0.Format(time.RFC3339), describeOffset(z, cs[0]), cs[0].UTC().Format("15:04"),
			e1.Format(time.RFC3339), describeOffset(z, cs[1]), cs[1].UTC().Format("15:04"))}
}

func describeOffset(z Zone, t time.Time) string {
	off := z.OffsetAt(t)
	if a := abbrevAt(z.Location, t); a != "" {
		return a + ", " + UTCLabel(off)
	}
	return UTCLabel(off)
}

func finish(t time.Time, z Zone, f Fold) Resolved {
	off := z.OffsetAt(t)
	r := Resolved{Instant: t.UTC(), Local: t.In(z.Location), Zone: z.Name, Offset: FormatOffset(off), OffsetSeconds: off,
		Abbrev: abbrevAt(z.Location, t), Fold: f}
	if fd := z.CheckAt(t); fd != nil {
		r.Findings = append(r.Findings, *fd)
	}
	return r
}

// gapError explains a wall clock skipped by a forward jump, naming the jump.
func gapError(w WallClock, z Zone) *Error {
	naive := w.local()
	// The transition is the instant when the offset changes near naive.
	before := naive.Add(-15 * time.Hour)
	_, offBefore := before.In(z.Location).Zone()
	_, tr := before.In(z.Location).ZoneBounds()
	for i := 0; i < 8 && !tr.IsZero(); i++ {
		_, offAfter := tr.In(z.Location).Zone()
		if offAfter > offBefore {
			from := tr.Add(time.Duration(offBefore) * time.Second).UTC()
			to := tr.Add(time.Duration(offAfter) * time.Second).UTC()
			if !naive.Before(from) && naive.Before(to) {
				after := tr.In(z.Location).Add(naive.Sub(from))
				layout := "15:04"
				if from.YearDay() != to.YearDay() {
					layout = "2006-01-02 15:04" // a whole day skipped, as Samoa did in 2011
				}
				return &Error{Code: CodeNonexistentLocalTime, Input: w.String(), Candidates: []time.Time{tr.UTC()},
					Suggestions: []string{WallClockOf(to).String(), WallClockOf(after).String()},
					Message: fmt.Sprintf("%s does not exist in %s: clocks jump from %s to %s (%s to %s)",
						w, z.Name, from.Format(layout), to.Format(layout), UTCLabel(offBefore), UTCLabel(offAfter))}
			}
		}
		offBefore = offAfter
		_, next := tr.In(z.Location).ZoneBounds()
		if !next.After(tr) {
			break
		}
		tr = next
	}
	return &Error{Code: CodeNonexistentLocalTime, Input: w.String(), Message: fmt.Sprintf("%s does not exist in %s", w, z.Name)}
}
