package zone

import (
	"testing"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/ and run with every `go test`.

func FuzzParse(f *testing.F) {
	f.Add("Europe/Paris")
	f.Add("GMT-3")
	f.Fuzz(func(t *testing.T, s string) {
		z, err := Parse(s)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse(%q) returned %T", s, err)
			}
			if err.Error() == "" {
				t.Fatalf("Parse(%q): empty message", s)
			}
			return
		}
		if z.Location == nil || z.Name == "" {
			t.Fatalf("Parse(%q) = %+v", s, z)
		}
		// The canonical name parses to itself.
		z2, err := Parse(z.Name)
		if err != nil || z2.Name != z.Name {
			t.Fatalf("Parse(%q).Name = %q reparses to %q, %v", s, z.Name, z2.Name, err)
		}
	})
}

func FuzzParseWallClock(f *testing.F) {
	f.Add("2022-12-06T16:30")
	f.Add("2026-10-25T02:30+01:00")
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWallClock(s)
		if err != nil {
			if code(err) != CodeInvalidWallClock {
				t.Fatalf("ParseWallClock(%q): %v", s, err)
			}
			return
		}
		w2, err := ParseWallClock(w.String())
		if err != nil || w2 != w {
			t.Fatalf("ParseWallClock(%q) = %v, reparsed %v, %v", s, w, w2, err)
		}
		// Resolution never panics, and a resolved instant shows the wall clock again.
		z := MustParse("Europe/Paris")
		if r, err := Resolve(w, z, FoldLater); err == nil {
			back := WallClockOf(r.Instant.In(z.Location))
			back.HasOffset, back.Offset = w.HasOffset, w.Offset
			if back != w {
				t.Fatalf("Resolve(%v) = %v shows %v", w, r.Instant, back)
			}
		}
	})
}

func FuzzParseNoticeLine(f *testing.F) {
	f.Add("11:00 EDT / 15:00 UTC / 17:00 CEST", "2021-11-03")
	for _, line := range []string{"09:30 EST (14:30 GMT)", "7 p.m. (Bangkok time)", "10:00 CET (Vienna time)",
		"8 a.m. local time in Chile (GMT -4)", "10:00 AM (GMT +5:45/Nepal Time)", "2.15pm SGT | 8.15am CEST", "noon (Geneva time)"} {
		f.Add(line, "2026-07-01")
	}
	f.Fuzz(func(t *testing.T, line, date string) {
		n, err := ParseNoticeLine(line, date)
		if err != nil {
			if c := code(err); c != CodeInvalidNotice && c != CodeInvalidDate {
				t.Fatalf("ParseNoticeLine(%q): %v", line, err)
			}
			return
		}
		if len(n.Times) == 0 {
			t.Fatalf("ParseNoticeLine(%q): no times and no error", line)
		}
		res, err := CheckNotice(n)
		if err == nil && res.Consistent != (len(res.Findings) == 0) {
			t.Fatalf("CheckNotice(%q) = %+v", line, res)
		}
	})
}
