package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/registration"
)

// routes is the one place every route of the API is mounted.
func routes(r *gin.Engine, d Deps) {
	r.GET("/healthz", healthz)
	r.GET("/readyz", readyz(d.Ready))
	r.GET("/metrics", metricsHandler(d.Registry))
	r.GET("/openapi.yaml", openapi)

	v1 := r.Group("/v1", httpx.Idempotency(d.DB, func() time.Time { return d.Now() }))
	agenda.NewHandlers(d.Agenda).Register(v1)
	registration.NewHandlers(d.Registrations).Register(v1)

	for _, m := range d.Mount {
		m(r, v1)
	}
}
