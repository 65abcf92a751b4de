package planner

import "time"

// Fitter measures many sessions of one audience against the same regions, as an agenda
// of hundreds of sessions needs: the audiences and their zones' offsets are resolved once,
// for a span covering every session, where Fit resolves them for each session.
type Fitter struct {
	from, to  time.Time
	audiences []string
	defs      []Region
	auds      []resolvedAudience
}

// NewFitter resolves audiences (as Fit takes them) for sessions between from and to.
func NewFitter(from, to time.Time, audiences []string, defs ...Region) (*Fitter, error) {
	as := make([]Audience, len(audiences))
	for i, a := range audiences {
		as[i] = Audience{Name: a}
	}
	auds, err := resolveAudiences(as, defs, DefaultHours, from, to)
	if err != nil {
		return nil, err
	}
	return &Fitter{from: from, to: to, audiences: audiences, defs: defs, auds: auds}, nil
}

// Share is Fit's OutsideShare and MostlyOutside for the session [start, end), with Fit's
// errors. A session outside the span given to NewFitter is measured by Fit itself.
func (f *Fitter) Share(start, end time.Time) (share float64, mostlyOutside bool, err error) {
	if !end.After(start) || end.Sub(start) > 24*time.Hour {
		return 0, false, &Error{Code: CodeInvalidDuration, Message: "a session ends after it starts and lasts at most 24 hours"}
	}
	if start.Before(f.from) || end.After(f.to) {
		r, err := Fit(start, end, f.audiences, f.defs...)
		return r.OutsideShare, r.MostlyOutside, err
	}
	durMin := int(end.Sub(start).Truncate(time.Minute) / time.Minute)
	unix := start.Unix()
	totalW, outW := 0.0, 0.0
	for i := range f.auds {
		ra := &f.auds[i]
		for j := range ra.zones {
			rz := &ra.zones[j]
			o, w, _ := rz.evaluate(unix, durMin)
			wt := ra.weight * rz.weight
			totalW += wt
			if o != 0 || w {
				outW += wt
			}
		}
	}
	if totalW > 0 {
		share = round(outW / totalW)
	}
	return share, share > 0.5, nil
}
