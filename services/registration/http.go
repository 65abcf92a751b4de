package registration

import (
	"html/template"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/signed"
)

// JSON is the API form of a registration.
type JSON struct {
	ID               string    `json:"id"`
	MeetingID        string    `json:"meeting_id"`
	Name             string    `json:"name"`
	Email            string    `json:"email"`
	Locale           string    `json:"locale"`
	TZ               string    `json:"tz"`
	Sessions         []string  `json:"sessions"`
	ConsentReminders bool      `json:"consent_reminders"`
	Unsubscribed     bool      `json:"unsubscribed"`
	Pending          bool      `json:"pending"`
	Version          int64     `json:"version"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	Links            *Links    `json:"links,omitempty"`
}

func toJSON(r Registration, links *Links) JSON {
	s := r.Sessions
	if s == nil {
		s = []string{}
	}
	return JSON{ID: r.ID, MeetingID: r.MeetingID, Name: r.Name, Email: r.Email, Locale: r.Locale, TZ: r.TZ,
		Sessions: s, ConsentReminders: r.ConsentReminders, Unsubscribed: r.Unsubscribed, Pending: r.Pending, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Links: links}
}

// Handlers is the HTTP adapter of the registration service.
type Handlers struct{ svc *Service }

// NewHandlers returns the registration handlers.
func NewHandlers(svc *Service) *Handlers { return &Handlers{svc: svc} }

// Register mounts the routes on rg (the /v1 group). POST .../registrations is the
// secretariat's (or a public form's); the others check the signed token themselves.
func (h *Handlers) Register(rg gin.IRoutes) {
	rg.POST("/meetings/:id/registrations", h.create)
	rg.POST("/meetings/:id/registrations/import", h.importList())
	rg.GET("/meetings/:id/registrations/export.csv", h.exportList)
	rg.GET("/registrations/:id", h.get)
	rg.PATCH("/registrations/:id", h.update)
	rg.DELETE("/registrations/:id", h.delete)
	rg.GET("/unsubscribe/:token", h.unsubscribePage)
	rg.POST("/unsubscribe/:token", h.unsubscribe)
	rg.GET("/meetings/:id/registration-settings", h.getSettings)
	rg.PUT("/meetings/:id/registration-settings", h.putSettings)
}

func (h *Handlers) getSettings(c *gin.Context) {
	st, err := h.svc.Settings(c, c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, st)
}

func (h *Handlers) putSettings(c *gin.Context) {
	var in SettingsInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	st, err := h.svc.PutSettings(c, c.Param("id"), in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, st)
}

func (h *Handlers) create(c *gin.Context) {
	var in Input
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.svc.Register(c, c.Param("id"), in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	links := h.svc.LinksOf(r.ID)
	c.Header("Location", "/v1/registrations/"+r.ID)
	httpx.SetVersion(c, r.Version)
	httpx.JSON(c, http.StatusCreated, toJSON(r, &links))
}

// authorized checks the ?token= of a self-service route; it writes the failure.
func (h *Handlers) authorized(c *gin.Context) bool {
	if err := h.svc.Authorize(c.Query("token"), c.Param("id")); err != nil {
		httpx.Fail(c, err)
		return false
	}
	// A token in the URL must not leak through the Referer of a followed link.
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("Cache-Control", "no-store")
	return true
}

func (h *Handlers) get(c *gin.Context) {
	if !h.authorized(c) {
		return
	}
	r, err := h.svc.Get(c, c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	links := h.svc.LinksOf(r.ID)
	httpx.SetVersion(c, r.Version)
	httpx.JSON(c, http.StatusOK, toJSON(r, &links))
}

func (h *Handlers) update(c *gin.Context) {
	if !h.authorized(c) {
		return
	}
	var in Input
	v, ok := httpx.BindUpdate(c, &in)
	if !ok {
		return
	}
	r, err := h.svc.Update(c, c.Param("id"), v, in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.Versioned(c, http.StatusOK, r.Version, toJSON(r, nil))
}

func (h *Handlers) delete(c *gin.Context) {
	if !h.authorized(c) {
		return
	}
	v, err := httpx.IfMatchOrAny(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	if err := h.svc.Delete(c, c.Param("id"), v); err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// unsubscribe is the RFC 8058 one-click POST (List-Unsubscribe-Post) and the target of the
// confirmation page's form.
func (h *Handlers) unsubscribe(c *gin.Context) {
	r, err := h.svc.Unsubscribe(c, c.Param("token"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	if c.ContentType() == "application/x-www-form-urlencoded" && c.PostForm("List-Unsubscribe") == "" {
		// The confirmation page's form: answer with a page, not JSON.
		c.Header("Content-Type", "text/html; charset=utf-8")
		c.Status(http.StatusOK)
		_ = page.Execute(c.Writer, pageData{Done: true})
		return
	}
	httpx.JSON(c, http.StatusOK, gin.H{"id": r.ID, "unsubscribed": true})
}

type pageData struct {
	Done   bool
	Action string
}

var page = template.Must(template.New("unsubscribe").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="referrer" content="no-referrer"><title>Plenary: unsubscribe</title></head>
<body style="font-family:sans-serif;max-width:32em;margin:2em auto">
{{if .Done}}<p>You will receive no more email about this meeting.</p>
{{else}}<p>Stop all email about this meeting (reminders, changes and cancellations)?</p>
<form method="post" action="{{.Action}}"><button type="submit">Unsubscribe</button></form>{{end}}
</body></html>
`))

// unsubscribePage shows a confirmation page: a GET must change nothing, since mail
// scanners follow links.
func (h *Handlers) unsubscribePage(c *gin.Context) {
	token := c.Param("token")
	if _, err := h.svc.links.Keys.Verify(token, signed.Unsubscribe, h.svc.clock()); err != nil {
		httpx.Fail(c, checkToken(h.svc.links.Keys, token, signed.Unsubscribe, "", h.svc.clock()))
		return
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	c.Status(http.StatusOK)
	_ = page.Execute(c.Writer, pageData{Action: "/v1/unsubscribe/" + token})
}
