package ticket

import "errors"

// Code is a stable error kind that crosses the wire. The server maps each
// code to an HTTP status in one table; clients translate MessageID.
type Code string

const (
	CodeInvalid       Code = "invalid"
	CodeNotFound      Code = "not_found"
	CodeForbidden     Code = "forbidden"
	CodeUnauthorized  Code = "unauthorized"
	CodeConflict      Code = "conflict"
	CodeGone          Code = "gone"          // a mailed link used up or expired
	CodeUnprocessable Code = "unprocessable" // a well-formed request that breaks the rules (validation)
	CodeTooLarge      Code = "too_large"
	CodeUnsupported   Code = "unsupported_type" // a file type that may not be uploaded
	CodeTooMany       Code = "too_many_requests"
	CodeTimeout       Code = "timeout" // the request's body stopped coming, or came too slowly
	CodeInternal      Code = "internal"
)

// Error is an error with a code, a translation id and, for invalid input,
// the field at fault.
type Error struct {
	Code      Code   `json:"code"`
	MessageID string `json:"messageId"`
	Field     string `json:"field,omitempty"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return string(e.Code) + ": " + e.MessageID + " (" + e.Field + ")"
	}
	return string(e.Code) + ": " + e.MessageID
}

// Errorf builds an *Error.
func Errorf(code Code, messageID, field string) *Error {
	return &Error{Code: code, MessageID: messageID, Field: field}
}

// Common errors. Each MessageID exists in every locale.
var (
	ErrNotFound     = Errorf(CodeNotFound, "ErrNotFound", "")
	ErrUnauthorized = Errorf(CodeUnauthorized, "ErrUnauthorized", "")
	// ErrSessionChanged: the request names a user (UserHeader) who is not
	// the one this browser's session cookie now belongs to — another user
	// logged in in another window of the browser.
	ErrSessionChanged = Errorf(CodeUnauthorized, "ErrSessionChanged", "")
	ErrForbidden      = Errorf(CodeForbidden, "ErrForbidden", "")
	ErrBadCredentials = Errorf(CodeUnauthorized, "ErrBadCredentials", "")
	ErrTooManyLogins  = Errorf(CodeTooMany, "ErrTooManyLogins", "")
	ErrInternal       = Errorf(CodeInternal, "ErrInternal", "")
)

// ErrorCode returns the code of err, CodeInternal for errors that are not *Error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// AsError returns err as *Error; errors without a code become ErrInternal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return ErrInternal
}
