package interpretation

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/signed"
)

// InterpreterJSON is the API form of an interpreter.
type InterpreterJSON struct {
	ID           string             `json:"id"`
	Name         string             `json:"name"`
	Email        string             `json:"email"`
	Locale       string             `json:"locale"`
	TZ           string             `json:"tz"`
	Languages    []interp.LangSkill `json:"languages"`
	Retour       bool               `json:"retour"`
	Remote       bool               `json:"remote"`
	WorkingHours HoursJSON          `json:"working_hours"`
	Caps         CapsJSON           `json:"caps"`
	Unavailable  []IntervalJSON     `json:"unavailable"`
	Preferences  interp.Preferences `json:"preferences"`
	Version      int64              `json:"version"`
	CreatedAt    time.Time          `json:"created_at"`
	UpdatedAt    time.Time          `json:"updated_at"`
}

func interpreterJSON(it Interpreter) InterpreterJSON {
	h := it.WorkingHoursOrDefault()
	out := InterpreterJSON{ID: it.ID, Name: it.Name, Email: it.Email, Locale: it.Locale, TZ: it.TZ, Languages: nonNil(it.Languages),
		Retour: it.Retour, Remote: it.Remote, WorkingHours: HoursJSON{Start: formatClock(h.Start), End: formatClock(h.End)},
		Caps: CapsJSON{BoothMinutesPerDay: it.Caps.BoothMinutesPerDay, BoothMinutesPerWeek: it.Caps.BoothMinutesPerWeek,
			SessionsPerDay: it.Caps.SessionsPerDay, MinRestMinutes: int(it.Caps.MinRest / time.Minute)},
		Unavailable: []IntervalJSON{}, Preferences: it.Preferences, Version: it.Version, CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt}
	for _, u := range it.Unavailable {
		out.Unavailable = append(out.Unavailable, IntervalJSON{Start: u.Start.UTC().Format(time.RFC3339), End: u.End.UTC().Format(time.RFC3339)})
	}
	return out
}

// AssignmentJSON is the API form of an assignment.
type AssignmentJSON struct {
	ID            string `json:"id"`
	MeetingID     string `json:"meeting_id"`
	SessionID     string `json:"session_id"`
	Booth         string `json:"booth"`
	InterpreterID string `json:"interpreter_id"`
	// InterpreterName is filled in lists and reads for the secretariat.
	InterpreterName string    `json:"interpreter_name,omitempty"`
	Role            string    `json:"role"`
	State           string    `json:"state"`
	StartUTC        string    `json:"start_utc"`
	EndUTC          string    `json:"end_utc"`
	SessionLive     bool      `json:"session_live"`
	Sequence        int64     `json:"sequence"`
	Version         int64     `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	// Deadline is when an offer expires unanswered (offers only).
	Deadline *time.Time `json:"deadline,omitempty"`
}

func assignmentJSON(a Assignment) AssignmentJSON {
	return AssignmentJSON{ID: a.ID, MeetingID: a.MeetingID, SessionID: a.SessionID, Booth: a.Booth, InterpreterID: a.InterpreterID,
		Role: a.Role, State: a.State, StartUTC: a.StartUTC.Format(time.RFC3339), EndUTC: a.EndUTC.Format(time.RFC3339),
		SessionLive: a.Live, Sequence: a.Sequence, Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// TransitionJSON is the answer to a change of state: the assignment, and after a decline
// the replacement proposed for the re-opened seat, or the gap that says why there is none.
type TransitionJSON struct {
	AssignmentJSON
	Replacements []AssignmentJSON `json:"replacements,omitempty"`
	Gaps         []interp.Gap     `json:"gaps,omitempty"`
}

func transitionJSON(r TransitionResult) TransitionJSON {
	out := TransitionJSON{AssignmentJSON: assignmentJSON(r.Assignment), Gaps: r.Gaps}
	for _, a := range r.Replacements {
		out.Replacements = append(out.Replacements, assignmentJSON(a))
	}
	return out
}

// Handlers is the HTTP adapter of the interpretation service.
type Handlers struct {
	svc  *Service
	keys *signed.Keys
	now  func() time.Time
}

// NewHandlers returns the handlers; keys verify the interpreters' signed links (nil: the
// self-service routes answer 503).
func NewHandlers(svc *Service, keys *signed.Keys, now func() time.Time) *Handlers {
	if now == nil {
		now = time.Now
	}
	return &Handlers{svc: svc, keys: keys, now: now}
}

// Register mounts the secretariat's routes on rg (the /v1 group).
func (h *Handlers) Register(rg gin.IRoutes) {
	rg.POST("/interpreters", h.createInterpreter)
	rg.GET("/interpreters", h.listInterpreters)
	rg.POST("/interpreters/import", h.importInterpreters())
	rg.GET("/interpreters/export.csv", h.exportInterpreters)
	rg.GET("/interpreters/:id", h.getInterpreter)
	rg.PATCH("/interpreters/:id", h.updateInterpreter)
	rg.POST("/meetings/:id/interpretation/plan", h.plan)
	rg.POST("/meetings/:id/interpretation/offers", h.offer)
	rg.GET("/meetings/:id/interpretation/board", h.board)
	rg.POST("/interpretation/plan", h.planRange)
	rg.GET("/meetings/:id/interpretation/check", h.check)
	rg.GET("/meetings/:id/assignments", h.listAssignments)
	rg.POST("/assignments", h.createAssignment)
	rg.GET("/assignments/:id", h.getAssignment)
	rg.PATCH("/assignments/:id", h.updateAssignment)
	rg.GET("/sessions/:id/interpretation/export", h.export)
}

// RegisterSelfService mounts the interpreter's own routes on rg (the /v1 group). They
// carry their own authorisation, a signed link (purpose assignment, subject the
// assignment id), and must not sit behind the secretariat's bearer-token policy.
func (h *Handlers) RegisterSelfService(rg gin.IRoutes) {
	rg.GET("/assignments/:id/respond", h.respondPage)
	rg.POST("/assignments/:id/accept", h.respond(StateAccepted))
	rg.POST("/assignments/:id/decline", h.respond(StateDeclined))
}

func (h *Handlers) createInterpreter(c *gin.Context) {
	var in InterpreterInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	it, err := h.svc.CreateInterpreter(c, in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Location", "/v1/interpreters/"+it.ID)
	httpx.SetVersion(c, it.Version)
	httpx.JSON(c, http.StatusCreated, interpreterJSON(it))
}

func (h *Handlers) listInterpreters(c *gin.Context) {
	p, err := httpx.PageParams(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	its, err := h.svc.Interpreters(c, p.After, p.Limit+1)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, httpx.PageOf(p, its, func(it Interpreter) string { return it.ID }, interpreterJSON))
}

// interpreter answers an interpreter read or written (err is the service's).
func interpreter(c *gin.Context, it Interpreter, err error) {
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.Versioned(c, http.StatusOK, it.Version, interpreterJSON(it))
}

func (h *Handlers) getInterpreter(c *gin.Context) {
	it, err := h.svc.Interpreter(c, c.Param("id"))
	interpreter(c, it, err)
}

func (h *Handlers) updateInterpreter(c *gin.Context) {
	var in InterpreterInput
	v, ok := httpx.BindUpdate(c, &in)
	if !ok {
		return
	}
	it, err := h.svc.UpdateInterpreter(c, c.Param("id"), v, in)
	interpreter(c, it, err)
}

// planned answers a plan: 201 when it was stored, 200 for a dry run.
func planned(c *gin.Context, commit bool, res any) {
	status := http.StatusOK
	if commit {
		status = http.StatusCreated
	}
	httpx.JSON(c, status, res)
}

func (h *Handlers) plan(c *gin.Context) {
	commit, err := httpx.CommitQuery(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	res, err := h.svc.Plan(c, c.Param("id"), commit)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	readerFor(c).plan(&res)
	planned(c, commit, res)
}

// planRange plans every meeting's sessions in a date range (body: RangeInput).
func (h *Handlers) planRange(c *gin.Context) {
	commit, err := httpx.CommitQuery(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var in RangeInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	from, to, err := ParseRange(in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	res, err := h.svc.PlanRange(c, from, to, commit)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	r := readerFor(c)
	for i := range res.Meetings {
		r.plan(&res.Meetings[i])
	}
	planned(c, commit, res)
}

func (h *Handlers) check(c *gin.Context) {
	res, err := h.svc.Check(c, c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	readerFor(c).check(&res)
	httpx.JSON(c, http.StatusOK, res)
}

func (h *Handlers) listAssignments(c *gin.Context) {
	as, err := h.svc.MeetingAssignments(c, c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	names, err := h.svc.interpreterNames(c, as)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	deadlines, err := h.svc.Deadlines(c, c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := httpx.List[AssignmentJSON]{Items: []AssignmentJSON{}}
	for _, a := range as {
		j := assignmentJSON(a)
		j.InterpreterName = names[a.InterpreterID]
		if d, ok := deadlines[a.ID]; ok && a.State == StateOffered {
			j.Deadline = &d
		}
		out.Items = append(out.Items, j)
	}
	httpx.JSON(c, http.StatusOK, out)
}

func (h *Handlers) createAssignment(c *gin.Context) {
	var in AssignmentInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	a, err := h.svc.CreateAssignment(c, in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Location", "/v1/assignments/"+a.ID)
	httpx.SetVersion(c, a.Version)
	httpx.JSON(c, http.StatusCreated, assignmentJSON(a))
}

func (h *Handlers) getAssignment(c *gin.Context) {
	a, err := h.svc.Assignment(c, c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	names, err := h.svc.interpreterNames(c, []Assignment{a})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	j := assignmentJSON(a)
	j.InterpreterName = names[a.InterpreterID]
	httpx.SetVersion(c, a.Version)
	httpx.JSON(c, http.StatusOK, j)
}

// AssignmentPatch changes an assignment's state.
type AssignmentPatch struct {
	State string `json:"state"`
}

func (h *Handlers) updateAssignment(c *gin.Context) {
	var in AssignmentPatch
	v, ok := httpx.BindUpdate(c, &in)
	if !ok {
		return
	}
	if in.State == StateExpired {
		httpx.Fail(c, problem.Unprocessable("invalid_state", "an offer expires at its deadline; withdraw it to take it back",
			problem.FieldError{Field: "state", Code: "invalid_state", Message: "offered, accepted, declined or withdrawn"}))
		return
	}
	if in.State == "" {
		httpx.Fail(c, problem.Unprocessable("validation_failed", "state is required",
			problem.FieldError{Field: "state", Code: "required", Message: "offered, accepted, declined or withdrawn"}))
		return
	}
	res, err := h.svc.Transition(c, c.Param("id"), v, in.State)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.SetVersion(c, res.Assignment.Version)
	readerFor(c).gaps(res.Gaps)
	httpx.JSON(c, http.StatusOK, transitionJSON(res))
}

func (h *Handlers) export(c *gin.Context) {
	var states []string
	if v := c.Query("states"); v != "" {
		states = strings.Split(v, ",")
	}
	out, err := h.svc.Export(c, c.Param("id"), c.Query("platform"), states...)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, out)
}
