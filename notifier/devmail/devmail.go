// Package devmail is the local mail page of `plenary serve`: it lists the .eml files the
// notifier wrote to the mail folder and shows one. It is mounted only in serve, never in
// the production processes.
package devmail

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
)

var list = template.Must(template.New("list").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plenary: mail</title></head>
<body style="font-family:sans-serif;margin:2em">
<h1>Mail written by the notifier</h1>
{{if not .Messages}}<p>No mail yet.</p>{{else}}
<table cellpadding="4"><tr><th align="left">Date (UTC)</th><th align="left">To</th><th align="left">Subject</th></tr>
{{$token := .Token}}{{range .Messages}}<tr><td>{{.Date.UTC.Format "2006-01-02 15:04:05"}}</td><td>{{.To}}</td><td><a href="/dev/mail/{{.Name}}?token={{$token}}">{{.Subject}}</a></td></tr>
{{end}}</table>{{end}}
</body></html>
`))

// Mount adds GET /dev/mail and GET /dev/mail/{name} for the folder dir. Both take the
// signed link `plenary serve` prints at start (?token=, purpose dev_mail), so a browser
// can open them; the page's links carry it on.
func Mount(r gin.IRoutes, dir string) {
	r.GET("/dev/mail", func(c *gin.Context) {
		ms, err := mail.List(dir)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		c.Header("Content-Type", "text/html; charset=utf-8")
		c.Header("Cache-Control", "no-store")
		c.Status(http.StatusOK)
		_ = list.Execute(c.Writer, struct {
			Messages []mail.Summary
			Token    string
		}{ms, c.Query("token")})
	})
	r.GET("/dev/mail/:name", func(c *gin.Context) {
		raw, err := mail.Read(dir, c.Param("name"))
		if err != nil {
			httpx.Fail(c, problem.NotFound("message", c.Param("name")))
			return
		}
		// The raw message as text: the browser shows it and runs none of its HTML.
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, "text/plain; charset=utf-8", raw)
	})
}
