package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/bench"
	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

// benchClient posts to a real API server with a planner token.
type benchClient struct {
	url, token string
	client     *http.Client
}

func newBenchClient(b *testing.B, d *db.DB) benchClient {
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	deps, _, _ := newDeps(d, clock)
	srv := httptest.NewServer(api.NewServer(deps))
	b.Cleanup(srv.Close)
	_, secret, err := deps.Tokens.Create(context.Background(), auth.NewToken{Name: "bench planner", Role: auth.RolePlanner})
	if err != nil {
		b.Fatal(err)
	}
	return benchClient{url: srv.URL, token: secret, client: srv.Client()}
}

func (c benchClient) post(path, contentType string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest("POST", c.url+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := c.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return res.StatusCode, out, err
}

// rosterRows are n interpreters as a roster holds them, their emails marked with tag so
// that every round creates new ones.
func rosterRows(tag string, n int) [][]string {
	rows := make([][]string, n)
	for i := range rows {
		c := combinations[i%len(combinations)]
		rows[i] = []string{personName(i), fmt.Sprintf("%s.%05d@example.org", tag, i), c.langs, c.retour, zones[i%len(zones)], "08:00-20:00", ""}
	}
	return rows
}

var rosterHeader = []string{"Name", "E-mail", "Languages", "Retour", "Zone", "Working hours", "Booth minutes per day"}

// BenchmarkImport measures the import rate (rows stored per second) of a 10,000-row
// roster and of a 10,000-row registrant list, committed in one call, beside the same
// kind of rows sent one by one to the single-item API (300 a round), alternating the
// two (one by one first) on each database. The goal: an import stores a row at least
// five times faster than a client looping over the single-item API.
func BenchmarkImport(b *testing.B) {
	const rows, singles = 10_000, 300
	for _, dialect := range dbtest.Dialects() {
		b.Run(string(dialect), func(b *testing.B) {
			d := dbtest.Open(b, dialect)
			c := newBenchClient(b, d)
			round := 0
			for b.Loop() {
				importRoster := func() (float64, error) {
					round++
					body, _ := csvFile(rosterHeader, rosterRows(fmt.Sprintf("imp%d", round), rows), ';')
					start := time.Now()
					status, out, err := c.post("/v1/interpreters/import?commit=true", "text/csv", []byte(body))
					if err != nil || status != 200 {
						return 0, fmt.Errorf("import: %d %v %.300s", status, err, out)
					}
					return rows / time.Since(start).Seconds(), nil
				}
				oneByOne := func() (float64, error) {
					round++
					start := time.Now()
					for i, r := range rosterRows(fmt.Sprintf("one%d", round), singles) {
						var langs []map[string]string
						for _, ls := range strings.Fields(r[2]) {
							l, cl, _ := strings.Cut(ls, "-")
							langs = append(langs, map[string]string{"lang": l, "class": cl})
						}
						body, _ := json.Marshal(map[string]any{"name": r[0], "email": r[1], "tz": r[4], "languages": langs, "retour": r[3] == "yes"})
						if status, out, err := c.post("/v1/interpreters", "application/json", body); err != nil || status != 201 {
							return 0, fmt.Errorf("row %d: %d %v %.300s", i, status, err, out)
						}
					}
					return singles / time.Since(start).Seconds(), nil
				}
				p, err := bench.Alternate(bench.Rounds(), importRoster, oneByOne)
				if err != nil {
					b.Fatal(err)
				}
				bench.Record(b, bench.AtLeast(fmt.Sprintf("roster import, 10,000 CSV rows in one call (%s)", dialect), "rows/s",
					"POST /v1/interpreters one by one", p, 5))

				m := benchMeeting(b, c)
				importList := func() (float64, error) {
					round++
					list := make([][]string, rows)
					for i := range list {
						list[i] = []string{givenNames[i%len(givenNames)], familyNames[(i/len(givenNames))%len(familyNames)],
							fmt.Sprintf("r%d.%05d@example.org", round, i), "Genève", "Switzerland", "approved"}
					}
					body, _ := csvFile([]string{"First Name", "Last Name", "Email", "City", "Country/Region", "Approval Status"}, list, ',')
					start := time.Now()
					status, out, err := c.post("/v1/meetings/"+m+"/registrations/import?commit=true", "text/csv", []byte(body))
					if err != nil || status != 200 {
						return 0, fmt.Errorf("import: %d %v %.300s", status, err, out)
					}
					return rows / time.Since(start).Seconds(), nil
				}
				registerOneByOne := func() (float64, error) {
					round++
					start := time.Now()
					for i := range singles {
						body, _ := json.Marshal(map[string]any{"name": personName(i), "email": fmt.Sprintf("s%d.%05d@example.org", round, i),
							"locale": "fr-CH", "tz": "Europe/Zurich"})
						if status, out, err := c.post("/v1/meetings/"+m+"/registrations", "application/json", body); err != nil || status != 201 {
							return 0, fmt.Errorf("row %d: %d %v %.300s", i, status, err, out)
						}
					}
					return singles / time.Since(start).Seconds(), nil
				}
				p, err = bench.Alternate(bench.Rounds(), importList, registerOneByOne)
				if err != nil {
					b.Fatal(err)
				}
				bench.Record(b, bench.AtLeast(fmt.Sprintf("registrant import, 10,000 Zoom CSV rows in one call (%s)", dialect), "rows/s",
					"POST /v1/meetings/{id}/registrations one by one", p, 5))
			}
		})
	}
}

func benchMeeting(b *testing.B, c benchClient) string {
	body, _ := json.Marshal(map[string]any{"title": map[string]string{"en": "Forum on Climate Resilience"}, "venue_tz": "Europe/Paris",
		"format": "virtual", "default_lang": "en"})
	status, out, err := c.post("/v1/meetings", "application/json", body)
	if err != nil || status != 201 {
		b.Fatalf("meeting: %d %v %s", status, err, out)
	}
	var m struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(out, &m); err != nil {
		b.Fatal(err)
	}
	return m.ID
}
