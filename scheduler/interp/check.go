package interp

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Check re-validates a set of assignments against every hard rule and lists each
// violation. It is written independently of the allocator (it shares the types, nothing
// else), so that a confirmed plan is re-checked after manual edits, reschedules and
// cancellations by code that did not produce it.
//
// Relay is inferred: a member who lacks a floor language is covered when some other booth
// of the session, whose output the member understands, holds at least two members who have
// that language themselves (and, if one of them works retour, at least
// Policy.RetourPivotSize members). Anything else is a missing language, too few relay
// givers, or a chain of relays.
func Check(in Input, assignments []Assignment) []Violation {
	c := checker{in: in, sessions: map[string]*Session{}, people: map[string]*Interpreter{}}
	for i := range in.Sessions {
		if _, seen := c.sessions[in.Sessions[i].ID]; !seen {
			c.sessions[in.Sessions[i].ID] = &in.Sessions[i]
		}
	}
	for i := range in.Pool {
		if _, seen := c.people[in.Pool[i].ID]; !seen {
			c.people[in.Pool[i].ID] = &in.Pool[i]
		}
	}
	c.sittings()
	valid := c.admit(assignments)
	c.teams(valid)
	c.relay(valid)
	c.timeline(valid)
	slices.SortStableFunc(c.out, func(x, y Violation) int {
		return strings.Compare(x.SessionID+"\x00"+string(x.Booth)+"\x00"+x.InterpreterID+"\x00"+x.Rule,
			y.SessionID+"\x00"+string(y.Booth)+"\x00"+y.InterpreterID+"\x00"+y.Rule)
	})
	return c.out
}

type checker struct {
	in       Input
	sessions map[string]*Session
	people   map[string]*Interpreter
	out      []Violation
	// sitting of each live session (by id) and each sitting's first start.
	sitting  map[string]int
	sitStart []time.Time
}

// sittings groups each meeting's live sessions into sittings: walking them by start, a
// session whose start is at most break_max after the latest end so far (or before it)
// continues the sitting.
func (c *checker) sittings() {
	c.sitting = map[string]int{}
	byMeeting := map[string][]*Session{}
	var meetings []string
	for id, s := range c.sessions {
		if s.Cancelled || !s.Start.Before(s.End) {
			continue
		}
		if _, ok := byMeeting[s.MeetingID]; !ok {
			meetings = append(meetings, s.MeetingID)
		}
		byMeeting[s.MeetingID] = append(byMeeting[s.MeetingID], c.sessions[id])
	}
	slices.Sort(meetings)
	gap := c.in.Policy.BreakMax()
	for _, m := range meetings {
		list := byMeeting[m]
		slices.SortFunc(list, func(x, y *Session) int {
			if d := x.Start.Compare(y.Start); d != 0 {
				return d
			}
			return strings.Compare(x.ID, y.ID)
		})
		var end time.Time
		cur := -1
		for _, s := range list {
			if cur < 0 || s.Start.Sub(end) > gap {
				cur = len(c.sitStart)
				c.sitStart = append(c.sitStart, s.Start)
				end = s.End
			} else if s.End.After(end) {
				end = s.End
			}
			c.sitting[s.ID] = cur
		}
	}
}

// flag records a violation of rule by a; its message is code (the rule's own unless
// given) with args.
func (c *checker) flag(a Assignment, rule string, args Args, code ...string) {
	t := text(rule, args)
	if len(code) > 0 {
		t.Code = code[0]
	}
	c.out = append(c.out, Violation{SessionID: a.SessionID, Booth: a.Booth, InterpreterID: a.InterpreterID, Rule: rule, Text: t})
}

// boothsNeeded is the checker's own reading of the booth rule: output languages that
// differ from some floor language, with the team size of the policy.
func (c *checker) boothsNeeded(s *Session) map[Lang]int {
	need := map[Lang]int{}
	if s.Cancelled {
		return need
	}
	mins := int(s.End.Sub(s.Start).Minutes())
	p := c.in.Policy
	blocks := 1
	if p.MaxSessionMinutes > 0 {
		for blocks*p.MaxSessionMinutes < mins {
			blocks++
		}
	}
	per := min(mins, max(p.MaxSessionMinutes, 1))
	if blocks == 1 {
		per = mins
	}
	size := 0
	for _, r := range p.TeamSizes {
		if per <= r.UpToMinutes {
			size = r.Size
			break
		}
	}
	if size == 0 && len(p.TeamSizes) > 0 {
		size = p.TeamSizes[len(p.TeamSizes)-1].Size
	}
	if size == 0 {
		size = 2
	}
	size *= blocks
	for _, o := range s.staffedOutputs() {
		for _, f := range s.Floor {
			if f != o {
				n := size
				for _, t := range p.ThreeBooths {
					if t == o {
						n = max(n, 3*blocks)
					}
				}
				need[o] = n
				break
			}
		}
	}
	return need
}

type seat struct {
	a  Assignment
	s  *Session
	it *Interpreter
}

// admit checks each assignment on its own and returns those that name a live session,
// a needed booth and a known interpreter, without duplicates.
func (c *checker) admit(as []Assignment) []seat {
	var out []seat
	seen := map[Assignment]bool{}
	declined := map[Declined]bool{}
	for _, d := range c.in.Declined {
		declined[d] = true
	}
	for _, a := range as {
		s, ok := c.sessions[a.SessionID]
		if !ok {
			c.flag(a, RuleUnknownSession, Args{Session: a.SessionID})
			continue
		}
		if s.Cancelled {
			c.flag(a, RuleCancelled, Args{Session: a.SessionID})
			continue
		}
		it, ok := c.people[a.InterpreterID]
		if !ok {
			c.flag(a, RuleUnknownPerson, Args{Interpreter: a.InterpreterID})
			continue
		}
		if by := s.StaffedBy(a.Booth); by != "" {
			c.flag(a, RuleStaffedByOthers, Args{Booth: a.Booth, Session: a.SessionID, StaffedBy: by})
			continue
		}
		if _, ok := c.boothsNeeded(s)[a.Booth]; !ok {
			c.flag(a, RuleUnknownBooth, Args{Session: a.SessionID, Booth: a.Booth})
			continue
		}
		key := Assignment{SessionID: a.SessionID, Booth: a.Booth, InterpreterID: a.InterpreterID}
		if seen[key] {
			c.flag(a, RuleDuplicate, Args{Interpreter: it.Name, Booth: a.Booth})
			continue
		}
		seen[key] = true
		if declined[Declined{InterpreterID: a.InterpreterID, SessionID: a.SessionID, Booth: a.Booth}] {
			c.flag(a, RuleDeclined, Args{Interpreter: it.Name, Booth: a.Booth, Session: a.SessionID})
		}
		cls := classIn(it, a.Booth)
		if !(cls == ClassA || (cls == ClassB && it.Retour)) {
			c.flag(a, RuleBoothLanguage, Args{Interpreter: it.Name, Booth: a.Booth, Class: cls})
		}
		out = append(out, seat{a: a, s: s, it: it})
	}
	return out
}

func classIn(it *Interpreter, l Lang) Class {
	for _, s := range it.Languages {
		if s.Lang == l {
			return s.Class
		}
	}
	return ""
}

func (c *checker) teams(seats []seat) {
	count := map[string]map[Lang]int{}
	for _, st := range seats {
		if count[st.s.ID] == nil {
			count[st.s.ID] = map[Lang]int{}
		}
		count[st.s.ID][st.a.Booth]++
	}
	for i := range c.in.Sessions {
		s := &c.in.Sessions[i]
		if c.sessions[s.ID] != s {
			continue
		}
		for b, n := range c.boothsNeeded(s) {
			if have := count[s.ID][b]; have < n {
				c.out = append(c.out, Violation{SessionID: s.ID, Booth: b, Rule: RuleTeamSize,
					Text: text(RuleTeamSize, Args{Booth: b, Session: s.ID, Have: have, Policy: c.in.Policy.Name, Need: n})})
			}
		}
	}
}

// pivotReason judges team X of booth x as the pivot that gives floor language f into
// language via: "" when it can, else the rule that stops it.
func (c *checker) pivotReason(x Lang, team []*Interpreter, f, via Lang) string {
	givers, lacking, twoWay := 0, false, via != x
	for _, m := range team {
		cls := classIn(m, f)
		if cls == "" {
			lacking = true
		}
		if classIn(m, x) == ClassB {
			twoWay = true
		}
		into := via == x
		if !into {
			vc := classIn(m, via)
			into = vc == ClassA || (vc == ClassB && m.Retour)
		}
		if cls != "" && into {
			givers++
		}
	}
	switch {
	case x != f && lacking && givers >= 2:
		return RuleRelayChain // part of its output of f would itself be relayed
	case givers >= 2 && twoWay && len(team) < c.in.Policy.RetourPivotSize:
		return RuleRelayGivers
	case givers >= 2:
		return ""
	case givers == 1:
		return RuleRelayGivers
	case x != f && lacking:
		return RuleRelayChain
	}
	return RuleLanguageCoverage
}

// relay: every member who lacks a floor language takes it by one hop from a pivot booth
// they understand, and all such members of a booth from the same pivot.
func (c *checker) relay(seats []seat) {
	ix := relayIndex{teams: map[relayKey][]*Interpreter{}, bySession: map[string][]Lang{}}
	seatsOf := map[relayKey][]seat{}
	for _, st := range seats {
		k := relayKey{st.s.ID, st.a.Booth}
		if _, ok := ix.teams[k]; !ok {
			ix.bySession[st.s.ID] = append(ix.bySession[st.s.ID], st.a.Booth)
		}
		ix.teams[k] = append(ix.teams[k], st.it)
		seatsOf[k] = append(seatsOf[k], st)
	}
	for k, ss := range seatsOf {
		done := map[Lang]bool{}
		for _, f := range ss[0].s.Floor {
			if f == k.booth || done[f] {
				continue
			}
			done[f] = true
			c.relayOf(ix, k, ss, f)
		}
	}
}

// relayKey is a booth of a session.
type relayKey struct {
	session string
	booth   Lang
}

// relayIndex is the seated teams of every booth, and the booths of each session in the
// order their first seat came.
type relayIndex struct {
	teams     map[relayKey][]*Interpreter
	bySession map[string][]Lang
}

// relayOf checks floor language f for the seats ss of booth k: each member who lacks it
// needs a pivot to take it from (flagged when relay is not allowed, when no pivot gives
// it, or when no one pivot serves all of them).
func (c *checker) relayOf(ix relayIndex, k relayKey, ss []seat, f Lang) {
	var lacking []seat
	for _, st := range ss {
		if classIn(st.it, f) == "" {
			lacking = append(lacking, st)
		}
	}
	if len(lacking) == 0 {
		return
	}
	if !c.in.Policy.RelayAllowed {
		for _, st := range lacking {
			c.flag(st.a, RuleLanguageCoverage, Args{Interpreter: st.it.Name, Language: f}, MsgNoRelayAllowed)
		}
		return
	}
	reason, covered, common := c.pivotsFor(ix, k, ss[0].s, f, lacking)
	if common {
		return
	}
	for n, st := range lacking {
		switch {
		case covered[n]:
			c.flag(st.a, RuleRoute, Args{Interpreter: st.it.Name, Language: f, Booth: k.booth}, MsgOtherPivot)
		case reason[n] == RuleRelayGivers:
			c.flag(st.a, RuleRelayGivers, Args{Interpreter: st.it.Name, Language: f})
		case reason[n] == RuleRelayChain:
			c.flag(st.a, RuleRelayChain, Args{Interpreter: st.it.Name, Language: f})
		default:
			c.flag(st.a, RuleLanguageCoverage, Args{Interpreter: st.it.Name, Language: f})
		}
	}
}

// pivotsFor looks at every other booth of session s as a pivot giving floor language f to
// the lacking members of booth k: covered[n] when some pivot serves member n, else
// reason[n] the best reason why none can (too few givers before a chain before no
// route); common when one pivot serves them all.
func (c *checker) pivotsFor(ix relayIndex, k relayKey, s *Session, f Lang, lacking []seat) (reason []string, covered []bool, common bool) {
	rank := map[string]int{RuleRelayGivers: 3, RuleRelayChain: 2, RuleLanguageCoverage: 1}
	reason = make([]string, len(lacking))
	covered = make([]bool, len(lacking))
	for _, x := range ix.bySession[s.ID] {
		if x == k.booth {
			continue
		}
		team := ix.teams[relayKey{s.ID, x}]
		// A booth gives relay into its own language; the floor language's own
		// booth (which has nothing to interpret from it) gives it by retour into
		// another channel of the session.
		vias := []Lang{x}
		if x == f {
			vias = vias[:0]
			for _, o := range s.staffedOutputs() {
				if o != x && !slices.Contains(vias, o) {
					vias = append(vias, o)
				}
			}
		}
		for _, via := range vias {
			if via == f {
				continue
			}
			r := c.pivotReason(x, team, f, via)
			all := true
			for n, st := range lacking {
				if classIn(st.it, via) == "" {
					all = false
					continue
				}
				if r == "" {
					covered[n] = true
				} else if rank[r] > rank[reason[n]] {
					reason[n] = r
				}
			}
			if r == "" && all {
				common = true
			}
		}
	}
	return reason, covered, common
}

// busyItem is an assignment or a commitment on an interpreter's timeline.
type busyItem struct {
	start, end time.Time
	seat       *seat // nil for a commitment
}

// timeline checks each interpreter's assignments and commitments together, in start
// order: overlaps and rest, the sitting, day and week caps, unavailability and a remote
// interpreter's working hours.
func (c *checker) timeline(seats []seat) {
	items := map[string][]busyItem{}
	for i := range seats {
		st := &seats[i]
		items[st.it.ID] = append(items[st.it.ID], busyItem{st.s.Start, st.s.End, st})
	}
	for _, cm := range c.in.Commitments {
		if _, ok := c.people[cm.InterpreterID]; ok {
			items[cm.InterpreterID] = append(items[cm.InterpreterID], busyItem{cm.Start, cm.End, nil})
		}
	}
	ids := make([]string, 0, len(items))
	for id := range items {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		it := c.people[id]
		list := items[id]
		slices.SortStableFunc(list, func(x, y busyItem) int { return x.start.Compare(y.start) })
		loc := it.Location
		if loc == nil {
			loc = time.UTC
		}
		c.overlaps(it, list)
		sitDays := c.stretches(it, list, loc)
		c.dayWeekCaps(it, list, loc, sitDays)
		c.hours(it, list, loc)
	}
}

// overlaps flags, on the later seat of each pair of the interpreter's items (in start order), a
// double booking when they overlap and a rest too short between them unless they are of
// one sitting.
func (c *checker) overlaps(it *Interpreter, list []busyItem) {
	p := c.in.Policy
	rest := p.Caps.MinRest
	if it.Caps.MinRest > rest {
		rest = it.Caps.MinRest
	}
	for i := range list {
		for j := i + 1; j < len(list) && list[j].start.Before(list[i].end.Add(rest)); j++ {
			x, y := list[i], list[j]
			if x.seat == nil && y.seat == nil {
				continue
			}
			blame := y.seat
			if blame == nil {
				blame = x.seat
			}
			sameSitting := x.seat != nil && y.seat != nil && c.sitting[x.seat.s.ID] == c.sitting[y.seat.s.ID]
			if x.start.Before(y.end) && y.start.Before(x.end) {
				c.flag(blame.a, RuleDoubleBooking, Args{Interpreter: it.Name, Start: x.start.UTC(), End: x.end.UTC(), OtherStart: y.start.UTC(), OtherEnd: y.end.UTC()})
			} else if !sameSitting {
				c.flag(blame.a, RuleRest, Args{Interpreter: it.Name, Minutes: int(rest / time.Minute)})
			}
		}
	}
}

// stretches flags a stretch of one sitting (seats joined by breaks of at most
// break_max) longer than one team covers, and returns the sittings of each local day
// (each sitting counts once, on the local day it starts; a commitment is a sitting of its
// own).
func (c *checker) stretches(it *Interpreter, list []busyItem, loc *time.Location) map[string]map[int]bool {
	p := c.in.Policy
	// Sittings a day: each sitting counts once, on the local day it starts; each
	// commitment is a sitting of its own.
	sitDays := map[string]map[int]bool{}
	type sitTally struct {
		minutes, sessions int
		last              *seat
		end               time.Time // booth time is the union: a double booking is judged apart
	}
	// Stretches: seats of one sitting joined by breaks of at most break_max; one team
	// covers MaxSessionMinutes of such a stretch.
	var stretches []*sitTally
	open := map[int]*sitTally{}
	for n, b := range list {
		sit, start := -1-n, b.start
		if b.seat != nil {
			sit = c.sitting[b.seat.s.ID]
			start = c.sitStart[sit]
			st := open[sit]
			if st == nil || b.start.Sub(st.end) > p.BreakMax() {
				st = &sitTally{}
				open[sit] = st
				stretches = append(stretches, st)
			}
			if from := later(b.start, st.end); b.end.After(from) {
				st.minutes += int(b.end.Sub(from) / time.Minute)
			}
			st.end = later(st.end, b.end)
			st.sessions++
			st.last = b.seat
		}
		d := start.In(loc).Format(time.DateOnly)
		if sitDays[d] == nil {
			sitDays[d] = map[int]bool{}
		}
		sitDays[d][sit] = true
	}
	for _, st := range stretches {
		if max := p.MaxSessionMinutes; max > 0 && st.sessions > 1 && st.minutes > max {
			c.flag(st.last.a, RuleSittingCap, Args{Interpreter: it.Name, Minutes: st.minutes, Cap: max})
		}
	}
	return sitDays
}

// dayWeekCaps flags, on the last seat of the local day or ISO week, booth minutes over
// the daily and weekly caps and sittings over the sessions-a-day cap.
func (c *checker) dayWeekCaps(it *Interpreter, list []busyItem, loc *time.Location, sitDays map[string]map[int]bool) {
	p := c.in.Policy
	dayCap := capOf(p.Caps.BoothMinutesPerDay, it.Caps.BoothMinutesPerDay)
	if it.Remote {
		dayCap = capOf(dayCap, p.RemoteBoothMinutesPerDay)
	}
	weekCap := capOf(p.Caps.BoothMinutesPerWeek, it.Caps.BoothMinutesPerWeek)
	perDay := capOf(p.Caps.SessionsPerDay, it.Caps.SessionsPerDay)
	type tally struct {
		minutes, sessions int
		last              *seat
	}
	days, weeks := map[string]*tally{}, map[string]*tally{}
	var dayOrder, weekOrder []string
	for _, b := range list {
		lt := b.start.In(loc)
		d := lt.Format(time.DateOnly)
		y, w := lt.ISOWeek()
		wk := fmt.Sprintf("%d-W%02d", y, w)
		if days[d] == nil {
			days[d] = &tally{}
			dayOrder = append(dayOrder, d)
		}
		if weeks[wk] == nil {
			weeks[wk] = &tally{}
			weekOrder = append(weekOrder, wk)
		}
		m := int(b.end.Sub(b.start) / time.Minute)
		days[d].minutes += m
		days[d].sessions++
		weeks[wk].minutes += m
		if b.seat != nil {
			days[d].last, weeks[wk].last = b.seat, b.seat
		}
	}
	for _, d := range dayOrder {
		t := days[d]
		if t.last == nil {
			continue
		}
		if dayCap > 0 && t.minutes > dayCap {
			c.flag(t.last.a, RuleDailyCap, Args{Interpreter: it.Name, Minutes: t.minutes, Day: d, Cap: dayCap})
		}
	}
	for _, d := range dayOrder {
		t := days[d]
		if n := len(sitDays[d]); t.last != nil && perDay > 0 && n > perDay {
			c.flag(t.last.a, RuleSessionsPerDay, Args{Interpreter: it.Name, Count: n, Day: d, Cap: perDay})
		}
	}
	for _, wk := range weekOrder {
		t := weeks[wk]
		if t.last != nil && weekCap > 0 && t.minutes > weekCap {
			c.flag(t.last.a, RuleWeeklyCap, Args{Interpreter: it.Name, Minutes: t.minutes, Week: wk, Cap: weekCap})
		}
	}
}

// hours flags each seat that falls in one of the interpreter's unavailable spans, and for a remote
// interpreter, a seat outside their working hours (08:00-20:00 local when unset).
func (c *checker) hours(it *Interpreter, list []busyItem, loc *time.Location) {
	for _, b := range list {
		if b.seat == nil {
			continue
		}
		for _, u := range it.Unavailable {
			if u.Start.Before(b.end) && b.start.Before(u.End) {
				c.flag(b.seat.a, RuleUnavailable, Args{Interpreter: it.Name, Start: u.Start.UTC(), End: u.End.UTC()})
				break
			}
		}
		if it.Remote {
			h := it.Hours
			if h == (WorkingHours{}) {
				h = WorkingHours{Start: 480, End: 1200}
			}
			ls := b.start.In(loc)
			from := time.Date(ls.Year(), ls.Month(), ls.Day(), h.Start/60, h.Start%60, 0, 0, loc)
			to := time.Date(ls.Year(), ls.Month(), ls.Day(), h.End/60, h.End%60, 0, 0, loc)
			if b.start.Before(from) || b.end.After(to) {
				c.flag(b.seat.a, RuleWorkingHours, Args{Interpreter: it.Name, Zone: loc.String(), Local: ls.Format("15:04") + "-" + b.end.In(loc).Format("15:04"),
					Hours: hoursString(h)})
			}
		}
	}
}

func capOf(policy, own int) int {
	if own > 0 && (policy <= 0 || own < policy) {
		return own
	}
	return policy
}

func later(x, y time.Time) time.Time {
	if x.After(y) {
		return x
	}
	return y
}

// CheckPlan re-validates a plan: its assignments (Check), and every language route it
// states, verified against the teams: each staffed booth has exactly one route per floor
// language it takes; a direct route names exactly the members who have the language; a
// relay comes from another booth that takes the language first-hand, into its own
// language (or, for the language's own booth, by retour into another channel), given by
// at least two of its members who have it and work into that language, understood by
// every member who lacks it, and from a booth of RetourPivotSize when it works two-way.
func CheckPlan(in Input, p Plan) []Violation {
	vs := Check(in, p.Assignments)
	vs = append(vs, checkRoutes(in, p)...)
	slices.SortStableFunc(vs, func(x, y Violation) int {
		return strings.Compare(x.SessionID+"\x00"+string(x.Booth)+"\x00"+x.InterpreterID+"\x00"+x.Rule,
			y.SessionID+"\x00"+string(y.Booth)+"\x00"+y.InterpreterID+"\x00"+y.Rule)
	})
	return vs
}

// checkRoutes checks the routes plan p states against its seated teams: each booth has
// exactly one route per floor language, and each route holds (see routeCheck.route).
func checkRoutes(in Input, p Plan) []Violation {
	sessions := map[string]*Session{}
	for i := range in.Sessions {
		if _, ok := sessions[in.Sessions[i].ID]; !ok {
			sessions[in.Sessions[i].ID] = &in.Sessions[i]
		}
	}
	people := map[string]*Interpreter{}
	for i := range in.Pool {
		if _, ok := people[in.Pool[i].ID]; !ok {
			people[in.Pool[i].ID] = &in.Pool[i]
		}
	}
	teams := map[relayKey][]*Interpreter{}
	var order []relayKey
	for _, a := range p.Assignments {
		s, it := sessions[a.SessionID], people[a.InterpreterID]
		if s == nil || it == nil || s.Cancelled || s.StaffedBy(a.Booth) != "" {
			continue // Check reports these (a seat in a channel others staff: staffed_by_others)
		}
		k := relayKey{a.SessionID, a.Booth}
		if _, ok := teams[k]; !ok {
			order = append(order, k)
		}
		if !slices.Contains(teams[k], it) {
			teams[k] = append(teams[k], it)
		}
	}
	rc := routeCheck{in: in, teams: teams}
	routes := map[relayKey]map[Lang][]Route{}
	for _, r := range p.Routes {
		k := relayKey{r.SessionID, r.Booth}
		if _, ok := teams[k]; !ok {
			rc.bad(r, "no_such_booth")
			continue
		}
		if routes[k] == nil {
			routes[k] = map[Lang][]Route{}
		}
		routes[k][r.Floor] = append(routes[k][r.Floor], r)
	}
	for _, k := range order {
		s := sessions[k.session]
		team := teams[k]
		outputs := map[Lang]bool{}
		for _, o := range s.staffedOutputs() {
			outputs[o] = true
		}
		seen := map[Lang]bool{}
		for _, f := range s.Floor {
			if f == k.booth || seen[f] {
				continue
			}
			seen[f] = true
			rs := routes[k][f]
			if len(rs) != 1 {
				rc.bad(Route{SessionID: k.session, Booth: k.booth, Floor: f}, "route_count")
				continue
			}
			rc.route(k, team, f, rs[0], outputs)
		}
	}
	return rc.out
}

// routeCheck gathers the violations of the routes a plan states.
type routeCheck struct {
	in    Input
	teams map[relayKey][]*Interpreter
	out   []Violation
}

// bad records a route the plan states that does not hold: check names which consistency
// check failed (the allocator's own output, so these never reach a reader but a
// developer).
func (rc *routeCheck) bad(r Route, check string) {
	rc.out = append(rc.out, Violation{SessionID: r.SessionID, Booth: r.Booth, Rule: RuleRoute,
		Text: text(MsgRouteInconsistent, Args{Booth: r.Booth, Language: r.Floor, Session: r.SessionID, Check: check})})
}

// route checks the plan's one route r of floor language f into booth k, whose seated
// team is team: its direct members, its mode, and for relay, its pivot (staffed, not into
// itself, a retour only from the floor language's booth into an output), givers (two or
// more who can give), a two-way pivot's size and every member's languages.
func (rc *routeCheck) route(k relayKey, team []*Interpreter, f Lang, r Route, outputs map[Lang]bool) {
	have := memberIDs(team, func(m *Interpreter) bool { return classIn(m, f) != "" })
	if got := slices.Sorted(slices.Values(r.Direct)); !slices.Equal(got, have) {
		rc.bad(r, "direct_members")
	}
	switch r.Mode {
	case RouteDirect:
		if len(have) != len(team) {
			rc.bad(r, "direct_not_all")
		}
		return
	case RouteRelay:
	default:
		rc.bad(r, "unknown_mode")
		return
	}
	if !rc.in.Policy.RelayAllowed {
		rc.bad(r, "no_relay_allowed")
	}
	from, ok := rc.teams[relayKey{k.session, r.From}]
	switch {
	case r.From == k.booth || !ok:
		rc.bad(r, "pivot_not_staffed")
		return
	case r.Via == f:
		rc.bad(r, "pivot_into_itself")
		return
	case r.Via != r.From && (r.From != f || !outputs[r.Via]):
		rc.bad(r, "retour_only_from_floor_booth")
		return
	}
	into := func(m *Interpreter) bool {
		if r.Via == r.From {
			return true
		}
		c := classIn(m, r.Via)
		return c == ClassA || (c == ClassB && m.Retour)
	}
	givers := memberIDs(from, func(m *Interpreter) bool { return classIn(m, f) != "" && into(m) })
	for _, g := range r.Givers {
		if !slices.Contains(givers, g) {
			rc.bad(r, "giver_cannot_give")
		}
	}
	if len(r.Givers) < 2 || len(givers) < 2 {
		rc.bad(r, "too_few_givers")
	}
	twoWay := r.Via != r.From
	for _, m := range from {
		if r.From != f && classIn(m, f) == "" {
			rc.bad(r, "chained")
		}
		if classIn(m, r.From) == ClassB {
			twoWay = true
		}
	}
	if twoWay && len(from) < rc.in.Policy.RetourPivotSize {
		rc.bad(r, "two_way_pivot_size")
	}
	for _, m := range team {
		if classIn(m, f) == "" && classIn(m, r.Via) == "" {
			rc.bad(r, "member_lacks_both")
		}
	}
}

// memberIDs are the sorted IDs of the members of ms that keep admits (empty, not nil,
// when none).
func memberIDs(ms []*Interpreter, keep func(*Interpreter) bool) []string {
	out := []string{}
	for _, m := range ms {
		if keep(m) {
			out = append(out, m.ID)
		}
	}
	slices.Sort(out)
	return out
}

// RouteMissing marks a floor language that reaches a booth by no route (Check says why).
const RouteMissing = "missing"

// InferRoutes states, for assignments that carry no plan (stored seats, manual edits),
// how each floor language reaches each staffed booth, by the checker's reading: direct
// when every member has it, else relay from the first pivot (booths in language order)
// that can give it into a language every member lacking it understands; RouteMissing
// when there is none.
func InferRoutes(in Input, assignments []Assignment) []Route {
	c := checker{in: in, sessions: map[string]*Session{}, people: map[string]*Interpreter{}}
	for i := range in.Sessions {
		if _, seen := c.sessions[in.Sessions[i].ID]; !seen {
			c.sessions[in.Sessions[i].ID] = &in.Sessions[i]
		}
	}
	for i := range in.Pool {
		if _, seen := c.people[in.Pool[i].ID]; !seen {
			c.people[in.Pool[i].ID] = &in.Pool[i]
		}
	}
	teams := map[relayKey][]*Interpreter{}
	var order []relayKey
	booths := map[string][]Lang{}
	for _, a := range assignments {
		s, it := c.sessions[a.SessionID], c.people[a.InterpreterID]
		if s == nil || it == nil || s.Cancelled {
			continue
		}
		k := relayKey{a.SessionID, a.Booth}
		if _, ok := teams[k]; !ok {
			order = append(order, k)
			booths[a.SessionID] = append(booths[a.SessionID], a.Booth)
		}
		if !slices.Contains(teams[k], it) {
			teams[k] = append(teams[k], it)
		}
	}
	slices.SortFunc(order, func(x, y relayKey) int {
		return strings.Compare(x.session+"\x00"+string(x.booth), y.session+"\x00"+string(y.booth))
	})
	for _, bs := range booths {
		slices.Sort(bs)
	}
	var out []Route
	for _, k := range order {
		s := c.sessions[k.session]
		team := teams[k]
		floor := uniqueLangs(s.Floor)
		outs := uniqueLangs(s.staffedOutputs())
		for _, f := range floor {
			if f == k.booth {
				continue
			}
			r := Route{SessionID: k.session, Booth: k.booth, Floor: f, Mode: RouteDirect,
				Direct: memberIDs(team, func(m *Interpreter) bool { return classIn(m, f) != "" })}
			if len(r.Direct) == len(team) {
				out = append(out, r)
				continue
			}
			r.Mode = RouteMissing
			if in.Policy.RelayAllowed {
				c.inferRelay(&r, relayIndex{teams: teams, bySession: booths}, team, f, outs)
			}
			out = append(out, r)
		}
	}
	return out
}

// inferRelay sets r to relay from the first pivot of r's session (booths in language
// order, ix.bySession) that can give floor language f into a language every member of
// team lacking f understands: the floor language's own booth by retour into another of
// the outputs outs. r is left as it is when there is none.
func (c *checker) inferRelay(r *Route, ix relayIndex, team []*Interpreter, f Lang, outs []Lang) {
	for _, x := range ix.bySession[r.SessionID] {
		if x == r.Booth {
			continue
		}
		vias := []Lang{x}
		if x == f {
			vias = slices.DeleteFunc(slices.Clone(outs), func(o Lang) bool { return o == f })
		}
		for _, via := range vias {
			from := ix.teams[relayKey{r.SessionID, x}]
			if c.pivotReason(x, from, f, via) != "" {
				continue
			}
			follows := true
			for _, m := range team {
				follows = follows && (classIn(m, f) != "" || classIn(m, via) != "")
			}
			if !follows {
				continue
			}
			r.Mode, r.From, r.Via = RouteRelay, x, via
			r.Givers = memberIDs(from, func(m *Interpreter) bool {
				if classIn(m, f) == "" {
					return false
				}
				if via == x {
					return true
				}
				vc := classIn(m, via)
				return vc == ClassA || (vc == ClassB && m.Retour)
			})
			return
		}
	}
}
