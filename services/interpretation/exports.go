package interpretation

import (
	"context"
	"fmt"
	"slices"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/platform/problem"
)

// Export renders a session's active team in the shape the platform's API takes.
//
// states narrows the seats exported (e.g. only "accepted" once offers are answered); all
// active seats, proposed, offered and accepted, when none are given.
func (s *Service) Export(ctx context.Context, sessionID, platform string, states ...string) (any, error) {
	if platform != "zoom" && platform != "webex" {
		return nil, problem.Invalid("invalid_platform", "platform must be zoom or webex",
			problem.FieldError{Field: "platform", Code: "invalid_platform", Message: "zoom or webex"})
	}
	for _, st := range states {
		if !Active(st) {
			return nil, problem.Invalid("invalid_states", fmt.Sprintf("states lists %q; it takes proposed, offered and accepted, comma-separated", st),
				problem.FieldError{Field: "states", Code: "invalid_state", Message: "proposed, offered or accepted"})
		}
	}
	x, err := s.agenda.Session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	as, err := s.store.ofSession(ctx, s.db, sessionID)
	if err != nil {
		return nil, err
	}
	var pure []interp.Assignment
	var pool []interp.Interpreter
	seen := map[string]bool{}
	for _, a := range as {
		if len(states) > 0 && !slices.Contains(states, a.State) {
			continue
		}
		pure = append(pure, a.pure())
		if seen[a.InterpreterID] {
			continue
		}
		seen[a.InterpreterID] = true
		it, err := s.store.interpreter(ctx, s.db, a.InterpreterID)
		if err != nil {
			return nil, err
		}
		pool = append(pool, it.Interpreter)
	}
	if platform == "zoom" {
		zs, err := interp.ZoomInterpreters(pureSession(x), pure, pool)
		if err != nil {
			return nil, err
		}
		return ZoomExport{Settings: ZoomSettings{LanguageInterpretation: ZoomInterpretation{Enable: true, Interpreters: nonNil(zs)}}}, nil
	}
	ws, err := interp.WebexInterpreters(pureSession(x), pure, pool)
	if err != nil {
		return nil, err
	}
	return WebexExport{SimultaneousInterpretation: WebexInterpretation{Enabled: true, Interpreters: nonNil(ws)}}, nil
}

// ZoomExport is the part of a Zoom meeting update (PATCH /meetings/{id}) that sets the
// interpreters.
type ZoomExport struct {
	Settings ZoomSettings `json:"settings"`
}

// ZoomSettings holds Zoom's language_interpretation setting.
type ZoomSettings struct {
	LanguageInterpretation ZoomInterpretation `json:"language_interpretation"`
}

// ZoomInterpretation is Zoom's language interpretation setting.
type ZoomInterpretation struct {
	Enable       bool                     `json:"enable"`
	Interpreters []interp.ZoomInterpreter `json:"interpreters"`
}

// WebexExport is the part of a Webex meeting (PUT /meetings/{id}) that sets the
// simultaneous interpretation.
type WebexExport struct {
	SimultaneousInterpretation WebexInterpretation `json:"simultaneousInterpretation"`
}

// WebexInterpretation is Webex's simultaneous interpretation setting.
type WebexInterpretation struct {
	Enabled      bool                      `json:"enabled"`
	Interpreters []interp.WebexInterpreter `json:"interpreters"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
