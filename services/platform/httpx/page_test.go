package httpx

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// Walking a list page by page with the cursors PageOf gives visits every row once, in
// order; an empty list is "items": [].
func TestPageOfRoundTrip(t *testing.T) {
	rows := []string{"a1", "b2", "c3", "d4", "e5"}
	var seen []string
	cursor, pages := "", 0
	for {
		p, err := PageParams(contextWith("", url.Values{"limit": {"2"}, "cursor": {cursor}}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		var next []string // what a store returns: up to Limit+1 rows after p.After
		for _, r := range rows {
			if r > p.After && len(next) < p.Limit+1 {
				next = append(next, r)
			}
		}
		page := PageOf(p, next, func(r string) string { return r }, strings.ToUpper)
		seen = append(seen, page.Items...)
		pages++
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if strings.Join(seen, ",") != "A1,B2,C3,D4,E5" || pages != 3 {
		t.Fatalf("pages %d, rows %v", pages, seen)
	}
	empty, _ := json.Marshal(PageOf(Page{Limit: 2}, []string(nil), func(r string) string { return r }, strings.ToUpper))
	if string(empty) != `{"items":[]}` {
		t.Fatalf("empty page: %s", empty)
	}
}
