package db_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/plenary/plenary/services/platform/db"
)

// owners is the one owner package of every table (DESIGN.md, Storage): only the owner's
// package reads or writes it; another package calls the owner through an interface.
var owners = map[string]string{
	"meetings": "services/agenda", "sessions": "services/agenda", "agenda_items": "services/agenda",
	"registrations": "services/registration", "registration_settings": "services/registration",
	"interpreters": "services/interpretation", "assignments": "services/interpretation", "interpretation_checks": "services/interpretation",
	"offer_deadlines": "services/interpretation", "offer_settings": "services/interpretation", "open_seat_notices": "services/interpretation",
	// assignments_next only lives inside the SQLite migration that rebuilds assignments.
	"assignments_next": "services/interpretation",
	"audit_log":        "services/audit", "api_tokens": "services/platform/auth", "idempotency_keys": "services/platform/httpx",
	"outbox": "services/platform/outbox",
	// notifier_* below.
}

func ownerOf(table string) string {
	if strings.HasPrefix(table, "notifier_") {
		return "notifier"
	}
	return owners[table]
}

// tables are those the migrations create, in both dialects.
func tables(t *testing.T) []string {
	t.Helper()
	create := regexp.MustCompile(`(?i)CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)`)
	var out []string
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		sub, err := db.Migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		err = fs.WalkDir(sub, ".", func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			b, err := fs.ReadFile(sub, p)
			for _, m := range create.FindAllStringSubmatch(string(b), -1) {
				if !slices.Contains(out, strings.ToLower(m[1])) {
					out = append(out, strings.ToLower(m[1]))
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// Every table has an owner, and the SQL of every package (its non-test Go files) names
// only tables its package owns.
func TestEveryTableHasOneOwnerAndNoPackageTouchesAnothers(t *testing.T) {
	all := tables(t)
	if len(all) < 10 {
		t.Fatalf("the migrations create only %v", all)
	}
	for _, tb := range all {
		if ownerOf(tb) == "" {
			t.Errorf("table %s has no owner: add it to owners (and DESIGN.md, README)", tb)
		}
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from %s: %v", root, err)
	}
	// A table named where SQL names one: after FROM, JOIN, INTO, UPDATE, TABLE, or in
	// "DELETE FROM". Words that are not tables (e.g. "from the start") are ignored.
	ref := regexp.MustCompile(`(?i)\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_][a-z0-9_]*)`)
	found := 0
	err = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if name := e.Name(); name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			for _, m := range ref.FindAllStringSubmatch(s, -1) {
				tb := strings.ToLower(m[1])
				if !slices.Contains(all, tb) {
					continue
				}
				found++
				if owner := ownerOf(tb); owner != rel {
					t.Errorf("%s: %s uses table %s, which belongs to %s", filepath.Join(rel, filepath.Base(p)), strings.Join(strings.Fields(m[0]), " "), tb, owner)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Fatalf("only %d table references found: the walk missed the stores", found)
	}
}
