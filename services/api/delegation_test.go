package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// problemFields lists a 422's field errors as "field code".
func problemFields(t *testing.T, r resp) []string {
	t.Helper()
	p := r.Problem(t, 422, "validation_failed")
	var out []string
	for _, f := range p["errors"].([]any) {
		fe := f.(map[string]any)
		out = append(out, fmt.Sprint(fe["field"], " ", fe["code"]))
	}
	slices.Sort(out)
	return out
}

func (e *env) interpreter(name, email string, langs ...string) string {
	e.t.Helper()
	var skills []map[string]string
	for _, l := range langs {
		code, class, _ := strings.Cut(l, ":")
		skills = append(skills, map[string]string{"lang": code, "class": class})
	}
	return e.must(201, e.do("POST", "/v1/interpreters", map[string]any{"name": name, "email": email, "locale": "en", "tz": "Europe/Paris",
		"languages": skills}))["id"].(string)
}

// A Chinese delegation brings its own interpreters to an English and French meeting with
// a Chinese channel: the session stores the channel with its interpreters (emails checked
// and lower-cased as registrants' are), the language plan lists it marked staffed_by but
// staffs, counts and reports nothing in it, the organiser cannot seat anyone in it, the
// Zoom and Webex exports put the delegation's interpreters with an email on it, the
// agenda lists it without their emails, and the session's events carry it.
func TestChannelsStaffedByADelegation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		zh := []map[string]any{{"language": "zh", "staffed_by": "delegation", "interpreters": []map[string]string{
			{"name": "Li Wei", "email": "Li.Wei@Delegation.example.CN"}, {"name": "Zhang Min"}}}}
		body := func(edit func(map[string]any)) map[string]any {
			b := map[string]any{"title": map[string]string{"en": "Dialogue with observers"}, "start": "2026-12-08T10:00", "end": "2026-12-08T12:00",
				"floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr", "zh"}, "staffed_channels": zh}
			if edit != nil {
				edit(b)
			}
			return b
		}

		// Refused: a channel the session does not offer, listed twice, an unknown
		// staffed_by, an address with a display name or a bidi control, an empty name.
		bad := e.do("POST", "/v1/meetings/"+mid+"/sessions", body(func(b map[string]any) {
			b["staffed_channels"] = []map[string]any{
				{"language": "ru", "staffed_by": "delegation"},
				{"language": "zh", "staffed_by": "embassy", "interpreters": []map[string]string{{"name": "Li Wei", "email": "Li Wei <li.wei@delegation.example.cn>"},
					{"name": "Chen Jing", "email": "chen\u202ejing@delegation.example.cn"}, {"name": "  "}}},
				{"language": "zh", "staffed_by": "partner"},
			}
		}))
		want := []string{"staffed_channels/0/language not_an_output", "staffed_channels/1/interpreters/0/email invalid_email",
			"staffed_channels/1/interpreters/1/email invalid_email", "staffed_channels/1/interpreters/2/name invalid_value",
			"staffed_channels/1/staffed_by invalid_value", "staffed_channels/2/language duplicate"}
		if got := problemFields(t, bad); !slices.Equal(got, want) {
			t.Errorf("field errors %v, want %v", got, want)
		}

		x := e.createSession(mid, body(nil))
		sid := x["id"].(string)
		wantChannel := []any{map[string]any{"language": "zh", "staffed_by": "delegation", "interpreters": []any{
			map[string]any{"name": "Li Wei", "email": "li.wei@delegation.example.cn"}, map[string]any{"name": "Zhang Min"}}}}
		if got := x["staffed_channels"]; fmt.Sprint(got) != fmt.Sprint(wantChannel) {
			t.Errorf("stored channels %v, want %v", got, wantChannel)
		}
		if got := e.must(200, e.do("GET", "/v1/sessions/"+sid, nil))["staffed_channels"]; fmt.Sprint(got) != fmt.Sprint(wantChannel) {
			t.Errorf("read back %v", got)
		}
		// Dropping the channel from the outputs alone would leave a staffed channel the
		// session does not offer.
		r := e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"output_languages": []string{"en", "fr"}}, "If-Match", `"1"`)
		if got := problemFields(t, r); !slices.Equal(got, []string{"output_languages staffed_channel"}) {
			t.Errorf("outputs without zh: %v", got)
		}

		ea := e.interpreter("Emma Clarke", "emma.clarke@example.org", "en:A", "fr:C")
		eb := e.interpreter("Oliver Grant", "oliver.grant@example.org", "en:A", "fr:C")
		fa := e.interpreter("Claire Dubois", "claire.dubois@example.org", "fr:A", "en:C")
		fb := e.interpreter("Louis Martin", "louis.martin@example.org", "fr:A", "en:C")
		zc := e.interpreter("Wang Fang", "wang.fang@example.org", "zh:A", "en:C", "fr:C")

		plan := e.must(200, e.do("POST", "/v1/meetings/"+mid+"/interpretation/plan", nil))
		booths := map[string]map[string]any{}
		for _, b := range plan["booths"].([]any) {
			booths[b.(map[string]any)["booth"].(string)] = b.(map[string]any)
		}
		if b := booths["zh"]; b == nil || b["staffed_by"] != "delegation" || b["size"] != float64(0) {
			t.Errorf("the language plan's ZH channel: %v", b)
		}
		if b := booths["en"]; b == nil || b["staffed_by"] != nil || b["size"] != float64(2) {
			t.Errorf("the EN booth: %v", b)
		}
		if g := plan["gaps"].([]any); len(g) != 0 {
			t.Errorf("gaps %v", g)
		}
		seats := map[string][]string{}
		for _, a := range plan["assignments"].([]any) {
			a := a.(map[string]any)
			seats[a["booth"].(string)] = append(seats[a["booth"].(string)], a["interpreter_id"].(string))
		}
		if len(seats["zh"]) != 0 || len(seats["en"]) != 2 || len(seats["fr"]) != 2 {
			t.Errorf("seats %v: the ZH channel is the delegation's (Wang Fang %s is not needed)", seats, zc)
		}
		if notes := fmt.Sprint(plan["notes"]); !strings.Contains(notes, "The ZH channel of session "+sid+" is staffed by a delegation: it is not staffed or costed here, and not used as a pivot.") ||
			!strings.Contains(notes, "code:channel_staffed_by") {
			t.Errorf("notes %s", notes)
		}
		e.do("POST", "/v1/assignments", map[string]any{"session_id": sid, "booth": "zh", "interpreter_id": zc}).Problem(t, 422, "staffed_by_others")

		for _, p := range [][2]string{{"en", ea}, {"en", eb}, {"fr", fa}, {"fr", fb}} {
			e.must(201, e.do("POST", "/v1/assignments", map[string]any{"session_id": sid, "booth": p[0], "interpreter_id": p[1]}))
		}
		check := e.must(200, e.do("GET", "/v1/meetings/"+mid+"/interpretation/check", nil))
		if check["ok"] != true {
			t.Errorf("EN and FR staffed, ZH the delegation's: %v", check["violations"])
		}

		// The board shows the channel as the delegation's, with nothing to decide on it.
		board := e.must(200, e.do("GET", "/v1/meetings/"+mid+"/interpretation/board", nil))
		var zhBooth map[string]any
		for _, bb := range board["sessions"].([]any)[0].(map[string]any)["booths"].([]any) {
			if bb.(map[string]any)["booth"] == "zh" {
				zhBooth = bb.(map[string]any)
			}
		}
		if zhBooth == nil || zhBooth["staffed_by"] != "delegation" || zhBooth["active"] != float64(0) || len(zhBooth["violations"].([]any)) != 0 {
			t.Errorf("board ZH booth %v", zhBooth)
		}
		for _, d := range board["decisions"].([]any) {
			if d.(map[string]any)["booth"] == "zh" {
				t.Errorf("a decision on the delegation's channel: %v", d)
			}
		}
		csv := e.do("GET", "/v1/meetings/"+mid+"/interpretation/board?format=csv", nil)
		if !strings.Contains(string(csv.Body), ",zh,,staffed by the delegation,") {
			t.Errorf("board CSV:\n%s", csv.Body)
		}

		// Zoom's API takes the pair by country codes, source first (US English, FR
		// French, CN Chinese); Webex by ISO 639-1 codes. The delegation's interpreter
		// without an email is not listed.
		zoom := e.must(200, e.do("GET", "/v1/sessions/"+sid+"/interpretation/export?platform=zoom", nil))
		zs, _ := json.Marshal(zoom["settings"].(map[string]any)["language_interpretation"].(map[string]any)["interpreters"])
		wantZoom := `[{"email":"emma.clarke@example.org","interpreter_languages":"French,English","languages":"FR,US"},` +
			`{"email":"oliver.grant@example.org","interpreter_languages":"French,English","languages":"FR,US"},` +
			`{"email":"claire.dubois@example.org","interpreter_languages":"English,French","languages":"US,FR"},` +
			`{"email":"louis.martin@example.org","interpreter_languages":"English,French","languages":"US,FR"},` +
			`{"email":"li.wei@delegation.example.cn","interpreter_languages":"English,Chinese","languages":"US,CN"}]`
		if string(zs) != wantZoom {
			t.Errorf("zoom %s\nwant %s", zs, wantZoom)
		}
		webex := e.must(200, e.do("GET", "/v1/sessions/"+sid+"/interpretation/export?platform=webex", nil))
		ws, _ := json.Marshal(webex["simultaneousInterpretation"].(map[string]any)["interpreters"])
		if !strings.HasSuffix(string(ws), `{"email":"li.wei@delegation.example.cn","languageCode1":"en","languageCode2":"zh"}]`) || strings.Contains(string(ws), "Zhang") {
			t.Errorf("webex %s", ws)
		}

		a := e.must(200, e.do("GET", "/v1/meetings/"+mid+"/agenda", nil))
		sv := a["sessions"].([]any)[0].(map[string]any)
		if got := fmt.Sprint(sv["staffed_channels"]); got != "[map[language:zh staffed_by:delegation]]" {
			t.Errorf("agenda channels %s", got)
		}
		raw := e.do("GET", "/v1/meetings/"+mid+"/agenda", nil)
		if strings.Contains(string(raw.Body), "li.wei@") {
			t.Error("the agenda shows the delegation's interpreters' emails")
		}

		// The events carry the channels (the notifier and other consumers see them).
		var payload string
		if err := e.db.QueryRow(`SELECT payload FROM outbox WHERE subject = 'plenary.v1.session.scheduled' ORDER BY seq DESC LIMIT 1`).Scan(&payload); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(payload, `"staffed_channels":[{"language":"zh","staffed_by":"delegation","interpreters":[{"name":"Li Wei","email":"li.wei@delegation.example.cn"},{"name":"Zhang Min"}]}]`) {
			t.Errorf("session.scheduled payload %s", payload)
		}
		// Cleared, the channel is the organiser's again: a ZH booth to staff.
		cur := e.must(200, e.do("GET", "/v1/sessions/"+sid, nil))
		e.must(200, e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"staffed_channels": []any{}}, "If-Match", fmt.Sprintf(`"%v"`, cur["version"])))
		plan = e.must(200, e.do("POST", "/v1/meetings/"+mid+"/interpretation/plan", nil))
		if gaps := fmt.Sprint(plan["gaps"]); !strings.Contains(gaps, "booth:zh") {
			t.Errorf("the organiser's ZH booth (one ZH interpreter in the pool) should be a gap: %s", gaps)
		}
	})
}

// routesOf lists a session's routes in the agenda as "booth floor mode from/via givers
// direct", names sorted, e.g. "fr ar relay en/en [Emma Clarke Oliver Grant] []".
func routesOf(t *testing.T, sv map[string]any) []string {
	t.Helper()
	si, _ := sv["interpretation"].(map[string]any)
	if si == nil {
		t.Fatalf("no verdict in session %v", sv["id"])
	}
	names := func(v any) []string {
		out := []string{}
		list, _ := v.([]any)
		for _, p := range list {
			out = append(out, p.(map[string]any)["interpreter_name"].(string))
		}
		slices.Sort(out)
		return out
	}
	var out []string
	for _, b := range si["booths"].([]any) {
		b := b.(map[string]any)
		for _, r := range b["routes"].([]any) {
			r := r.(map[string]any)
			s := fmt.Sprint(b["booth"], " ", r["floor"], " ", r["mode"])
			if r["mode"] == "relay" {
				s += fmt.Sprint(" ", r["from"], "/", r["via"], " ", names(r["givers"]))
			}
			out = append(out, s+fmt.Sprint(" ", names(r["direct"])))
		}
	}
	return out
}

// The agenda's staffing verdict says, per session and booth, how each floor language
// reaches it: Arabic and English spoken, EN, FR and AR channels. The EN team hears
// Arabic and gives it to the FR booth, whose members have no Arabic (one hop, into the
// EN booth's own language, two givers); everything else is direct. When one EN
// interpreter is withdrawn the relay has one giver left: the agenda shows Arabic
// reaching the FR booth by no route.
func TestAgendaVerdictShowsRoutes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		sid := e.createSession(mid, map[string]any{"title": map[string]string{"en": "Regional consultation"}, "start": "2026-12-08T10:00", "end": "2026-12-08T12:00",
			"floor_languages": []string{"en", "ar"}, "output_languages": []string{"en", "fr", "ar"}})["id"].(string)
		team := [][2]string{
			{"ar", e.interpreter("Amira Haddad", "amira.haddad@example.org", "ar:A", "en:C")},
			{"ar", e.interpreter("Youssef Karam", "youssef.karam@example.org", "ar:A", "en:C")},
			{"en", e.interpreter("Emma Clarke", "emma.clarke@example.org", "en:A", "ar:C", "fr:C")},
			{"en", e.interpreter("Oliver Grant", "oliver.grant@example.org", "en:A", "ar:C")},
			{"fr", e.interpreter("Claire Dubois", "claire.dubois@example.org", "fr:A", "en:C")},
			{"fr", e.interpreter("Louis Martin", "louis.martin@example.org", "fr:A", "en:C")},
		}
		var seats []map[string]any
		for _, p := range team {
			seats = append(seats, e.must(201, e.do("POST", "/v1/assignments", map[string]any{"session_id": sid, "booth": p[0], "interpreter_id": p[1]})))
		}
		agendaPath := "/v1/meetings/" + mid + "/agenda"
		a := e.must(200, e.do("GET", agendaPath, nil))
		if v := a["interpretation"].(map[string]any); v["ok"] != true || v["assignments"] != float64(6) {
			t.Fatalf("verdict %v", v)
		}
		want := []string{
			"ar en direct [Amira Haddad Youssef Karam]",
			"en ar direct [Emma Clarke Oliver Grant]",
			"fr ar relay en/en [Emma Clarke Oliver Grant] []",
			"fr en direct [Claire Dubois Louis Martin]",
		}
		if got := routesOf(t, a["sessions"].([]any)[0].(map[string]any)); !slices.Equal(got, want) {
			t.Errorf("routes\n got %q\nwant %q", got, want)
		}
		// The check endpoint stores the same routes with the verdict (ids).
		check := e.must(200, e.do("GET", "/v1/meetings/"+mid+"/interpretation/check", nil))
		if n := len(check["routes"].([]any)); n != 4 {
			t.Errorf("check routes %v", check["routes"])
		}

		oliver := seats[3]
		e.must(200, e.do("PATCH", "/v1/assignments/"+oliver["id"].(string), map[string]any{"state": "withdrawn"}, "If-Match", fmt.Sprintf(`"%v"`, oliver["version"])))
		a = e.must(200, e.do("GET", agendaPath, nil))
		want = []string{
			"ar en direct [Amira Haddad Youssef Karam]",
			"en ar direct [Emma Clarke]",
			"fr ar missing []",
			"fr en direct [Claire Dubois Louis Martin]",
		}
		if got := routesOf(t, a["sessions"].([]any)[0].(map[string]any)); !slices.Equal(got, want) {
			t.Errorf("routes after the withdrawal\n got %q\nwant %q", got, want)
		}
	})
}

// A delegation's interpreter listed on a staffed channel asks for their data and its
// erasure: the export finds the channel by address, the erasure removes them (and only
// them) from it with a session.updated event, and the trail forgets the entries that
// held the address while the session's other history stays.
func TestDelegationInterpreterExportAndErasure(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mid := e.createMeeting()
		x := e.createSession(mid, map[string]any{"title": map[string]string{"en": "Dialogue"}, "start": "2026-12-08T10:00", "end": "2026-12-08T12:00",
			"floor_languages": []string{"en", "fr"}, "output_languages": []string{"en", "fr", "zh"}})
		sid := x["id"].(string)
		x = e.must(200, e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"title": map[string]string{"en": "Dialogue with observers"}}, "If-Match", `"1"`))
		e.must(200, e.do("PATCH", "/v1/sessions/"+sid, map[string]any{"staffed_channels": []map[string]any{{"language": "zh", "staffed_by": "delegation",
			"interpreters": []map[string]string{{"name": "Li Wei", "email": "li.wei@delegation.example.cn"}, {"name": "Zhang Min", "email": "zhang.min@delegation.example.cn"}}}}},
			"If-Match", fmt.Sprintf(`"%v"`, x["version"])))

		e.token = e.admin
		body := map[string]any{"email": "Li.Wei@delegation.example.cn"}
		exp := e.must(200, e.do("POST", "/v1/people/export", body))
		want := fmt.Sprint([]any{map[string]any{"session_id": sid, "meeting_id": mid, "language": "zh", "staffed_by": "delegation", "name": "Li Wei", "email": "li.wei@delegation.example.cn"}})
		if got := fmt.Sprint(exp["channel_interpreters"]); got != want {
			t.Fatalf("export %s, want %s", got, want)
		}
		erased := e.must(200, e.do("POST", "/v1/people/erase", body))
		if erased["channel_interpreters"] != float64(1) {
			t.Fatalf("erase %v", erased)
		}
		after := e.must(200, e.do("GET", "/v1/sessions/"+sid, nil))
		if got := fmt.Sprint(after["staffed_channels"]); got != "[map[interpreters:[map[email:zhang.min@delegation.example.cn name:Zhang Min]] language:zh staffed_by:delegation]]" {
			t.Errorf("channels after the erasure: %s", got)
		}
		var held, titled int
		if err := e.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE before_json LIKE '%li.wei%' OR after_json LIKE '%li.wei%'`).Scan(&held); err != nil {
			t.Fatal(err)
		}
		if err := e.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE resource_id = $1 AND after_json LIKE '%Dialogue with observers%'`, sid).Scan(&titled); err != nil {
			t.Fatal(err)
		}
		if held != 0 || titled == 0 {
			t.Errorf("trail: %d entries still hold the address, %d keep the session's title change", held, titled)
		}
		var payload string
		if err := e.db.QueryRow(`SELECT payload FROM outbox WHERE subject = 'plenary.v1.session.updated' ORDER BY seq DESC LIMIT 1`).Scan(&payload); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(payload, "li.wei") || !strings.Contains(payload, "zhang.min@delegation.example.cn") {
			t.Errorf("the last session.updated: %s", payload)
		}
		if again := e.must(200, e.do("POST", "/v1/people/export", body)); len(again["channel_interpreters"].([]any)) != 0 {
			t.Errorf("export after the erasure: %v", again)
		}
	})
}
