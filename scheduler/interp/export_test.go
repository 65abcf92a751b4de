package interp

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestExports(t *testing.T) {
	// Floor Chinese and French into ZH, FR and EN: the ZH booth works both ways, giving
	// Chinese by retour into English to the booths without it. One pair per channel: the
	// ZH booth's is en-zh (its retour), the FR booth's zh-fr, the EN booth's zh-en.
	s := session(t, "s1", "2026-12-06T10:00:00Z", "2026-12-06T12:00:00Z", "zh fr", "zh fr en")
	pool := []Interpreter{newInterp("za", "zh:A en:B fr:C"), newInterp("zb", "zh:A en:B fr:C"), newInterp("zc", "zh:A fr:C"),
		newInterp("fa", "fr:A en:C"), newInterp("fb", "fr:A en:C"), newInterp("ea", "en:A fr:C"), newInterp("eb", "en:A fr:C")}
	pool[0].Retour, pool[1].Retour = true, true
	var as []Assignment
	for _, it := range pool {
		as = append(as, asg("s1", Lang(it.ID[:1]), it.ID))
	}
	for n := range as {
		as[n].Booth = map[Lang]Lang{"z": "zh", "f": "fr", "e": "en"}[as[n].Booth]
	}
	as = append(as, asg("s2", "fr", "fa"))
	if vs := Check(Input{Sessions: []Session{s}, Pool: pool, Policy: AIIC()}, as[:7]); len(vs) != 0 {
		t.Fatalf("the fixture should be a valid team: %v", violationRules(vs))
	}

	// Zoom's system languages by its country codes and names (Zoom API reference:
	// languages "US,CN", interpreter_languages "English,Chinese").
	zoom, err := ZoomInterpreters(s, as, pool)
	if err != nil {
		t.Fatal(err)
	}
	wantZoom := []ZoomInterpreter{
		{"ea@example.org", "CN,US", "Chinese,English"}, {"eb@example.org", "CN,US", "Chinese,English"},
		{"fa@example.org", "CN,FR", "Chinese,French"}, {"fb@example.org", "CN,FR", "Chinese,French"},
		{"za@example.org", "US,CN", "English,Chinese"}, {"zb@example.org", "US,CN", "English,Chinese"}, {"zc@example.org", "US,CN", "English,Chinese"},
	}
	if !reflect.DeepEqual(zoom, wantZoom) {
		t.Errorf("zoom %+v, want %+v", zoom, wantZoom)
	}
	webex, err := WebexInterpreters(s, as, pool)
	if err != nil {
		t.Fatal(err)
	}
	wantWebex := []WebexInterpreter{{"zh", "en", "ea@example.org"}, {"zh", "en", "eb@example.org"}, {"zh", "fr", "fa@example.org"}, {"zh", "fr", "fb@example.org"},
		{"en", "zh", "za@example.org"}, {"en", "zh", "zb@example.org"}, {"en", "zh", "zc@example.org"}}
	if !reflect.DeepEqual(webex, wantWebex) {
		t.Errorf("webex %+v, want %+v", webex, wantWebex)
	}

	// Arabic is not a Zoom system language: refused with a problem that says what to do;
	// Webex takes it.
	ar := session(t, "s1", "2026-12-06T10:00:00Z", "2026-12-06T12:00:00Z", "en ar", "en fr ar")
	arPool := []Interpreter{newInterp("ea", "en:A ar:C"), newInterp("fa", "fr:A en:C"), newInterp("aa", "ar:A en:C")}
	arAs := []Assignment{asg("s1", "fr", "fa"), asg("s1", "en", "ea"), asg("s1", "ar", "aa")}
	if _, err := ZoomInterpreters(ar, arAs, arPool); err == nil || !strings.Contains(err.Error(), "custom interpretation language") {
		t.Errorf("zoom with Arabic: %v", err)
	}
	if w, err := WebexInterpreters(ar, arAs, arPool); err != nil || len(w) != 3 {
		t.Errorf("webex with Arabic: %v %v", w, err)
	}
	s, as = ar, arAs
	pool = arPool

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
	big.Floor = langs("en")
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
	if _, err := WebexInterpreters(s, as, pool); code(err) != CodeExportMissingEmail {
		t.Errorf("no email: %v", err)
	}
}
