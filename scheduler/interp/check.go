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
}

func (c *checker) flag(a Assignment, rule, format string, args ...any) {
	c.out = append(c.out, Violation{SessionID: a.SessionID, Booth: a.Booth, InterpreterID: a.InterpreterID,
		Rule: rule, Message: fmt.Sprintf(format, args...)})
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
	for _, o := range s.Outputs {
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
			c.flag(a, RuleUnknownSession, "session %s is not in the plan's input", a.SessionID)
			continue
		}
		if s.Cancelled {
			c.flag(a, RuleCancelled, "session %s is cancelled: withdraw the assignment", a.SessionID)
			continue
		}
		it, ok := c.people[a.InterpreterID]
		if !ok {
			c.flag(a, RuleUnknownPerson, "interpreter %s is not in the pool", a.InterpreterID)
			continue
		}
		if _, ok := c.boothsNeeded(s)[a.Booth]; !ok {
			c.flag(a, RuleUnknownBooth, "session %s needs no %s booth", a.SessionID, a.Booth.Upper())
			continue
		}
		key := Assignment{SessionID: a.SessionID, Booth: a.Booth, InterpreterID: a.InterpreterID}
		if seen[key] {
			c.flag(a, RuleDuplicate, "%s is assigned twice to the %s booth", it.Name, a.Booth.Upper())
			continue
		}
		seen[key] = true
		if declined[Declined{InterpreterID: a.InterpreterID, SessionID: a.SessionID, Booth: a.Booth}] {
			c.flag(a, RuleDeclined, "%s declined the %s booth of %s", it.Name, a.Booth.Upper(), a.SessionID)
		}
		cls := classIn(it, a.Booth)
		if !(cls == ClassA || (cls == ClassB && it.Retour)) {
			c.flag(a, RuleBoothLanguage, "%s cannot work into %s (class %q, retour %v)", it.Name, a.Booth.Upper(), cls, it.Retour)
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
					Message: fmt.Sprintf("the %s booth of %s has %d interpreters; the %s policy needs %d", b.Upper(), s.ID, have, c.in.Policy.Name, n)})
			}
		}
	}
}

func (c *checker) relay(seats []seat) {
	booths := map[string]map[Lang][]*Interpreter{}
	for _, st := range seats {
		if booths[st.s.ID] == nil {
			booths[st.s.ID] = map[Lang][]*Interpreter{}
		}
		booths[st.s.ID][st.a.Booth] = append(booths[st.s.ID][st.a.Booth], st.it)
	}
	for _, st := range seats {
		for _, l := range st.s.Floor {
			if l == st.a.Booth || classIn(st.it, l) != "" {
				continue
			}
			if !c.in.Policy.RelayAllowed {
				c.flag(st.a, RuleLanguageCoverage, "%s does not have %s and the policy allows no relay", st.it.Name, l)
				continue
			}
			ok, chain, givers := false, false, false
			for y, team := range booths[st.s.ID] {
				if y == st.a.Booth || y == l || classIn(st.it, y) == "" {
					continue
				}
				have, retour := 0, false
				for _, m := range team {
					if classIn(m, l) != "" {
						have++
					} else {
						chain = true
					}
					if classIn(m, y) == ClassB {
						retour = true
					}
				}
				if have >= 2 && (!retour || len(team) >= c.in.Policy.RetourPivotSize) {
					ok = true
					break
				}
				if have >= 1 {
					givers = true
				}
			}
			switch {
			case ok:
			case givers:
				c.flag(st.a, RuleRelayGivers, "%s lacks %s and the pivot booth has too few members who can give relay from it", st.it.Name, l)
			case chain:
				c.flag(st.a, RuleRelayChain, "%s lacks %s and no booth they understand has it first-hand: relay would pass through two pivots", st.it.Name, l)
			default:
				c.flag(st.a, RuleLanguageCoverage, "%s lacks %s and no booth they understand can give it", st.it.Name, l)
			}
		}
	}
}

// busyItem is an assignment or a commitment on an interpreter's timeline.
type busyItem struct {
	start, end time.Time
	seat       *seat // nil for a commitment
}

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
	p := c.in.Policy
	for _, id := range ids {
		it := c.people[id]
		list := items[id]
		slices.SortStableFunc(list, func(x, y busyItem) int { return x.start.Compare(y.start) })
		rest := p.Caps.MinRest
		if it.Caps.MinRest > rest {
			rest = it.Caps.MinRest
		}
		loc := it.Location
		if loc == nil {
			loc = time.UTC
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
				if x.start.Before(y.end) && y.start.Before(x.end) {
					c.flag(blame.a, RuleDoubleBooking, "%s is booked %s-%s and %s-%s", it.Name,
						x.start.UTC().Format(time.DateTime), x.end.UTC().Format(time.TimeOnly), y.start.UTC().Format(time.DateTime), y.end.UTC().Format(time.TimeOnly))
				} else {
					c.flag(blame.a, RuleRest, "%s has less than %s of rest between bookings", it.Name, rest)
				}
			}
		}
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
				c.flag(t.last.a, RuleDailyCap, "%s would work %d booth minutes on %s (cap %d)", it.Name, t.minutes, d, dayCap)
			}
			if perDay > 0 && t.sessions > perDay {
				c.flag(t.last.a, RuleSessionsPerDay, "%s would work %d sessions on %s (cap %d)", it.Name, t.sessions, d, perDay)
			}
		}
		for _, wk := range weekOrder {
			t := weeks[wk]
			if t.last != nil && weekCap > 0 && t.minutes > weekCap {
				c.flag(t.last.a, RuleWeeklyCap, "%s would work %d booth minutes in week %s (cap %d)", it.Name, t.minutes, wk, weekCap)
			}
		}
		for _, b := range list {
			if b.seat == nil {
				continue
			}
			for _, u := range it.Unavailable {
				if u.Start.Before(b.end) && b.start.Before(u.End) {
					c.flag(b.seat.a, RuleUnavailable, "%s declared themselves unavailable %s-%s UTC", it.Name,
						u.Start.UTC().Format(time.DateTime), u.End.UTC().Format(time.DateTime))
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
					c.flag(b.seat.a, RuleWorkingHours, "%s works remotely from %s: %s-%s local is outside their working hours",
						it.Name, loc, ls.Format("15:04"), b.end.In(loc).Format("15:04"))
				}
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
