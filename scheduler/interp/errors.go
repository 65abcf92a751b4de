package interp

import (
	"fmt"
	"strings"
)

// Error codes of the package. They are stable: the services map them to problem+json.
const (
	CodeInvalidInterpreter    = "invalid_interpreter"
	CodeInvalidPolicy         = "invalid_policy"
	CodeInvalidSession        = "invalid_session"
	CodeExportUnknownPerson   = "export_unknown_interpreter"
	CodeExportMissingEmail    = "export_missing_email"
	CodeZoomTooMany           = "zoom_too_many_interpreters"
	CodeZoomUnsupportedLang   = "zoom_unsupported_language"
	CodeWebexConflictingEmail = "webex_conflicting_email"
	CodeExportNoSource        = "export_no_source_language"
)

// FieldError is one invalid field of an input, named by its JSON path.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is a rule an input broke. Its Code is stable; the services answer it with 422.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return fmt.Sprintf("%s (%s)", e.Message, strings.Join(parts, "; "))
}

// ProblemCode is the stable code of the error (problem+json "code").
func (e *Error) ProblemCode() string { return e.Code }

// ProblemDetails adds the field errors to the problem document.
func (e *Error) ProblemDetails() map[string]any {
	if len(e.Fields) == 0 {
		return nil
	}
	return map[string]any{"errors": e.Fields}
}

func fieldsError(code, msg string, fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: code, Message: msg, Fields: fields}
}
