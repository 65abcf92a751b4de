package agenda

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/plenary/plenary/scheduler/planner"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/problem"
)

// ParseZone parses a zone as the secretariat typed it (IANA name, UTC, offset, GMT-3 in
// the human sign convention, unambiguous abbreviation).
func ParseZone(s string) (zone.Zone, error) { return zone.Parse(s) }

// Times are a session's resolved instants.
type Times struct {
	Start, End time.Time
	Zone       string
	// Findings flag what was accepted but looks wrong, such as a summer-time
	// abbreviation on a winter date.
	Findings []zone.Finding
}

// ResolveTimes turns wall-clock start and end (or a duration) typed in tz into instants.
// A wall clock in a DST gap, or ambiguous in an overlap without fold, is an error that
// says why and names the candidates.
func ResolveTimes(startIn, endIn string, dur time.Duration, tzIn, fold string) (Times, error) {
	z, err := zone.Parse(tzIn)
	if err != nil {
		return Times{}, fieldProblem("tz", err)
	}
	start, findings, err := resolveWall(startIn, z, fold)
	if err != nil {
		return Times{}, fieldProblem("start", err)
	}
	var end time.Time
	if endIn != "" {
		var more []zone.Finding
		end, more, err = resolveWall(endIn, z, fold)
		if err != nil {
			return Times{}, fieldProblem("end", err)
		}
		findings = appendNew(findings, more)
	} else {
		end = start.Add(dur)
	}
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"start", start}, {"end", end}} {
		if !db.StorableTime(f.t) {
			return Times{}, db.OutOfRange(f.name)
		}
	}
	if !end.After(start) {
		return Times{}, problem.Unprocessable("end_before_start",
			fmt.Sprintf("the session must end after it starts (start %s, end %s)", startIn, orDuration(endIn, dur)),
			problem.FieldError{Field: "end", Code: "end_before_start", Message: "must be after start"})
	}
	return Times{Start: start.UTC(), End: end.UTC(), Zone: z.Name, Findings: findings}, nil
}

func orDuration(endIn string, d time.Duration) string {
	if endIn != "" {
		return endIn
	}
	return d.String() + " later"
}

func resolveWall(s string, z zone.Zone, fold string) (time.Time, []zone.Finding, error) {
	w, err := zone.ParseWallClock(s)
	if err != nil {
		return time.Time{}, nil, err
	}
	r, err := zone.Resolve(w, z, zone.Fold(fold))
	if err != nil {
		return time.Time{}, nil, err
	}
	return r.Instant, r.Findings, nil
}

func appendNew(fs, more []zone.Finding) []zone.Finding {
	for _, f := range more {
		if !slices.ContainsFunc(fs, func(g zone.Finding) bool { return g.Message == f.Message }) {
			fs = append(fs, f)
		}
	}
	return fs
}

// ResolveItemTime resolves an item's time: full wall clock in the session's zone, or a
// time of day (HH:MM) on the session's local start date.
func ResolveItemTime(s string, x Session) (*time.Time, error) {
	z, err := zone.Parse(x.TZ)
	if err != nil {
		return nil, err
	}
	if len(s) == 5 && strings.Count(s, ":") == 1 {
		s = x.StartUTC.In(z.Location).Format("2006-01-02") + "T" + s
	}
	t, _, err := resolveWall(s, z, "")
	if err != nil {
		return nil, err
	}
	t = t.UTC()
	return &t, nil
}

// fieldProblem turns an error of the pure packages (zone, planner) into a 422 naming
// the field.
func fieldProblem(field string, err error) error {
	var ce problem.Coded
	if errors.As(err, &ce) {
		pe := problem.Unprocessable(ce.ProblemCode(), ce.Error(), problem.FieldError{Field: field, Code: ce.ProblemCode(), Message: ce.Error()})
		var de problem.Detailed
		if errors.As(err, &de) {
			pe.Extra = de.ProblemDetails()
		}
		return pe
	}
	return err
}

// AudienceFit is how a session's time suits its audience regions: which reference zones
// fall outside working hours and by how much. MostlyOutside flags a session that most of
// its audience would attend outside working hours. regions are the meeting's own.
func AudienceFit(x Session, regions []planner.Region) *planner.FitResult {
	if len(x.Audience) == 0 {
		return nil
	}
	f, err := planner.Fit(x.StartUTC, x.EndUTC, x.Audience, regions...)
	if err != nil {
		return nil
	}
	return &f
}

func zoneFieldError(field string, err error) problem.FieldError {
	var ze *zone.Error
	if errors.As(err, &ze) {
		return problem.FieldError{Field: field, Code: ze.Code, Message: ze.Message}
	}
	return problem.FieldError{Field: field, Code: "invalid_zone", Message: err.Error()}
}
