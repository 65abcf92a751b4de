// Package api assembles Plenary's HTTP API: one Gin engine with the shared middleware,
// every service's routes (listed in routes.go), health, readiness, metrics and the
// OpenAPI contract.
package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier"
	"github.com/plenary/plenary/notifier/ics"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/interpretation"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/registration"
	"github.com/plenary/plenary/services/web"
)

// Check is a readiness check: nil when the dependency is usable.
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
	// Degraded marks a dependency the API can work without for a while: its failure is
	// reported but keeps the process ready. NATS is one: writes still succeed and their
	// events wait in the outbox, so taking every replica out of service during a NATS
	// outage would turn a delay into downtime.
	Degraded bool
}

// Deps are what the API needs; main builds them.
type Deps struct {
	Log      *slog.Logger
	DB       *db.DB
	Registry *prometheus.Registry
	Agenda   *agenda.Service
	// Registrations is the registration service (routes are mounted even when nil, so the
	// route list is the same in every process).
	Registrations *registration.Service
	// Notifier serves the deliveries listing and calendar feeds from the notifier's
	// tables (its consumer need not run in this process); routes are mounted when nil.
	Notifier *notifier.Notifier
	Now      func() time.Time
	Ready    []Check
	// Mount adds routes of optional parts (the development mail page of `plenary serve`).
	// Their access is declared in routes.go like every other route's.
	Mount []func(r *gin.Engine, v1 *gin.RouterGroup)

	// Tokens are the secretariat's API tokens; a store over DB when nil.
	Tokens *auth.Store
	// LinkKeys verify signed links (the same keys that sign them); nil refuses every link.
	LinkKeys *signed.Keys
	// Links sign the links the pages show (confirmation, calendar feed); LinkKeys and
	// relative links when unset.
	Links signed.Links
	// Organizer is the sender named in the .ics files of the pages.
	Organizer ics.Person
	// WebLimits bound the public registration form; zero values are the defaults.
	WebLimits web.Limits
	// Limits are the request rates; zero values are the defaults.
	Limits auth.Limits
	// CORSOrigins may call the API from a browser; none when empty.
	CORSOrigins []string
	// TrustedProxies are the proxies whose X-Forwarded-For names the client (for rate
	// limits per address); none when empty, so a client cannot pick its own address.
	TrustedProxies []string

	// RequestBudget bounds each request's database calls (a little under the server's
	// write timeout); httpx.DefaultBudget when zero.
	RequestBudget time.Duration

	// Interpretation is the interpreters, plans and assignments service (routes are
	// mounted when nil).
	Interpretation *interpretation.Service
}

// ImportBodyBytes bounds an import file: 10,000 rows of a Zoom registrant export with
// its many columns fit.
const ImportBodyBytes = 16 << 20

// NewServer returns the API's handler.
func NewServer(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	if d.Tokens == nil {
		d.Tokens = auth.NewStore(d.DB, d.Now)
	}
	if d.Tokens.Audit == nil {
		d.Tokens.Audit = audit.TokenHook(d.Now)
	}
	r := httpx.NewEngine(httpx.Options{Log: d.Log, Registry: d.Registry, Budget: d.RequestBudget, RouteBodyLimits: map[string]int64{
		"POST /v1/interpreters/import":               ImportBodyBytes,
		"POST /v1/meetings/:id/registrations/import": ImportBodyBytes,
	}})
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil && d.Log != nil {
		d.Log.Error("trusted proxies: none trusted", "error", err.Error())
		_ = r.SetTrustedProxies(nil)
	}
	routes(r, d)
	if missing := Policy(d).Missing(r.Routes()); len(missing) > 0 && d.Log != nil {
		d.Log.Error("routes without access policy are refused", "routes", missing, "fix", auth.HowToAdd)
	}
	return r
}

// Policy returns the access policy of every route (for the authorization tests).
func Policy(d Deps) auth.Policy { return policy(d) }

func healthz(c *gin.Context) { httpx.JSON(c, http.StatusOK, gin.H{"status": "ok"}) }

func readyz(checks []Check) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c, 2*time.Second)
		defer cancel()
		status := http.StatusOK
		out := map[string]string{}
		for _, ch := range checks {
			if err := ch.Fn(ctx); err != nil {
				out[ch.Name] = "unavailable"
				if ch.Degraded {
					out[ch.Name] = "degraded"
				} else {
					status = http.StatusServiceUnavailable
				}
				httpx.Logger(c).Warn("readiness check failed", "check", ch.Name, "error", err.Error())
				continue
			}
			out[ch.Name] = "ok"
		}
		httpx.JSON(c, status, gin.H{"ready": status == http.StatusOK, "checks": out})
	}
}

func metricsHandler(reg *prometheus.Registry) gin.HandlerFunc {
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
	return gin.WrapH(h)
}

// openapiDoc is the contract (150 KB, read by every client generator and API browser)
// with its compressed forms, each made once; its tag is its content's.
var (
	openapiDoc = httpx.NewRepresentation(contracts.OpenAPI)
	openapiTag = func() string {
		sum := sha256.Sum256(contracts.OpenAPI)
		return `"o-` + hex.EncodeToString(sum[:12]) + `"`
	}()
)

func openapi(c *gin.Context) {
	coding, ok := httpx.Preferred(c)
	if !ok {
		return
	}
	c.Header("Cache-Control", "no-cache")
	httpx.Represent(c, openapiDoc, coding, openapiTag, "application/yaml; charset=utf-8", "")
}
