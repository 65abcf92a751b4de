package interp

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

func TestExports(t *testing.T) {
	s := session(t, "s1", "2026-12-06T10:00:00Z", "2026-12-06T12:00:00Z", "en ar", "en fr ar")
	pool := []Interpreter{newInterp("ea", "en:A ar:C"), newInterp("fa", "fr:A en:C"), newInterp("aa", "ar:A en:C")}
	as := []Assignment{asg("s1", "fr", "fa"), asg("s1", "en", "ea"), asg("s1", "ar", "aa"), asg("s2", "fr", "fa")}

	zoom, err := ZoomInterpreters(s, as, pool)
	if err != nil {
		t.Fatal(err)
	}
	wantZoom := []ZoomInterpreter{{"aa@example.org", "US,SA"}, {"ea@example.org", "SA,US"}, {"fa@example.org", "US,FR"}}
	if !reflect.DeepEqual(zoom, wantZoom) {
		t.Errorf("zoom %+v, want %+v", zoom, wantZoom)
	}
	webex, err := WebexInterpreters(s, as, pool)
	if err != nil {
		t.Fatal(err)
	}
	wantWebex := []WebexInterpreter{{"en", "ar", "aa@example.org"}, {"ar", "en", "ea@example.org"}, {"en", "fr", "fa@example.org"}}
	if !reflect.DeepEqual(webex, wantWebex) {
		t.Errorf("webex %+v, want %+v", webex, wantWebex)
	}

	code := func(err error) string {
		var e *Error
		if !errors.As(err, &e) {
			return fmt.Sprintf("not a coded error: %v", err)
		}
		return e.ProblemCode()
	}
	// Webex: one entry per email; the same address in two booths conflicts.
	pool[1].Email = "EA@example.org"
	if _, err := WebexInterpreters(s, as, pool); code(err) != CodeWebexConflictingEmail {
		t.Errorf("webex duplicate email: %v", err)
	}
	pool[1].Email = "fa@example.org"
	// Zoom: at most 20.
	big := s
	big.Outputs = langs("en fr ar")
	var many []Assignment
	for i := 0; i < 21; i++ {
		id := fmt.Sprintf("f%02d", i)
		pool = append(pool, newInterp(id, "fr:A en:C"))
		many = append(many, asg("s1", "fr", id))
	}
	if _, err := ZoomInterpreters(big, many[:20], pool); err != nil {
		t.Errorf("20 interpreters: %v", err)
	}
	if _, err := ZoomInterpreters(big, many, pool); code(err) != CodeZoomTooMany {
		t.Errorf("21 interpreters: %v", err)
	}
	// A language Zoom has no country code for.
	sw := s
	sw.Outputs = langs("yo")
	pool = append(pool, newInterp("yo", "yo:A en:C ar:C"))
	if _, err := ZoomInterpreters(sw, []Assignment{asg("s1", "yo", "yo")}, pool); code(err) != CodeZoomUnsupportedLang {
		t.Errorf("yoruba: %v", err)
	}
	if _, err := WebexInterpreters(sw, []Assignment{asg("s1", "yo", "nobody")}, pool); code(err) != CodeExportUnknownPerson {
		t.Errorf("unknown: %v", err)
	}
	pool[0].Email = ""
	if _, err := ZoomInterpreters(s, as, pool); code(err) != CodeExportMissingEmail {
		t.Errorf("no email: %v", err)
	}
}
