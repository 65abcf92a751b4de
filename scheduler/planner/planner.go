// Package planner finds session times for audiences spread over regions and time zones:
// it ranks candidate slots by how many weighted reference zones fall outside local working
// hours (or on their weekend) and by how far, and proposes a split into several sessions,
// each timed for its regions, when no single slot serves everyone. It is pure: the caller
// passes the date range; nothing reads the clock.
package planner

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/plenary/plenary/scheduler/zone"
)

// Stable error codes (the services answer them as 422 problem+json).
const (
	CodeInvalidRange    = "invalid_range"
	CodeRangeTooLong    = "range_too_long"
	CodeInvalidDuration = "invalid_duration"
	CodeInvalidStep     = "invalid_step"
	CodeNoAudience      = "no_audience"
	CodeUnknownRegion   = "unknown_region"
	CodeInvalidRegion   = "invalid_region"
	CodeInvalidHours    = "invalid_hours"
	CodeInvalidWeight   = "invalid_weight"
	CodeNoCandidateSlot = "no_candidate_slot"
)

// Limits that keep one plan cheap.
const (
	MaxRange     = 62 * 24 * time.Hour
	MaxAudiences = 12
	MaxSplit     = 4
)

// Error is the planner's error: a stable code, a message for the secretariat and, where
// it helps, suggestions.
type Error struct {
	Code        string
	Message     string
	Suggestions []string
}

func (e *Error) Error() string       { return e.Message }
func (e *Error) ProblemCode() string { return e.Code }

// ProblemDetails are the structured details shown beside the message.
func (e *Error) ProblemDetails() map[string]any {
	if len(e.Suggestions) == 0 {
		return map[string]any{}
	}
	return map[string]any{"suggestions": append([]string(nil), e.Suggestions...)}
}

// Audience is one group of participants: a region name (built-in or defined by the
// meeting) or a single zone, with a weight (default 1).
type Audience struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight,omitempty"`
}

// Constraints are the hard limits every slot must respect.
type Constraints struct {
	Venue      string         `json:"venue,omitempty"`       // zone of the venue; UTC when empty
	VenueHours Hours          `json:"venue_hours,omitempty"` // zero: no limit at the venue
	Weekdays   []time.Weekday `json:"weekdays,omitempty"`    // allowed venue weekdays; empty: all
}

// Request asks for slots between From and To (instants; a slot ends by To).
type Request struct {
	From, To    time.Time
	Duration    time.Duration
	Step        time.Duration // default 15 minutes
	Audiences   []Audience
	Constraints Constraints
	Regions     []Region // meeting-defined regions, looked up before the built-ins
	Hours       Hours    // default working hours; zero means 08:00-20:00
	Limit       int      // number of slots returned, default 10
	MaxSessions int      // most sessions a split may have, default 3
}

// ZoneFit tells how a session falls in one reference zone.
type ZoneFit struct {
	Zone           string `json:"zone"`
	Country        string `json:"country,omitempty"`
	LocalStart     string `json:"local_start"` // 2022-12-06T16:30
	LocalEnd       string `json:"local_end"`
	Offset         string `json:"offset"`
	OutsideMinutes int    `json:"outside_minutes"` // minutes of the session outside working hours
	Weekend        bool   `json:"weekend"`
	Inside         bool   `json:"inside"`
}

// AudienceFit is every reference zone of one audience.
type AudienceFit struct {
	Audience string    `json:"audience"`
	Weight   float64   `json:"weight"`
	Inside   bool      `json:"inside"` // every reference zone inside hours, none on a weekend
	Zones    []ZoneFit `json:"zones"`
}

// Slot is one candidate session time. Score is a penalty: 0 puts everyone inside hours.
type Slot struct {
	Start     time.Time     `json:"start"`
	End       time.Time     `json:"end"`
	Score     float64       `json:"score"`
	Inside    bool          `json:"inside"`
	Audiences []AudienceFit `json:"audiences"`
}

// SplitSession is one session of a split, timed for its audiences.
type SplitSession struct {
	Audiences []string `json:"audiences"`
	Slot      Slot     `json:"slot"`
}

// Split divides the audiences into sessions held on one (venue) day.
type Split struct {
	Day      string         `json:"day"`   // venue-local date
	Score    float64        `json:"score"` // the sessions' scores added up
	Inside   bool           `json:"inside"`
	Sessions []SplitSession `json:"sessions"`
}

// Result is the ranked slots and, when no slot serves everyone, the best split.
type Result struct {
	Slots []Slot `json:"slots"`
	Split *Split `json:"split,omitempty"`
}

// audience resolved to reference zones with precomputed offsets.
type refZone struct {
	name, country string
	z             zone.Zone
	weight        float64 // within the audience, summing to 1
	hours         Hours
	weekend       uint8
	periods       []period
}

type period struct {
	from   int64 // unix seconds
	offset int
}

type resolvedAudience struct {
	name   string
	weight float64
	zones  []refZone
}

func resolveAudiences(as []Audience, defs []Region, def Hours, from, to time.Time) ([]resolvedAudience, error) {
	if len(as) == 0 {
		return nil, &Error{Code: CodeNoAudience, Message: "give at least one audience: a region (e.g. \"African Group\", \"Asia/Pacific\") or a time zone"}
	}
	if len(as) > MaxAudiences {
		return nil, &Error{Code: CodeNoAudience, Message: fmt.Sprintf("at most %d audiences per plan", MaxAudiences)}
	}
	for _, r := range defs {
		if strings.TrimSpace(r.Name) == "" || len(r.Zones) == 0 {
			return nil, &Error{Code: CodeInvalidRegion, Message: fmt.Sprintf("region %q needs a name and at least one reference zone", r.Name)}
		}
	}
	out := make([]resolvedAudience, 0, len(as))
	for _, a := range as {
		w := a.Weight
		if w == 0 {
			w = 1
		}
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return nil, &Error{Code: CodeInvalidWeight, Message: fmt.Sprintf("audience %q: the weight must be positive", a.Name)}
		}
		ra := resolvedAudience{name: a.Name, weight: w}
		region, ok := findRegion(a.Name, defs)
		if !ok {
			z, err := zone.Parse(a.Name)
			if err != nil {
				sug := suggestRegions(a.Name, defs)
				if ze, ok := err.(*zone.Error); ok {
					sug = append(sug, ze.Suggestions...)
				}
				return nil, &Error{Code: CodeUnknownRegion, Suggestions: sug,
					Message: fmt.Sprintf("audience %q is neither a known region nor a time zone; regions: %s", a.Name, strings.Join(regionNames(defs), ", "))}
			}
			region = Region{Name: z.Name, Zones: []RefZone{{Zone: z.Name}}}
		} else {
			ra.name = region.Name
		}
		total := 0.0
		for _, rz := range region.Zones {
			zw := rz.Weight
			if zw == 0 {
				zw = 1
			}
			if zw < 0 || math.IsNaN(zw) || math.IsInf(zw, 0) {
				return nil, &Error{Code: CodeInvalidWeight, Message: fmt.Sprintf("region %q zone %s: the weight must be positive", region.Name, rz.Zone)}
			}
			total += zw
		}
		for _, rz := range region.Zones {
			z, err := zone.Parse(rz.Zone)
			if err != nil {
				return nil, &Error{Code: CodeInvalidRegion, Message: fmt.Sprintf("region %q: %v", region.Name, err)}
			}
			h := rz.Hours.or(region.Hours).or(def)
			if !h.valid() {
				return nil, &Error{Code: CodeInvalidHours, Message: fmt.Sprintf("region %q zone %s: working hours must lie within the day and not be empty", region.Name, rz.Zone)}
			}
			zw := rz.Weight
			if zw == 0 {
				zw = 1
			}
			ra.zones = append(ra.zones, refZone{name: z.Name, country: rz.Country, z: z, weight: zw / total, hours: h,
				weekend: weekendMask(rz.Country), periods: periods(z.Location, from, to)})
		}
		out = append(out, ra)
	}
	return out, nil
}

func suggestRegions(name string, defs []Region) []string {
	stem := func(w string) string {
		if len(w) > 5 {
			return w[:5]
		}
		return w
	}
	keys := map[string]bool{}
	for _, w := range strings.FieldsFunc(normalize(name), func(r rune) bool { return r == ' ' || r == ',' || r == '/' || r == '-' }) {
		if len(w) >= 4 && w != "group" && w != "others" {
			keys[stem(w)] = true
		}
	}
	var out []string
	for _, set := range [][]Region{defs, unGroups, meetingRegions} {
		for _, r := range set {
			for _, w := range strings.FieldsFunc(normalize(strings.Join(append([]string{r.Name}, r.Aliases...), " ")), func(r rune) bool { return r == ' ' || r == ',' || r == '/' || r == '-' }) {
				if keys[stem(w)] {
					out = append(out, r.Name)
					break
				}
			}
		}
	}
	return out
}

// periods lists the zone's offsets from a day before from to a day after to, so that a
// slot's offset is a lookup rather than a time.In per step.
func periods(loc *time.Location, from, to time.Time) []period {
	t := from.Add(-48 * time.Hour)
	end := to.Add(48 * time.Hour)
	var ps []period
	for i := 0; i < 10000; i++ {
		lt := t.In(loc)
		_, off := lt.Zone()
		ps = append(ps, period{from: t.Unix(), offset: off})
		_, next := lt.ZoneBounds()
		if next.IsZero() || !next.Before(end) || !next.After(t) {
			break
		}
		t = next
	}
	return ps
}

func (rz *refZone) offsetAt(unix int64) int {
	i := sort.Search(len(rz.periods), func(i int) bool { return rz.periods[i].from > unix }) - 1
	if i < 0 {
		i = 0
	}
	return rz.periods[i].offset
}

// evaluate measures one zone for a session [start, start+dur): minutes outside working
// hours and whether it touches the local weekend.
func (rz *refZone) evaluate(start int64, durMin int) (outside int, weekend bool, off int) {
	off = rz.offsetAt(start)
	local := start + int64(off)
	day := floorDiv(local, 86400)
	ls := int((local - day*86400) / 60) // minutes after local midnight
	inside := 0
	h := rz.hours
	for d := -1; d <= 2; d++ {
		ws, we := d*1440+h.Start, d*1440+h.End
		if h.End <= h.Start {
			we += 1440
		}
		lo, hi := max(ws, ls), min(we, ls+durMin)
		if hi > lo {
			inside += hi - lo
		}
	}
	outside = durMin - inside
	wdStart := time.Weekday((day + 4) % 7) // 1970-01-01 was a Thursday
	endLocal := local + int64(durMin)*60 - 1
	wdEnd := time.Weekday((floorDiv(endLocal, 86400) + 4) % 7)
	weekend = rz.weekend&(1<<uint(wdStart)) != 0 || rz.weekend&(1<<uint(wdEnd)) != 0
	return outside, weekend, off
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// penalty of one zone: 1 for being outside at all plus 1 per hour outside; a weekend
// counts as the whole session outside.
func penalty(outside int, weekend bool, durMin int) float64 {
	if weekend {
		outside = durMin
	}
	if outside == 0 {
		return 0
	}
	return 1 + float64(outside)/60
}

func (ra *resolvedAudience) cost(start int64, durMin int) float64 {
	c := 0.0
	for i := range ra.zones {
		o, w, _ := ra.zones[i].evaluate(start, durMin)
		c += ra.zones[i].weight * penalty(o, w, durMin)
	}
	return c * ra.weight
}

func (ra *resolvedAudience) fit(start time.Time, dur time.Duration) AudienceFit {
	durMin := int(dur / time.Minute)
	af := AudienceFit{Audience: ra.name, Weight: ra.weight, Inside: true}
	for i := range ra.zones {
		rz := &ra.zones[i]
		o, w, off := rz.evaluate(start.Unix(), durMin)
		fz := time.FixedZone("", off)
		zf := ZoneFit{Zone: rz.name, Country: rz.country, LocalStart: start.In(fz).Format("2006-01-02T15:04"),
			LocalEnd: start.Add(dur).In(rz.z.Location).Format("2006-01-02T15:04"), Offset: zone.FormatOffset(off),
			OutsideMinutes: o, Weekend: w, Inside: o == 0 && !w}
		af.Inside = af.Inside && zf.Inside
		af.Zones = append(af.Zones, zf)
	}
	return af
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

// Slots ranks candidate sessions of req.Duration between req.From and req.To for the
// audiences. The result is deterministic: equal scores rank by earlier start. Slots that
// overlap a better one are left out so that the list offers distinct choices.
func Slots(req Request) (Result, error) {
	p, err := newPlan(req)
	if err != nil {
		return Result{}, err
	}
	n := len(p.starts)
	all := make([]int, n)
	score := make([]float64, n)
	for i := range p.starts {
		all[i] = i
		for a := range p.auds {
			score[i] += p.cost[i*len(p.auds)+a]
		}
	}
	sort.SliceStable(all, func(x, y int) bool { return score[all[x]] < score[all[y]] })
	res := Result{Slots: []Slot{}}
	var chosen []int64
	durSec := int64(p.dur / time.Second)
	for _, i := range all {
		if len(res.Slots) == p.limit {
			break
		}
		s := p.starts[i]
		clash := false
		for _, c := range chosen {
			if s < c+durSec && c < s+durSec {
				clash = true
				break
			}
		}
		if clash {
			continue
		}
		chosen = append(chosen, s)
		res.Slots = append(res.Slots, p.slot(s, score[i], nil))
	}
	if len(res.Slots) > 0 && !res.Slots[0].Inside && len(p.auds) > 1 {
		res.Split = p.split(score[all[0]])
	}
	return res, nil
}

type plan struct {
	auds   []resolvedAudience
	dur    time.Duration
	durMin int
	starts []int64   // candidate starts (unix seconds), ascending
	days   []int64   // venue-local day of each start
	cost   []float64 // [start][audience]
	venue  *time.Location
	limit  int
	maxSes int
}

// checkSpan checks the times of a request (a range, a duration that fits it, a step) and
// answers the step between candidate starts.
func checkSpan(req Request) (time.Duration, error) {
	if req.From.IsZero() || req.To.IsZero() || !req.To.After(req.From) {
		return 0, &Error{Code: CodeInvalidRange, Message: "the date range needs a start before its end"}
	}
	if req.To.Sub(req.From) > MaxRange {
		return 0, &Error{Code: CodeRangeTooLong, Message: fmt.Sprintf("the date range is %d days; plan at most %d days at a time", int(req.To.Sub(req.From).Hours()/24), int(MaxRange.Hours()/24))}
	}
	if req.Duration < 5*time.Minute || req.Duration > 24*time.Hour || req.Duration%time.Minute != 0 {
		return 0, &Error{Code: CodeInvalidDuration, Message: "a session lasts whole minutes, from 5 minutes to 24 hours"}
	}
	if req.Duration > req.To.Sub(req.From) {
		return 0, &Error{Code: CodeInvalidDuration, Message: "the session is longer than the date range"}
	}
	step := req.Step
	if step == 0 {
		step = 15 * time.Minute
	}
	if step < 5*time.Minute || step > 24*time.Hour || step%time.Minute != 0 {
		return 0, &Error{Code: CodeInvalidStep, Message: "the step is whole minutes, from 5 minutes to 24 hours"}
	}
	return step, nil
}

func newPlan(req Request) (*plan, error) {
	step, err := checkSpan(req)
	if err != nil {
		return nil, err
	}
	def := req.Hours.or(DefaultHours)
	if !def.valid() {
		return nil, &Error{Code: CodeInvalidHours, Message: "working hours must lie within the day and not be empty"}
	}
	p := &plan{dur: req.Duration, durMin: int(req.Duration / time.Minute), limit: req.Limit, maxSes: req.MaxSessions, venue: time.UTC}
	if p.limit <= 0 || p.limit > 100 {
		p.limit = 10
	}
	if p.maxSes < 2 || p.maxSes > MaxSplit {
		p.maxSes = 3
	}
	c := req.Constraints
	if strings.TrimSpace(c.Venue) != "" {
		vz, err := zone.Parse(c.Venue)
		if err != nil {
			return nil, err
		}
		p.venue = vz.Location
	}
	if !c.VenueHours.isZero() && !c.VenueHours.valid() {
		return nil, &Error{Code: CodeInvalidHours, Message: "venue hours must lie within the day and not be empty"}
	}
	var weekdays uint8
	for _, d := range c.Weekdays {
		if d < time.Sunday || d > time.Saturday {
			return nil, &Error{Code: CodeInvalidRange, Message: fmt.Sprintf("weekday %d does not exist", d)}
		}
		weekdays |= 1 << uint(d)
	}
	auds, err := resolveAudiences(req.Audiences, req.Regions, def, req.From, req.To)
	if err != nil {
		return nil, err
	}
	p.auds = auds
	venue := refZone{z: zone.Zone{Location: p.venue}, hours: c.VenueHours, periods: periods(p.venue, req.From, req.To)}
	// Starts are aligned to the step in UTC minutes, so plans are reproducible.
	stepSec := int64(step / time.Second)
	first := req.From.Unix()
	if r := first % stepSec; r != 0 {
		first += stepSec - r
	}
	last := req.To.Unix() - int64(req.Duration/time.Second)
	for s := first; s <= last; s += stepSec {
		voff := venue.offsetAt(s)
		day := floorDiv(s+int64(voff), 86400)
		if weekdays != 0 && weekdays&(1<<uint((day+4)%7)) == 0 {
			continue
		}
		if !c.VenueHours.isZero() {
			if o, _, _ := venue.evaluate(s, p.durMin); o > 0 {
				continue
			}
		}
		p.starts = append(p.starts, s)
		p.days = append(p.days, day)
		for a := range p.auds {
			p.cost = append(p.cost, p.auds[a].cost(s, p.durMin))
		}
	}
	if len(p.starts) == 0 {
		return nil, &Error{Code: CodeNoCandidateSlot, Message: "no session time fits the range, the venue hours and the allowed weekdays"}
	}
	return p, nil
}

func (p *plan) slot(start int64, score float64, only []int) Slot {
	st := time.Unix(start, 0).UTC()
	s := Slot{Start: st, End: st.Add(p.dur), Score: round(score), Inside: true}
	idx := only
	if idx == nil {
		for a := range p.auds {
			idx = append(idx, a)
		}
	}
	for _, a := range idx {
		af := p.auds[a].fit(st, p.dur)
		s.Inside = s.Inside && af.Inside
		s.Audiences = append(s.Audiences, af)
	}
	return s
}

// split finds the best division of the audiences into at most maxSes sessions on one
// venue day: for every day and every subset of audiences, the best slot of that day for
// the subset; then the cheapest partition. Each extra session costs a little, so a split
// is proposed only when it serves people better than fewer sessions.
func (p *plan) split(single float64) *Split {
	var best *Split
	bestScore := single
	for lo := 0; lo < len(p.starts); {
		hi := lo
		for hi < len(p.starts) && p.days[hi] == p.days[lo] {
			hi++
		}
		subCost, subStart := p.subsetsOfDay(lo, hi)
		parts, total := p.partition(subCost)
		if len(parts) > 1 && total < bestScore-1e-9 {
			bestScore = total
			best = p.splitOf(p.days[lo], parts, subCost, subStart)
		}
		lo = hi
	}
	return best
}

// extraSession is what each session after the first adds to a split's cost.
const extraSession = 0.25

// subsetsOfDay answers, for every subset of the audiences (a bit mask), the cost and the
// start index of its best slot among starts lo to hi (one venue day).
func (p *plan) subsetsOfDay(lo, hi int) ([]float64, []int) {
	na := len(p.auds)
	full := 1<<na - 1
	subCost := make([]float64, full+1)
	subStart := make([]int, full+1)
	for m := 1; m <= full; m++ {
		subCost[m] = math.Inf(1)
		for i := lo; i < hi; i++ {
			c := 0.0
			for a := 0; a < na; a++ {
				if m&(1<<a) != 0 {
					c += p.cost[i*na+a]
				}
			}
			if c < subCost[m] {
				subCost[m], subStart[m] = c, i
			}
		}
	}
	return subCost, subStart
}

// partition divides all the audiences into at most maxSes subsets of the least total
// cost, by dynamic programming over subsets, and answers the parts and that cost (the
// first session free).
func (p *plan) partition(subCost []float64) ([]int, float64) {
	full := 1<<len(p.auds) - 1
	type cell struct {
		cost float64
		part int
	}
	dp := make([][]cell, p.maxSes+1)
	for k := range dp {
		dp[k] = make([]cell, full+1)
		for m := range dp[k] {
			dp[k][m] = cell{math.Inf(1), 0}
		}
		dp[k][0] = cell{0, 0}
	}
	for k := 1; k <= p.maxSes; k++ {
		for m := 1; m <= full; m++ {
			low := m & -m
			for s := m; s > 0; s = (s - 1) & m {
				if s&low == 0 {
					continue
				}
				c := subCost[s] + extraSession + dp[k-1][m^s].cost
				if c < dp[k][m].cost {
					dp[k][m] = cell{c, s}
				}
			}
		}
	}
	k := p.maxSes
	total := dp[k][full].cost - extraSession // the first session is free
	var parts []int
	for m := full; m > 0; {
		s := dp[k][m].part
		parts = append(parts, s)
		m ^= s
		k--
	}
	return parts, total
}

// splitOf is the split of a venue day into the sessions of parts, in time order.
func (p *plan) splitOf(day int64, parts []int, subCost []float64, subStart []int) *Split {
	sp := &Split{Day: time.Unix(day*86400, 0).UTC().Format("2006-01-02"), Inside: true}
	for _, s := range parts {
		var names []string
		var idx []int
		for a := range p.auds {
			if s&(1<<a) != 0 {
				names = append(names, p.auds[a].name)
				idx = append(idx, a)
			}
		}
		sl := p.slot(p.starts[subStart[s]], subCost[s], idx)
		sp.Score += sl.Score
		sp.Inside = sp.Inside && sl.Inside
		sp.Sessions = append(sp.Sessions, SplitSession{Audiences: names, Slot: sl})
	}
	sp.Score = round(sp.Score)
	sort.SliceStable(sp.Sessions, func(i, j int) bool { return sp.Sessions[i].Slot.Start.Before(sp.Sessions[j].Slot.Start) })
	return sp
}

// FitResult tells how one session suits its audiences.
type FitResult struct {
	Score     float64       `json:"score"`
	Inside    bool          `json:"inside"`
	Audiences []AudienceFit `json:"audiences"`
	// OutsideShare is the weighted share of reference zones outside working hours or on
	// their weekend; MostlyOutside when it is above one half (the services flag it).
	OutsideShare  float64 `json:"outside_share"`
	MostlyOutside bool    `json:"mostly_outside"`
}

// Fit measures a given session against its audience regions (names of regions, built-in
// or in defs, or zones).
func Fit(start, end time.Time, audiences []string, defs ...Region) (FitResult, error) {
	if !end.After(start) || end.Sub(start) > 24*time.Hour {
		return FitResult{}, &Error{Code: CodeInvalidDuration, Message: "a session ends after it starts and lasts at most 24 hours"}
	}
	as := make([]Audience, len(audiences))
	for i, a := range audiences {
		as[i] = Audience{Name: a}
	}
	auds, err := resolveAudiences(as, defs, DefaultHours, start, end)
	if err != nil {
		return FitResult{}, err
	}
	dur := end.Sub(start).Truncate(time.Minute)
	durMin := int(dur / time.Minute)
	res := FitResult{Inside: true}
	totalW, outW := 0.0, 0.0
	for i := range auds {
		ra := &auds[i]
		res.Score += ra.cost(start.Unix(), durMin)
		af := ra.fit(start, dur)
		res.Inside = res.Inside && af.Inside
		res.Audiences = append(res.Audiences, af)
		for j, zf := range af.Zones {
			w := ra.weight * ra.zones[j].weight
			totalW += w
			if !zf.Inside {
				outW += w
			}
		}
	}
	res.Score = round(res.Score)
	if totalW > 0 {
		res.OutsideShare = round(outW / totalW)
	}
	res.MostlyOutside = res.OutsideShare > 0.5
	return res, nil
}
