package interp

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Allocate proposes a team for every booth of every (non-cancelled) session of in.
//
// Sessions are staffed in start order. In each session, booths with the fewest suitable
// interpreters go first; a booth is filled first with members who have every floor
// language themselves, then, when the policy allows relay, with members who take the
// missing languages from a pivot booth holding two members who have them (never a
// chain). Candidates must pass every hard rule; among them the allocator prefers the team
// of the meeting's previous session in the same booth, stated preferences, and the least
// loaded interpreter, ties broken by id. The result is deterministic for the same input.
// Every seat left empty is a Gap with the rule that blocked the closest candidate.
func Allocate(in Input) Plan {
	a := newAllocator(in)
	for _, si := range a.order {
		a.staff(si)
	}
	return a.plan()
}

type span struct{ start, end int64 } // unix seconds, half-open

type person struct {
	in        *Interpreter
	loc       *time.Location
	hours     WorkingHours
	dayCap    int
	weekCap   int
	perDay    int
	rest      int64 // seconds
	busy      []span
	maxLen    int64 // longest busy span, bounds the backward scan
	dayMin    map[int]int
	daySess   map[int]int
	weekMin   map[int]int
	load      int
	prefBooth []Lang
}

type sessState struct {
	s       *Session
	needs   []BoothNeed
	members map[Lang][]int
	// relay[booth][member] lists the hops the member takes.
	relay map[Lang]map[int][]RelayHop
	// gives[booth] is true when another booth takes relay from it.
	gives map[Lang]bool
	// offHours[booth] lists remote candidates who would have been chosen but for their
	// local working hours.
	offHours map[Lang][]int
	loc      []locInfo
}

type locInfo struct {
	loc      *time.Location
	day      int
	week     int
	startMin int
	endMin   int // minutes of the start's local day; -1 when the session ends on a later day
	local    string
}

type declKey struct {
	interp, session string
	booth           Lang
}

type allocator struct {
	in       Input
	p        Policy
	people   []person
	byID     map[string]int
	cands    map[Lang][]int // interpreters who can work into a language (A, or B with retour)
	sessions []sessState
	order    []int
	declined map[declKey]bool
	// prev[meeting] is the session index last staffed for that meeting.
	prev  map[string]int
	notes []string
	gaps  []Gap
	kept  []Assignment
}

func newAllocator(in Input) *allocator {
	a := &allocator{in: in, p: in.Policy, byID: map[string]int{}, cands: map[Lang][]int{},
		declined: map[declKey]bool{}, prev: map[string]int{}}
	pool := slices.Clone(in.Pool)
	slices.SortFunc(pool, func(x, y Interpreter) int { return cmp.Compare(x.ID, y.ID) })
	a.people = make([]person, 0, len(pool))
	for i := range pool {
		it := &pool[i]
		if _, dup := a.byID[it.ID]; dup {
			continue
		}
		idx := len(a.people)
		a.byID[it.ID] = idx
		pc := person{in: it, loc: it.Zone(), hours: it.WorkingHoursOrDefault(),
			dayCap:  stricter(a.p.Caps.BoothMinutesPerDay, it.Caps.BoothMinutesPerDay),
			weekCap: stricter(a.p.Caps.BoothMinutesPerWeek, it.Caps.BoothMinutesPerWeek),
			perDay:  stricter(a.p.Caps.SessionsPerDay, it.Caps.SessionsPerDay),
			rest:    int64(max(a.p.Caps.MinRest, it.Caps.MinRest) / time.Second),
			dayMin:  map[int]int{}, daySess: map[int]int{}, weekMin: map[int]int{},
			prefBooth: it.Preferences.Booths}
		if it.Remote {
			pc.dayCap = stricter(pc.dayCap, a.p.RemoteBoothMinutesPerDay)
		}
		a.people = append(a.people, pc)
		for _, s := range it.Languages {
			if s.Class == ClassA || (s.Class == ClassB && it.Retour) {
				a.cands[s.Lang] = append(a.cands[s.Lang], idx)
			}
		}
	}
	for _, d := range in.Declined {
		a.declined[declKey{d.InterpreterID, d.SessionID, d.Booth}] = true
	}
	for _, c := range in.Commitments {
		if i, ok := a.byID[c.InterpreterID]; ok && c.Start.Before(c.End) {
			a.book(i, c.Start, c.End)
		}
	}
	a.sessions = make([]sessState, len(in.Sessions))
	bySession := map[string]int{}
	for i := range in.Sessions {
		s := &in.Sessions[i]
		a.sessions[i] = sessState{s: s, needs: PlanBooths(*s, a.p), members: map[Lang][]int{},
			relay: map[Lang]map[int][]RelayHop{}, gives: map[Lang]bool{}, offHours: map[Lang][]int{}}
		if _, dup := bySession[s.ID]; !dup {
			bySession[s.ID] = i
		}
		if !s.Cancelled && s.Start.Before(s.End) {
			a.order = append(a.order, i)
		}
	}
	slices.SortFunc(a.order, func(x, y int) int {
		sx, sy := &in.Sessions[x], &in.Sessions[y]
		return cmp.Or(sx.Start.Compare(sy.Start), cmp.Compare(sx.ID, sy.ID), cmp.Compare(x, y))
	})
	// Kept assignments: their seats are taken before anything is proposed.
	for _, k := range in.Kept {
		si, ok := bySession[k.SessionID]
		pi, okp := a.byID[k.InterpreterID]
		if !ok || !okp {
			a.kept = append(a.kept, k)
			continue
		}
		st := &a.sessions[si]
		if st.s.Cancelled {
			a.notes = append(a.notes, fmt.Sprintf("%s (%s booth of %s) should be withdrawn: the session is cancelled",
				a.people[pi].in.Name, k.Booth.Upper(), st.s.ID))
			continue
		}
		st.members[k.Booth] = append(st.members[k.Booth], pi)
		a.book(pi, st.s.Start, st.s.End)
	}
	return a
}

func stricter(policy, own int) int {
	switch {
	case own <= 0:
		return policy
	case policy <= 0:
		return own
	}
	return min(policy, own)
}

func dayKey(t time.Time) int {
	return t.Year()*1000 + t.YearDay()
}

func weekKey(t time.Time) int {
	y, w := t.ISOWeek()
	return y*100 + w
}

func (a *allocator) book(i int, start, end time.Time) {
	p := &a.people[i]
	sp := span{start.Unix(), end.Unix()}
	k := firstFrom(p.busy, sp.start)
	p.busy = slices.Insert(p.busy, k, sp)
	p.maxLen = max(p.maxLen, sp.end-sp.start)
	lt := start.In(p.loc)
	m := int(end.Sub(start) / time.Minute)
	p.dayMin[dayKey(lt)] += m
	p.daySess[dayKey(lt)]++
	p.weekMin[weekKey(lt)] += m
	p.load += m
}

// firstFrom returns the index of the first span starting at or after start.
func firstFrom(busy []span, start int64) int {
	lo, hi := 0, len(busy)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if busy[h].start < start {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo
}

func (st *sessState) locOf(loc *time.Location) *locInfo {
	for i := range st.loc {
		if st.loc[i].loc == loc {
			return &st.loc[i]
		}
	}
	ls, le := st.s.Start.In(loc), st.s.End.In(loc)
	li := locInfo{loc: loc, day: dayKey(ls), week: weekKey(ls), startMin: ls.Hour()*60 + ls.Minute(), endMin: -1,
		local: ls.Format("15:04") + "-" + le.Format("15:04")}
	switch {
	case dayKey(le) == li.day:
		li.endMin = le.Hour()*60 + le.Minute()
	case le.Hour() == 0 && le.Minute() == 0 && dayKey(le.Add(-time.Minute)) == li.day:
		li.endMin = 24 * 60
	}
	st.loc = append(st.loc, li)
	return &st.loc[len(st.loc)-1]
}

// timeRules lists the time-bound hard rules interpreter i breaks for session st, in a
// fixed order (working hours last, so that "only working hours" is easy to see). With
// all=false it stops at the first.
func (a *allocator) timeRules(i int, st *sessState, all bool) []string {
	p := &a.people[i]
	s := st.s
	var out []string
	fail := func(r string) bool {
		out = append(out, r)
		return !all
	}
	ss, se := s.Start.Unix(), s.End.Unix()
	for _, u := range p.in.Unavailable {
		if u.overlaps(s.Start, s.End) {
			if fail(RuleUnavailable) {
				return out
			}
			break
		}
	}
	// Busy spans are sorted by start; any span starting before se+rest may clash.
	dbl, rest := false, false
	hi := firstFrom(p.busy, se+p.rest)
	for k := hi - 1; k >= 0; k-- {
		b := p.busy[k]
		if b.start+p.maxLen+p.rest <= ss {
			break // no earlier span can reach this session
		}
		if b.start < se && ss < b.end {
			dbl = true
		} else if b.start < se+p.rest && ss-p.rest < b.end {
			rest = true
		}
	}
	if dbl && fail(RuleDoubleBooking) {
		return out
	}
	if rest && !dbl && fail(RuleRest) {
		return out
	}
	li := st.locOf(p.loc)
	m := s.Minutes()
	if p.perDay > 0 && p.daySess[li.day]+1 > p.perDay && fail(RuleSessionsPerDay) {
		return out
	}
	if p.dayCap > 0 && p.dayMin[li.day]+m > p.dayCap && fail(RuleDailyCap) {
		return out
	}
	if p.weekCap > 0 && p.weekMin[li.week]+m > p.weekCap && fail(RuleWeeklyCap) {
		return out
	}
	if p.in.Remote && (li.endMin < 0 || li.startMin < p.hours.Start || li.endMin > p.hours.End) {
		fail(RuleWorkingHours)
	}
	return out
}

// coverage finds, for every source language interpreter i lacks, a pivot booth. ok is
// false when some language cannot be reached; rule then says why.
func (a *allocator) coverage(i int, st *sessState, need *BoothNeed) (hops []RelayHop, ok bool, rule string) {
	p := &a.people[i]
	for _, l := range need.Sources {
		if p.in.ClassOf(l) != "" {
			continue
		}
		if !a.p.RelayAllowed {
			return nil, false, RuleLanguageCoverage
		}
		found := false
		near := false
		for k := range st.needs {
			y := st.needs[k].Booth
			if y == need.Booth || y == l || p.in.ClassOf(y) == "" {
				continue
			}
			direct := 0
			retour := false
			for _, m := range st.members[y] {
				if a.people[m].in.ClassOf(l) != "" {
					direct++
				}
				if a.people[m].in.ClassOf(y) == ClassB {
					retour = true
				}
			}
			if direct >= 1 {
				near = true
			}
			if direct < 2 || (retour && len(st.members[y]) < a.p.RetourPivotSize) {
				continue
			}
			hops = append(hops, RelayHop{SessionID: st.s.ID, Booth: need.Booth, From: y, Floor: l})
			found = true
			break
		}
		if !found {
			if near {
				return nil, false, RuleRelayGivers
			}
			return nil, false, RuleLanguageCoverage
		}
	}
	return hops, true, ""
}

// canJoin reports whether i may join booth need.Booth without breaking the relay that
// another booth takes from it (a retour member in a pivot booth needs RetourPivotSize).
func (a *allocator) canJoin(i int, st *sessState, need *BoothNeed) bool {
	if !st.gives[need.Booth] || a.people[i].in.ClassOf(need.Booth) != ClassB {
		return true
	}
	return len(st.members[need.Booth])+1 >= a.p.RetourPivotSize
}

// consecutiveWithin: sessions of a meeting this close are one sitting; keep the team.
const consecutiveWithin = 6 * time.Hour

func (a *allocator) score(i int, st *sessState, need *BoothNeed) int {
	p := &a.people[i]
	sc := p.load
	if prev, ok := a.prev[st.s.MeetingID]; ok && slices.Contains(a.sessions[prev].members[need.Booth], i) &&
		st.s.Start.Sub(a.sessions[prev].s.End) <= consecutiveWithin {
		sc -= 100000 // same team as the meeting's previous session, the same sitting day
	}
	if p.in.ClassOf(need.Booth) == ClassB {
		sc += 60 // A-language members first; a retour member also makes a pivot booth need three
	}
	if slices.Contains(p.prefBooth, need.Booth) {
		sc -= 120
	}
	pr := &p.in.Preferences
	if slices.Contains(pr.Sessions, st.s.ID) {
		sc -= 240
	}
	if slices.Contains(pr.AvoidSessions, st.s.ID) || slices.Contains(pr.AvoidMeetings, st.s.MeetingID) {
		sc += 5000
	}
	return sc
}

// best picks the best candidate for the booth; relay=false admits only members who have
// every floor language themselves.
func (a *allocator) best(st *sessState, need *BoothNeed, relay bool) (int, []RelayHop) {
	bi, bs := -1, 0
	var bh []RelayHop
	type offHours struct{ i, score int }
	var off []offHours
	for _, i := range a.cands[need.Booth] {
		if a.declined[declKey{a.people[i].in.ID, st.s.ID, need.Booth}] {
			continue
		}
		// Cheap static test first: does the candidate have every source language?
		p := a.people[i].in
		direct := true
		for _, l := range need.Sources {
			if p.ClassOf(l) == "" {
				direct = false
				break
			}
		}
		if direct == relay || !a.canJoin(i, st, need) {
			continue
		}
		if r := a.timeRules(i, st, false); len(r) > 0 {
			if r[0] == RuleWorkingHours {
				if _, ok, _ := a.coverage(i, st, need); ok {
					off = append(off, offHours{i, a.score(i, st, need)})
				}
			}
			continue
		}
		var hops []RelayHop
		if relay {
			var ok bool
			if hops, ok, _ = a.coverage(i, st, need); !ok {
				continue
			}
		}
		sc := a.score(i, st, need)
		if bi < 0 || sc < bs {
			bi, bs, bh = i, sc, hops
		}
	}
	// Remote candidates who would have been chosen but for their local hours: explained
	// in the plan's notes.
	for _, o := range off {
		if bi >= 0 && o.score < bs && !slices.Contains(st.offHours[need.Booth], o.i) {
			st.offHours[need.Booth] = append(st.offHours[need.Booth], o.i)
		}
	}
	return bi, bh
}

func (a *allocator) add(st *sessState, need *BoothNeed, i int, hops []RelayHop) {
	st.members[need.Booth] = append(st.members[need.Booth], i)
	if len(hops) > 0 {
		if st.relay[need.Booth] == nil {
			st.relay[need.Booth] = map[int][]RelayHop{}
		}
		st.relay[need.Booth][i] = hops
		for _, h := range hops {
			st.gives[h.From] = true
		}
	}
	a.book(i, st.s.Start, st.s.End)
}

func (a *allocator) staff(si int) {
	st := &a.sessions[si]
	// Scarce booths first: fewest interpreters who could work into the language.
	order := make([]int, len(st.needs))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Compare(len(a.cands[st.needs[x].Booth]), len(a.cands[st.needs[y].Booth]))
	})
	fill := func(relay bool) bool {
		changed := false
		for _, k := range order {
			need := &st.needs[k]
			for len(st.members[need.Booth]) < need.Size {
				i, hops := a.best(st, need, false)
				if i < 0 && relay && a.p.RelayAllowed {
					i, hops = a.best(st, need, true)
				}
				if i < 0 {
					break
				}
				a.add(st, need, i, hops)
				changed = true
			}
		}
		return changed
	}
	fill(false)
	for fill(true) {
	}
	for k := range st.needs {
		need := &st.needs[k]
		if n := len(st.members[need.Booth]); n < need.Size {
			a.gaps = append(a.gaps, a.diagnose(st, need, need.Size-n))
		}
		a.noteOffHours(st, need)
	}
	a.prev[st.s.MeetingID] = si
}

func (a *allocator) noteOffHours(st *sessState, need *BoothNeed) {
	off := st.offHours[need.Booth]
	chosen := st.members[need.Booth]
	if len(off) == 0 || len(chosen) == 0 {
		return
	}
	var names []string
	for _, m := range chosen {
		names = append(names, a.people[m].in.Name)
	}
	for n, i := range off {
		if n == 2 {
			break
		}
		p := &a.people[i]
		li := st.locOf(p.loc)
		a.notes = append(a.notes, fmt.Sprintf("%s (%s) not chosen for the %s booth of %s: %s local, outside working hours %s; chosen: %s",
			p.in.Name, p.loc, need.Booth.Upper(), st.s.ID, li.local, hoursString(p.hours), strings.Join(names, ", ")))
	}
}

func hoursString(h WorkingHours) string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", h.Start/60, h.Start%60, h.End/60, h.End%60)
}

func utcSpan(s *Session) string {
	return s.Start.UTC().Format("2006-01-02 15:04") + "-" + s.End.UTC().Format("15:04") + " UTC"
}

// diagnose explains an unfilled booth: the rule that blocked the closest candidate (the
// one breaking fewest rules) and the smallest change that would fill the seat.
func (a *allocator) diagnose(st *sessState, need *BoothNeed, missing int) Gap {
	have := len(st.members[need.Booth])
	g := Gap{SessionID: st.s.ID, Booth: need.Booth, Missing: missing}
	srcs := make([]string, len(need.Sources))
	for k, l := range need.Sources {
		srcs[k] = string(l)
	}
	who := "interpreter"
	if missing > 1 {
		who = "interpreters"
	}
	g.Fix = fmt.Sprintf("%d more %s-A %s (or %s-B with retour) working from %s, available %s",
		missing, need.Booth.Upper(), who, need.Booth.Upper(), strings.Join(srcs, ", "), utcSpan(st.s))
	head := fmt.Sprintf("the %s booth of session %s (%s) has %d of %d interpreters", need.Booth.Upper(), st.s.ID, utcSpan(st.s), have, need.Size)

	bestI, bestN := -1, 0
	var bestRules []string
	var bestHops []Lang
	for _, i := range a.cands[need.Booth] {
		if slices.Contains(st.members[need.Booth], i) {
			continue
		}
		var rules []string
		if a.declined[declKey{a.people[i].in.ID, st.s.ID, need.Booth}] {
			rules = append(rules, RuleDeclined)
		}
		var lacking []Lang
		if _, ok, r := a.coverage(i, st, need); !ok {
			rules = append(rules, r)
			for _, l := range need.Sources {
				if a.people[i].in.ClassOf(l) == "" {
					lacking = append(lacking, l)
				}
			}
		}
		if !a.canJoin(i, st, need) {
			rules = append(rules, RuleRelayGivers)
		}
		rules = append(rules, a.timeRules(i, st, true)...)
		if bestI < 0 || len(rules) < bestN {
			bestI, bestN, bestRules, bestHops = i, len(rules), rules, lacking
		}
	}
	switch {
	case len(a.cands[need.Booth]) == 0:
		g.Rule = RuleBoothLanguage
		g.Message = head + fmt.Sprintf(": nobody in the pool works into %s (A, or B with retour)", need.Booth.Upper())
		return g
	case bestI < 0:
		g.Rule = RuleTeamSize
		g.Message = head + fmt.Sprintf(": every %s interpreter of the pool is already in it", need.Booth.Upper())
		return g
	}
	if len(bestRules) == 0 {
		// Should not happen: an eligible candidate is always placed before gaps are listed.
		g.Rule = RuleTeamSize
		g.Message = head
		return g
	}
	p := &a.people[bestI]
	g.Rule = bestRules[0]
	g.Message = head + fmt.Sprintf(": the closest candidate, %s, is blocked by %s", p.in.Name, strings.Join(bestRules, ", "))
	if len(bestRules) == 1 {
		li := st.locOf(p.loc)
		var hint string
		switch g.Rule {
		case RuleWorkingHours:
			hint = fmt.Sprintf("%s (%s) would serve at %s local, outside working hours %s", p.in.Name, p.loc, li.local, hoursString(p.hours))
		case RuleDailyCap:
			hint = fmt.Sprintf("raise %s's daily cap to %d booth minutes", p.in.Name, p.dayMin[li.day]+st.s.Minutes())
		case RuleWeeklyCap:
			hint = fmt.Sprintf("raise %s's weekly cap to %d booth minutes", p.in.Name, p.weekMin[li.week]+st.s.Minutes())
		case RuleSessionsPerDay:
			hint = fmt.Sprintf("allow %s %d sessions that day", p.in.Name, p.daySess[li.day]+1)
		case RuleRest:
			hint = fmt.Sprintf("accept a shorter rest for %s", p.in.Name)
		case RuleDoubleBooking:
			hint = fmt.Sprintf("free %s from the overlapping booking", p.in.Name)
		case RuleUnavailable:
			hint = fmt.Sprintf("ask %s to lift the declared unavailability", p.in.Name)
		case RuleDeclined:
			hint = fmt.Sprintf("ask %s again (they declined)", p.in.Name)
		case RuleLanguageCoverage, RuleRelayGivers:
			hint = fmt.Sprintf("%s could take %s by relay from a booth whose language they understand, given two members there who have it first-hand", p.in.Name, joinLangs(bestHops))
		}
		if hint != "" {
			g.Fix += "; or " + hint
		}
	}
	return g
}

func joinLangs(ls []Lang) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

func (a *allocator) plan() Plan {
	var pl Plan
	for _, si := range a.order {
		st := &a.sessions[si]
		booths := make([]Lang, 0, len(st.members))
		for b := range st.members {
			booths = append(booths, b)
		}
		slices.Sort(booths)
		var hops []RelayHop
		for _, b := range booths {
			for _, hs := range st.relay[b] {
				hops = append(hops, hs...)
			}
		}
		slices.SortFunc(hops, func(x, y RelayHop) int {
			return cmp.Or(cmp.Compare(x.Booth, y.Booth), cmp.Compare(x.Floor, y.Floor), cmp.Compare(x.From, y.From))
		})
		hops = slices.Compact(hops)
		pl.RelayHops = append(pl.RelayHops, hops...)
		for _, b := range booths {
			ms := slices.Clone(st.members[b])
			slices.Sort(ms) // people are indexed in id order
			for _, m := range ms {
				pl.Assignments = append(pl.Assignments, Assignment{SessionID: st.s.ID, Booth: b,
					InterpreterID: a.people[m].in.ID, Role: a.role(st, b, m, hops)})
			}
		}
	}
	pl.Assignments = append(pl.Assignments, a.kept...)
	pl.Gaps = a.gaps
	pl.Notes = a.notes
	return pl
}

func (a *allocator) role(st *sessState, b Lang, m int, hops []RelayHop) Role {
	p := a.people[m].in
	var flags []string
	if p.ClassOf(b) == ClassB {
		flags = append(flags, string(RoleRetour))
	}
	for _, h := range hops {
		if h.From == b && p.ClassOf(h.Floor) != "" {
			flags = append(flags, string(RoleRelayGiver))
			break
		}
	}
	if len(st.relay[b][m]) > 0 {
		flags = append(flags, string(RoleRelayTaker))
	}
	if len(flags) == 0 {
		return RoleInterpreter
	}
	return Role(strings.Join(flags, "+"))
}
