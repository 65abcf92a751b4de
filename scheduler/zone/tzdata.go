package zone

import (
	"archive/zip"
	"bytes"
	_ "embed"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the toolchain's copy, as a fallback for callers using time.LoadLocation
)

// Plenary resolves every zone from its own embedded copy of the tz database rather than
// time.LoadLocation, which prefers whatever /usr/share/zoneinfo the host has. That keeps
// results identical on every machine and makes the version reportable. The copy is the
// toolchain's lib/time/zoneinfo.zip (the same data time/tzdata embeds); refresh both files
// together when the toolchain's tzdata changes (see tzdata_test.go).

//go:embed tzdata/zoneinfo.zip
var zoneinfoZip []byte

//go:embed tzdata/VERSION
var tzdataVersion string

// TZDataVersion is the release of the IANA tz database Plenary resolves zones with,
// e.g. "2025c".
func TZDataVersion() string { return strings.TrimSpace(tzdataVersion) }

type tzdb struct {
	files map[string]*zip.File // canonical name -> file
	lower map[string]string    // lower-case name -> canonical name
	names []string             // sorted canonical names
}

var (
	dbOnce sync.Once
	db     tzdb
	locs   sync.Map // canonical name -> *time.Location
)

func database() *tzdb {
	dbOnce.Do(func() {
		db.files = map[string]*zip.File{}
		db.lower = map[string]string{}
		r, err := zip.NewReader(bytes.NewReader(zoneinfoZip), int64(len(zoneinfoZip)))
		if err != nil {
			return // an unreadable embed is caught by the tests; every name is then unknown
		}
		for _, f := range r.File {
			if strings.HasSuffix(f.Name, "/") {
				continue
			}
			db.files[f.Name] = f
			db.lower[strings.ToLower(f.Name)] = f.Name
			db.names = append(db.names, f.Name)
		}
		sort.Strings(db.names)
	})
	return &db
}

// Names lists every zone name in the embedded tz database, sorted.
func Names() []string {
	return append([]string(nil), database().names...)
}

// canonicalName finds an IANA name regardless of case, and with spaces for underscores.
func canonicalName(s string) (string, bool) {
	d := database()
	if _, ok := d.files[s]; ok {
		return s, true
	}
	n, ok := d.lower[strings.ToLower(strings.ReplaceAll(s, " ", "_"))]
	return n, ok
}

// LoadLocation loads an IANA zone (exact canonical name) from the embedded database.
func LoadLocation(name string) (*time.Location, error) {
	if name == "UTC" {
		return time.UTC, nil
	}
	if l, ok := locs.Load(name); ok {
		return l.(*time.Location), nil
	}
	f, ok := database().files[name]
	if !ok {
		return nil, &Error{Code: CodeUnknownZone, Input: name, Message: "unknown time zone " + quote(name)}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &Error{Code: CodeUnknownZone, Input: name, Message: "time zone " + quote(name) + " cannot be read from the tz database"}
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, &Error{Code: CodeUnknownZone, Input: name, Message: "time zone " + quote(name) + " cannot be read from the tz database"}
	}
	loc, err := time.LoadLocationFromTZData(name, data)
	if err != nil {
		return nil, &Error{Code: CodeUnknownZone, Input: name, Message: "time zone " + quote(name) + " is malformed in the tz database"}
	}
	l, _ := locs.LoadOrStore(name, loc)
	return l.(*time.Location), nil
}

func quote(s string) string { return "\"" + s + "\"" }
