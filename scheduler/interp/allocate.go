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
// Sessions are staffed in start order. Before a session is staffed, the allocator plans
// its pivots as conference practice does: a floor language that few members of some
// booth hear first-hand (Arabic and Chinese in a six-language UN meeting) is carried by a
// pivot booth, either its own booth working retour into a language the others hear (the
// AR booth into English) or a booth whose members all have it (the EN booth for Russian);
// the other booths take it by relay, one hop, never chained. Pivot booths are staffed
// first (a two-way pivot with the policy's RetourPivotSize and two members who give the
// retour), then the scarcest booths. A pivot the pool cannot staff is dropped and the
// session staffed again without it. Members who lack a floor language take it from the
// planned pivot or from any booth of the session that can give it (two members with it
// first-hand); each booth takes each floor language from one pivot at most.
//
// Sittings: sessions of one meeting separated by breaks up to the policy's break_max are
// one sitting: no rest is required inside it, it counts once against the sittings a day,
// and one team covers at most MaxSessionMinutes of its booth time. The team of the
// sitting's previous session is preferred, then stated preferences, then the least loaded
// interpreter (booth minutes), ties broken by id. The result is deterministic.
//
// Every seat left empty is a Gap with the rule that blocked the closest candidate; every
// interpreter who would have been preferred but for a hard rule is listed in PassedOver
// (and Notes) with the rule.
func Allocate(in Input) Plan {
	a := newAllocator(in)
	for _, si := range a.order {
		a.staff(si)
	}
	return a.plan()
}

// langID is a language interned for one allocation: languages are compared as small
// integers and sets of them as bit masks, never as strings.
type langID uint8

// langSet holds up to 192 interned languages (more than the 183 ISO 639-1 codes).
type langSet [3]uint64

func (s *langSet) add(l langID)     { s[l>>6] |= 1 << (l & 63) }
func (s langSet) has(l langID) bool { return s[l>>6]&(1<<(l&63)) != 0 }
func (s langSet) hasAll(o langSet) bool {
	return s[0]&o[0] == o[0] && s[1]&o[1] == o[1] && s[2]&o[2] == o[2]
}

// noLang stands for any language past the table's room; nobody has it.
const noLang langID = 191

type langTable struct {
	ids   map[Lang]langID
	names []Lang
}

func (t *langTable) intern(l Lang) langID {
	if id, ok := t.ids[l]; ok {
		return id
	}
	if len(t.names) >= int(noLang) {
		return noLang
	}
	id := langID(len(t.names))
	t.ids[l] = id
	t.names = append(t.names, l)
	return id
}

type span struct {
	start, end int64 // unix seconds, half-open
	sitting    int
}

type person struct {
	in       *Interpreter
	idx      int
	has      langSet // A, B or C: languages they interpret from
	hasList  []langID
	into     langSet // A, or B with retour: languages they work into
	bIn      langSet // B languages
	aIn      langSet // A languages
	intoList []langID
	loc      *time.Location
	hours    WorkingHours
	dayCap   int
	weekCap  int
	perDay   int   // sittings a day
	rest     int64 // seconds
	busy     []span
	maxLen   int64 // longest busy span, bounds the backward scan
	dayMin   counts
	daySit   counts // sittings worked per local day (of the sitting's start)
	sitMin   counts // booth minutes per sitting
	weekMin  counts
	load     int
	inSess   int // 1 + index of the session whose booths they were last put in
	locSess  int // 1 + index of the session locIdx refers to
	locIdx   int // the person's zone in that session's loc list
	prefBoot langSet
	subs     []int32 // the candidate sub-lists (a.subs) they are in
	prefs    bool    // sessions to do or avoid, or meetings to avoid
	// What the session's searches ask again and again, remembered for session memoSess
	// (1 + index): it changes only when the person is booked in it, and a person in the
	// session is never asked.
	memoSess int
	memoHas  uint8 // memoRule, memoDay
	memoDay  bool  // works that (local) day already
	memoRule string
}

const (
	memoRuleSet uint8 = 1 << iota
	memoDaySet
)

// memo readies person p's memo for session st.
func (p *person) memo(st *sessState) {
	if p.memoSess != st.idx+1 {
		p.memoSess, p.memoHas = st.idx+1, 0
	}
}

// hop: a member takes floor language floor from booth index from, interpreted into via.
type hop struct {
	floor, via langID
	from       int
}

type boothState struct {
	need    BoothNeed
	lang    langID
	src     []langID
	srcSet  langSet
	target  int // seats to fill: the policy's size, raised for a planned two-way pivot
	extra   bool
	members []int
	kept    int // the first kept members stay when the session is staffed again
	hops    map[int][]hop
	routes  []hop   // one per floor language taken by relay: every taker uses it
	gives   langSet // floor languages other booths take (or plan to take) from this booth
	giveLs  []langID
}

// pivotPlan: floor language floor is carried by booth index booth, into via.
type pivotPlan struct {
	floor, via langID
	booth      int
}

type passedEvent struct {
	i     int
	rule  string
	booth int
	score int
}

type sessState struct {
	idx     int
	s       *Session
	booths  []boothState
	floor   []langID
	outputs langSet
	sitting int
	plan    []pivotPlan
	loc     []locInfo
	added   [][2]int // (booth, person) in the order they were added, to undo
	passed  []passedEvent
}

type locInfo struct {
	loc      *time.Location
	day      int
	sitDay   int
	week     int
	startMin int
	endMin   int // minutes of the start's local day; -1 when the session ends on a later day
}

// localSpan is the session's time in zone li.loc, "15:04-16:30", for messages.
func localSpan(st *sessState, li *locInfo) string {
	return st.s.Start.In(li.loc).Format("15:04") + "-" + st.s.End.In(li.loc).Format("15:04")
}

type declKey struct {
	interp, session string
	booth           Lang
}

type passedKey struct {
	i    int
	rule string
}

type allocator struct {
	in     Input
	p      Policy
	langs  langTable
	people []person
	byID   map[string]int
	cands  [][]cand // by language: who works into it, sorted by (load, index)
	// subs are sub-lists of cands, made on first use, kept in the same order: the
	// candidates of a booth language who have a set of languages and work into another
	// (a booth's direct candidates, a pivot's retour givers), so that a search for them
	// never walks past the rest of the pool.
	subs     []subList
	subOf    map[subKey]int
	candMax  []int // by language: the most score takes off the load of any of cands
	giverN   map[giverKey]int
	sessions []sessState
	order    []int
	declined map[declKey]bool
	sitStart []time.Time
	// prev[meeting] is the session index last staffed for that meeting.
	prev     map[string]int
	notes    []Text
	gaps     []Gap
	kept     []Assignment
	patterns map[[2]langSet][]pivotPlan
	pairs    map[langID][]int32 // by booth language: candidates having both of two languages
	passed   map[passedKey]*PassedOver
	passedLs []passedKey
	// passedBuf is best's scratch list of the candidates it passes over.
	passedBuf []passedEvent
}

func newAllocator(in Input) *allocator {
	a := &allocator{in: in, p: in.Policy, byID: map[string]int{}, langs: langTable{ids: map[Lang]langID{}},
		declined: map[declKey]bool{}, prev: map[string]int{}, patterns: map[[2]langSet][]pivotPlan{},
		pairs: map[langID][]int32{}, passed: map[passedKey]*PassedOver{}, subOf: map[subKey]int{},
		giverN: map[giverKey]int{}}
	a.internSessionLangs()
	a.addPeople()
	for _, d := range in.Declined {
		a.declined[declKey{d.InterpreterID, d.SessionID, d.Booth}] = true
	}
	bySession := a.addSessions()
	a.groupSittings()
	for _, c := range in.Commitments {
		if i, ok := a.byID[c.InterpreterID]; ok && c.Start.Before(c.End) {
			sit := len(a.sitStart)
			a.sitStart = append(a.sitStart, c.Start)
			a.book(i, c.Start, c.End, sit)
		}
	}
	a.seatKept(bySession)
	return a
}

// internSessionLangs interns the languages sessions use and kept seats name, before the
// pool's: only those matter, and an interpreter's other languages are not interned.
func (a *allocator) internSessionLangs() {
	for i := range a.in.Sessions {
		for _, l := range a.in.Sessions[i].Floor {
			a.langs.intern(l)
		}
		for _, l := range a.in.Sessions[i].Outputs {
			a.langs.intern(l)
		}
	}
	for _, k := range a.in.Kept {
		a.langs.intern(k.Booth)
	}
}

// addPeople makes a person of each interpreter of the pool in ID order (the first of a
// duplicated ID counts), lists them as candidates of the languages they work into, and
// sets each language's candMax.
func (a *allocator) addPeople() {
	a.cands = make([][]cand, int(noLang)+1)
	zones := newZoneSet(a.in)
	pool := slices.Clone(a.in.Pool)
	slices.SortFunc(pool, func(x, y Interpreter) int { return cmp.Compare(x.ID, y.ID) })
	a.people = make([]person, 0, len(pool))
	for i := range pool {
		it := &pool[i]
		if _, dup := a.byID[it.ID]; dup {
			continue
		}
		idx := len(a.people)
		a.byID[it.ID] = idx
		a.people = append(a.people, a.newPerson(it, idx, zones))
	}
	a.candMax = make([]int, len(a.cands))
	for l, c := range a.cands {
		a.candMax[l] = dayBonus
		for _, c := range c {
			a.candMax[l] = max(a.candMax[l], a.people[c.i].bonusMax(langID(l)))
		}
	}
}

// newPerson is interpreter it as person idx: its caps (the stricter of the policy's and
// its own), its languages among the interned ones by class, its preferences; it is added
// to the candidates of each language it works into.
func (a *allocator) newPerson(it *Interpreter, idx int, zones *zoneSet) person {
	pc := person{in: it, idx: idx, loc: zones.canonical(it.Zone()), hours: it.WorkingHoursOrDefault(),
		dayCap:  stricter(a.p.Caps.BoothMinutesPerDay, it.Caps.BoothMinutesPerDay),
		weekCap: stricter(a.p.Caps.BoothMinutesPerWeek, it.Caps.BoothMinutesPerWeek),
		perDay:  stricter(a.p.Caps.SessionsPerDay, it.Caps.SessionsPerDay),
		rest:    int64(max(a.p.Caps.MinRest, it.Caps.MinRest) / time.Second),
	}
	if it.Remote {
		pc.dayCap = stricter(pc.dayCap, a.p.RemoteBoothMinutesPerDay)
	}
	for _, s := range it.Languages {
		l, ok := a.langs.ids[s.Lang]
		if !ok {
			continue
		}
		if !pc.has.has(l) {
			pc.hasList = append(pc.hasList, l)
		}
		pc.has.add(l)
		if s.Class == ClassB {
			pc.bIn.add(l)
		}
		if s.Class == ClassA {
			pc.aIn.add(l)
		}
		if (s.Class == ClassA || (s.Class == ClassB && it.Retour)) && !pc.into.has(l) {
			pc.into.add(l)
			pc.intoList = append(pc.intoList, l)
			a.cands[l] = append(a.cands[l], cand{0, int32(idx)})
		}
	}
	pr := &it.Preferences
	pc.prefs = len(pr.Sessions)+len(pr.AvoidSessions)+len(pr.AvoidMeetings) > 0
	for _, l := range it.Preferences.Booths {
		if id, ok := a.langs.ids[l]; ok {
			pc.prefBoot.add(id)
		}
	}
	return pc
}

// addSessions makes the state of each session with the organiser's booths it needs
// (a channel others staff is a note, no booth), and the order of the live ones (by
// start, then ID); it returns each session ID's first index.
func (a *allocator) addSessions() map[string]int {
	in := a.in
	a.sessions = make([]sessState, len(in.Sessions))
	bySession := map[string]int{}
	for i := range in.Sessions {
		s := &in.Sessions[i]
		st := sessState{idx: i, s: s, sitting: -1}
		for _, l := range uniqueLangs(s.Floor) {
			st.floor = append(st.floor, a.langs.intern(l))
		}
		for _, need := range PlanChannels(*s, a.p) {
			if need.StaffedBy != "" {
				// Not the organiser's booth (see Session.staffedOutputs): said once, and
				// left out of every team, count, cost, gap and pivot.
				a.notes = append(a.notes, text(MsgStaffedByOthers, Args{Booth: need.Booth, Session: s.ID, StaffedBy: need.StaffedBy}))
				continue
			}
			b := boothState{need: need, lang: a.langs.intern(need.Booth), target: need.Size}
			for _, l := range need.Sources {
				id := a.langs.intern(l)
				b.src = append(b.src, id)
				b.srcSet.add(id)
			}
			st.outputs.add(b.lang)
			st.booths = append(st.booths, b)
		}
		a.sessions[i] = st
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
	return bySession
}

// groupSittings numbers the sittings: a meeting's live sessions in start order, a break
// of at most break_max (or an overlap) keeps the sitting going.
func (a *allocator) groupSittings() {
	type openSitting struct {
		id  int
		end time.Time
	}
	open := map[string]*openSitting{}
	breakMax := a.p.BreakMax()
	for _, si := range a.order {
		s := a.sessions[si].s
		o := open[s.MeetingID]
		if o == nil || s.Start.Sub(o.end) > breakMax {
			o = &openSitting{id: len(a.sitStart), end: s.End}
			a.sitStart = append(a.sitStart, s.Start)
			open[s.MeetingID] = o
		} else if s.End.After(o.end) {
			o.end = s.End
		}
		a.sessions[si].sitting = o.id
	}
}

// seatKept takes the seats of kept assignments before anything is proposed: a kept seat
// in a booth the session no longer needs gets an extra booth, one in a cancelled session
// is a note to withdraw it, one of an unknown session or interpreter is passed through.
func (a *allocator) seatKept(bySession map[string]int) {
	for _, k := range a.in.Kept {
		si, ok := bySession[k.SessionID]
		pi, okp := a.byID[k.InterpreterID]
		if !ok || !okp {
			a.kept = append(a.kept, k)
			continue
		}
		st := &a.sessions[si]
		if st.s.Cancelled || st.sitting < 0 {
			a.notes = append(a.notes, text(MsgWithdrawCancelled, Args{Interpreter: a.people[pi].in.Name, Booth: k.Booth, Session: st.s.ID}))
			continue
		}
		l := a.langs.intern(k.Booth)
		bk := st.boothOf(l)
		if bk < 0 {
			st.booths = append(st.booths, boothState{need: BoothNeed{SessionID: st.s.ID, Booth: k.Booth}, lang: l, extra: true})
			bk = len(st.booths) - 1
		}
		b := &st.booths[bk]
		b.members = append(b.members, pi)
		b.kept++
		a.people[pi].inSess = si + 1
		a.book(pi, st.s.Start, st.s.End, st.sitting)
	}
}

// zoneSet gives one *time.Location to the zones that tell the same time over the input's
// horizon (a pool loaded zone by zone has a Location value per interpreter), so that
// a session's local times are computed once per zone, not once per interpreter.
type zoneSet struct {
	lo, hi time.Time
	byKey  map[string]*time.Location
	seen   map[*time.Location]*time.Location
}

func newZoneSet(in Input) *zoneSet {
	z := &zoneSet{byKey: map[string]*time.Location{}, seen: map[*time.Location]*time.Location{}}
	see := func(t time.Time) {
		if z.lo.IsZero() || t.Before(z.lo) {
			z.lo = t
		}
		if z.hi.IsZero() || t.After(z.hi) {
			z.hi = t
		}
	}
	for i := range in.Sessions {
		see(in.Sessions[i].Start)
		see(in.Sessions[i].End)
	}
	for _, c := range in.Commitments {
		see(c.Start)
		see(c.End)
	}
	// A margin of two days: local days, weeks and "a minute before the end" stay inside.
	z.lo, z.hi = z.lo.Add(-48*time.Hour), z.hi.Add(48*time.Hour)
	return z
}

// canonical is the first zone seen with loc's name and the same UTC offsets over the
// horizon (the same transitions at the same instants).
func (z *zoneSet) canonical(loc *time.Location) *time.Location {
	if c, ok := z.seen[loc]; ok {
		return c
	}
	key := []byte(loc.String())
	for t, n := z.lo, 0; n < 1000; n++ {
		lt := t.In(loc)
		_, off := lt.Zone()
		key = fmt.Appendf(key, "|%d", off)
		_, end := lt.ZoneBounds()
		if end.IsZero() || !end.Before(z.hi) {
			break
		}
		key = fmt.Appendf(key, "@%d", end.Unix())
		t = end
	}
	c, ok := z.byKey[string(key)]
	if !ok {
		c = loc
		z.byKey[string(key)] = loc
	}
	z.seen[loc] = c
	return c
}

func (st *sessState) boothOf(l langID) int {
	for k := range st.booths {
		if st.booths[k].lang == l {
			return k
		}
	}
	return -1
}

// counts maps keys (days, weeks, sittings) to a person's totals: a short list sorted by
// key, without pointers (a person has a few dozen at most). A key added stays, at zero
// too, until del.
type counts []keyCount

type keyCount struct{ k, n int }

func (c counts) find(k int) (int, bool) {
	lo, hi := 0, len(c)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if c[h].k < k {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo, lo < len(c) && c[lo].k == k
}

func (c counts) get(k int) int {
	if n, ok := c.find(k); ok {
		return c[n].n
	}
	return 0
}

func (c *counts) add(k, d int) {
	n, ok := c.find(k)
	if !ok {
		*c = slices.Insert(*c, n, keyCount{k, 0})
	}
	(*c)[n].n += d
}

func (c *counts) del(k int) {
	if n, ok := c.find(k); ok {
		*c = slices.Delete(*c, n, n+1)
	}
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

func (a *allocator) book(i int, start, end time.Time, sitting int) {
	p := &a.people[i]
	sp := span{start.Unix(), end.Unix(), sitting}
	k := firstFrom(p.busy, sp.start)
	p.busy = slices.Insert(p.busy, k, sp)
	p.maxLen = max(p.maxLen, sp.end-sp.start)
	lt := start.In(p.loc)
	m := int(end.Sub(start) / time.Minute)
	p.dayMin.add(dayKey(lt), m)
	if p.sitMin.get(sitting) == 0 {
		p.daySit.add(dayKey(a.sitStart[sitting].In(p.loc)), 1)
	}
	p.sitMin.add(sitting, m)
	p.weekMin.add(weekKey(lt), m)
	old := p.load
	p.load += m
	a.resort(i, old)
}

// unbook takes back a booking made by book (the latest of its sitting for this person).
func (a *allocator) unbook(i int, start, end time.Time, sitting int) {
	p := &a.people[i]
	s, e := start.Unix(), end.Unix()
	for k := firstFrom(p.busy, s); k < len(p.busy) && p.busy[k].start == s; k++ {
		if p.busy[k].end == e && p.busy[k].sitting == sitting {
			p.busy = slices.Delete(p.busy, k, k+1)
			break
		}
	}
	lt := start.In(p.loc)
	m := int(end.Sub(start) / time.Minute)
	p.dayMin.add(dayKey(lt), -m)
	p.sitMin.add(sitting, -m)
	if p.sitMin.get(sitting) <= 0 {
		p.sitMin.del(sitting)
		p.daySit.add(dayKey(a.sitStart[sitting].In(p.loc)), -1)
	}
	p.weekMin.add(weekKey(lt), -m)
	old := p.load
	p.load -= m
	a.resort(i, old)
}

// resort moves person i to its place in every candidate list it is in after its load
// changed from old: the lists stay sorted by (load, index) so that the best candidate is
// found near the front.
func (a *allocator) resort(i, old int) {
	p := &a.people[i]
	if p.load == old {
		return
	}
	for _, l := range p.intoList {
		a.resortIn(a.cands[l], i, old)
	}
	for _, n := range p.subs {
		a.resortIn(a.subs[n].ids, i, old)
	}
}

// cand is an entry of a candidate list: the person's index and load (kept up to date by
// resort, so that a scan reads the list alone).
type cand struct {
	load int
	i    int32
}

// resortIn moves i, whose load was old, to its place in c, sorted by (load, index).
func (a *allocator) resortIn(c []cand, i, old int) {
	nw := a.people[i].load
	k := searchCand(c, cand{old, int32(i)})
	if k >= len(c) || c[k].i != int32(i) {
		return // not in this list (cannot happen)
	}
	to := cand{nw, int32(i)}
	if nw > old {
		n := k + 1 + searchCand(c[k+1:], to)
		copy(c[k:n-1], c[k+1:n])
		c[n-1] = to
	} else {
		n := searchCand(c[:k], to)
		copy(c[n+1:k+1], c[n:k])
		c[n] = to
	}
}

// searchCand is the index of the first entry of c not before x in (load, index) order.
func searchCand(c []cand, x cand) int {
	lo, hi := 0, len(c)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if e := c[h]; e.load < x.load || (e.load == x.load && e.i < x.i) {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo
}

// subKey names a sub-list of cands[lang]: the candidates who have every language of has
// and work into every language of into.
type subKey struct {
	lang      langID
	has, into langSet
}

type subList struct {
	ids  []cand
	most int // the largest bonusMax of its members
}

// candidates is cands[lang] restricted to those who have has and work into into, in the
// same (load, index) order, and the largest bonusMax among them.
func (a *allocator) candidates(lang langID, has, into langSet) ([]cand, int) {
	if has == (langSet{}) && into == (langSet{}) {
		return a.cands[lang], a.candMax[lang]
	}
	key := subKey{lang, has, into}
	if n, ok := a.subOf[key]; ok {
		return a.subs[n].ids, a.subs[n].most
	}
	n := len(a.subs)
	sl := subList{most: dayBonus}
	for _, c := range a.cands[lang] {
		p := &a.people[c.i]
		if p.has.hasAll(has) && p.into.hasAll(into) {
			sl.ids = append(sl.ids, c)
			sl.most = max(sl.most, p.bonusMax(lang))
			p.subs = append(p.subs, int32(n))
		}
	}
	a.subs = append(a.subs, sl)
	a.subOf[key] = n
	return sl.ids, sl.most
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

// personLoc is locOf for person p, remembering the answer for the session.
func (a *allocator) personLoc(st *sessState, p *person) *locInfo {
	if p.locSess == st.idx+1 {
		return &st.loc[p.locIdx]
	}
	a.locOf(st, p.loc)
	for i := range st.loc {
		if st.loc[i].loc == p.loc {
			p.locSess, p.locIdx = st.idx+1, i
			return &st.loc[i]
		}
	}
	return a.locOf(st, p.loc)
}

func (a *allocator) locOf(st *sessState, loc *time.Location) *locInfo {
	for i := range st.loc {
		if st.loc[i].loc == loc {
			return &st.loc[i]
		}
	}
	ls, le := st.s.Start.In(loc), st.s.End.In(loc)
	li := locInfo{loc: loc, day: dayKey(ls), sitDay: dayKey(a.sitStart[st.sitting].In(loc)), week: weekKey(ls),
		startMin: ls.Hour()*60 + ls.Minute(), endMin: -1}
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
	return a.appendTimeRules(nil, i, st, all)
}

// firstTimeRule is the first rule of timeRules, "" when none is broken; it allocates
// nothing.
func (a *allocator) firstTimeRule(i int, st *sessState) string {
	p := &a.people[i]
	p.memo(st)
	if p.memoHas&memoRuleSet != 0 && p.inSess != st.idx+1 {
		return p.memoRule
	}
	var buf [1]string
	rule := ""
	if r := a.appendTimeRules(buf[:0], i, st, false); len(r) > 0 {
		rule = r[0]
	}
	if p.inSess != st.idx+1 {
		p.memoRule, p.memoHas = rule, p.memoHas|memoRuleSet
	}
	return rule
}

func (a *allocator) appendTimeRules(out []string, i int, st *sessState, all bool) []string {
	p := &a.people[i]
	s := st.s
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
	// Busy spans are sorted by start; any span starting before se+rest may clash. Inside
	// a sitting (coffee breaks) no rest is due.
	dbl, rest := false, false
	hi := firstFrom(p.busy, se+p.rest)
	for k := hi - 1; k >= 0; k-- {
		b := p.busy[k]
		if b.start+p.maxLen+p.rest <= ss {
			break // no earlier span can reach this session
		}
		if b.start < se && ss < b.end {
			dbl = true
		} else if b.sitting != st.sitting && b.start < se+p.rest && ss-p.rest < b.end {
			rest = true
		}
	}
	if dbl && fail(RuleDoubleBooking) {
		return out
	}
	if rest && !dbl && fail(RuleRest) {
		return out
	}
	li := a.personLoc(st, p)
	m := s.Minutes()
	inSitting := p.sitMin.get(st.sitting)
	if p.perDay > 0 && inSitting == 0 && p.daySit.get(li.sitDay)+1 > p.perDay && fail(RuleSessionsPerDay) {
		return out
	}
	if a.p.MaxSessionMinutes > 0 && inSitting > 0 {
		if run := a.stint(p, st); run > 0 && run+m > a.p.MaxSessionMinutes && fail(RuleSittingCap) {
			return out
		}
	}
	if p.dayCap > 0 && p.dayMin.get(li.day)+m > p.dayCap && fail(RuleDailyCap) {
		return out
	}
	if p.weekCap > 0 && p.weekMin.get(li.week)+m > p.weekCap && fail(RuleWeeklyCap) {
		return out
	}
	if p.in.Remote && (li.endMin < 0 || li.startMin < p.hours.Start || li.endMin > p.hours.End) {
		fail(RuleWorkingHours)
	}
	return out
}

// stint is the booth minutes person p works in st's sitting next to st, joined to it by
// breaks of at most break_max: the stretch one team covers. A member who sits out a long
// part of the sitting starts a new stretch.
func (a *allocator) stint(p *person, st *sessState) int {
	gap := int64(a.p.BreakMax() / time.Second)
	ss, se := st.s.Start.Unix(), st.s.End.Unix()
	k := firstFrom(p.busy, ss)
	total := 0
	from := ss
	for j := k - 1; j >= 0; j-- {
		b := p.busy[j]
		if b.sitting != st.sitting {
			continue
		}
		if from-b.end > gap {
			break
		}
		total += int((b.end - b.start) / 60)
		from = min(from, b.start)
	}
	to := se
	for j := k; j < len(p.busy); j++ {
		b := p.busy[j]
		if b.sitting != st.sitting {
			continue
		}
		if b.start-to > gap {
			break
		}
		total += int((b.end - b.start) / 60)
		to = max(to, b.end)
	}
	return total
}

// pivotValid reports whether booth x of the session can give relay of floor language f
// into via now: via is its own language, or (retour) another channel of the session;
// it takes f first-hand (every member has it, unless f is its own language); two members
// have f and work into via; a two-way booth (retour, or a member working into their B)
// has the policy's RetourPivotSize. near: some but too few givers.
func (a *allocator) pivotValid(st *sessState, x int, f, via langID) (ok, near bool) {
	X := &st.booths[x]
	if X.extra || via == f || (via != X.lang && !st.outputs.has(via)) {
		return false, false
	}
	givers, twoWay := 0, via != X.lang
	for _, m := range X.members {
		q := &a.people[m]
		if X.lang != f && !q.has.has(f) {
			return false, false // it would pass on a relay: a chain
		}
		if q.bIn.has(X.lang) {
			twoWay = true
		}
		if q.has.has(f) && (via == X.lang || q.into.has(via)) {
			givers++
		}
	}
	if givers < 2 {
		return false, givers >= 1
	}
	if twoWay && len(X.members) < a.p.RetourPivotSize {
		return false, true
	}
	return true, false
}

// route finds how member p of booth k takes floor language f, which they lack: the
// booth's existing relay route for f, the session's planned pivot, or any booth that can
// give it now. planned reports that the route relies on a pivot not yet staffed.
func (a *allocator) route(st *sessState, k int, p *person, f langID) (h hop, ok, near bool) {
	b := &st.booths[k]
	for _, r := range b.routes {
		if r.floor == f {
			return r, p.has.has(r.via), false
		}
	}
	for _, pv := range st.plan {
		if pv.floor == f && pv.booth != k && p.has.has(pv.via) {
			return hop{floor: f, via: pv.via, from: pv.booth}, true, false
		}
	}
	for x := range st.booths {
		if x == k {
			continue
		}
		X := &st.booths[x]
		if X.lang != f && p.has.has(X.lang) {
			v, n := a.pivotValid(st, x, f, X.lang)
			if v {
				return hop{floor: f, via: X.lang, from: x}, true, false
			}
			near = near || n
		}
		if X.lang != f {
			continue // retour pivots are the floor language's own booth
		}
		for y := range st.booths {
			via := st.booths[y].lang
			if via == X.lang || via == f || !p.has.has(via) {
				continue
			}
			v, n := a.pivotValid(st, x, f, via)
			if v {
				return hop{floor: f, via: via, from: x}, true, false
			}
			near = near || n
		}
	}
	return hop{}, false, near
}

// coverage finds, for every source language interpreter i lacks, a route. ok is false
// when some language cannot be reached; rule then says why.
func (a *allocator) coverage(i int, st *sessState, k int) (hops []hop, ok bool, rule string) {
	p := &a.people[i]
	b := &st.booths[k]
	for _, f := range b.src {
		if p.has.has(f) {
			continue
		}
		if !a.p.RelayAllowed {
			return nil, false, RuleLanguageCoverage
		}
		h, found, near := a.route(st, k, p, f)
		if !found {
			if near {
				return nil, false, RuleRelayGivers
			}
			return nil, false, RuleLanguageCoverage
		}
		hops = append(hops, h)
	}
	return hops, true, ""
}

// canJoin reports whether i may join booth k without breaking the relay other booths
// take (or plan to take) from it: a member who lacks a language it gives would pass on
// a relay, and a member working into their B makes it two-way (RetourPivotSize).
func (a *allocator) canJoin(i int, st *sessState, k int) bool {
	b := &st.booths[k]
	if len(b.giveLs) == 0 {
		return true
	}
	p := &a.people[i]
	for _, f := range b.giveLs {
		if f != b.lang && !p.has.has(f) {
			return false
		}
	}
	if p.bIn.has(b.lang) && len(b.members)+1 < a.p.RetourPivotSize {
		return false
	}
	return true
}

// sameSittingWithin: sessions of a meeting this close keep the team even across sittings
// (the same day), more weakly than inside a sitting.
const sameSittingWithin = 6 * time.Hour

// bonusMax bounds what score (outside the team bonus) and withDay take off person p's
// load in a booth of language l, so that the scan over candidates sorted by load can stop
// at the first whose load, less the most any candidate of the list can gain, is beyond
// the best score.
func (p *person) bonusMax(l langID) int {
	n := dayBonus
	if p.prefBoot.has(l) {
		n += 120
	}
	if len(p.in.Preferences.Sessions) > 0 {
		n += 240
	}
	return n
}

// prevTeam is the booth's team in the meeting's previous session and how close it is:
// 2 in the same sitting, 1 the same day (within sameSittingWithin), 0 otherwise.
func (a *allocator) prevTeam(st *sessState, k int) ([]int, int) {
	prev, ok := a.prev[st.s.MeetingID]
	if !ok {
		return nil, 0
	}
	ps := &a.sessions[prev]
	pk := ps.boothOf(st.booths[k].lang)
	if pk < 0 {
		return nil, 0
	}
	switch {
	case ps.sitting == st.sitting:
		return ps.booths[pk].members, 2
	case st.s.Start.Sub(ps.s.End) <= sameSittingWithin:
		return ps.booths[pk].members, 1
	}
	return ps.booths[pk].members, 0
}

// dayBonus favours an interpreter who already works that day, so that a day's work is
// given to fewer people (team-days hired) before the load is evened out over the days.
const dayBonus = 300

func (a *allocator) score(i int, st *sessState, k int, team []int, near int) int {
	p := &a.people[i]
	b := &st.booths[k]
	sc := p.load
	if near > 0 && slices.Contains(team, i) {
		sc -= 100000 * near // the team of the sitting, or of the day
	}
	if p.bIn.has(b.lang) {
		sc += 60 // A-language members first; a retour member also makes a pivot booth need three
	}
	if p.prefBoot.has(b.lang) {
		sc -= 120
	}
	if !p.prefs {
		return sc
	}
	pr := &p.in.Preferences
	if len(pr.Sessions) > 0 && slices.Contains(pr.Sessions, st.s.ID) {
		sc -= 240
	}
	if (len(pr.AvoidSessions) > 0 && slices.Contains(pr.AvoidSessions, st.s.ID)) ||
		(len(pr.AvoidMeetings) > 0 && slices.Contains(pr.AvoidMeetings, st.s.MeetingID)) {
		sc += 5000
	}
	return sc
}

// withDay adds the day bonus to a score from score: a map lookup, done only for a
// candidate who could still win with it.
func (a *allocator) withDay(i int, st *sessState, sc int) int {
	p := &a.people[i]
	if len(p.dayMin) == 0 {
		return sc
	}
	p.memo(st)
	if p.memoHas&memoDaySet == 0 || p.inSess == st.idx+1 {
		works := p.dayMin.get(a.personLoc(st, p).day) > 0
		if p.inSess == st.idx+1 {
			if works {
				sc -= dayBonus
			}
			return sc
		}
		p.memoDay, p.memoHas = works, p.memoHas|memoDaySet
	}
	if p.memoDay {
		sc -= dayBonus
	}
	return sc
}

// pick says which candidates best admits.
type pick struct {
	direct, relay bool
	giver         *pivotPlan // only members who give this pivot's retour
}

// best picks the best candidate for booth k: the previous team first, then candidates by
// load until no later one can score better. The interpreters who would have been
// preferred but for a time-bound rule are added to st.passed.
func (a *allocator) best(st *sessState, k int, pk pick) (int, []hop) {
	bi, bh, passed := a.search(st, k, pk, false)
	if verifySearch != nil {
		passed = slices.Clone(passed) // the reference search reuses the scratch list
		verifySearch(a, st, k, pk, bi, bh, passed)
	}
	st.passed = append(st.passed, passed...)
	return bi, bh
}

// verifySearch, set by tests, is called after every search with its outcome, to repeat
// it over the whole pool (search with everyone) and compare.
var verifySearch func(a *allocator, st *sessState, k int, pk pick, bi int, bh []hop, passed []passedEvent)

// search finds the best candidate for booth k and those passed over for it (in the order
// of the scan: the team, then by load). Candidates are taken from the sub-list of those
// the pick can admit, in order of load, and the scan stops at the first whose load, less
// the most any of them can gain in score, is beyond the best score found. With everyone,
// it considers every candidate of the booth's language instead (the reference the tests
// compare with). passed is only valid until the next search.
func (a *allocator) search(st *sessState, k int, pk pick, everyone bool) (bi int, bh []hop, passed []passedEvent) {
	b := &st.booths[k]
	bi, bs := -1, 0
	mark := st.idx + 1
	passed = a.passedBuf[:0]
	team, near := a.prevTeam(st, k)
	consider := func(i int) {
		p := &a.people[i]
		if p.inSess == mark {
			return // already in a booth of this session
		}
		if len(a.declined) > 0 && a.declined[declKey{p.in.ID, st.s.ID, b.need.Booth}] {
			return
		}
		direct := p.has.hasAll(b.srcSet)
		if (direct && !pk.direct) || (!direct && !pk.relay) {
			return
		}
		if g := pk.giver; g != nil && !(p.has.has(g.floor) && p.into.has(g.via)) {
			return
		}
		if !a.canJoin(i, st, k) {
			return
		}
		sc := a.score(i, st, k, team, near)
		if bi >= 0 && sc-dayBonus > bs {
			return
		}
		sc = a.withDay(i, st, sc)
		if bi >= 0 && (sc > bs || (sc == bs && i > bi)) {
			return
		}
		var hops []hop
		if !direct {
			var ok bool
			if hops, ok, _ = a.coverage(i, st, k); !ok {
				return
			}
		}
		if r := a.firstTimeRule(i, st); r != "" {
			passed = append(passed, passedEvent{i: i, rule: r, booth: k, score: sc})
			return
		}
		bi, bs, bh = i, sc, hops
	}
	for _, i := range team {
		consider(i)
	}
	if everyone {
		for _, c := range a.cands[b.lang] {
			consider(int(c.i))
		}
	} else {
		list, most := a.admissible(b, pk)
		for _, c := range list {
			if bi >= 0 && c.load-most > bs {
				break
			}
			consider(int(c.i))
		}
	}
	a.passedBuf = passed[:0]
	if bi < 0 {
		return bi, nil, passed[:0]
	}
	// Those passed over are the ones who would have been preferred to the best.
	n := 0
	for _, e := range passed {
		if e.score < bs || (e.score == bs && e.i < bi) {
			passed[n] = e
			n++
		}
	}
	return bi, bh, passed[:n]
}

// admissible is the sub-list of booth b's candidates, by load, that search's consider
// could admit for pick pk, and the most any of them can gain in score: those with every
// floor language for a direct-only pick, a pivot's givers for a giver pick, and for a
// booth that gives relay, those who have the languages it gives (canJoin).
func (a *allocator) admissible(b *boothState, pk pick) ([]cand, int) {
	var has, into langSet
	if pk.direct && !pk.relay {
		has = b.srcSet
	}
	if g := pk.giver; g != nil {
		has.add(g.floor)
		into.add(g.via)
	}
	for _, f := range b.giveLs {
		if f != b.lang {
			has.add(f)
		}
	}
	return a.candidates(b.lang, has, into)
}

func (a *allocator) add(st *sessState, k int, i int, hops []hop) {
	b := &st.booths[k]
	b.members = append(b.members, i)
	if len(hops) > 0 {
		if b.hops == nil {
			b.hops = map[int][]hop{}
		}
		b.hops[i] = hops
		for _, h := range hops {
			known := false
			for _, r := range b.routes {
				known = known || r.floor == h.floor
			}
			if !known {
				b.routes = append(b.routes, h)
			}
			st.booths[h.from].markGives(h.floor)
		}
	}
	st.added = append(st.added, [2]int{k, i})
	a.people[i].inSess = st.idx + 1
	a.book(i, st.s.Start, st.s.End, st.sitting)
}

func (b *boothState) markGives(f langID) {
	if !b.gives.has(f) {
		b.gives.add(f)
		b.giveLs = append(b.giveLs, f)
	}
}

// undo takes back every proposal of the session (kept seats stay).
func (a *allocator) undo(st *sessState) {
	for n := len(st.added) - 1; n >= 0; n-- {
		i := st.added[n][1]
		a.unbook(i, st.s.Start, st.s.End, st.sitting)
		a.people[i].inSess = 0
	}
	st.added = st.added[:0]
	st.passed = st.passed[:0]
	for k := range st.booths {
		b := &st.booths[k]
		b.members = b.members[:b.kept]
		b.hops, b.routes, b.gives, b.giveLs = nil, nil, langSet{}, nil
		b.target = b.need.Size
	}
}

// planPivots chooses, for a session's floor and channels, which floor languages a pivot
// carries and how, from the pool's language profile: a floor language is given a pivot
// when in some booth that needs it fewer than half the candidates have it first-hand;
// the pivot is the option (its own booth into another channel by retour, or a booth whose
// candidates have it) that leaves the most candidates of the worst-served booth able to
// follow, with at least two candidate givers. Plans are cached per pattern.
func (a *allocator) planPivots(st *sessState) []pivotPlan {
	var key [2]langSet
	for _, f := range st.floor {
		key[0].add(f)
	}
	key[1] = st.outputs
	if pl, ok := a.patterns[key]; ok {
		return pl
	}
	var pl []pivotPlan
	share := func(y, f, v langID) float64 {
		n := len(a.cands[y])
		if n == 0 {
			return 0
		}
		return float64(a.pairCount(y, f, v)) / float64(n)
	}
	for _, f := range st.floor {
		worst, needers := 1.0, 0
		for k := range st.booths {
			b := &st.booths[k]
			if b.extra || !b.srcSet.has(f) {
				continue
			}
			needers++
			worst = min(worst, share(b.lang, f, f))
		}
		if needers == 0 || worst >= 0.5 {
			continue
		}
		bestV, bestG, best := worst, 0, pivotPlan{booth: -1}
		for x := range st.booths {
			X := &st.booths[x]
			if X.extra {
				continue
			}
			for y := range st.booths {
				via := st.booths[y].lang
				if via == f || (via != X.lang && X.lang != f) {
					continue // retour pivots are the language's own booth
				}
				// Givers: for a booth's own language, its A-language candidates who
				// have f (a B member would make it two-way); for retour, the
				// candidates who also work into via.
				givers := a.giverCount(X.lang, f, via)
				if givers < 2 {
					continue
				}
				v := 1.0
				for k := range st.booths {
					b := &st.booths[k]
					if k == x || b.extra || !b.srcSet.has(f) {
						continue
					}
					v = min(v, share(b.lang, f, f)+share(b.lang, via, via)-share(b.lang, f, via))
				}
				// Ties go to the language's own booth working retour (UN practice),
				// then to more givers.
				retour := via != X.lang
				if v > bestV || (v == bestV && best.booth >= 0 && (retour && best.via == st.booths[best.booth].lang || givers > bestG)) {
					bestV, bestG, best = v, givers, pivotPlan{floor: f, via: via, booth: x}
				}
			}
		}
		if best.booth >= 0 {
			pl = append(pl, best)
		}
	}
	a.patterns[key] = pl
	return pl
}

// pairCount: candidates of booth language y who have both f and v (f == v: who have f).
func (a *allocator) pairCount(y, f, v langID) int {
	n := len(a.langs.names)
	m, ok := a.pairs[y]
	if !ok {
		m = make([]int32, n*n)
		for _, c := range a.cands[y] {
			p := &a.people[c.i]
			for _, l1 := range p.hasList {
				for _, l2 := range p.hasList {
					m[int(l1)*n+int(l2)]++
				}
			}
		}
		a.pairs[y] = m
	}
	if int(f) >= n || int(v) >= n {
		return 0
	}
	return int(m[int(f)*n+int(v)])
}

// giverCount: the candidates of booth language y who could give relay of f into via:
// for y's own language, its A-language candidates who have f; for retour, those who also
// work into via. Counted once per question: it depends on the pool only.
func (a *allocator) giverCount(y, f, via langID) int {
	key := giverKey{y, f, via}
	if via != y {
		key.f = noLang // retour: any candidate working into via
	}
	if n, ok := a.giverN[key]; ok {
		return n
	}
	var n int
	if via == y {
		n = a.countCands(y, func(q *person) bool { return q.aIn.has(y) && q.has.has(f) })
	} else {
		n = a.countCands(y, func(q *person) bool { return q.into.has(via) })
	}
	a.giverN[key] = n
	return n
}

type giverKey struct{ y, f, via langID }

func (a *allocator) countCands(y langID, keep func(*person) bool) int {
	n := 0
	for _, c := range a.cands[y] {
		if keep(&a.people[c.i]) {
			n++
		}
	}
	return n
}

func (a *allocator) staff(si int) {
	st := &a.sessions[si]
	plan := slices.Clone(a.planPivots(st))
	for attempt := 0; ; attempt++ {
		st.plan = plan
		for _, pv := range plan {
			X := &st.booths[pv.booth]
			X.markGives(pv.floor)
			if pv.via != X.lang {
				X.target = max(X.target, a.p.RetourPivotSize)
			}
		}
		a.fill(st)
		bad := a.badPivots(st)
		if len(bad) == 0 || attempt > len(st.floor) {
			break
		}
		a.undo(st)
		plan = a.dropPivots(st, plan, bad)
	}
	a.dropBrokenRelays(st)
	// Settle: planned pivots nobody relies on no longer bind their booth, and the seats
	// still empty are tried once more with only the routes that hold.
	st.plan = nil
	for k := range st.booths {
		b := &st.booths[k]
		b.gives, b.giveLs = langSet{}, nil
	}
	for k := range st.booths {
		for _, r := range st.booths[k].routes {
			st.booths[r.from].markGives(r.floor)
		}
	}
	a.passes(st, a.boothOrder(st))
	if a.short(st) {
		a.exact(st)
	}
	a.dropBrokenRelays(st)
	for k := range st.booths {
		b := &st.booths[k]
		if b.extra {
			continue
		}
		if n := len(b.members); n < b.need.Size {
			a.gaps = append(a.gaps, a.diagnose(st, k, b.need.Size-n))
		}
	}
	a.recordPassed(st)
	a.prev[st.s.MeetingID] = si
}

func (a *allocator) short(st *sessState) bool {
	for k := range st.booths {
		if b := &st.booths[k]; !b.extra && len(b.members) < b.need.Size {
			return true
		}
	}
	return false
}

// exactBudget bounds the exhaustive search of a session the greedy pass left short: the
// number of ways to seat its eligible interpreters (each in one booth or none).
const exactBudget = 1 << 15

// exact searches every way to seat the session's eligible interpreters when the greedy
// pass left a seat empty and the session is small enough: if some seating staffs every
// booth to its size with routes that hold, it replaces the greedy one. So a gap in a small
// session is a gap no seating avoids.
func (a *allocator) exact(st *sessState) {
	// The greedy seating, to restore when the search finds nothing better, with the
	// routes each member took: restored in the order they were added, a member whose
	// pivot was staffed after them would find no route yet.
	type seat struct {
		k, i int
		hops []hop
	}
	var greedy []seat
	for _, ad := range st.added {
		greedy = append(greedy, seat{ad[0], ad[1], st.booths[ad[0]].hops[ad[1]]})
	}
	passed := slices.Clone(st.passed)
	a.undo(st)
	restore := func() {
		for _, s := range greedy {
			a.add(st, s.k, s.i, s.hops)
		}
		st.passed = passed
	}
	opts, ok := a.exactOptions(st)
	if !ok {
		restore()
		return
	}
	x := exactSearch{a: a, st: st, opts: opts}
	if !x.dfs(0) {
		restore()
		return
	}
	// dfs left the chosen members in place; book them with their routes.
	chosen := make([][]int, len(st.booths))
	for k := range st.booths {
		b := &st.booths[k]
		chosen[k] = slices.Clone(b.members[b.kept:])
		b.members = b.members[:b.kept]
	}
	for k, ms := range chosen {
		for _, i := range ms {
			a.add(st, k, i, x.found[i])
		}
	}
	st.passed = passed
}

// exactOption is an interpreter the exact search may seat and the booths they may take.
type exactOption struct {
	i      int
	booths []int
}

// exactOptions are the session's eligible interpreters (not kept, not declined, within
// every time rule) in the exact search's order, each with the booths they work into; ok
// is false when the ways to seat them exceed exactBudget.
func (a *allocator) exactOptions(st *sessState) (opts []exactOption, ok bool) {
	mark := st.idx + 1
	space := 1
	for _, pi := range a.sortedPeople(st) {
		p := &a.people[pi]
		if p.inSess == mark {
			continue // kept
		}
		var bs []int
		for k := range st.booths {
			b := &st.booths[k]
			if b.extra || !p.into.has(b.lang) || (len(a.declined) > 0 && a.declined[declKey{p.in.ID, st.s.ID, b.need.Booth}]) {
				continue
			}
			bs = append(bs, k)
		}
		if len(bs) == 0 || a.firstTimeRule(pi, st) != "" {
			continue
		}
		opts = append(opts, exactOption{pi, bs})
		space *= 1 + len(bs)
		if space > exactBudget {
			return nil, false
		}
	}
	return opts, true
}

// exactSearch is the depth-first walk of the exact search over opts: each option either
// takes one of its booths (up to the booth's size, or the retour pivot's) or sits out.
type exactSearch struct {
	a     *allocator
	st    *sessState
	opts  []exactOption
	found map[int][]hop // the routes of the seating found
}

// missing counts the seats still empty in the session's booths (extra booths aside).
func (x *exactSearch) missing() int {
	n := 0
	for k := range x.st.booths {
		if b := &x.st.booths[k]; !b.extra {
			n += max(0, b.need.Size-len(b.members))
		}
	}
	return n
}

// dfs decides options j onwards; it returns true, the seating left in place and its
// routes in found, when every booth is full with teams that hold.
func (x *exactSearch) dfs(j int) bool {
	m := x.missing()
	if m > len(x.opts)-j {
		return false
	}
	if m == 0 {
		if hops, ok := x.a.validTeams(x.st); ok {
			x.found = hops
			return true
		}
	}
	if j == len(x.opts) {
		return false
	}
	o := x.opts[j]
	for _, k := range o.booths {
		b := &x.st.booths[k]
		if len(b.members) >= max(b.need.Size, x.a.p.RetourPivotSize) {
			continue
		}
		b.members = append(b.members, o.i)
		if x.dfs(j + 1) {
			return true // the seating stays in place
		}
		b.members = b.members[:len(b.members)-1]
	}
	return x.dfs(j + 1)
}

func (a *allocator) sortedPeople(st *sessState) []int {
	var out []int
	seen := map[int]bool{}
	for k := range st.booths {
		for _, c := range a.cands[st.booths[k].lang] {
			if i := int(c.i); !seen[i] {
				seen[i] = true
				out = append(out, i)
			}
		}
	}
	slices.Sort(out)
	return out
}

// validTeams judges the session's booths as they stand: every member who lacks a floor
// language takes it from one pivot the whole booth can follow. It returns each member's
// hops.
func (a *allocator) validTeams(st *sessState) (map[int][]hop, bool) {
	hops := map[int][]hop{}
	for k := range st.booths {
		b := &st.booths[k]
		for _, f := range b.src {
			var lacking []int
			for _, m := range b.members {
				if !a.people[m].has.has(f) {
					lacking = append(lacking, m)
				}
			}
			if len(lacking) == 0 {
				continue
			}
			if !a.p.RelayAllowed {
				return nil, false
			}
			follows := func(via langID) bool {
				for _, m := range lacking {
					if !a.people[m].has.has(via) {
						return false
					}
				}
				return true
			}
			var h *hop
			for x := range st.booths {
				X := &st.booths[x]
				if x == k || X.extra {
					continue
				}
				var vias []langID
				if X.lang != f {
					vias = append(vias, X.lang)
				} else {
					for y := range st.booths {
						if v := st.booths[y].lang; v != f && !st.booths[y].extra {
							vias = append(vias, v)
						}
					}
				}
				for _, via := range vias {
					if ok, _ := a.pivotValid(st, x, f, via); ok && follows(via) {
						h = &hop{floor: f, via: via, from: x}
						break
					}
				}
				if h != nil {
					break
				}
			}
			if h == nil {
				return nil, false
			}
			for _, m := range lacking {
				hops[m] = append(hops[m], *h)
			}
		}
	}
	return hops, true
}

// fill staffs the session's booths: planned pivots first (the retour givers of a two-way
// pivot before anyone else), then the scarcest booths; members who have every floor
// language before those who take relay.
func (a *allocator) fill(st *sessState) {
	order := a.boothOrder(st)
	for n := range st.plan {
		pv := &st.plan[n]
		X := &st.booths[pv.booth]
		if pv.via == X.lang {
			continue
		}
		for a.givers(st, pv) < 2 && len(X.members) < X.target {
			i, hops := a.best(st, pv.booth, pick{direct: true, relay: a.p.RelayAllowed, giver: pv})
			if i < 0 {
				break
			}
			a.add(st, pv.booth, i, hops)
		}
	}
	a.passes(st, order)
}

func (a *allocator) passes(st *sessState, order []int) {
	pass := func(relay bool) bool {
		changed := false
		for _, k := range order {
			b := &st.booths[k]
			for len(b.members) < b.target {
				i, hops := a.best(st, k, pick{direct: true})
				if i < 0 && relay && a.p.RelayAllowed {
					i, hops = a.best(st, k, pick{relay: true})
				}
				if i < 0 {
					break
				}
				a.add(st, k, i, hops)
				changed = true
			}
		}
		return changed
	}
	pass(false)
	for pass(true) {
	}
}

func (a *allocator) boothOrder(st *sessState) []int {
	order := make([]int, 0, len(st.booths))
	for k := range st.booths {
		if !st.booths[k].extra {
			order = append(order, k)
		}
	}
	rank := func(k int) int {
		for _, pv := range st.plan {
			if pv.booth == k {
				if pv.via != st.booths[k].lang {
					return 0
				}
				return 1
			}
		}
		return 2
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Or(cmp.Compare(rank(x), rank(y)),
			cmp.Compare(len(a.cands[st.booths[x].lang]), len(a.cands[st.booths[y].lang])))
	})
	return order
}

func (a *allocator) givers(st *sessState, pv *pivotPlan) int {
	n := 0
	for _, m := range st.booths[pv.booth].members {
		p := &a.people[m]
		if p.has.has(pv.floor) && p.into.has(pv.via) {
			n++
		}
	}
	return n
}

// dropPivots takes out, for each pivot booth that failed, the one planned pivot through
// it that fewest of its candidates can give (the constraint most likely to have emptied
// it); the others are tried again.
func (a *allocator) dropPivots(st *sessState, plan []pivotPlan, bad []langID) []pivotPlan {
	failed := map[int]int{} // booth -> index in plan of the weakest pivot through it
	for n, pv := range plan {
		if !slices.Contains(bad, pv.floor) {
			continue
		}
		X := st.booths[pv.booth].lang
		sup := a.pairCount(X, pv.floor, pv.floor)
		if w, ok := failed[pv.booth]; !ok || sup < a.pairCount(X, plan[w].floor, plan[w].floor) {
			failed[pv.booth] = n
		}
	}
	out := plan[:0:0]
	for n, pv := range plan {
		if w, ok := failed[pv.booth]; ok && w == n {
			continue
		}
		out = append(out, pv)
	}
	return out
}

// badPivots lists the floor languages whose planned pivot some member relies on but the
// staffed booth cannot give.
func (a *allocator) badPivots(st *sessState) []langID {
	var bad []langID
	for k := range st.booths {
		for _, hs := range st.booths[k].hops {
			for _, h := range hs {
				if ok, _ := a.pivotValid(st, h.from, h.floor, h.via); !ok && !slices.Contains(bad, h.floor) {
					bad = append(bad, h.floor)
				}
			}
		}
	}
	return bad
}

// dropBrokenRelays is the last guard: a member who lacks a floor language and takes it
// by no route that holds (the booth's route for it, from a pivot that can give it as
// staffed) is taken out, the seat becoming a gap with its reason, rather than proposed on
// a broken route or stated direct. Taking out a pivot's member can break the relays
// others take from it, so it repeats until nothing changes; the booths' routes are then
// those their remaining members take.
func (a *allocator) dropBrokenRelays(st *sessState) {
	for changed := true; changed; {
		changed = false
		for k := range st.booths {
			b := &st.booths[k]
			for n := len(b.members) - 1; n >= b.kept; n-- {
				if i := b.members[n]; !a.routed(st, k, i) {
					b.members = slices.Delete(b.members, n, n+1)
					delete(b.hops, i)
					for j, ad := range st.added {
						if ad == [2]int{k, i} {
							st.added = slices.Delete(st.added, j, j+1)
							break
						}
					}
					a.unbook(i, st.s.Start, st.s.End, st.sitting)
					a.people[i].inSess = 0
					changed = true
				}
			}
		}
	}
	for k := range st.booths {
		b := &st.booths[k]
		b.routes = slices.DeleteFunc(b.routes, func(r hop) bool {
			for _, hs := range b.hops {
				if slices.Contains(hs, r) {
					return false
				}
			}
			return true
		})
	}
}

// routed reports whether member i of booth k takes every floor language they lack by
// the booth's one route for it, from a pivot that can give it now.
func (a *allocator) routed(st *sessState, k, i int) bool {
	b := &st.booths[k]
	p := &a.people[i]
	for _, f := range b.src {
		if p.has.has(f) {
			continue
		}
		ok := false
		for _, h := range b.hops[i] {
			if h.floor != f || !slices.Contains(b.routes, h) || !p.has.has(h.via) {
				continue
			}
			ok, _ = a.pivotValid(st, h.from, h.floor, h.via)
			break
		}
		if !ok {
			return false
		}
	}
	return true
}

func (a *allocator) recordPassed(st *sessState) {
	type seen struct {
		i, booth int
		rule     string
	}
	done := map[seen]bool{}
	for _, e := range st.passed {
		key := seen{e.i, e.booth, e.rule}
		if done[key] {
			continue
		}
		done[key] = true
		pk := passedKey{e.i, e.rule}
		if po := a.passed[pk]; po != nil {
			po.Count++
			continue
		}
		b := &st.booths[e.booth]
		p := &a.people[e.i]
		names := make([]string, 0, len(b.members))
		for _, m := range b.members {
			names = append(names, a.people[m].in.Name)
		}
		li := a.locOf(st, p.loc)
		args := Args{Interpreter: p.in.Name, Booth: b.need.Booth, Session: st.s.ID, Chosen: names, Reason: e.rule}
		if p.in.Remote {
			args.Remote, args.Zone = true, p.loc.String()
		}
		switch e.rule {
		case RuleWorkingHours:
			args.Zone, args.Local, args.Hours = p.loc.String(), localSpan(st, li), hoursString(p.hours)
		case RuleDailyCap:
			args.Minutes, args.Cap = p.dayMin.get(li.day)+st.s.Minutes(), p.dayCap
		case RuleWeeklyCap:
			args.Minutes, args.Cap = p.weekMin.get(li.week)+st.s.Minutes(), p.weekCap
		case RuleSessionsPerDay:
			args.Count, args.Cap = p.daySit.get(li.sitDay), p.perDay
		case RuleSittingCap:
			args.Minutes, args.Cap = a.stint(p, st)+st.s.Minutes(), a.p.MaxSessionMinutes
		}
		a.passed[pk] = &PassedOver{InterpreterID: p.in.ID, Rule: e.rule, Count: 1, SessionID: st.s.ID, Booth: b.need.Booth, Text: text(MsgPassedOver, args)}
		a.passedLs = append(a.passedLs, pk)
	}
}

func hoursString(h WorkingHours) string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", h.Start/60, h.Start%60, h.End/60, h.End%60)
}

// diagnose explains an unfilled booth: the rule that blocked the closest candidate (the
// one breaking fewest rules) and the smallest change that would fill the seat.
func (a *allocator) diagnose(st *sessState, k int, missing int) Gap {
	b := &st.booths[k]
	need := &b.need
	have := len(b.members)
	g := Gap{SessionID: st.s.ID, Booth: need.Booth, Missing: missing}
	g.Fix = text(MsgFixMore, Args{Count: missing, Booth: need.Booth, Languages: slices.Clone(need.Sources), Start: st.s.Start.UTC(), End: st.s.End.UTC()})
	head := Args{Booth: need.Booth, Session: st.s.ID, Start: st.s.Start.UTC(), End: st.s.End.UTC(), Have: have, Need: need.Size}
	bestI, bestRules, bestHops := a.closest(st, k)
	switch {
	case len(a.cands[b.lang]) == 0:
		g.Rule, g.Text = RuleBoothLanguage, text(MsgGapNoOneWorksInto, head)
		return g
	case bestI < 0:
		g.Rule, g.Text = RuleTeamSize, text(MsgGapPoolExhausted, head)
		return g
	}
	if len(bestRules) == 0 {
		// Should not happen: an eligible candidate is always placed before gaps are listed.
		g.Rule, g.Text = RuleTeamSize, text(MsgGapUnfilled, head)
		return g
	}
	p := &a.people[bestI]
	g.Rule = bestRules[0]
	head.Interpreter, head.Rules = p.in.Name, bestRules
	g.Text = text(MsgGapClosestBlocked, head)
	if len(bestRules) == 1 {
		g.Hint = a.hint(st, p, g.Rule, bestHops)
	}
	return g
}

// closest is the candidate of booth k who breaks the fewest rules (the first by index on
// a tie, so that it does not depend on loads), with those rules and the booth's source
// languages they lack; i is -1 when every candidate already sits in the booth. A
// candidate kept out by a time-bound rule alone is recorded as passed over.
func (a *allocator) closest(st *sessState, k int) (bestI int, bestRules []string, bestHops []Lang) {
	b := &st.booths[k]
	mark := st.idx + 1
	cands := make([]int, len(a.cands[b.lang]))
	for n, c := range a.cands[b.lang] {
		cands[n] = int(c.i)
	}
	slices.Sort(cands) // by id, so that "the closest candidate" does not depend on loads
	bestI, bestN := -1, 0
	for _, i := range cands {
		if slices.Contains(b.members, i) {
			continue
		}
		var rules []string
		if a.declined[declKey{a.people[i].in.ID, st.s.ID, b.need.Booth}] {
			rules = append(rules, RuleDeclined)
		}
		var lacking []Lang
		if _, ok, r := a.coverage(i, st, k); !ok {
			rules = append(rules, r)
			for _, l := range b.src {
				if !a.people[i].has.has(l) {
					lacking = append(lacking, a.langs.names[l])
				}
			}
		}
		if !a.canJoin(i, st, k) {
			rules = append(rules, RuleRelayGivers)
		}
		if a.people[i].inSess == mark {
			rules = append(rules, RuleDoubleBooking)
		} else {
			tr := a.timeRules(i, st, true)
			if len(tr) > 0 && len(rules) == 0 {
				// Kept out of a short booth by a time-bound rule alone: passed over like
				// those a filled booth would have preferred, so that the notes name
				// everyone who could have taken the seat, not only the closest.
				st.passed = append(st.passed, passedEvent{i: i, rule: tr[0], booth: k})
			}
			rules = append(rules, tr...)
		}
		if bestI < 0 || len(rules) < bestN {
			bestI, bestN, bestRules, bestHops = i, len(rules), rules, lacking
		}
	}
	return bestI, bestRules, bestHops
}

// hint is the smallest change that would let p take the seat when rule alone keeps them
// out (their zone and hours, the minutes or sittings the seat would make, the languages
// they lack); nil for a rule no change of theirs lifts.
func (a *allocator) hint(st *sessState, p *person, rule string, lacking []Lang) *Text {
	li := a.locOf(st, p.loc)
	h := Args{Interpreter: p.in.Name, Reason: rule}
	switch rule {
	case RuleWorkingHours:
		h.Zone, h.Local, h.Hours = p.loc.String(), localSpan(st, li), hoursString(p.hours)
	case RuleDailyCap:
		h.Minutes = p.dayMin.get(li.day) + st.s.Minutes()
	case RuleWeeklyCap:
		h.Minutes = p.weekMin.get(li.week) + st.s.Minutes()
	case RuleSessionsPerDay:
		h.Count = p.daySit.get(li.sitDay) + 1
	case RuleSittingCap:
		h.Minutes = a.stint(p, st) + st.s.Minutes()
	case RuleLanguageCoverage, RuleRelayGivers:
		h.Languages = lacking
	case RuleRest, RuleDoubleBooking, RuleUnavailable, RuleDeclined:
	default:
		return nil
	}
	t := text(MsgHint, h)
	return &t
}

func (a *allocator) plan() Plan {
	// Counted first, so that the lists are made at their size: at 4,000 sessions, growing
	// them by appends copied tens of megabytes of large structs and left as much garbage.
	var nAssign, nHops, nRoutes, nTeams int
	for _, si := range a.order {
		for k := range a.sessions[si].booths {
			b := &a.sessions[si].booths[k]
			if len(b.members) == 0 && b.extra {
				continue
			}
			nAssign += len(b.members)
			nHops += len(b.routes)
			if !b.extra && len(b.members) > 0 {
				nRoutes += len(b.src)
				nTeams++
			}
		}
	}
	pl := Plan{Assignments: make([]Assignment, 0, nAssign+len(a.kept)), RelayHops: make([]RelayHop, 0, nHops),
		Routes: make([]Route, 0, nRoutes), Teams: make([]TeamNote, 0, nTeams),
		PassedOver: make([]PassedOver, 0, len(a.passedLs)), Gaps: make([]Gap, 0, len(a.gaps)),
		Notes: make([]Text, 0, len(a.notes)+len(a.passedLs))}
	for _, si := range a.order {
		st := &a.sessions[si]
		ks := make([]int, 0, len(st.booths))
		for k := range st.booths {
			if len(st.booths[k].members) > 0 || !st.booths[k].extra {
				ks = append(ks, k)
			}
		}
		slices.SortFunc(ks, func(x, y int) int { return cmp.Compare(st.booths[x].need.Booth, st.booths[y].need.Booth) })
		var hops []RelayHop
		for _, k := range ks {
			b := &st.booths[k]
			for _, r := range b.routes {
				hops = append(hops, RelayHop{SessionID: st.s.ID, Booth: b.need.Booth, From: st.booths[r.from].need.Booth,
					Floor: a.langs.names[r.floor], Via: a.langs.names[r.via]})
			}
		}
		slices.SortFunc(hops, func(x, y RelayHop) int {
			return cmp.Or(cmp.Compare(x.Booth, y.Booth), cmp.Compare(x.Floor, y.Floor), cmp.Compare(x.From, y.From))
		})
		pl.RelayHops = append(pl.RelayHops, hops...)
		for _, k := range ks {
			b := &st.booths[k]
			ms := slices.Clone(b.members)
			slices.Sort(ms) // people are indexed in id order
			for _, m := range ms {
				pl.Assignments = append(pl.Assignments, Assignment{SessionID: st.s.ID, Booth: b.need.Booth,
					InterpreterID: a.people[m].in.ID, Role: a.role(st, k, m)})
			}
			if b.extra || len(ms) == 0 {
				continue
			}
			pl.Routes = append(pl.Routes, a.routes(st, k, ms)...)
			pl.Teams = append(pl.Teams, a.team(st, k))
		}
	}
	pl.Assignments = append(pl.Assignments, a.kept...)
	pl.Gaps = append(pl.Gaps, a.gaps...)
	pl.Notes = append(pl.Notes, a.notes...)
	for _, k := range a.passedLs {
		po := *a.passed[k]
		pl.PassedOver = append(pl.PassedOver, po)
		note := po.Text
		note.Args.Seats = po.Count
		pl.Notes = append(pl.Notes, note)
	}
	return pl
}

// routes states how each floor language reaches booth k.
func (a *allocator) routes(st *sessState, k int, ms []int) []Route {
	b := &st.booths[k]
	var out []Route
	srcs := slices.Clone(b.src)
	slices.SortFunc(srcs, func(x, y langID) int { return cmp.Compare(a.langs.names[x], a.langs.names[y]) })
	for _, f := range srcs {
		r := Route{SessionID: st.s.ID, Booth: b.need.Booth, Floor: a.langs.names[f], Mode: RouteDirect, Direct: []string{}}
		for _, m := range ms {
			if a.people[m].has.has(f) {
				r.Direct = append(r.Direct, a.people[m].in.ID)
			}
		}
		for _, h := range b.routes {
			if h.floor != f {
				continue
			}
			X := &st.booths[h.from]
			r.Mode, r.From, r.Via = RouteRelay, X.need.Booth, a.langs.names[h.via]
			gs := slices.Clone(X.members)
			slices.Sort(gs)
			for _, g := range gs {
				q := &a.people[g]
				if q.has.has(f) && (h.via == X.lang || q.into.has(h.via)) {
					r.Givers = append(r.Givers, q.in.ID)
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// team says which rule sized booth k.
func (a *allocator) team(st *sessState, k int) TeamNote {
	b := &st.booths[k]
	rule, args := sizeRule(st.s, b.need.Booth, b.need.Size, a.p)
	size := b.need.Size
	for x := range st.booths {
		for _, r := range st.booths[x].routes {
			if r.from == k && r.via != b.lang && a.p.RetourPivotSize > size {
				size = a.p.RetourPivotSize
				rule = SizeTwoWay
				args = Args{Language: a.langs.names[r.floor], Via: a.langs.names[r.via], Need: size}
			}
		}
	}
	return TeamNote{SessionID: st.s.ID, Booth: b.need.Booth, Size: size, Rule: rule, Args: args}
}

func (a *allocator) role(st *sessState, k int, m int) Role {
	p := &a.people[m]
	b := &st.booths[k]
	var flags []string
	retour := p.bIn.has(b.lang)
	giver := false
	for x := range st.booths {
		for _, r := range st.booths[x].routes {
			if r.from == k && p.has.has(r.floor) && (r.via == b.lang || p.into.has(r.via)) {
				giver = true
				if r.via != b.lang && p.bIn.has(r.via) {
					retour = true
				}
			}
		}
	}
	if retour {
		flags = append(flags, string(RoleRetour))
	}
	if giver {
		flags = append(flags, string(RoleRelayGiver))
	}
	if len(b.hops[m]) > 0 {
		flags = append(flags, string(RoleRelayTaker))
	}
	if len(flags) == 0 {
		return RoleInterpreter
	}
	return Role(strings.Join(flags, "+"))
}
