package interpretation

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/problem"
)

// AssignmentInput is a manual assignment by the secretariat.
type AssignmentInput struct {
	SessionID     string `json:"session_id"`
	Booth         string `json:"booth"`
	InterpreterID string `json:"interpreter_id"`
	Role          string `json:"role"`
}

var roleFlags = []string{string(interp.RoleRetour), string(interp.RoleRelayGiver), string(interp.RoleRelayTaker)}

func validRole(r string) bool {
	if r == string(interp.RoleInterpreter) {
		return true
	}
	for _, p := range strings.Split(r, "+") {
		if !slices.Contains(roleFlags, p) {
			return false
		}
	}
	return r != ""
}

// CreateAssignment places an interpreter in a booth by hand, as proposed. The database
// refuses a second active seat of the interpreter overlapping the session (409); other
// rules are the checker's, whose result is stored right after.
func (s *Service) CreateAssignment(ctx context.Context, in AssignmentInput) (Assignment, error) {
	var errs []problem.FieldError
	if in.SessionID == "" {
		errs = append(errs, problem.FieldError{Field: "session_id", Code: "required", Message: "the session to staff"})
	}
	if in.InterpreterID == "" {
		errs = append(errs, problem.FieldError{Field: "interpreter_id", Code: "required", Message: "the interpreter to assign"})
	}
	if !interp.Lang(in.Booth).Valid() {
		errs = append(errs, problem.FieldError{Field: "booth", Code: "invalid_language", Message: "the booth's output language, an ISO 639-1 code such as fr"})
	}
	if in.Role == "" {
		in.Role = string(interp.RoleInterpreter)
	}
	if !validRole(in.Role) {
		errs = append(errs, problem.FieldError{Field: "role", Code: "invalid_role", Message: "interpreter, or retour, relay_giver and relay_taker joined with +"})
	}
	if len(errs) > 0 {
		return Assignment{}, problem.Unprocessable("validation_failed", "some fields are not valid; see errors", errs...)
	}
	x, err := s.agenda.Session(ctx, in.SessionID)
	if err != nil {
		return Assignment{}, err
	}
	if !auth.ActorFrom(ctx).CanSee(x.MeetingID) {
		return Assignment{}, problem.New(problem.KindForbidden, "meeting_out_of_scope", "this token may not change meeting %s", x.MeetingID)
	}
	if x.Status == agenda.StatusCancelled {
		return Assignment{}, problem.New(problem.KindConflict, "session_cancelled", "session %s is cancelled", x.ID)
	}
	if !slices.Contains(x.Outputs, in.Booth) {
		return Assignment{}, problem.Unprocessable(interp.RuleUnknownBooth, fmt.Sprintf("session %s offers no %s channel", x.ID, strings.ToUpper(in.Booth)),
			problem.FieldError{Field: "booth", Code: interp.RuleUnknownBooth, Message: "one of the session's output languages: " + strings.Join(x.Outputs, ", ")})
	}
	for _, c := range x.StaffedChannels {
		if c.Language == in.Booth {
			return Assignment{}, problem.Unprocessable(interp.RuleStaffedByOthers, fmt.Sprintf("the %s channel of session %s is staffed by the %s, not by the organiser", strings.ToUpper(in.Booth), x.ID, c.StaffedBy),
				problem.FieldError{Field: "booth", Code: interp.RuleStaffedByOthers, Message: "a channel the organiser staffs, not one in staffed_channels"})
		}
	}
	now := s.clock()
	a := Assignment{ID: newID(), MeetingID: x.MeetingID, SessionID: x.ID, Booth: in.Booth, InterpreterID: in.InterpreterID, Role: in.Role,
		State: StateProposed, StartUTC: x.StartUTC, EndUTC: x.EndUTC, Live: true, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.store.interpreter(ctx, tx, in.InterpreterID); err != nil {
			return err
		}
		if err := s.claim(ctx, tx, a); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Action: "assignment.create", Resource: "assignment", ID: a.ID, MeetingID: a.MeetingID, After: assignmentJSON(a)})
	})
	if err != nil {
		return Assignment{}, err
	}
	s.recheckAfter(ctx, a.MeetingID)
	return a, nil
}

// Assignment returns one assignment.
func (s *Service) Assignment(ctx context.Context, id string) (Assignment, error) {
	return s.store.assignment(ctx, s.db, id)
}

// MeetingAssignments lists a meeting's assignments in every state.
func (s *Service) MeetingAssignments(ctx context.Context, meetingID string) ([]Assignment, error) {
	if _, err := s.agenda.Meeting(ctx, meetingID); err != nil {
		return nil, err
	}
	return s.store.ofMeeting(ctx, s.db, meetingID)
}
