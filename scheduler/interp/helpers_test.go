package interp

import (
	"strings"
	"testing"
	"time"
)

func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

// newInterp builds an interpreter from "en:A fr:C" style language lists.
func newInterp(id, langs string) Interpreter {
	it := Interpreter{ID: id, Name: strings.ToUpper(id[:1]) + id[1:], Email: id + "@example.org"}
	for _, f := range strings.Fields(langs) {
		l, c, _ := strings.Cut(f, ":")
		it.Languages = append(it.Languages, LangSkill{Lang: Lang(l), Class: Class(c)})
	}
	return it
}

func langs(s string) []Lang {
	var out []Lang
	for _, f := range strings.Fields(s) {
		out = append(out, Lang(f))
	}
	return out
}

func session(t testing.TB, id, start, end, floor, outputs string) Session {
	return Session{ID: id, MeetingID: "m1", Start: at(t, start), End: at(t, end), Floor: langs(floor), Outputs: langs(outputs)}
}

func members(p Plan, sessionID string, booth Lang) []string {
	var out []string
	for _, a := range p.Assignments {
		if a.SessionID == sessionID && a.Booth == booth {
			out = append(out, a.InterpreterID)
		}
	}
	return out
}

func gapRules(p Plan) []string {
	var out []string
	for _, g := range p.Gaps {
		out = append(out, g.SessionID+"/"+string(g.Booth)+":"+g.Rule)
	}
	return out
}

func violationRules(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		s := v.SessionID + "/" + string(v.Booth) + ":" + v.Rule
		if v.InterpreterID != "" {
			s = v.SessionID + "/" + string(v.Booth) + "/" + v.InterpreterID + ":" + v.Rule
		}
		out = append(out, s)
	}
	return out
}
