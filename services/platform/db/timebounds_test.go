package db_test

import (
	"testing"
	"time"

	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/db"
)

// Every instant Plenary accepts renders in every zone of the tz database, and at every
// fixed offset a reader may give, within the years 1 to 9999 (RFC 3339's four digits,
// json.Marshal's range); one second further out does not, in some zone.
func TestTimeBoundsRenderInEveryZone(t *testing.T) {
	names := zone.Names()
	if len(names) < 300 {
		t.Fatalf("%d zones in the tz database", len(names))
	}
	var locs []*time.Location
	for _, n := range names {
		loc, err := time.LoadLocation(n)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		locs = append(locs, loc)
	}
	locs = append(locs, time.FixedZone("+14:00", 14*3600), time.FixedZone("-14:00", -14*3600))
	inRange := func(x time.Time) bool { return x.Year() >= 1 && x.Year() <= 9999 }
	minOut, maxOut := false, false
	for _, loc := range locs {
		for _, x := range []time.Time{db.MinTime, db.MaxTime} {
			if l := x.In(loc); !inRange(l) {
				t.Errorf("%s in %s is %s", x.Format(time.RFC3339), loc, l)
			}
			if _, err := x.In(loc).MarshalJSON(); err != nil {
				t.Errorf("%s in %s: %v", x.Format(time.RFC3339), loc, err)
			}
		}
		minOut = minOut || !inRange(db.MinTime.Add(-time.Hour).In(loc))
		maxOut = maxOut || !inRange(db.MaxTime.Add(time.Second).In(loc))
	}
	if !minOut || !maxOut {
		t.Errorf("the bounds are not tight: an hour before the first renders everywhere: %v, a second after the last: %v", !minOut, !maxOut)
	}
	if db.StorableTime(db.MaxTime.Add(time.Microsecond)) || db.StorableTime(db.MinTime.Add(-time.Microsecond)) ||
		!db.StorableTime(db.MaxTime) || !db.StorableTime(db.MinTime) {
		t.Error("StorableTime does not follow the bounds")
	}
}
