package api_test

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"gopkg.in/yaml.v3"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier/devmail"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/api"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/dbtest"
)

var ginParam = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

// TestRoutesMatchOpenAPI fails when a mounted route is missing from contracts/openapi.yaml
// or the document describes a route the server does not mount.
func TestRoutesMatchOpenAPI(t *testing.T) {
	var doc struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(contracts.OpenAPI, &doc); err != nil {
		t.Fatalf("openapi.yaml does not parse: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	methods := map[string]bool{"get": true, "post": true, "put": true, "patch": true, "delete": true}
	var spec []string
	for path, ops := range doc.Paths {
		for m := range ops {
			if methods[m] {
				spec = append(spec, strings.ToUpper(m)+" "+path)
			}
		}
	}

	d := dbtest.Open(t, db.SQLite)
	// With the mail page, as `plenary serve` mounts it.
	mailDir := t.TempDir()
	h := api.NewServer(api.Deps{DB: d, Agenda: agenda.NewService(d),
		Mount: []func(*gin.Engine, *gin.RouterGroup){func(r *gin.Engine, _ *gin.RouterGroup) { devmail.Mount(r, mailDir) }}})
	engine, ok := h.(*gin.Engine)
	if !ok {
		t.Fatalf("server is %T, want *gin.Engine", h)
	}
	var mounted []string
	for _, r := range engine.Routes() {
		if r.Method == http.MethodHead || r.Method == http.MethodOptions {
			continue
		}
		mounted = append(mounted, r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}"))
	}
	sort.Strings(spec)
	sort.Strings(mounted)
	for _, r := range mounted {
		if !slices.Contains(spec, r) {
			t.Errorf("route %s is mounted but not described in contracts/openapi.yaml", r)
		}
	}
	for _, r := range spec {
		if !slices.Contains(mounted, r) {
			t.Errorf("contracts/openapi.yaml describes %s but the server does not mount it", r)
		}
	}
	if len(mounted) < 15 {
		t.Fatalf("only %d routes mounted: %v", len(mounted), mounted)
	}
}
