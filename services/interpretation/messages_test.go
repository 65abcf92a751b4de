package interpretation

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/platform/i18n"
)

// codes reads the string constants of scheduler/interp whose names start with prefix
// (Rule, Msg, Size, StaffedBy), from the source: a code added there without a
// translation fails TestEveryStaffingCodeIsTranslated.
func codes(t *testing.T, prefix string) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../../scheduler/interp/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("scheduler/interp sources: %v", err)
	}
	out := map[string]string{}
	fs := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fs, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if !strings.HasPrefix(n.Name, prefix) || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						out[n.Name] = v
					}
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s constants in scheduler/interp", prefix)
	}
	return out
}

// Every code the allocator and the checker write, and every value written as a word (a
// rule in a list, who staffs a channel), has its sentence in each of the seven languages.
func TestEveryStaffingCodeIsTranslated(t *testing.T) {
	var keys []string
	for name, rule := range codes(t, "Rule") {
		keys = append(keys, "rule."+rule) // a rule in a list of blocking rules
		if name != "RuleRoute" {          // route violations carry other_pivot or route_inconsistent
			keys = append(keys, rule) // a violation's code is its rule
		}
	}
	for name, code := range codes(t, "Msg") {
		if name == "MsgHint" {
			for _, r := range []string{interp.RuleWorkingHours, interp.RuleDailyCap, interp.RuleWeeklyCap, interp.RuleSessionsPerDay,
				interp.RuleSittingCap, interp.RuleRest, interp.RuleDoubleBooking, interp.RuleUnavailable, interp.RuleDeclined,
				interp.RuleLanguageCoverage, interp.RuleRelayGivers} {
				keys = append(keys, catalogueKey(interp.Text{Code: code, Args: interp.Args{Reason: r}}))
			}
			continue
		}
		keys = append(keys, code)
	}
	for _, size := range codes(t, "Size") {
		keys = append(keys, "team."+size)
	}
	for _, by := range codes(t, "StaffedBy") {
		keys = append(keys, "staffed_by."+by)
	}
	keys = append(keys, "passed_over.more", "passed_over.remote", "passed_over.alone",
		"decision.to_offer", "decision.deadline_soon", "decision.open_seat."+StateDeclined, "decision.open_seat."+StateExpired)
	for _, k := range keys {
		for _, tag := range i18n.Languages {
			if !i18n.HasStaffing(tag, k) {
				t.Errorf("%q has no %s text", k, tag)
			}
		}
	}
}

// A message written for a reader names every value and leaves no placeholder: every code
// with every value set, in the seven languages.
func TestStaffingMessagesNameTheirValues(t *testing.T) {
	at := time.Date(2026, 12, 7, 15, 30, 0, 0, time.UTC)
	args := interp.Args{Session: "s1", Booth: "fr", Language: "es", Languages: []interp.Lang{"es", "ar"}, From: "en", Via: "en",
		Interpreter: "Ana Ruiz", Remote: true, Chosen: []string{"Bruno", "Carla"}, Rules: []string{interp.RuleRest, interp.RuleDailyCap},
		Reason: interp.RuleDailyCap, Policy: "un", Class: interp.ClassC, Have: 1, Need: 2, Count: 3, Seats: 2, Minutes: 240, Cap: 180,
		Zone: "Asia/Tokyo", Local: "02:30-04:30", Hours: "08:00-20:00", Day: "2026-12-07", Week: "2026-W50", Start: at, End: at.Add(2 * time.Hour),
		OtherStart: at.Add(time.Hour), OtherEnd: at.Add(3 * time.Hour), Check: "too_few_givers", StaffedBy: interp.StaffedByDelegation}
	var texts []interp.Text
	for _, rule := range codes(t, "Rule") {
		texts = append(texts, interp.Text{Code: rule, Args: args})
	}
	for _, code := range codes(t, "Msg") {
		texts = append(texts, interp.Text{Code: code, Args: args})
	}
	for _, tag := range i18n.Languages {
		r := reader{tag}
		for _, x := range texts {
			if x.Code == interp.RuleRoute {
				continue
			}
			r.text(&x)
			if x.Message == "" || x.Message == x.Code || strings.ContainsAny(x.Message, "{}") {
				t.Errorf("%s %s: %q", tag, x.Code, x.Message)
			}
		}
	}
	fr := reader{language.French}
	x := interp.Text{Code: interp.MsgPassedOver, Args: args}
	fr.text(&x)
	if want := "Ana Ruiz (Asia/Tokyo) n’a pas été retenu(e) pour la cabine FR de la séance s1 : le plafond journalier : 240 minutes en cabine ce jour-là avec cette séance, pour un plafond de 180. Retenu(e)s : Bruno, Carla. Autres postes pour la même raison : 1."; x.Message != want {
		t.Errorf("French passed-over note:\n%q\nwant\n%q", x.Message, want)
	}
	zh := reader{language.Chinese}
	x = interp.Text{Code: interp.MsgFixMore, Args: args}
	zh.text(&x)
	if want := "需增加口译员：3 名，A 语言为 FR（或做反向翻译的 B 语言），从以下语言译出：西班牙语、阿拉伯语，可工作时间 2026-12-07 15:30–17:30 UTC。"; x.Message != want {
		t.Errorf("Chinese fix:\n%q\nwant\n%q", x.Message, want)
	}
	ar := reader{language.Arabic}
	x = interp.Text{Code: interp.RuleLanguageCoverage, Args: args}
	ar.text(&x)
	if want := "لا يتقن Ana Ruiz اللغة (الإسبانية)، ولا توجد مقصورة يفهم لغتها قادرة على تقديمها."; x.Message != want {
		t.Errorf("Arabic coverage:\n%q\nwant\n%q", x.Message, want)
	}
}
