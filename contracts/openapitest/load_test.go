package openapitest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/contracts/openapitest"
)

// TestDocumentValidates loads contracts/openapi.yaml with kin-openapi and validates it as an
// OpenAPI 3.1 document.
func TestDocumentValidates(t *testing.T) {
	doc, err := openapitest.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi %s, want 3.1", doc.OpenAPI)
	}
}

// rawDocument is contracts/openapi.yaml as plain YAML, for the house rules kin-openapi does
// not check.
func rawDocument(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal(contracts.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestSchemasAreClosed: every object schema says which fields it has, so that a field the
// server sends (or takes) without the document describing it fails the API suites.
// A schema with properties sets additionalProperties (false, or a schema for maps), or
// unevaluatedProperties when it is composed with allOf; a member of an allOf is closed by
// the schema that composes it. `nullable` is OpenAPI 3.0: 3.1 says type: [..., "null"].
func TestSchemasAreClosed(t *testing.T) {
	doc := rawDocument(t)
	members := map[string]bool{}
	var walk func(n any, path string, member bool)
	var findMembers func(n any)
	findMembers = func(n any) {
		switch v := n.(type) {
		case map[string]any:
			if all, ok := v["allOf"].([]any); ok {
				for _, m := range all {
					if mm, ok := m.(map[string]any); ok {
						if ref, ok := mm["$ref"].(string); ok {
							members[strings.TrimPrefix(ref, "#/components/schemas/")] = true
						}
					}
				}
			}
			for _, x := range v {
				findMembers(x)
			}
		case []any:
			for _, x := range v {
				findMembers(x)
			}
		}
	}
	findMembers(doc)
	walk = func(n any, path string, member bool) {
		s, ok := n.(map[string]any)
		if !ok {
			return
		}
		if _, ok := s["nullable"]; ok {
			t.Errorf("%s: nullable is not OpenAPI 3.1; use type: [..., \"null\"]", path)
		}
		_, add := s["additionalProperties"]
		_, uneval := s["unevaluatedProperties"]
		if all, ok := s["allOf"].([]any); ok {
			for i, m := range all {
				walk(m, fmt.Sprintf("%s/allOf/%d", path, i), true)
			}
			if !member && !uneval && !add {
				t.Errorf("%s: composed with allOf but not closed (unevaluatedProperties: false)", path)
			}
		}
		for _, k := range []string{"oneOf", "anyOf"} {
			if alts, ok := s[k].([]any); ok {
				for i, m := range alts {
					walk(m, fmt.Sprintf("%s/%s/%d", path, k, i), false)
				}
			}
		}
		if props, ok := s["properties"].(map[string]any); ok {
			for name, p := range props {
				walk(p, path+"/"+name, false)
			}
			if !member && !add && !uneval {
				t.Errorf("%s: object schema without additionalProperties", path)
			}
		} else if s["type"] == "object" && !add && !uneval {
			t.Errorf("%s: object without properties: list them, or say additionalProperties: true for a free-form object", path)
		}
		walk(s["items"], path+"/items", false)
		walk(s["additionalProperties"], path+"/additionalProperties", false)
	}
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	for name, s := range schemas {
		walk(s, "#/components/schemas/"+name, members[name])
	}
	paths, _ := doc["paths"].(map[string]any)
	for path, item := range paths {
		ops, _ := item.(map[string]any)
		for method, op := range ops {
			o, ok := op.(map[string]any)
			if !ok || method == "parameters" {
				continue
			}
			if rb, ok := o["requestBody"].(map[string]any); ok {
				for ct, c := range asMap(rb["content"]) {
					walk(asMap(c)["schema"], fmt.Sprintf("%s %s request %s", method, path, ct), false)
				}
			}
			for code, r := range asMap(o["responses"]) {
				for ct, c := range asMap(asMap(r)["content"]) {
					walk(asMap(c)["schema"], fmt.Sprintf("%s %s %s %s", method, path, code, ct), false)
				}
			}
		}
	}
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

// TestEveryOperationDocumentsItsErrors: the answers every route can give are in the
// document: 400 (text a database cannot store, such as NUL or invalid UTF-8, in a path or
// query), 401 (an invalid bearer token is refused everywhere, public routes too), 429
// (rate limits), 500 and 503; 403 where a token or a signed link is checked; 412 and 428
// where If-Match is taken.
func TestEveryOperationDocumentsItsErrors(t *testing.T) {
	doc := rawDocument(t)
	paths := asMap(doc["paths"])
	n := 0
	for path, item := range paths {
		ops := asMap(item)
		pathParams := fmt.Sprint(ops["parameters"])
		for method, op := range ops {
			o := asMap(op)
			if o == nil || method == "parameters" {
				continue
			}
			n++
			params := pathParams + fmt.Sprint(o["parameters"])
			want := []string{"400", "401", "429", "500", "503"}
			sec, declared := o["security"].([]any)
			public := declared && len(sec) == 0
			if !public || strings.Contains(params, "LinkToken") || strings.Contains(path, "{token}") {
				want = append(want, "403")
			}
			if strings.Contains(params, "/IfMatch]") || strings.Contains(params, "/IfMatch ") {
				want = append(want, "412", "428")
			}
			responses := asMap(o["responses"])
			for _, code := range want {
				if _, ok := responses[code]; !ok {
					t.Errorf("%s %s documents no %s", strings.ToUpper(method), path, code)
				}
			}
		}
	}
	if n < 40 {
		t.Fatalf("only %d operations read", n)
	}
}
