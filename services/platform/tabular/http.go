package tabular

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/services/platform/httpx"
)

// Handler is the endpoint of an import: a dry run unless ?commit=true (?format= names the
// syntax when the Content-Type does not). read decodes the body into rows and lists the
// columns it ignores; run validates the rows and, with commit and no invalid row, stores
// them. The answer is the report; a refused commit is a 422 that carries it.
func Handler[R any](read func(Format, []byte) ([]R, []string, error), run func(c *gin.Context, rows []R, commit bool) (Report, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		commit, err := httpx.CommitQuery(c)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		format, body, err := ReadRequest(c.Request.Body, c.Query("format"), c.GetHeader("Content-Type"))
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		rows, ignored, err := read(format, body)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		rep, err := run(c, rows, commit)
		if err := rep.Finish(format, ignored, err); err != nil {
			httpx.Fail(c, err)
			return
		}
		httpx.JSON(c, http.StatusOK, rep)
	}
}
