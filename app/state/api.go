// Package state holds the browser app's state and the actions that change
// it. Components observe states and fire actions; only actions do I/O (the
// JSON API over fetch) and they set states on the UI goroutine.
package state

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// Error is an API error as the browser shows it: a code, a translation id
// (translated by the page in the user's language) and the field at fault.
type Error = ticket.Error

// errOffline is reported when the server cannot be reached.
var errOffline = ticket.Errorf(ticket.CodeInternal, "ErrOffline", "")

// errStatusOffline: a status change (Problem solved, an agent's status)
// made while the server cannot be reached is not queued.
var errStatusOffline = ticket.Errorf(ticket.CodeInternal, "ErrStatusOffline", "")

// ErrOffline is the error of a call that could not reach the server.
var ErrOffline = errOffline

// requestTimeout bounds every API call.
const requestTimeout = 20 * time.Second

// call sends a JSON request to the API and decodes the answer into out (nil
// to ignore it). Errors are *ticket.Error: the server's, or errOffline.
func call(ctx context.Context, method, path string, in, out any) *Error {
	_, _, err := send(ctx, method, path, in, nil, out)
	return err
}

// send is call with extra request headers; it also returns the HTTP status
// and, for errors, the server's error body (validation errors per field).
func send(ctx context.Context, method, path string, in any, headers map[string]string, out any) (int, ticket.ErrorAnswer, *Error) {
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, ticket.ErrorAnswer{}, ticket.ErrInternal
		}
		body = b
	}
	if id := shownUser.Load(); id != 0 {
		named := map[string]string{ticket.UserHeader: strconv.FormatInt(id, 10)}
		for k, v := range headers {
			named[k] = v
		}
		headers = named
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	status, data, err := fetch(ctx, method, path, body, headers)
	gone := err != nil || gatewayFailure(status, data)
	reached(!gone)
	if gone {
		return 0, ticket.ErrorAnswer{}, errOffline
	}
	eb, e := decodeAnswer(status, data, out)
	return status, eb, e
}

// decodeAnswer reads an API answer of status: an error (with the
// server's error body), or data decoded into out (nil to ignore it).
func decodeAnswer(status int, data []byte, out any) (ticket.ErrorAnswer, *Error) {
	if status >= 400 {
		var e ticket.ErrorBody
		if json.Unmarshal(data, &e) != nil || e.Error.Code == "" {
			return ticket.ErrorAnswer{}, ticket.ErrInternal
		}
		return e.Error, e.Error.Err()
	}
	if out == nil || status == 204 {
		return ticket.ErrorAnswer{}, nil
	}
	if json.Unmarshal(data, out) != nil {
		return ticket.ErrorAnswer{}, ticket.ErrInternal
	}
	return ticket.ErrorAnswer{}, nil
}

// gatewayFailure reports whether an answer of status came from something
// in front of the portal (a load balancer, a proxy) because no portal
// server answered: 502, 503 or 504 without the portal's JSON error body.
// The browser is as offline as without any answer: pages kept offline are
// shown, replies go to the outbox, and pages load again when a server
// answers.
func gatewayFailure(status int, data []byte) bool {
	if status != 502 && status != 503 && status != 504 {
		return false
	}
	var e ticket.ErrorBody
	return json.Unmarshal(data, &e) != nil || e.Error.Code == ""
}
