package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strconv"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// CodeMethodNotAllowed is the HTTP layer's own code for a known path asked
// with another method.
const CodeMethodNotAllowed ticket.Code = "method_not_allowed"

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[ticket.Code]int{
	ticket.CodeInvalid:       http.StatusBadRequest,
	ticket.CodeNotFound:      http.StatusNotFound,
	ticket.CodeForbidden:     http.StatusForbidden,
	ticket.CodeUnauthorized:  http.StatusUnauthorized,
	ticket.CodeConflict:      http.StatusConflict,
	ticket.CodeGone:          http.StatusGone,
	ticket.CodeUnprocessable: http.StatusUnprocessableEntity,
	ticket.CodeTooLarge:      http.StatusRequestEntityTooLarge,
	ticket.CodeUnsupported:   http.StatusUnsupportedMediaType,
	ticket.CodeTooMany:       http.StatusTooManyRequests,
	ticket.CodeTimeout:       http.StatusRequestTimeout,
	ticket.CodeInternal:      http.StatusInternalServerError,
	CodeMethodNotAllowed:     http.StatusMethodNotAllowed,
	CodeMisdirected:          http.StatusMisdirectedRequest,
}

// Errors of the HTTP layer itself.
var (
	errMalformed        = ticket.Errorf(ticket.CodeInvalid, "ErrMalformedJSON", "")
	errContentType      = ticket.Errorf(ticket.CodeInvalid, "ErrContentType", "")
	errBodyTooLarge     = ticket.Errorf(ticket.CodeTooLarge, "ErrBodyTooLarge", "")
	errNoRoute          = ticket.Errorf(ticket.CodeNotFound, "ErrNoRoute", "")
	errMethodNotAllowed = ticket.Errorf(CodeMethodNotAllowed, "ErrMethodNotAllowed", "")
	errCrossOrigin      = ticket.Errorf(ticket.CodeForbidden, "ErrCrossOrigin", "")
	errLoginBusy        = ticket.Errorf(ticket.CodeTooMany, "ErrLoginBusy", "")
)

// writeError answers with err's code and a message in the caller's language.
// Errors without a code are logged and answered as internal, never shown.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	lang := s.lang(r)
	var ve *ticket.ValidationError
	if errors.As(err, &ve) && len(ve.Fields) > 0 {
		var body ticket.ErrorBody
		body.Error.Code = ve.Code()
		body.Error.MessageID = "ErrValidation"
		body.Error.Field = ve.Fields[0].Field
		body.Error.Message = locales.T(lang, "ErrValidation", nil)
		for _, f := range ve.Fields {
			body.Error.Fields = append(body.Error.Fields, ticket.FieldError{Field: f.Field, MessageID: f.MessageID, Message: locales.T(lang, f.MessageID, nil)})
		}
		writeJSON(w, statusOf[ve.Code()], body)
		return
	}
	e := ticket.AsError(err)
	if e == ticket.ErrInternal && !errors.Is(err, ticket.ErrInternal) {
		s.log.Error("internal error", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	var body ticket.ErrorBody
	body.Error.Code = e.Code
	body.Error.MessageID = e.MessageID
	body.Error.Field = e.Field
	body.Error.Message = locales.T(lang, e.MessageID, nil)
	if status == http.StatusTooManyRequests {
		// The page says how long to wait (Retry-After, set by the refusal).
		body.Error.RetryAfter, _ = strconv.Atoi(w.Header().Get("Retry-After"))
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	jsonHeader(w, status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// encodeJSON is the body writeJSON writes for v.
func encodeJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
	return b.Bytes()
}

// writeRaw answers a JSON body encoded before.
func writeRaw(w http.ResponseWriter, status int, body []byte) {
	jsonHeader(w, status)
	w.Write(body)
}

func jsonHeader(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
}

// maxBody is the largest JSON body the API reads.
const maxBody = 1 << 20

// decode reads a JSON request body into v: application/json only, at most
// maxBody bytes, no unknown fields, one value.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return errContentType
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return errBodyTooLarge
		}
		return errMalformed
	}
	if dec.More() {
		return errMalformed
	}
	return nil
}
