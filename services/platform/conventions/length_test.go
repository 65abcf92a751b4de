package conventions_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// maxLines is the longest a function of the product (not of its tests) may be without
// saying why: past it a reader can no longer hold the function whole, and it is usually
// several concepts that want names of their own.
const maxLines = 80

// why is the comment a longer function carries in its doc comment: a sentence "It is
// long because ..." that gives the reason (a table of routes, one snapshot read in one
// order, one algorithm over shared state ...).
var why = regexp.MustCompile(`It\s+is\s+long\s+because\s+\S+\s+\S+\s+\S+`)

// notYet are the long functions of packages that were being reworked while this rule
// came in (scheduler/interp's allocator and checker, the staffing board): each is to be
// split or explained by whoever next changes it, and removed from here. The test fails
// on a name here that is no longer long, so the list only shrinks.
var notYet = map[string]bool{
	"scheduler/interp/check.go checker.relay":    true,
	"scheduler/interp/check.go checker.timeline": true,
	"scheduler/interp/check.go checkRoutes":      true,
	"scheduler/interp/check.go InferRoutes":      true,
}

// longFunction is a function over maxLines lines without a reason.
type longFunction struct {
	at    string
	name  string
	lines int
}

// longFunctions lists the functions of the non-test, non-generated Go files below root
// that are longer than maxLines lines (from func to its closing brace) and whose doc
// comment does not say why.
func longFunctions(root string) ([]longFunction, error) {
	var out []longFunction
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if p != root && (strings.HasPrefix(e.Name(), ".") || e.Name() == "testdata" || e.Name() == "vendor" || e.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			return fmt.Errorf("parse %s: %w", p, err)
		}
		if ast.IsGenerated(f) {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			start, end := fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line
			if n := end - start + 1; n > maxLines && (fd.Doc == nil || !why.MatchString(fd.Doc.Text())) {
				name := fd.Name.Name
				if fd.Recv != nil && len(fd.Recv.List) == 1 {
					name = recvName(fd.Recv.List[0].Type) + "." + name
				}
				out = append(out, longFunction{at: fmt.Sprintf("%s:%d", filepath.ToSlash(rel), start), name: name, lines: n})
			}
		}
		return nil
	})
	return out, err
}

func recvName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.IndexExpr:
		return recvName(t.X)
	case *ast.IndexListExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	}
	return "?"
}

// No function of the product is longer than maxLines lines unless its doc comment says
// why ("It is long because ..."); the failure lists each one with file and line.
func TestNoLongFunctionWithoutAReason(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from %s: %v", root, err)
	}
	long, err := longFunctions(root)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range long {
		file, _, _ := strings.Cut(f.at, ":")
		if k := file + " " + f.name; notYet[k] {
			seen[k] = true
			continue
		}
		t.Errorf("%s: %s is %d lines (more than %d): split it by concept, or say why it is one piece in its doc comment (\"It is long because ...\")", f.at, f.name, f.lines, maxLines)
	}
	for k := range notYet {
		if !seen[k] {
			t.Errorf("%s is no longer a long function without a reason: remove it from notYet", k)
		}
	}
}

// The walk itself: a long function without a reason is found, one with a reason, one at
// the limit, a test file's and a generated file's are not.
func TestLongFunctionsFindsWhatItShould(t *testing.T) {
	dir := t.TempDir()
	body := func(n int) string { return strings.Repeat("\t_ = 1\n", n-2) }
	files := map[string]string{
		"go.mod":          "module example.org/x\n",
		"a/long.go":       "package a\n\nfunc Long() {\n" + body(81) + "}\n",
		"a/limit.go":      "package a\n\nfunc Limit() {\n" + body(80) + "}\n",
		"a/why.go":        "package a\n\n// Why is one table. It is long\n// because one table of routes reads better whole.\nfunc Why() {\n" + body(120) + "}\n",
		"a/method.go":     "package a\n\ntype T struct{}\n\n// Vague says nothing. It is long because.\nfunc (t *T) Vague() {\n" + body(90) + "}\n",
		"a/long_test.go":  "package a\n\nfunc helper() {\n" + body(200) + "}\n",
		"a/gen.go":        "// Code generated by hand. DO NOT EDIT.\n\npackage a\n\nfunc Gen() {\n" + body(200) + "}\n",
		"a/testdata/x.go": "package x\n\nfunc X() {\n" + body(200) + "}\n",
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long, err := longFunctions(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range long {
		got[f.at+" "+f.name] = f.lines
	}
	want := map[string]int{"a/long.go:3 Long": 81, "a/method.go:6 T.Vague": 90}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("long functions = %v, want %v", got, want)
	}
}
