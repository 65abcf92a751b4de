package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// Names as secretariats' rosters and Zoom's registrant lists hold them: accents, Arabic,
// Chinese, Cyrillic, a comma (written "Family, Given"), quotes.
var (
	givenNames  = []string{"Élodie", "François", "María José", "Iñaki", "João", "Zoë", "فاطمة", "يوسف", "李", "王", "Наталья", "Søren", "Ana \"Anita\"", "Chiara", "Kwame", "Aisha"}
	familyNames = []string{"Dupré", "Lefèvre", "Núñez", "Ibáñez", "Gonçalves", "O'Brien", "الزهراء", "حداد", "娜", "芳", "Иванова", "Kierkegård", "Costa", "Bianchi", "Mensah", "Bello"}
	// Real pools: one A and two or three C languages, a few with a B and retour.
	combinations = []struct{ langs, retour string }{
		{"fr-A en-C es-C", "no"}, {"es-A en-C fr-C", "no"}, {"en-A fr-C es-C ru-C", "no"}, {"ar-A en-B fr-C", "yes"},
		{"zh-A en-B", "yes"}, {"ru-A en-C fr-C", "no"}, {"fr-A en-B es-C", "no"}, {"pt-A es-C en-C", "no"},
	}
	zones = []string{"Europe/Paris", "Europe/Madrid", "America/New_York", "Africa/Cairo", "Asia/Shanghai", "Europe/Moscow", "America/Sao_Paulo", "Europe/Zurich"}
)

func personName(i int) string {
	g, f := givenNames[i%len(givenNames)], familyNames[(i/len(givenNames))%len(familyNames)]
	if i%97 == 0 {
		return f + ", " + g // a comma in a cell: quoted by the spreadsheet
	}
	return g + " " + f
}

// csvCell quotes a cell as a spreadsheet writes it: only when it holds the delimiter, a
// quote or a line break.
func csvCell(s string, delim byte) string {
	if strings.ContainsAny(s, string(delim)+"\"\n\r") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

type badRow struct {
	cells      []string // replaces the row's cells
	field      string
	code       string
	singleJSON map[string]any // the same person through the single-item API
}

// csvFile writes rows the way the brief's real exports look: BOM, delimiter, a blank
// line now and then and a separator-only row, and returns the body and the line of each
// data row.
func csvFile(header []string, rows [][]string, delim byte) (string, []int) {
	var b strings.Builder
	b.WriteString("\ufeff")
	line := 1
	write := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteByte(delim)
			}
			b.WriteString(csvCell(c, delim))
		}
		b.WriteString("\r\n")
		line += 1 + strings.Count(strings.Join(cells, ""), "\n")
	}
	write(header)
	lines := make([]int, len(rows))
	for i, r := range rows {
		if i > 0 && i%1000 == 0 {
			b.WriteString("\r\n") // a blank line
			line++
			write(make([]string, len(header))) // ";;;;;;": LibreOffice's empty row
		}
		lines[i] = line
		write(r)
	}
	return b.String(), lines
}

type importReport struct {
	Format    string `json:"format"`
	Committed bool   `json:"committed"`
	Rows      int    `json:"rows"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Skipped   int    `json:"skipped"`
	Invalid   int    `json:"invalid"`
	Ignored   []string
	Problems  []struct {
		Row   int    `json:"row"`
		Field string `json:"field"`
		Code  string `json:"code"`
	} `json:"problems"`
}

func decodeReport(t *testing.T, r resp) importReport {
	t.Helper()
	if r.Status >= 500 || r.Status == 429 {
		t.Fatalf("import answered %d, not a report:\n%.500s", r.Status, r.Body)
	}
	var rep importReport
	var raw struct {
		importReport
		Ignored []string `json:"ignored_columns"`
	}
	if err := json.Unmarshal(r.Body, &raw); err != nil {
		t.Fatalf("report: %v\n%.500s", err, r.Body)
	}
	rep = raw.importReport
	rep.Ignored = raw.Ignored
	return rep
}

func (r importReport) String() string {
	ps := r.Problems
	if len(ps) > 10 {
		ps = ps[:10]
	}
	return fmt.Sprintf("{%s committed=%v rows=%d created=%d updated=%d unchanged=%d skipped=%d invalid=%d first problems %v}",
		r.Format, r.Committed, r.Rows, r.Created, r.Updated, r.Unchanged, r.Skipped, r.Invalid, ps)
}

// problemsByRow is "row field code" for each problem, sorted.
func problemsByRow(rep importReport) []string {
	var out []string
	for _, p := range rep.Problems {
		out = append(out, fmt.Sprintf("%d %s %s", p.Row, p.Field, p.Code))
	}
	sort.Strings(out)
	return out
}

// singleItemProblem posts one item as JSON and returns "field code" of its first field error.
func (e *env) singleItemProblem(path string, body map[string]any) string {
	e.t.Helper()
	r := e.do("POST", path, body)
	if r.Status != 422 {
		e.t.Fatalf("the single-item API took %v: %d %s", body, r.Status, r.Body)
	}
	m := r.JSON(e.t)
	errs, _ := m["errors"].([]any)
	if len(errs) == 0 {
		e.t.Fatalf("no field errors: %s", r.Body)
	}
	fe := errs[0].(map[string]any)
	return fmt.Sprint(fe["field"], " ", fe["code"])
}

func TestImportRoster(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		header := []string{"Name", "E-mail", "Languages", "Retour", "Zone", "Working hours", "Booth minutes per day", "Notes"}
		const n = 10_000
		rows := make([][]string, n)
		for i := range rows {
			c := combinations[i%len(combinations)]
			hours := "08:00-20:00"
			if i%5 == 0 {
				hours = "09:00–17:30" // an en dash, as word processors write ranges
			}
			caps := ""
			if i%7 == 0 {
				caps = "360"
			}
			email := fmt.Sprintf("interp%05d@example.org", i)
			if i%11 == 0 {
				email = fmt.Sprintf("Interp%05d@Example.org", i) // case as people type it
			}
			rows[i] = []string{personName(i), email, c.langs, c.retour, zones[i%len(zones)], hours, caps, "AIIC; remote ok"}
		}
		// Bad rows at known places, with what the single-item API says of the same input.
		bad := map[int]badRow{
			17: {cells: []string{"Marie Curie", "marie.at.example.org", "fr-A en-C", "no", "Europe/Paris", "", "", ""}, field: "email", code: "invalid_email",
				singleJSON: map[string]any{"name": "Marie Curie", "email": "marie.at.example.org", "tz": "Europe/Paris", "languages": []map[string]string{{"lang": "fr", "class": "A"}, {"lang": "en", "class": "C"}}}},
			1203: {cells: []string{"Ahmed Saleh", "ahmed@example.org", "ar-A en-D", "no", "Africa/Cairo", "", "", ""}, field: "languages[1].class", code: "invalid_class",
				singleJSON: map[string]any{"name": "Ahmed Saleh", "email": "ahmed@example.org", "tz": "Africa/Cairo", "languages": []map[string]string{{"lang": "ar", "class": "A"}, {"lang": "en", "class": "D"}}}},
			2500: {cells: []string{"Lena Vogel", "lena@example.org", "en-B fr-C", "no", "Europe/Berlin", "", "", ""}, field: "languages", code: "no_a_language",
				singleJSON: map[string]any{"name": "Lena Vogel", "email": "lena@example.org", "tz": "Europe/Berlin", "languages": []map[string]string{{"lang": "en", "class": "B"}, {"lang": "fr", "class": "C"}}}},
			4999: {cells: []string{"Carlos Pérez", "carlos@example.org", "es-A en-C", "no", "CST", "", "", ""}, field: "tz", code: "invalid_zone",
				singleJSON: map[string]any{"name": "Carlos Pérez", "email": "carlos@example.org", "tz": "CST", "languages": []map[string]string{{"lang": "es", "class": "A"}}}},
			6000: {cells: []string{"Hana Novak", "hana@example.org", "en-A fr-C", "no", "Europe/Prague", "20:00-08:00", "", ""}, field: "working_hours", code: "invalid_hours",
				singleJSON: map[string]any{"name": "Hana Novak", "email": "hana@example.org", "tz": "Europe/Prague", "languages": []map[string]string{{"lang": "en", "class": "A"}}, "working_hours": map[string]string{"start": "20:00", "end": "08:00"}}},
			7777: {cells: []string{"Wang Fang", "wangf@example.org", "zh-A en-C", "yes", "Asia/Shanghai", "", "", ""}, field: "retour", code: "retour_without_b",
				singleJSON: map[string]any{"name": "Wang Fang", "email": "wangf@example.org", "tz": "Asia/Shanghai", "retour": true, "languages": []map[string]string{{"lang": "zh", "class": "A"}, {"lang": "en", "class": "C"}}}},
			8100: {cells: []string{"Ines Costa", "ines@example.org", "pt-A es-C", "peut-être", "Europe/Lisbon", "", "", ""}, field: "retour", code: "invalid_boolean"},
			9000: {cells: []string{"Kofi Annan", "kofi@example.org", "en-A fr-C", "no", "Africa/Accra", "", "4 hours", ""}, field: "booth_minutes_per_day", code: "invalid_number"},
			// The same person twice, the second time in capitals: the second row is named.
			9500: {cells: []string{"Élodie Dupré", "INTERP00020@EXAMPLE.ORG", "fr-A en-C", "no", "Europe/Paris", "", "", ""}, field: "email", code: "duplicate_in_file"},
		}
		for i, b := range bad {
			rows[i] = b.cells
			if b.singleJSON != nil {
				if got := e.singleItemProblem("/v1/interpreters", b.singleJSON); got != b.field+" "+b.code {
					t.Fatalf("row %d: the single-item API says %q, the test expects %s %s", i, got, b.field, b.code)
				}
			}
		}
		body, lines := csvFile(header, rows, ';')
		var want []string
		for i, b := range bad {
			want = append(want, fmt.Sprintf("%d %s %s", lines[i], b.field, b.code))
		}
		sort.Strings(want)

		// A dry run names each bad row and changes nothing.
		rep := decodeReport(t, e.do("POST", "/v1/interpreters/import", body, "Content-Type", "text/csv"))
		if rep.Committed || rep.Format != "csv" || rep.Rows != n || rep.Invalid != len(bad) || rep.Created != n-len(bad) || rep.Updated != 0 {
			t.Fatalf("dry run report: %v", rep)
		}
		if got := problemsByRow(rep); !slices.Equal(got, want) {
			t.Fatalf("problems:\n%.2000q\nwant\n%q", got, want)
		}
		if !slices.Equal(rep.Ignored, []string{"Notes"}) {
			t.Fatalf("ignored columns %q", rep.Ignored)
		}
		if items := e.must(200, e.do("GET", "/v1/interpreters?limit=1", nil))["items"].([]any); len(items) != 0 {
			t.Fatalf("a dry run stored %d interpreters", len(items))
		}

		// A commit with bad rows stores nothing and says why.
		p := e.do("POST", "/v1/interpreters/import?commit=true", body, "Content-Type", "text/csv").Problem(t, 422, "import_invalid")
		if errs := p["errors"].([]any); len(errs) != len(bad) {
			t.Fatalf("%d field errors, want %d", len(errs), len(bad))
		}
		if items := e.must(200, e.do("GET", "/v1/interpreters?limit=1", nil))["items"].([]any); len(items) != 0 {
			t.Fatalf("a failed commit stored %d interpreters", len(items))
		}

		// Without the bad rows the file imports in one call.
		var good [][]string
		for i, r := range rows {
			if _, isBad := bad[i]; !isBad {
				good = append(good, r)
			}
		}
		body, _ = csvFile(header, good, ';')
		rep = decodeReport(t, e.do("POST", "/v1/interpreters/import?commit=true", body, "Content-Type", "text/csv"))
		if !rep.Committed || rep.Created != len(good) || rep.Invalid != 0 {
			t.Fatalf("commit report: %v", rep)
		}

		// The export reads back as the same pool: importing it changes nothing.
		exp := e.do("GET", "/v1/interpreters/export.csv", nil)
		if exp.Status != 200 || !strings.HasPrefix(exp.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(string(exp.Body), "\ufeffname,email,") {
			t.Fatalf("export: %d %s %.200s", exp.Status, exp.Header.Get("Content-Type"), exp.Body)
		}
		if got := strings.Count(string(exp.Body), "\r\n"); got != len(good)+1 {
			t.Fatalf("export has %d lines, want %d", got, len(good)+1)
		}
		rep = decodeReport(t, e.do("POST", "/v1/interpreters/import?commit=true", string(exp.Body), "Content-Type", "text/csv"))
		if rep.Unchanged != len(good) || rep.Created+rep.Updated+rep.Invalid != 0 {
			t.Fatalf("re-import of the export: %v", rep)
		}
		// The export's own cells: an interpreter written "Family, Given" and one with a quote.
		for _, want := range []string{`"Dupré, Élodie"`, `"Ana ""Anita"" Dupré"`, "ar-A en-B fr-C,yes", "09:00-17:30,360"} {
			if !strings.Contains(string(exp.Body), want) {
				t.Errorf("export lacks %s", want)
			}
		}
		// An upsert by email: one changed row updates that interpreter only.
		upd := "email,working_hours\r\ninterp00001@example.org,07:00-15:00\r\n"
		rep = decodeReport(t, e.do("POST", "/v1/interpreters/import?commit=true", upd, "Content-Type", "text/csv"))
		if rep.Updated != 1 || rep.Created != 0 {
			t.Fatalf("upsert: %v", rep)
		}
		if !strings.Contains(string(e.do("GET", "/v1/interpreters/export.csv", nil).Body), "interp00001@example.org,en,Europe/Madrid,es-A en-C fr-C,no,no,07:00-15:00,") {
			t.Fatal("export lost the updated interpreter")
		}
	})
}

func TestImportRosterJSONLines(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		body := `{"name": "Nour El-Houda", "email": "nour@example.org", "tz": "Africa/Tunis", "languages": [{"lang": "ar", "class": "A"}, {"lang": "fr", "class": "B"}, {"lang": "en", "class": "C"}], "retour": true}

{"name": "Li Na", "email": "li.na@example.cn", "tz": "Asia/Shanghai", "languages": [{"lang": "zh", "class": "A"}], "salary": 1}
{"name": "Broken"
`
		rep := decodeReport(t, e.do("POST", "/v1/interpreters/import", body, "Content-Type", "application/x-ndjson"))
		want := []string{"3 salary unknown_field", "4  malformed_json"}
		if got := problemsByRow(rep); rep.Format != "jsonl" || rep.Created != 1 || !slices.Equal(got, want) {
			t.Fatalf("report %v problems %q, want %q", rep, got, want)
		}
	})
}

func TestImportErrors(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	e := newEnv(t, d)
	m := e.createMeeting()
	cases := []struct {
		path, ct, body string
		status         int
		code           string
	}{
		{"/v1/interpreters/import", "text/csv", "name,tz\nAna,Europe/Paris\n", 400, "missing_column"},
		{"/v1/interpreters/import", "text/csv", "name,email\nJos\xe9,j@example.org\n", 400, "invalid_encoding"},
		{"/v1/interpreters/import", "application/json", "{}", 415, "unsupported_media_type"},
		{"/v1/interpreters/import?commit=yes", "text/csv", "email\n", 400, "invalid_commit"},
		{"/v1/interpreters/import", "text/csv", "email\n" + strings.Repeat("a@example.org\n", 10_001), 413, "too_many_rows"},
		{"/v1/meetings/" + m + "/registrations/import", "text/csv", "", 400, "empty_file"},
		{"/v1/meetings/" + m + "/registrations/import", "text/csv", "name,email\n\"Ana,a@example.org\n", 400, "malformed_csv"},
		{"/v1/meetings/" + m + "/registrations/import?tz=CST", "text/csv", "name,email\nAna,a@example.org\n", 400, "ambiguous_abbreviation"},
		{"/v1/meetings/nope/registrations/import", "text/csv", "name,email\nAna,a@example.org\n", 404, "meeting_not_found"},
		{"/v1/meetings/nope/registrations/export.csv", "", "", 404, "meeting_not_found"},
	}
	for _, tc := range cases {
		method := "POST"
		var body any = tc.body
		if strings.HasSuffix(tc.path, ".csv") {
			method, body = "GET", nil
		}
		e.do(method, tc.path, body, "Content-Type", tc.ct).Problem(t, tc.status, tc.code)
	}
}

func TestImportRegistrants(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.createMeeting()
		s1 := e.createSession(m, map[string]any{"title": map[string]string{"en": "Morning sitting"}, "start": "2026-12-08T09:00", "duration_min": 180,
			"tz": "Europe/Paris", "floor_languages": []string{"en", "fr"}})["id"].(string)
		s2 := e.createSession(m, map[string]any{"title": map[string]string{"en": "Afternoon sitting"}, "start": "2026-12-08T15:00", "duration_min": 180,
			"tz": "Europe/Paris", "floor_languages": []string{"en", "fr"}})["id"].(string)

		// Zoom's registrant export, as it comes: its columns, its approval status.
		header := []string{"First Name", "Last Name", "Email", "City", "Country/Region", "Organization", "Job Title", "Registration Time", "Approval Status"}
		const n = 10_000
		rows := make([][]string, n)
		orgs := []string{"Ministry of Foreign Affairs, Trade and Development", "Parlement européen", "مجلس النواب", "全国人民代表大会", "Senado Federal"}
		for i := range rows {
			status := "approved"
			if i%500 == 3 {
				status = "denied"
			}
			rows[i] = []string{givenNames[i%len(givenNames)], familyNames[(i/len(givenNames))%len(familyNames)], fmt.Sprintf("reg%05d@example.org", i),
				"Genève", "Switzerland", orgs[i%len(orgs)], "Delegate", "Nov 20, 2026 10:15 AM", status}
		}
		long := strings.Repeat("Ж", 201)
		bad := map[int]badRow{
			42: {cells: []string{"Jean", "Dupont", "jean.dupont@", "Paris", "France", "", "", "", "approved"}, field: "email", code: "invalid_email",
				singleJSON: map[string]any{"name": "Jean Dupont", "email": "jean.dupont@", "locale": "en", "tz": "Europe/Paris"}},
			3000: {cells: []string{long, "", "long@example.org", "", "", "", "", "", "approved"}, field: "name", code: "invalid_name",
				singleJSON: map[string]any{"name": long, "email": "long@example.org", "locale": "en", "tz": "Europe/Paris"}},
			// Registered twice (Zoom keeps both rows when the case differs).
			8888: {cells: []string{"Reg", "Twice", "REG00100@example.org", "", "", "", "", "", "approved"}, field: "email", code: "duplicate_in_file"},
		}
		for i, b := range bad {
			rows[i] = b.cells
			if b.singleJSON != nil {
				if got := e.singleItemProblem("/v1/meetings/"+m+"/registrations", b.singleJSON); got != b.field+" "+b.code {
					t.Fatalf("row %d: the single-item API says %q, the test expects %s %s", i, got, b.field, b.code)
				}
			}
		}
		denied := 0
		for i, r := range rows {
			if _, isBad := bad[i]; !isBad && r[8] == "denied" {
				denied++
			}
		}
		body, lines := csvFile(header, rows, ',')
		var want []string
		for i, b := range bad {
			want = append(want, fmt.Sprintf("%d %s %s", lines[i], b.field, b.code))
		}
		sort.Strings(want)
		path := "/v1/meetings/" + m + "/registrations/import"
		rep := decodeReport(t, e.do("POST", path, body, "Content-Type", "text/csv"))
		if rep.Committed || rep.Rows != n || rep.Invalid != len(bad) || rep.Skipped != denied || rep.Created != n-len(bad)-denied {
			t.Fatalf("dry run: %v", rep)
		}
		if got := problemsByRow(rep); !slices.Equal(got, want) {
			t.Fatalf("problems %.2000q, want %q", got, want)
		}
		if want := []string{"City", "Country/Region", "Organization", "Job Title", "Registration Time"}; !slices.Equal(rep.Ignored, want) {
			t.Fatalf("ignored %q", rep.Ignored)
		}
		if exp := e.do("GET", "/v1/meetings/"+m+"/registrations/export.csv", nil); string(exp.Body) != "\ufeffname,email,locale,tz,sessions,consent_reminders\r\n" {
			t.Fatalf("a dry run stored registrations: %.300s", exp.Body)
		}
		e.do("POST", path+"?commit=true", body, "Content-Type", "text/csv").Problem(t, 422, "import_invalid")

		var good [][]string
		for i, r := range rows {
			if _, isBad := bad[i]; !isBad {
				good = append(good, r)
			}
		}
		body, _ = csvFile(header, good, ',')
		// Rows without a locale and zone take the ones given, else the meeting's.
		rep = decodeReport(t, e.do("POST", path+"?commit=true&tz=Europe/Zurich&locale=fr-CH", body, "Content-Type", "text/csv"))
		if !rep.Committed || rep.Created != len(good)-denied {
			t.Fatalf("commit: %v", rep)
		}
		var regEvents int
		if err := d.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM outbox WHERE subject = 'plenary.v1.registration.created'`).Scan(&regEvents); err != nil {
			t.Fatal(err)
		}
		if regEvents != len(good)-denied {
			t.Fatalf("%d registration.created events, want %d", regEvents, len(good)-denied)
		}

		// Our own columns, semicolons, sessions and consent: an update of two people and
		// one new, then the export round-trips.
		own := "\ufeffName;Email;Locale;TZ;Sessions;Consent\r\n" +
			"Élodie Dupré;reg00000@example.org;fr-CA;America/Montreal;" + s1 + ";oui\r\n" +
			"\"Núñez, María José\";reg00001@example.org;es-419;America/Mexico_City;" + s1 + " " + s2 + ";yes\r\n" +
			";;;;;\r\n" +
			"王芳;wang.fang@example.cn;zh-Hans-CN;Asia/Shanghai;;no\r\n" +
			"Ahmed Saleh;ahmed@example.org;ar;Asia/Kolkata;not-a-session;yes\r\n"
		rep = decodeReport(t, e.do("POST", path, own, "Content-Type", "text/csv"))
		if got, want := problemsByRow(rep), []string{"6 sessions/0 unknown_session"}; !slices.Equal(got, want) || rep.Updated != 2 || rep.Created != 1 {
			t.Fatalf("own columns: %v %q", rep, got)
		}
		own = strings.Replace(own, "not-a-session", s2, 1)
		rep = decodeReport(t, e.do("POST", path+"?commit=true", own, "Content-Type", "text/csv"))
		if !rep.Committed || rep.Updated != 2 || rep.Created != 2 {
			t.Fatalf("own columns commit: %v", rep)
		}
		exp := e.do("GET", "/v1/meetings/"+m+"/registrations/export.csv", nil)
		sorted := []string{s1, s2}
		sort.Strings(sorted)
		for _, want := range []string{
			"\"Núñez, María José\",reg00001@example.org,es-419,America/Mexico_City," + sorted[0] + " " + sorted[1] + ",yes\r\n",
			"王芳,wang.fang@example.cn,zh-Hans-CN,Asia/Shanghai,,no\r\n",
			"María José Dupré,reg00002@example.org,fr-CH,Europe/Zurich,,no\r\n",
			// Zoom's First Name 王 and Last Name 芳 make 王芳, as Chinese is written.
			"王芳,reg00153@example.org,fr-CH,Europe/Zurich,,no\r\n",
		} {
			if !strings.Contains(string(exp.Body), want) {
				t.Errorf("export lacks %q", want)
			}
		}
		rep = decodeReport(t, e.do("POST", path+"?commit=true", string(exp.Body), "Content-Type", "text/csv"))
		if rep.Unchanged != len(good)-denied+2 || rep.Created+rep.Updated+rep.Invalid != 0 {
			t.Fatalf("re-import of the export: %v", rep)
		}
	})
}
