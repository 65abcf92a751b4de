package zone

import "time"

// Briefs writes the times of one document (an agenda) for one reader's language against
// one venue: each call is Brief(t, loc, lang, venue), but a document shows the same few
// instants, local days and times of day over and over (parallel rooms, an item starting
// with its session, the end of one item the start of the next), so each distinct
// (instant, zone) is rendered once, and each local day's long date and each time of day's
// text are written once and joined. A Briefs is for one goroutine and one document: it
// keeps everything it wrote until it is dropped.
type Briefs struct {
	l     locale
	venue *time.Location
	done  map[briefKey]Rendering
	dates map[dayKey]string  // the long date of a local day
	times map[int]string     // the time of day as the locale writes it, by second of day
	offs  map[int][2]string  // FormatOffset and UTCLabel of an offset
	abbrs map[abbrKey]string // abbrevAt by zone, zone name in effect and offset
	shift map[int]string     // dayShift by days
	join  joinedForm         // the locale's date-time pattern, cut once
}

type briefKey struct {
	unix int64
	loc  *time.Location
}

type dayKey struct {
	year  int
	month time.Month
	day   int
}

type abbrKey struct {
	loc  *time.Location
	name string
	off  int
}

// joinedForm is a CLDR date-time pattern ({1} date, {0} time) cut around its two
// placeholders, quotes resolved: the long text is before + date + middle + time + after
// (dateFirst), or the time first when the pattern says so.
type joinedForm struct {
	before, middle, after string
	dateFirst             bool
	ok                    bool // the pattern has each placeholder once; else join is used
}

// NewBriefs starts the times of one document for readers of lang; venue (may be nil) is
// the zone day shifts are counted against.
func NewBriefs(lang string, venue *time.Location) *Briefs {
	l := lookup(lang)
	return &Briefs{
		l: l, venue: venue, join: splitJoin(l.dates.data.AtTimeFull),
		done: map[briefKey]Rendering{}, dates: map[dayKey]string{}, times: map[int]string{},
		offs: map[int][2]string{}, abbrs: map[abbrKey]string{}, shift: map[int]string{},
	}
}

// Brief is Brief(t, loc, lang, venue) for the Briefs' language and venue.
func (b *Briefs) Brief(t time.Time, loc *time.Location) Rendering {
	if loc == nil {
		loc = time.UTC
	}
	k := briefKey{t.Unix(), loc}
	if t.Nanosecond() == 0 {
		if r, ok := b.done[k]; ok {
			return r
		}
	}
	name, off := t.In(loc).Zone()
	// The local fields are read from the wall clock as a UTC time: a zone's fields are
	// each a look-up of its offset, which past its table's last transition (Mexico City
	// since 2022) works the zone's rule out again every time.
	lt := time.Unix(t.Unix()+int64(off), int64(t.Nanosecond())).UTC()
	o, ok := b.offs[off]
	if !ok {
		o = [2]string{FormatOffset(off), UTCLabel(off)}
		b.offs[off] = o
	}
	r := Rendering{Zone: loc.String(), Offset: o[0], Abbrev: b.abbrev(loc, name, off), Lang: b.l.name}
	r.Text = b.longText(lt, o[1])
	if b.venue != nil {
		_, voff := t.In(b.venue).Zone()
		r.DayShift = civilDays(lt) - civilDays(time.Unix(t.Unix()+int64(voff), 0).UTC())
		s, ok := b.shift[r.DayShift]
		if !ok {
			s = b.l.dayShift(r.DayShift)
			b.shift[r.DayShift] = s
		}
		r.DayShiftText = s
	}
	if t.Nanosecond() == 0 {
		b.done[k] = r
	}
	return r
}

// abbrev is abbrevAt(loc, t) for an instant at which loc's zone is name at offset off.
func (b *Briefs) abbrev(loc *time.Location, name string, off int) string {
	k := abbrKey{loc, name, off}
	if a, ok := b.abbrs[k]; ok {
		return a
	}
	a := abbrevFor(loc.String(), off)
	if a == "" && !(name == "" || name[0] == '+' || name[0] == '-' || len(name) > 3 && name[:3] == "UTC") {
		a = name
	}
	b.abbrs[k] = a
	return a
}

// longText is locale.longText with label the offset's UTCLabel; lt is the local wall
// clock (as a UTC time).
func (b *Briefs) longText(lt time.Time, label string) string {
	y, m, d := lt.Date()
	dk := dayKey{y, m, d}
	date, ok := b.dates[dk]
	if !ok {
		date = b.l.dates.date(lt)
		b.dates[dk] = date
	}
	hh, mm, ss := lt.Clock()
	tk := hh*3600 + mm*60 + ss
	tm, ok := b.times[tk]
	if !ok {
		tm = b.l.dates.time(lt)
		b.times[tk] = tm
	}
	j := b.join
	var dt string
	switch {
	case !j.ok:
		dt = join(b.l.dates.data.AtTimeFull, date, tm)
	case j.dateFirst:
		dt = j.before + date + j.middle + tm + j.after
	default:
		dt = j.before + tm + j.middle + date + j.after
	}
	return dt + " (" + label + ")"
}

// splitJoin cuts a date-time pattern around its placeholders, using join itself on
// markers that no CLDR pattern holds, so the literals are join's.
func splitJoin(p string) joinedForm {
	const dm, tm = "\x00date\x00", "\x00time\x00"
	s := join(p, dm, tm)
	di, ti := indexOnce(s, dm), indexOnce(s, tm)
	if di < 0 || ti < 0 {
		return joinedForm{}
	}
	if di < ti {
		return joinedForm{before: s[:di], middle: s[di+len(dm) : ti], after: s[ti+len(tm):], dateFirst: true, ok: true}
	}
	return joinedForm{before: s[:ti], middle: s[ti+len(tm) : di], after: s[di+len(dm):], ok: true}
}

// indexOnce is the index of sub in s when it occurs exactly once, else -1.
func indexOnce(s, sub string) int {
	i := -1
	for j := 0; j+len(sub) <= len(s); j++ {
		if s[j:j+len(sub)] == sub {
			if i >= 0 {
				return -1
			}
			i = j
		}
	}
	return i
}
