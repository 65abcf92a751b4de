package interpretation

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/i18n"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/tabular"
)

// The staffing board is the secretariat's one page on a meeting's interpretation: per
// session and booth, every seat with its interpreter, state and answer deadline, the
// checker's verdict, and what needs a decision now.

// BoardSeat is one assignment on the board.
type BoardSeat struct {
	AssignmentID    string     `json:"assignment_id"`
	InterpreterID   string     `json:"interpreter_id"`
	InterpreterName string     `json:"interpreter_name"`
	Role            string     `json:"role"`
	State           string     `json:"state"`
	Deadline        *time.Time `json:"deadline,omitempty"`
}

// BoardBooth is one booth of a session.
type BoardBooth struct {
	Booth string `json:"booth"`
	// Active counts the seats held (proposed, offered, accepted); Accepted those confirmed.
	Active   int         `json:"active"`
	Accepted int         `json:"accepted"`
	Seats    []BoardSeat `json:"seats"`
	// Relay names the roles of relay and retour in the booth as the plan has them
	// (relay_giver, relay_taker, retour), empty when it works from the floor.
	Relay      []string           `json:"relay"`
	Violations []interp.Violation `json:"violations"`
	// StaffedBy is set on a channel a delegation or partner staffs: the organiser seats
	// nobody in it.
	StaffedBy string `json:"staffed_by,omitempty"`
}

// BoardSession is one session of the meeting.
type BoardSession struct {
	SessionID string       `json:"session_id"`
	Title     string       `json:"title"`
	StartUTC  time.Time    `json:"start_utc"`
	EndUTC    time.Time    `json:"end_utc"`
	Status    string       `json:"status"`
	Booths    []BoardBooth `json:"booths"`
}

// BoardDecision is something the secretariat has to decide now.
type BoardDecision struct {
	SessionID    string `json:"session_id"`
	Booth        string `json:"booth"`
	AssignmentID string `json:"assignment_id,omitempty"`
	// Kind: to_offer (proposed, not offered), open_seat (declined or expired with no
	// one in their place), deadline_soon (an offer expires within a day), violation (the
	// checker's verdict).
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Board is the staffing board of a meeting.
type Board struct {
	MeetingID string `json:"meeting_id"`
	// Check is the checker's latest verdict; nil before the first check.
	Check     *CheckResult    `json:"check"`
	Sessions  []BoardSession  `json:"sessions"`
	Decisions []BoardDecision `json:"decisions"`
}

// deadlineSoon is how near a deadline must be to need a reminder from the secretariat.
const deadlineSoon = 24 * time.Hour

// Board assembles the staffing board of a meeting's sessions that are not cancelled, the
// checker's messages written in lang (English when Plenary does not write it).
func (s *Service) Board(ctx context.Context, meetingID, lang string) (Board, error) {
	b := Board{MeetingID: meetingID, Sessions: []BoardSession{}, Decisions: []BoardDecision{}}
	m, err := s.agenda.Meeting(ctx, meetingID)
	if err != nil {
		return b, err
	}
	xs, err := s.agenda.Sessions(ctx, meetingID)
	if err != nil {
		return b, err
	}
	bd := boardData{rd: readerOf(lang)}
	if bd.as, err = s.store.ofMeeting(ctx, s.db, meetingID); err != nil {
		return b, err
	}
	if bd.names, err = s.interpreterNames(ctx, bd.as); err != nil {
		return b, err
	}
	if bd.deadlines, err = s.Deadlines(ctx, meetingID); err != nil {
		return b, err
	}
	check, ok, err := s.LastCheck(ctx, meetingID)
	if err != nil {
		return b, err
	}
	if ok {
		bd.rd.check(&check)
		b.Check = &check
	}
	bd.now = s.clock()
	slices.SortFunc(xs, func(a, c agenda.Session) int { return a.StartUTC.Compare(c.StartUTC) })
	for _, x := range xs {
		if x.Status == agenda.StatusCancelled {
			continue
		}
		bs := BoardSession{SessionID: x.ID, Title: i18n.Pick(x.Title, m.DefaultLang, m.DefaultLang).Text, StartUTC: x.StartUTC, EndUTC: x.EndUTC,
			Status: x.Status, Booths: []BoardBooth{}}
		for _, booth := range bd.booths(x) {
			bs.Booths = append(bs.Booths, bd.booth(&b, x, booth))
		}
		b.Sessions = append(b.Sessions, bs)
	}
	return b, nil
}

// boardData is what the board is assembled from besides the agenda: the meeting's
// assignments, their interpreters' names and answer deadlines, the reader of the
// checker's messages and the time the board is drawn at.
type boardData struct {
	rd        reader
	as        []Assignment
	names     map[string]string
	deadlines map[string]time.Time
	now       time.Time
}

// booths are a session's booths in order: its outputs and any booth an assignment still
// names (an output since removed keeps its seats on the board).
func (bd *boardData) booths(x agenda.Session) []string {
	booths := append([]string{}, x.Outputs...)
	for _, a := range bd.as {
		if a.SessionID == x.ID && !slices.Contains(booths, a.Booth) {
			booths = append(booths, a.Booth)
		}
	}
	slices.Sort(booths)
	return booths
}

// booth is one booth of session x on the board; the decisions it needs are appended to
// b's in the order the secretariat reads them: per seat (to offer, deadline soon), then
// the seats left open, then the checker's violations.
func (bd *boardData) booth(b *Board, x agenda.Session, booth string) BoardBooth {
	bb := BoardBooth{Booth: booth, Seats: []BoardSeat{}, Relay: []string{}, Violations: []interp.Violation{}}
	for _, c := range x.StaffedChannels {
		if c.Language == booth {
			bb.StaffedBy = c.StaffedBy
		}
	}
	var reopened []Assignment
	for _, a := range bd.as {
		if a.SessionID != x.ID || a.Booth != booth {
			continue
		}
		bb.Seats = append(bb.Seats, bd.seat(b, a))
		switch {
		case Active(a.State):
			bb.Active++
			if a.State == StateAccepted {
				bb.Accepted++
			}
			if a.Role != "" && a.Role != string(interp.RoleInterpreter) && !slices.Contains(bb.Relay, a.Role) {
				bb.Relay = append(bb.Relay, a.Role)
			}
		case a.State == StateDeclined || a.State == StateExpired:
			reopened = append(reopened, a)
		}
	}
	bd.openSeats(b, x, booth, reopened)
	if b.Check != nil {
		for _, v := range b.Check.Violations {
			if v.SessionID == x.ID && string(v.Booth) == booth {
				bb.Violations = append(bb.Violations, v)
				b.Decisions = append(b.Decisions, BoardDecision{SessionID: x.ID, Booth: booth, Kind: "violation", Message: v.Message})
			}
		}
	}
	slices.Sort(bb.Relay)
	return bb
}

// seat is assignment a on the board, with its answer deadline while it is offered; an
// offer whose deadline is near and a seat still only proposed are decisions appended to
// b's (in that order).
func (bd *boardData) seat(b *Board, a Assignment) BoardSeat {
	seat := BoardSeat{AssignmentID: a.ID, InterpreterID: a.InterpreterID, InterpreterName: bd.names[a.InterpreterID], Role: a.Role, State: a.State}
	if d, ok := bd.deadlines[a.ID]; ok && a.State == StateOffered {
		seat.Deadline = &d
		if d.Sub(bd.now) < deadlineSoon {
			b.Decisions = append(b.Decisions, BoardDecision{SessionID: a.SessionID, Booth: a.Booth, AssignmentID: a.ID, Kind: "deadline_soon",
				Message: bd.rd.key("decision.deadline_soon", map[string]string{"interpreter": bd.names[a.InterpreterID], "deadline": d.UTC().Format("2006-01-02 15:04") + " UTC"}, "")})
		}
	}
	if a.State == StateProposed {
		b.Decisions = append(b.Decisions, BoardDecision{SessionID: a.SessionID, Booth: a.Booth, AssignmentID: a.ID, Kind: "to_offer",
			Message: bd.rd.key("decision.to_offer", map[string]string{"interpreter": bd.names[a.InterpreterID]}, "")})
	}
	return seat
}

// openSeats appends an open_seat decision to b's for each declined or expired seat of
// the booth that nobody replaces: a seat is open until someone holds a seat created since
// it re-opened (each such seat fills one).
func (bd *boardData) openSeats(b *Board, x agenda.Session, booth string, reopened []Assignment) {
	used := map[string]bool{}
	for _, r := range reopened {
		i := slices.IndexFunc(bd.as, func(a Assignment) bool {
			return a.SessionID == x.ID && a.Booth == booth && Active(a.State) && !used[a.ID] &&
				!a.CreatedAt.Before(r.UpdatedAt) && a.ID > r.ID
		})
		if i >= 0 {
			used[bd.as[i].ID] = true
		} else {
			b.Decisions = append(b.Decisions, BoardDecision{SessionID: x.ID, Booth: booth, AssignmentID: r.ID, Kind: "open_seat",
				Message: bd.rd.key("decision.open_seat."+r.State, map[string]string{"interpreter": bd.names[r.InterpreterID]}, "")})
		}
	}
}

func (h *Handlers) board(c *gin.Context) {
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "csv" {
		httpx.Fail(c, problem.Invalid("invalid_format", "format must be json or csv",
			problem.FieldError{Field: "format", Code: "invalid_format", Message: "json or csv"}))
		return
	}
	b, err := h.svc.Board(c, c.Param("id"), readerFor(c).tag.String())
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	if format == "json" {
		httpx.JSON(c, http.StatusOK, b)
		return
	}
	var buf bytes.Buffer
	if err := writeBoard(&buf, b); err != nil {
		httpx.Fail(c, problem.Internal(err))
		return
	}
	c.Header("Content-Disposition", `attachment; filename="staffing-board.csv"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// writeBoard writes one row per seat (and one per booth without seats), with the
// decisions that concern it, for a spreadsheet.
func writeBoard(w *bytes.Buffer, b Board) error {
	cw, err := tabular.NewWriter(w, "session_start_utc", "session", "booth", "interpreter", "role", "state", "deadline_utc", "needs_decision")
	if err != nil {
		return err
	}
	needs := func(sessionID, booth, assignmentID string) string {
		var out []string
		for _, d := range b.Decisions {
			if d.SessionID == sessionID && d.Booth == booth && d.AssignmentID == assignmentID {
				out = append(out, d.Kind)
			}
		}
		return strings.Join(out, " ")
	}
	for _, x := range b.Sessions {
		start := x.StartUTC.Format(time.RFC3339)
		for _, bb := range x.Booths {
			if len(bb.Seats) == 0 || len(bb.Violations) > 0 {
				role := ""
				if bb.StaffedBy != "" {
					role = "staffed by the " + bb.StaffedBy
				}
				if err := cw.Write(start, x.Title, bb.Booth, "", role, "", "", needs(x.SessionID, bb.Booth, "")); err != nil {
					return err
				}
			}
			for _, seat := range bb.Seats {
				d := ""
				if seat.Deadline != nil {
					d = seat.Deadline.Format(time.RFC3339)
				}
				if err := cw.Write(start, x.Title, bb.Booth, seat.InterpreterName, seat.Role, seat.State, d,
					needs(x.SessionID, bb.Booth, seat.AssignmentID)); err != nil {
					return err
				}
			}
		}
	}
	return cw.Flush()
}
