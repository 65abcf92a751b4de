package interpretation_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// An interpreter's address goes to To: and their name to the pages, the board and the
// mail headers: the API and the roster import hold them to the registrants' rule
// (services/platform/contact). An address with a bidi control or an invisible character
// is refused; a name with line breaks or bidi controls is normalised.
func TestInterpreterAddressesAndNamesFollowTheContactRule(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		langs := []map[string]string{{"lang": "fr", "class": "A"}, {"lang": "en", "class": "C"}}
		for _, email := range []string{
			"claire@example.org\u202e", // right-to-left override: reads "gro.elpmaxe@erialc" reversed
			"\u202eclaire@example.org", "claire\u200b@example.org", "claire@exa\u00admple.org",
			"claire@example.org\u2066", "cla\u200dire@example.org", "\ufeffclaire@example.org",
			"claire@example.org\r\nBcc: v@example.org",
		} {
			r := e.do("POST", "/v1/interpreters", map[string]any{"name": "Claire", "email": email, "tz": "Europe/Paris", "languages": langs})
			p := e.problem(r, 422, "invalid_interpreter")
			if fe := p["errors"].([]any)[0].(map[string]any); fe["field"] != "email" || fe["code"] != "invalid_email" {
				t.Errorf("%q: %v", email, p["errors"])
			}
		}

		it := e.must(201, e.do("POST", "/v1/interpreters", map[string]any{"name": " Claire\r\nDubois\u202e ", "email": "claire@example.org",
			"tz": "Europe/Paris", "languages": langs}))
		if it["name"] != "Claire Dubois" {
			t.Errorf("name stored as %q, want %q", it["name"], "Claire Dubois")
		}
		e.problem(e.do("POST", "/v1/interpreters", map[string]any{"name": "Claire\x07Dubois", "email": "claire2@example.org",
			"tz": "Europe/Paris", "languages": langs}), 422, "invalid_interpreter")
		id := it["id"].(string)
		e.problem(e.do("PATCH", "/v1/interpreters/"+id, map[string]any{"email": "claire@example.org\u200f"}, "If-Match", `"1"`), 422, "invalid_interpreter")
		up := e.must(200, e.do("PATCH", "/v1/interpreters/"+id, map[string]any{"name": "Claire\u2028Dubois-\u2067Martin\u2069"}, "If-Match", `"1"`))
		if up["name"] != "Claire Dubois-Martin" || up["email"] != "claire@example.org" {
			t.Errorf("after PATCH: %q <%s>", up["name"], up["email"])
		}

		// The roster import: the same rule, named by row and field; the quoted cell's line
		// break in a name is a space.
		csv := "name,email,languages,tz\r\n" +
			"\"Ana\r\nRuiz\",ana@example.org,es-A en-C,Europe/Madrid\r\n" +
			"Omar Haddad,omar@example.org\u202e,ar-A fr-C,Africa/Cairo\r\n" +
			"Li Wei,li\u200bwei@example.org,zh-A en-C,Asia/Shanghai\r\n"
		rep := e.importCSV(csv, false)
		probs := rep["problems"].([]any)
		if len(probs) != 2 {
			t.Fatalf("problems %v, want lines 4 and 5 invalid_email", probs)
		}
		for i, row := range []float64{4, 5} { // lines: Ana's quoted name takes lines 2 and 3
			p := probs[i].(map[string]any)
			if p["row"] != row || p["field"] != "email" || p["code"] != "invalid_email" {
				t.Errorf("problem %d: %v", i, p)
			}
		}
		csv = "name,email,languages,tz\r\n\"Ana\r\nRuiz\u202e\",ana@example.org,es-A en-C,Europe/Madrid\r\n"
		if rep := e.importCSV(csv, true); rep["created"] != float64(1) {
			t.Fatalf("import: %v", rep)
		}
		var list struct {
			Items []struct {
				Name, Email string
			} `json:"items"`
		}
		e.do("GET", "/v1/interpreters?limit=10", nil).into(t, &list)
		found := false
		for _, x := range list.Items {
			if x.Email == "ana@example.org" {
				found = true
				if x.Name != "Ana Ruiz" {
					t.Errorf("imported name %q, want %q", x.Name, "Ana Ruiz")
				}
			}
		}
		if !found {
			t.Errorf("ana@example.org not imported: %v", list.Items)
		}
	})
}

func (e *env) importCSV(body string, commit bool) map[string]any {
	e.t.Helper()
	path := "/v1/interpreters/import"
	if commit {
		path += "?commit=true"
	}
	req, err := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader([]byte(body)))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+e.token)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.must(200, resp{Status: res.StatusCode, Header: res.Header, Body: b})
}
