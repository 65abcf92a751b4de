package zone

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// intlGolden is testdata/intl_golden.json, written by cldrgen/golden.mjs with Node's
// Intl.DateTimeFormat (ICU): the oracle for Plenary's localized dates.
type intlGolden struct {
	Node, ICU, CLDR, TZ string
	Cases               []struct {
		Locale, Zone, Instant   string
		Full, Date, Time, Short string
	}
}

func readIntlGolden(t *testing.T) intlGolden {
	t.Helper()
	raw, err := os.ReadFile("testdata/intl_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g intlGolden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if g.ICU == "" || g.CLDR == "" || len(g.Cases) == 0 {
		t.Fatalf("golden file without its ICU/CLDR versions or cases")
	}
	return g
}

// TestIntlGolden compares every rendering with ICU's for the same locale, zone and
// instant: the long form (dateStyle full, timeStyle short) used in emails and the API, the
// date and the time alone, and the short form (weekday, day, month, hour, minute).
func TestIntlGolden(t *testing.T) {
	g := readIntlGolden(t)
	t.Logf("golden from Node %s, ICU %s, CLDR %s, tz %s; table from CLDR %s", g.Node, g.ICU, g.CLDR, g.TZ, cldrVersion)
	bad := 0
	for _, c := range g.Cases {
		at, err := time.Parse(time.RFC3339, c.Instant)
		if err != nil {
			t.Fatal(err)
		}
		loc, err := LoadLocation(c.Zone)
		if err != nil {
			t.Fatal(err)
		}
		// What the API and emails show: Render and FormatDateTime append the offset.
		r := Render(at, loc, c.Locale, nil)
		_, off := at.In(loc).Zone()
		for _, f := range []struct{ name, got, want string }{
			{"full", strings.TrimSuffix(r.Text, " ("+UTCLabel(off)+")"), c.Full},
			{"email", FormatDateTime(at, loc, c.Locale), c.Full + " (" + UTCLabel(off) + ")"},
			{"date", r.LongDate, c.Date},
			{"time", r.TimeText, c.Time},
			{"email time", FormatTime(at, loc, c.Locale), c.Time},
			{"short", r.Short, c.Short},
		} {
			if f.got != f.want {
				bad++
				if bad <= 40 {
					t.Errorf("%s %s %s %s: got %q, ICU %q", c.Locale, c.Zone, c.Instant, f.name, f.got, f.want)
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d renderings differ from ICU", bad, 6*len(g.Cases))
	}
}
