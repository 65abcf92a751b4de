// Package icaljstest has every calendar object a test produces read by Mozilla's ical.js,
// the iCalendar parser of Thunderbird, through the committed script
// notifier/ics/testdata/icaljs/check.mjs and the version of ical.js pinned in its
// package-lock.json (`npm ci` in that directory; .ci/run does it).
//
// Tests assert on what ical.js made of the text, not on Plenary's own reading of it: an
// invite that go-ical writes and go-ical reads back proves little. Without node or the
// installed package, Parse skips the test with a message on a developer's machine and
// fails it under CI=true; Check, the blanket check the notifier rig runs on every email,
// only logs there (the test's other assertions still count) and fails under CI=true.
package icaljstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Report is what ical.js parsed in one calendar object.
type Report struct {
	OK       bool     `json:"ok"`
	Error    string   `json:"error"`
	Method   string   `json:"method"`
	Calendar Calendar `json:"calendar"`
	Events   []Event  `json:"events"`
}

// Calendar holds the VCALENDAR's own properties.
type Calendar struct {
	Version         string   `json:"version"`
	ProdID          string   `json:"prodid"`
	CalScale        string   `json:"calscale"`
	Name            string   `json:"name"`
	RefreshInterval string   `json:"refresh_interval"`
	Components      []string `json:"components"`
}

// Event is one VEVENT as ical.js reads it.
type Event struct {
	UID          string    `json:"uid"`
	Sequence     *int64    `json:"sequence"`
	SequenceType string    `json:"sequence_type"`
	Status       string    `json:"status"`
	Transp       string    `json:"transp"`
	Summary      *Text     `json:"summary"`
	Description  *Text     `json:"description"`
	Location     *Text     `json:"location"`
	URL          string    `json:"url"`
	URLType      string    `json:"url_type"`
	DTStamp      *Time     `json:"dtstamp"`
	DTStart      *Time     `json:"dtstart"`
	DTEnd        *Time     `json:"dtend"`
	Organizer    *Address  `json:"organizer"`
	Attendees    []Address `json:"attendees"`
	Model        Model     `json:"model"`
}

// Text is a TEXT property's value (unescaped by ical.js) and its LANGUAGE parameter.
type Text struct {
	Value    string `json:"value"`
	Language string `json:"language"`
}

// Time is a DATE-TIME property: its value, ical.js's zone ("UTC" for a trailing Z) and,
// for UTC values, the instant in ISO 8601.
type Time struct {
	Error  string `json:"error"`
	Value  string `json:"value"`
	Type   string `json:"type"`
	IsDate bool   `json:"is_date"`
	Zone   string `json:"zone"`
	TZID   string `json:"tzid"`
	UTC    string `json:"utc"`
}

// Address is an ORGANIZER or ATTENDEE with its parameters.
type Address struct {
	Value    string            `json:"value"`
	CN       string            `json:"cn"`
	PartStat string            `json:"partstat"`
	RSVP     string            `json:"rsvp"`
	Role     string            `json:"role"`
	CUType   string            `json:"cutype"`
	Params   map[string]string `json:"params"`
}

// Model is ical.js's ICAL.Event view of the VEVENT, as a calendar client builds it.
type Model struct {
	UID             string `json:"uid"`
	Summary         string `json:"summary"`
	Description     string `json:"description"`
	Sequence        int64  `json:"sequence"`
	Start           string `json:"start"`
	End             string `json:"end"`
	DurationSeconds int64  `json:"duration_seconds"`
}

// Dir is the directory of check.mjs and its package.json.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "icaljs")
}

var (
	findOnce sync.Once
	nodePath string
	missing  string
)

// find locates node and the installed ical.js, checking that the installed version is the
// one package-lock.json pins (a stale node_modules would judge with another parser).
func find() (string, string) {
	findOnce.Do(func() {
		var why []string
		p, err := exec.LookPath("node")
		if err != nil {
			why = append(why, "node (apt-get install nodejs)")
		}
		nodePath = p
		dir := Dir()
		var lock struct {
			Packages map[string]struct {
				Version string `json:"version"`
			} `json:"packages"`
		}
		var installed struct {
			Version string `json:"version"`
		}
		lb, lerr := os.ReadFile(filepath.Join(dir, "package-lock.json"))
		ib, ierr := os.ReadFile(filepath.Join(dir, "node_modules", "ical.js", "package.json"))
		switch {
		case lerr != nil || json.Unmarshal(lb, &lock) != nil:
			why = append(why, "a readable package-lock.json in "+dir)
		case ierr != nil || json.Unmarshal(ib, &installed) != nil:
			why = append(why, "ical.js (npm ci in notifier/ics/testdata/icaljs)")
		case installed.Version != lock.Packages["node_modules/ical.js"].Version:
			why = append(why, fmt.Sprintf("ical.js %s as pinned (installed: %s; npm ci in notifier/ics/testdata/icaljs)",
				lock.Packages["node_modules/ical.js"].Version, installed.Version))
		}
		missing = strings.Join(why, " and ")
	})
	return nodePath, missing
}

func ci() bool { return os.Getenv("CI") == "true" }

// Parse has ical.js read each object and returns one report per object, in order. It
// skips the test when node or ical.js is missing, and fails it under CI=true.
func Parse(tb testing.TB, objects ...[]byte) []Report {
	tb.Helper()
	node, why := find()
	if why != "" {
		if ci() {
			tb.Fatalf("the ical.js oracle needs %s", why)
		}
		tb.Skipf("ical.js oracle skipped: %s missing", why)
	}
	reports, err := run(node, objects)
	if err != nil {
		tb.Fatal(err)
	}
	return reports
}

// One has ical.js read one object and fails the test when ical.js refuses it.
func One(tb testing.TB, object []byte) Report {
	tb.Helper()
	r := Parse(tb, object)[0]
	if !r.OK {
		tb.Fatalf("ical.js refuses the calendar object: %s\n%s", r.Error, object)
	}
	return r
}

func run(node string, objects [][]byte) ([]Report, error) {
	texts := make([]string, len(objects))
	for i, o := range objects {
		texts[i] = string(o)
	}
	in, err := json.Marshal(texts)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(node, filepath.Join(Dir(), "check.mjs"), "--batch")
	cmd.Dir = Dir()
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("run ical.js check.mjs: %v: %s", err, stderr.String())
	}
	var reports []Report
	if err := json.Unmarshal(out, &reports); err != nil {
		return nil, fmt.Errorf("read check.mjs output: %v: %s", err, out)
	}
	if len(reports) != len(objects) {
		return nil, fmt.Errorf("check.mjs answered %d reports for %d objects", len(reports), len(objects))
	}
	return reports, nil
}

// Check is the blanket check of every calendar object a test produced, in the order it
// produced them: ical.js must read each one, each event must have a UID, an integer
// SEQUENCE and UTC start and end times with the end after the start, every REQUEST and
// CANCEL must hold exactly one event with one attendee, and the SEQUENCE of a UID must
// never go back from one object to the next. Without node or ical.js it logs why and
// checks nothing, except under CI=true, where it fails.
func Check(tb testing.TB, objects ...[]byte) []Report {
	tb.Helper()
	if len(objects) == 0 {
		return nil
	}
	node, why := find()
	if why != "" {
		if ci() {
			tb.Errorf("the ical.js oracle needs %s", why)
		} else {
			tb.Logf("ical.js check of %d calendar objects skipped: %s missing", len(objects), why)
		}
		return nil
	}
	reports, err := run(node, objects)
	if err != nil {
		tb.Error(err)
		return nil
	}
	last := map[string]int64{}
	for i, r := range reports {
		if msg := problems(r, last); msg != "" {
			tb.Errorf("calendar object %d of %d, by ical.js: %s\n%s", i+1, len(reports), msg, objects[i])
		}
	}
	return reports
}

func problems(r Report, last map[string]int64) string {
	if !r.OK {
		return "parse error: " + r.Error
	}
	var out []string
	switch r.Method {
	case "REQUEST", "CANCEL":
		if len(r.Events) != 1 {
			out = append(out, fmt.Sprintf("METHOD:%s with %d events", r.Method, len(r.Events)))
		}
		for _, e := range r.Events {
			if len(e.Attendees) != 1 {
				out = append(out, fmt.Sprintf("METHOD:%s with %d attendees", r.Method, len(e.Attendees)))
			}
		}
	case "PUBLISH":
	default:
		out = append(out, fmt.Sprintf("METHOD %q", r.Method))
	}
	for _, e := range r.Events {
		if e.UID == "" {
			out = append(out, "an event without UID")
		}
		if e.Sequence == nil || e.SequenceType != "integer" {
			out = append(out, fmt.Sprintf("UID %s: SEQUENCE missing or not an integer", e.UID))
		} else {
			if prev, ok := last[e.UID]; ok && *e.Sequence < prev {
				out = append(out, fmt.Sprintf("UID %s: SEQUENCE %d after %d", e.UID, *e.Sequence, prev))
			}
			last[e.UID] = *e.Sequence
		}
		for name, tm := range map[string]*Time{"DTSTART": e.DTStart, "DTEND": e.DTEnd, "DTSTAMP": e.DTStamp} {
			if tm == nil || tm.Error != "" || tm.Zone != "UTC" || tm.IsDate {
				out = append(out, fmt.Sprintf("UID %s: %s not a UTC date-time: %+v", e.UID, name, tm))
			}
		}
		if e.Model.DurationSeconds <= 0 {
			out = append(out, fmt.Sprintf("UID %s: ends %s, not after its start %s", e.UID, e.Model.End, e.Model.Start))
		}
	}
	return strings.Join(out, "; ")
}
