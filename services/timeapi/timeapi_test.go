package timeapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/plenary/plenary/contracts/openapitest"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/httpx"
)

func server(t *testing.T) *httptest.Server {
	t.Helper()
	r := httpx.NewEngine(httpx.Options{})
	Register(r.Group("/v1"))
	s := openapitest.NewServer(t, r)
	return s
}

func call(t *testing.T, s *httptest.Server, method, path, body string) (int, string, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s %s: not JSON: %s", method, path, raw)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), m
}

func TestTZData(t *testing.T) {
	s := server(t)
	st, _, m := call(t, s, "GET", "/v1/time/tzdata", "")
	if st != 200 || m["version"] != zone.TZDataVersion() || m["zones"].(float64) < 400 {
		t.Errorf("%d %v", st, m)
	}
}

func TestConvert(t *testing.T) {
	s := server(t)
	st, _, m := call(t, s, "POST", "/v1/time/convert",
		`{"wall_clock":"2022-12-06T16:30","zone":"Europe/Paris","to":["Australia/Sydney","GMT-3","EDT"],"lang":"fr"}`)
	if st != 200 || m["instant"] != "2022-12-06T15:30:00Z" {
		t.Fatalf("%d %v", st, m)
	}
	times := m["times"].([]any)
	syd := times[0].(map[string]any)
	if syd["text"] != "mercredi 7 décembre 2022 à 02:30 (UTC+11:00)" || syd["day_shift_text"] != "+1 jour" {
		t.Errorf("Sydney %v", syd)
	}
	if gmt := times[1].(map[string]any); gmt["time"] != "12:30" || gmt["zone"] != "UTC-03:00" {
		t.Errorf("GMT-3 %v", gmt)
	}
	// EDT in December is flagged.
	if edt := times[2].(map[string]any); edt["findings"] == nil {
		t.Errorf("EDT in December: %v", edt)
	}
	st, _, m = call(t, s, "POST", "/v1/time/convert", `{"instant":"2022-12-06T15:30:00Z","to":["Asia/Kathmandu"],"lang":"ar","venue":"Europe/Paris"}`)
	if st != 200 || m["times"].([]any)[0].(map[string]any)["time"] != "21:15" {
		t.Errorf("%d %v", st, m)
	}
}

// TestConvertKeepsTheLocale: the renderings are in the requested locale itself, not its
// base language (fr-CA stays fr-CA), and written as ICU writes it (Node's
// Intl.DateTimeFormat, ICU 78.2 / CLDR 48: dateStyle full, timeStyle short).
func TestConvertKeepsTheLocale(t *testing.T) {
	s := server(t)
	tests := []struct{ lang, used, text, timeText string }{
		{"fr-CA", "fr-CA", "mardi 6 décembre 2022 à 10 h 30 (UTC-05:00)", "10 h 30"},
		{"en", "en", "Tuesday, December 6, 2022 at 10:30 AM (UTC-05:00)", "10:30 AM"},
		{"en-GB", "en-GB", "Tuesday, 6 December 2022 at 10:30 (UTC-05:00)", "10:30"},
		{"es-419", "es-419", "martes, 6 de diciembre de 2022, 10:30 a.m. (UTC-05:00)", "10:30 a.m."},
		{"ar", "ar", "الثلاثاء، 6 ديسمبر 2022 في 10:30 ص (UTC-05:00)", "10:30 ص"},
		{"ar-EG", "ar-EG", "الثلاثاء، ٦ ديسمبر ٢٠٢٢ في ١٠:٣٠ ص (UTC-05:00)", "١٠:٣٠ ص"},
		{"ar-EG-u-nu-latn", "ar-EG-u-nu-latn", "الثلاثاء، 6 ديسمبر 2022 في 10:30 ص (UTC-05:00)", "10:30 ص"},
		{"en-u-hc-h23", "en-u-hc-h23", "Tuesday, December 6, 2022 at 10:30 (UTC-05:00)", "10:30"},
		{"pt-BR", "pt-BR", "terça-feira, 6 de dezembro de 2022 às 10:30 (UTC-05:00)", "10:30"},
	}
	for _, tt := range tests {
		st, _, m := call(t, s, "POST", "/v1/time/convert", `{"instant":"2022-12-06T15:30:00Z","to":["America/New_York"],"lang":"`+tt.lang+`"}`)
		if st != 200 {
			t.Fatalf("%s: %d %v", tt.lang, st, m)
		}
		r := m["times"].([]any)[0].(map[string]any)
		if r["lang"] != tt.used || r["text"] != tt.text || r["time_text"] != tt.timeText || r["time"] != "10:30" {
			t.Errorf("%s: lang %v text %q time_text %q time %v; want %s %q %q 10:30", tt.lang, r["lang"], r["text"], r["time_text"], r["time"], tt.used, tt.text, tt.timeText)
		}
	}
}

func TestProblems(t *testing.T) {
	s := server(t)
	tests := []struct {
		path, body string
		status     int
		code       string
	}{
		{"/v1/time/convert", `{"wall_clock":"2026-03-29T02:30","zone":"Europe/Paris","to":["UTC"]}`, 422, "nonexistent_local_time"},
		{"/v1/time/convert", `{"wall_clock":"2026-10-25T02:30","zone":"Europe/Paris","to":["UTC"]}`, 422, "ambiguous_local_time"},
		{"/v1/time/convert", `{"wall_clock":"2026-10-25T02:30+03:00","zone":"Europe/Paris","to":["UTC"]}`, 422, "offset_not_in_zone"},
		{"/v1/time/convert", `{"wall_clock":"2026-10-25T02:30","zone":"CST","to":["UTC"]}`, 422, "ambiguous_abbreviation"},
		{"/v1/time/convert", `{"instant":"2022-12-06T15:30:00Z","to":["Europe/Pariss"]}`, 422, "unknown_zone"},
		{"/v1/time/convert", `{"wall_clock":"tomorrow","zone":"UTC","to":["UTC"]}`, 422, "invalid_wall_clock"},
		{"/v1/time/convert", `{"wall_clock":"2026-10-25T02:30","zone":"Europe/Paris","fold":"first","to":["UTC"]}`, 422, "invalid_fold"},
		{"/v1/time/convert", `{"to":["UTC"]}`, 400, "invalid_request"},
		{"/v1/time/convert", `{"instant":"x","to":["UTC"]}`, 400, "invalid_request"},
		{"/v1/time/convert", `{"instant":"2022-12-06T15:30:00Z","to":["UTC"],"bogus":1}`, 400, ""},
		{"/v1/time/check", `{"date":"2021-11-03","text":"11:00 CST / 17:00 CET"}`, 422, "ambiguous_abbreviation"},
		{"/v1/time/check", `{"date":"2021-11-03","text":"gibberish"}`, 422, "invalid_notice"},
		{"/v1/time/check", `{"date":"3 Nov","text":"11:00 UTC / 12:00 CET"}`, 422, "invalid_date"},
		{"/v1/planning/slots", `{"from":"2022-12-05T00:00:00Z","to":"2023-03-05T00:00:00Z","duration_minutes":60,"audiences":[{"name":"WEOG"}]}`, 422, "range_too_long"},
		{"/v1/planning/slots", `{"from":"2022-12-05T00:00:00Z","to":"2022-12-06T00:00:00Z","duration_minutes":60,"audiences":[{"name":"Eastern Europe Group"}]}`, 422, "unknown_region"},
		{"/v1/planning/slots", `{"from":"2022-12-05T00:00:00Z","to":"2022-12-06T00:00:00Z","duration_minutes":1500,"audiences":[{"name":"WEOG"}]}`, 422, "invalid_duration"},
		{"/v1/planning/slots", `{"from":"2022-12-05","to":"2022-12-06T00:00:00Z","duration_minutes":60,"audiences":[{"name":"WEOG"}],"constraints":{"weekdays":["Funday"]}}`, 400, "invalid_request"},
	}
	for _, tt := range tests {
		st, ct, m := call(t, s, "POST", tt.path, tt.body)
		if st != tt.status || (tt.code != "" && m["code"] != tt.code) || ct != "application/problem+json" {
			t.Errorf("POST %s %s = %d %s %v; want %d %s", tt.path, tt.body, st, ct, m, tt.status, tt.code)
			continue
		}
		if d, _ := m["detail"].(string); d == "" {
			t.Errorf("no detail: %v", m)
		}
	}
	// The ambiguous time names both candidates.
	_, _, m := call(t, s, "POST", "/v1/time/convert", `{"wall_clock":"2026-10-25T02:30","zone":"Europe/Paris","to":["UTC"]}`)
	extra, _ := m["extra"].(map[string]any)
	if c, _ := extra["candidates"].([]any); len(c) != 2 || c[0] != "2026-10-25T00:30:00Z" || c[1] != "2026-10-25T01:30:00Z" {
		t.Errorf("candidates %v", m)
	}
}

func TestCheck(t *testing.T) {
	s := server(t)
	st, _, m := call(t, s, "POST", "/v1/time/check", `{"date":"2021-11-03","text":"11:00 EDT / 15:00 UTC / 17:00 CEST"}`)
	if st != 200 || m["consistent"] != false {
		t.Fatalf("%d %v", st, m)
	}
	f := m["findings"].([]any)[0].(map[string]any)
	if f["index"].(float64) != 2 || f["should_say"] != "16:00 CET" || f["reason"] != "abbreviation_not_in_effect" {
		t.Errorf("finding %v", f)
	}
	st, _, m = call(t, s, "POST", "/v1/time/check",
		`{"date":"2021-11-03","times":[{"time":"11:00","zone":"EDT"},{"time":"15:00","zone":"UTC"},{"time":"16:00","zone":"CET"}]}`)
	if st != 200 || m["consistent"] != true || len(m["findings"].([]any)) != 0 {
		t.Errorf("%d %v", st, m)
	}
}

func TestSlots(t *testing.T) {
	s := server(t)
	st, _, m := call(t, s, "POST", "/v1/planning/slots", `{
		"from":"2022-12-06T00:00:00+01:00","to":"2022-12-07T00:00:00+01:00","duration_minutes":120,
		"audiences":[{"name":"Asia/Pacific"},{"name":"Africa, Europe and the Americas"}],
		"constraints":{"venue":"Europe/Paris","weekdays":["Tue"]},"limit":3}`)
	if st != 200 {
		t.Fatalf("%d %v", st, m)
	}
	if n := len(m["slots"].([]any)); n != 3 {
		t.Errorf("%d slots", n)
	}
	split, _ := m["split"].(map[string]any)
	if split == nil || len(split["sessions"].([]any)) != 2 || split["day"] != "2022-12-06" {
		t.Errorf("split %v", m["split"])
	}
	st, _, m = call(t, s, "POST", "/v1/planning/slots", `{
		"from":"2022-12-05T00:00:00Z","to":"2022-12-06T00:00:00Z","duration_minutes":60,
		"regions":[{"name":"Pacific islands","zones":[{"zone":"Pacific/Fiji","country":"FJ","hours":{"start":"09:00","end":"17:00"}}]}],
		"audiences":[{"name":"Pacific islands"}],"hours":{"start":"07:30","end":"21:00"}}`)
	if st != 200 || m["slots"].([]any)[0].(map[string]any)["inside"] != true {
		t.Errorf("%d %v", st, m)
	}
}

// TestCheckNoticesAsPrinted: the forms the API refused ("needs two times") are read, and
// a zone that contradicts its place or the venue comes back as a finding.
func TestCheckNoticesAsPrinted(t *testing.T) {
	s := server(t)
	tests := []struct {
		body       string
		consistent bool
		should     string
	}{
		{`{"date":"2026-01-15","text":"09:30 EST (14:30 GMT)"}`, true, ""},
		{`{"date":"2026-01-15","text":"7 p.m. (Bangkok time)"}`, true, ""},
		{`{"date":"2026-07-01","text":"10:00 CET (Vienna time)"}`, false, "10:00 CEST (Vienna time)"},
		{`{"date":"2026-11-10","text":"8 a.m. local time in Chile (GMT -4)"}`, false, "08:00 GMT-3 (local time in Chile)"},
		{`{"date":"2026-05-05","text":"10:00 AM (GMT +5:45/Nepal Time)"}`, true, ""},
		{`{"date":"2026-06-10","text":"2.15pm SGT | 8.15am CEST"}`, true, ""},
		{`{"date":"2026-12-01","text":"10:00 CEST","venue":"Europe/Zurich"}`, false, "10:00 CET"},
		{`{"date":"2026-07-01","times":[{"time":"10:00","zone":"CET","place":"Vienna"}]}`, false, "10:00 CEST (Vienna)"},
	}
	for _, tt := range tests {
		st, _, m := call(t, s, "POST", "/v1/time/check", tt.body)
		if st != 200 || m["consistent"] != tt.consistent {
			t.Errorf("%s: %d %v", tt.body, st, m)
			continue
		}
		if f, _ := m["findings"].([]any); tt.should != "" && (len(f) != 1 || f[0].(map[string]any)["should_say"] != tt.should) {
			t.Errorf("%s: findings %v, want one saying %q", tt.body, f, tt.should)
		}
	}
	st, _, m := call(t, s, "POST", "/v1/time/check", `{"date":"2026-07-01","text":"7 p.m. (Atlantis time)"}`)
	if st != 422 || m["code"] != "invalid_notice" {
		t.Errorf("unknown place: %d %v", st, m)
	}
}

// An instant that some zone shows past the year 9999 or before the year 1 has no RFC 3339
// form there (four-digit years): refused as instant_out_of_range with the bounds every
// stored instant has, whichever zones the request names. 9999-12-31T10:00Z is
// 10000-01-01T00:00 at UTC+14:00 (Pacific/Kiritimati); 0001-01-01T01:00Z is year 0 in Los
// Angeles's local mean time (UTC-07:52:58).
func TestInstantsEveryZoneCanShow(t *testing.T) {
	s := server(t)
	for _, body := range []string{
		`{"instant":"9999-12-31T23:00:00Z","to":["Pacific/Kiritimati"]}`,
		`{"instant":"9999-12-31T10:00:00Z","to":["UTC"]}`,
		`{"instant":"0001-01-01T01:00:00Z","to":["America/Los_Angeles"]}`,
		`{"wall_clock":"9999-12-31T23:30","zone":"Europe/Paris","to":["UTC"]}`,
	} {
		st, _, m := call(t, s, "POST", "/v1/time/convert", body)
		if st != 422 || m["code"] != "instant_out_of_range" {
			t.Errorf("%s: %d %v", body, st, m)
		}
	}
	st, _, m := call(t, s, "POST", "/v1/time/convert", `{"instant":"9999-12-31T09:59:59Z","to":["Pacific/Kiritimati","Pacific/Pago_Pago"]}`)
	if st != 200 {
		t.Fatalf("the last instant: %d %v", st, m)
	}
	for i, want := range []string{"9999-12-31", "9999-12-30"} {
		if d := m["times"].([]any)[i].(map[string]any)["date"]; d != want {
			t.Errorf("times[%d] date %v, want %s", i, d, want)
		}
	}
	st, _, m = call(t, s, "POST", "/v1/planning/slots", `{"from":"9999-12-31T00:00:00Z","to":"9999-12-31T12:00:00Z","duration_minutes":60,"audiences":[{"name":"WEOG"}]}`)
	if errs, _ := m["errors"].([]any); st != 400 || len(errs) != 1 || errs[0].(map[string]any)["field"] != "to" || errs[0].(map[string]any)["code"] != "instant_out_of_range" {
		t.Errorf("slots: %d %v", st, m)
	}
}
