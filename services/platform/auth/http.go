package auth

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/httpx"
)

// Handlers is the admin API of tokens.
type Handlers struct{ store *Store }

// NewHandlers returns the token handlers.
func NewHandlers(s *Store) *Handlers { return &Handlers{store: s} }

// Register mounts the token routes on rg (the /v1 group).
func (h *Handlers) Register(rg gin.IRoutes) {
	rg.POST("/tokens", h.create)
	rg.GET("/tokens", h.list)
	rg.DELETE("/tokens/:id", h.revoke)
}

// Created is the answer to a token's creation: the only time its secret is shown.
type Created struct {
	Token
	Secret string `json:"token"`
}

func (h *Handlers) create(c *gin.Context) {
	var in NewToken
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	t, secret, err := h.store.Create(c, in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Location", "/v1/tokens/"+t.ID)
	httpx.JSON(c, http.StatusCreated, Created{Token: t, Secret: secret})
}

func (h *Handlers) list(c *gin.Context) {
	ts, err := h.store.List(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, httpx.List[Token]{Items: ts})
}

func (h *Handlers) revoke(c *gin.Context) {
	if _, err := h.store.Revoke(c, c.Param("id")); err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
