package baken

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the transports (HTTP status, CLI exit text).
type Kind string

const (
	Invalid         Kind = "invalid"
	NotFound        Kind = "not_found"
	Conflict        Kind = "conflict"
	Unauthenticated Kind = "unauthenticated"
	Forbidden       Kind = "forbidden"
	Internal        Kind = "internal"
)

// Error is a domain error: a kind, where it happened (a field, or file:line:column) and a
// message a user can act on. Err is the underlying cause, if any.
type Error struct {
	Kind    Kind
	Field   string
	Message string
	Err     error
}

func (e *Error) Error() string {
	var s string
	switch {
	case e.Field != "" && e.Message != "":
		s = e.Field + ": " + e.Message
	case e.Message != "":
		s = e.Message
	case e.Field != "":
		s = e.Field + ": " + string(e.Kind)
	default:
		s = string(e.Kind)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind about field.
func Errorf(kind Kind, field, format string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// IsKind reports whether err carries the given kind.
func IsKind(err error, kind Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == kind
}

// FieldErrors collects several field errors, for validation that reports every problem at once.
type FieldErrors []*Error

func (fe FieldErrors) Error() string {
	switch len(fe) {
	case 0:
		return "no errors"
	case 1:
		return fe[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", fe[0].Error(), len(fe)-1)
}

// Err returns nil when there are no errors, else an *Error of kind Invalid wrapping fe.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Message: "validation failed", Err: fe}
}
