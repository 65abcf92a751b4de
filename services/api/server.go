// Package api assembles Plenary's HTTP API: one Gin engine with the shared middleware,
// every service's routes (listed in routes.go), health, readiness, metrics and the
// OpenAPI contract.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/registration"
)

// Check is a readiness check: nil when the dependency is usable.
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
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
	Now           func() time.Time
	Ready         []Check
	// Mount adds routes of optional parts (the development mail page of `plenary serve`).
	Mount []func(r *gin.Engine, v1 *gin.RouterGroup)
}

// NewServer returns the API's handler.
func NewServer(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	r := httpx.NewEngine(httpx.Options{Log: d.Log, Registry: d.Registry})
	routes(r, d)
	return r
}

func healthz(c *gin.Context) { httpx.JSON(c, http.StatusOK, gin.H{"status": "ok"}) }

func readyz(checks []Check) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c, 2*time.Second)
		defer cancel()
		status := http.StatusOK
		out := map[string]string{}
		for _, ch := range checks {
			if err := ch.Fn(ctx); err != nil {
				status = http.StatusServiceUnavailable
				out[ch.Name] = "unavailable"
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

func openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", contracts.OpenAPI)
}
