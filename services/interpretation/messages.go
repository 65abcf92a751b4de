package interpretation

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/platform/i18n"
)

// The allocator and the checker (scheduler/interp) say what they found as a code and its
// values; a reader writes each as a sentence of the shared catalogue
// (services/platform/i18n, staffing.go) in the reader's language. The codes and values
// stay in every answer, so a client may write its own.

// reader writes staffing messages in one language.
type reader struct{ tag language.Tag }

// readerFor is the language of a request: ?lang=, else the first language of
// Accept-Language that Plenary writes, else English.
func readerFor(c *gin.Context) reader {
	return reader{i18n.Choose(c.Query("lang"), i18n.FromAcceptLanguage(c.GetHeader("Accept-Language")))}
}

func readerOf(lang string) reader { return reader{i18n.Choose(lang)} }

const utcMinute = "2006-01-02 15:04"

// values are the catalogue's {names} for a message's Args, written for the reader:
// booths as codes ("FR"), languages by name in the reader's language, lists with the
// language's separator, instants in UTC.
func (r reader) values(a interp.Args) map[string]string {
	name := func(l interp.Lang) string {
		t, err := language.Parse(string(l))
		if err != nil {
			return string(l)
		}
		return i18n.Name(t, r.tag)
	}
	sep := i18n.ListSeparator(r.tag)
	langs := make([]string, len(a.Languages))
	for i, l := range a.Languages {
		langs[i] = name(l)
	}
	rules := make([]string, len(a.Rules))
	for i, x := range a.Rules {
		rules[i] = r.key("rule."+x, nil, x)
	}
	v := map[string]string{
		"session": a.Session, "booth": a.Booth.Upper(), "from": a.From.Upper(), "interpreter": a.Interpreter,
		"languages": strings.Join(langs, sep), "chosen": strings.Join(a.Chosen, sep), "rules": strings.Join(rules, sep),
		"policy": strings.ToUpper(a.Policy), "class": string(a.Class), "zone": a.Zone, "local": a.Local, "hours": a.Hours,
		"day": a.Day, "week": a.Week, "check": a.Check,
		"have": strconv.Itoa(a.Have), "need": strconv.Itoa(a.Need), "count": strconv.Itoa(a.Count),
		"minutes": strconv.Itoa(a.Minutes), "cap": strconv.Itoa(a.Cap), "more": strconv.Itoa(a.Seats - 1),
		"start": a.Start.UTC().Format(utcMinute), "end": a.End.UTC().Format(utcMinute),
		"other_start": a.OtherStart.UTC().Format(utcMinute), "other_end": a.OtherEnd.UTC().Format(utcMinute),
	}
	if a.Language != "" {
		v["language"] = name(a.Language)
	}
	if a.Via != "" {
		v["via"] = name(a.Via)
	}
	if v["class"] == "" {
		v["class"] = "—"
	}
	if a.StaffedBy != "" {
		v["staffed_by"] = r.key("staffed_by."+a.StaffedBy, nil, a.StaffedBy)
	}
	if !a.Start.IsZero() {
		end := a.End.UTC().Format("15:04")
		if a.End.UTC().YearDay() != a.Start.UTC().YearDay() || a.End.Year() != a.Start.Year() {
			end = a.End.UTC().Format(utcMinute)
		}
		v["span"] = a.Start.UTC().Format(utcMinute) + "–" + end + " UTC"
	}
	return v
}

// key writes catalogue message key, or fallback when the catalogue has no such key.
func (r reader) key(key string, vals map[string]string, fallback string) string {
	if !i18n.HasStaffing(language.English, key) {
		return fallback
	}
	return i18n.Staffing(r.tag, key, vals)
}

// catalogueKey is the catalogue's key for a message: its code, or for a hint the hint of
// its rule (relay givers share the coverage hint).
func catalogueKey(t interp.Text) string {
	if t.Code == interp.MsgHint {
		if t.Args.Reason == interp.RuleRelayGivers {
			return "hint." + interp.RuleLanguageCoverage
		}
		return "hint." + t.Args.Reason
	}
	return t.Code
}

// text writes t.Message from its code; a message without a code (a verdict stored before
// codes) keeps the sentence it has.
func (r reader) text(t *interp.Text) {
	if t == nil || t.Code == "" {
		return
	}
	v := r.values(t.Args)
	key := catalogueKey(*t)
	if t.Code == interp.MsgPassedOver {
		v["reason"] = r.key("reason."+t.Args.Reason, v, r.key("rule."+t.Args.Reason, v, t.Args.Reason))
		if t.Args.Remote {
			v["interpreter"] = r.key("passed_over.remote", v, t.Args.Interpreter)
		}
	}
	if t.Code == interp.MsgPassedOver && len(t.Args.Chosen) == 0 {
		key = "passed_over.alone"
	}
	t.Message = r.key(key, v, t.Code)
	if t.Code == interp.MsgPassedOver && t.Args.Seats > 1 {
		t.Message += " " + r.key("passed_over.more", v, "")
	}
}

func (r reader) violations(vs []interp.Violation) {
	for i := range vs {
		r.text(&vs[i].Text)
	}
}

func (r reader) gaps(gs []interp.Gap) {
	for i := range gs {
		r.text(&gs[i].Text)
		r.text(&gs[i].Fix)
		r.text(gs[i].Hint)
	}
}

// plan writes every message of a plan: gaps, their fixes and hints, notes, passed-over
// interpreters and the rules that sized the teams.
func (r reader) plan(p *PlanResult) {
	r.gaps(p.Gaps)
	for i := range p.Notes {
		r.text(&p.Notes[i])
	}
	for i := range p.PassedOver {
		r.text(&p.PassedOver[i].Text)
	}
	for i := range p.Teams {
		tn := &p.Teams[i]
		tn.Reason = r.key("team."+tn.Rule, r.values(tn.Args), tn.Rule)
	}
}

func (r reader) check(c *CheckResult) {
	if c != nil {
		r.violations(c.Violations)
	}
}
