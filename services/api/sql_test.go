package api_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sqlFormat finds SQL built with fmt: values must travel as parameters ($1 ...), never
// in the text of a statement.
var sqlFormat = regexp.MustCompile("(?is)(Sprintf|Fprintf|Appendf)\\(\\s*[`\"]\\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER)\\b")

func TestNoSQLIsFormatted(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "vendor" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if loc := sqlFormat.FindIndex(src); loc != nil {
			t.Errorf("%s: SQL built with a format string at byte %d; pass values as $n parameters", path, loc[0])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("only %d Go files scanned from %s", n, root)
	}
}

// TestSQLMetacharactersAreData sends SQL metacharacters through the text fields of the
// access and personal-data routes (the agenda's are in TestBadInputIsAClearClientError).
func TestSQLMetacharactersAreData(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		evil := `Robert'); DROP TABLE api_tokens; -- "\ %_`
		e.token = e.admin
		tok := e.must(201, e.do("POST", "/v1/tokens", map[string]any{"role": "viewer", "name": evil}))
		if tok["name"] != evil {
			t.Fatalf("token name: %v", tok["name"])
		}
		if list := e.do("GET", "/v1/tokens", nil); !strings.Contains(string(list.Body), `DROP TABLE api_tokens`) {
			t.Fatalf("token list: %s", list.Body)
		}
		e.do("DELETE", "/v1/tokens/"+`x' OR '1'='1`, nil).Problem(t, 404, "token_not_found")
		mid := e.createMeeting()
		e.must(200, e.do("GET", "/v1/audit?meeting="+`x'%20OR%20'1'='1`, nil))
		e.must(201, e.do("POST", "/v1/meetings/"+mid+"/registrations", map[string]any{"name": evil, "email": "o'brien@example.org", "locale": "en", "tz": "UTC"}))
		exp := e.must(200, e.do("POST", "/v1/people/export", map[string]any{"email": "o'brien@example.org"}))
		if regs := exp["registrations"].([]any); len(regs) != 1 || regs[0].(map[string]any)["name"] != evil {
			t.Fatalf("export: %v", exp)
		}
		e.do("POST", "/v1/people/export", map[string]any{"email": "x@example.org' OR 'a'='a"}).Problem(t, 400, "invalid_email")
	})
}
