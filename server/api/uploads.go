package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/files"
	"github.com/supportal/supportal/server/store"
)

var (
	errMultipart       = ticket.Errorf(ticket.CodeInvalid, "ErrMultipart", "")
	errFileTooLarge    = ticket.Errorf(ticket.CodeTooLarge, "ErrFileTooLarge", "file")
	errFileType        = ticket.Errorf(ticket.CodeUnsupported, "ErrFileType", "file")
	errFileEmpty       = ticket.ValidationFailed("file", "ErrFileEmpty")
	errFileMissing     = ticket.ValidationFailed("file", "ErrFileMissing")
	errOneFile         = ticket.ValidationFailed("file", "ErrOneFile")
	errPrivacyConfirm  = ticket.ValidationFailed("privacyConfirmed", "ErrPrivacyConfirm")
	errUploadAccount   = ticket.ValidationFailed("organizationId", "ErrUploadAccount")
	errTooManyFiles    = ticket.ValidationFailed("attachments", "ErrTooManyFiles")
	errAttachmentsForm = ticket.ValidationFailed("attachments", "ErrAttachment")
)

type uploadResponse struct {
	Upload ticket.Attachment `json:"upload"`
}

// upload stores one file (multipart/form-data). The fields come in this
// order: "privacyConfirmed" ("true": the user confirmed the file holds no
// protected health information, in the wording of the account's regime),
// optionally "organizationId" (the account; needed by users of several
// accounts and by agents), then "file". Nothing of the file is kept before
// the confirmation was read. The file is streamed to its place, never
// held in memory whole; its type is sniffed from its first bytes and must
// agree with its name's extension.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return errContentType
	}
	// The server's read timeout suits requests of a few KB; a file may
	// take longer on a slow line: as long as its largest size takes at
	// uploadRate, plus that timeout.
	limit := s.cfg.MaxFileBytes + 64<<10 // the file and its form
	if err := http.NewResponseController(w).SetReadDeadline(time.Now().Add(time.Minute + time.Duration(limit/uploadRate)*time.Second)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return errMultipart
	}
	confirmed := false
	var orgID int64
	var up store.Upload
	var staged *files.Staged // the file, read: kept once the whole form is read
	defer func() {
		if staged != nil {
			staged.Discard()
		}
	}()
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return formError(err)
		}
		switch part.FormName() {
		case "privacyConfirmed":
			val, err := formValue(part)
			if err != nil {
				return err
			}
			confirmed = val == "true"
		case "organizationId":
			val, err := formValue(part)
			if err != nil {
				return err
			}
			if orgID, err = strconv.ParseInt(val, 10, 64); err != nil || orgID <= 0 {
				return errUploadAccount
			}
		case "file":
			if staged != nil {
				return errOneFile // and the first is not kept either
			}
			if !confirmed {
				return errPrivacyConfirm // before a single byte is kept
			}
			org, err := s.uploadAccount(r, v, orgID)
			if err != nil {
				return err
			}
			if up, staged, err = s.readFile(v, org, part); err != nil {
				return err
			}
		}
		part.Close()
	}
	if staged == nil {
		if !confirmed {
			return errPrivacyConfirm
		}
		return errFileMissing
	}
	if err := s.keepFile(r, up, staged); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, uploadResponse{Upload: up.Attachment})
	return nil
}

// uploadRate is the slowest line (bytes a second) an upload of the largest
// size is given time for: 64 KB/s, 512 kbit/s (25 MB: 7 minutes).
const uploadRate = 64 << 10

// formError turns an error reading the form into the caller's error.
func formError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || errors.Is(err, errFileTooLarge) {
		return errFileTooLarge
	}
	return errMultipart
}

// formValue reads a small form field.
func formValue(part io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, 65))
	if err != nil {
		return "", formError(err)
	}
	if len(b) > 64 {
		return "", errMultipart
	}
	return strings.TrimSpace(string(b)), nil
}

// uploadAccount is the account an upload is confirmed for: the one asked
// for (one of the user's; any for agents) or the user's only account.
func (s *Server) uploadAccount(r *http.Request, v ticket.Viewer, orgID int64) (ticket.Organization, error) {
	if v.Agent() {
		if orgID == 0 {
			return ticket.Organization{}, errUploadAccount
		}
		org, err := s.store.Organization(r.Context(), orgID)
		if ticket.ErrorCode(err) == ticket.CodeNotFound {
			return org, errUploadAccount
		}
		return org, err
	}
	var writable []ticket.Organization
	for _, o := range v.Accounts() {
		if v.CanWrite(o.ID) { // a vendor with read access uploads nothing there
			writable = append(writable, o)
		}
	}
	for _, o := range writable {
		if o.ID == orgID || (orgID == 0 && len(writable) == 1) {
			return o, nil
		}
	}
	return ticket.Organization{}, errUploadAccount
}

// readFile checks the file of part, confirmed now for org, and reads it
// into staging; keepFile stores it.
func (s *Server) readFile(v ticket.Viewer, org ticket.Organization, part io.Reader) (store.Upload, *files.Staged, error) {
	name := files.CleanName(fileName(part))
	head := make([]byte, files.SniffLen)
	n, err := io.ReadFull(part, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return store.Upload{}, nil, formError(err)
	}
	head = head[:n]
	if n == 0 {
		return store.Upload{}, nil, errFileEmpty
	}
	ctype, ok := files.Check(name, head)
	if !ok {
		return store.Upload{}, nil, errFileType
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return store.Upload{}, nil, err
	}
	now := s.cfg.Now()
	up := store.Upload{
		Attachment:     ticket.Attachment{ID: base64.RawURLEncoding.EncodeToString(raw[:]), Name: name, ContentType: ctype},
		UploaderID:     v.User.ID,
		OrganizationID: org.ID,
		Regime:         org.PrivacyRegime,
		Wording:        ticket.PrivacyWording,
		ConfirmedAt:    now,
		CreatedAt:      now,
	}
	limited := &maxReader{r: io.MultiReader(bytes.NewReader(head), part), left: s.cfg.MaxFileBytes}
	staged, err := s.blobs.Stage(limited)
	if err != nil {
		return store.Upload{}, nil, formError(err)
	}
	up.SHA256, up.Size = staged.Sum, staged.Size
	return up, staged, nil
}

// keepFile puts the staged file of up in its place and records up.
func (s *Server) keepFile(r *http.Request, up store.Upload, staged *files.Staged) error {
	// The janitor removes the bytes of stale uploads; it waits while a file
	// is put in its place and recorded (not while it is read: a slow
	// upload holds up no one). The record is written even if the client
	// leaves now: the bytes are in place.
	s.uploads.RLock()
	defer s.uploads.RUnlock()
	if err := staged.Keep(); err != nil {
		return err
	}
	return s.store.CreateUpload(context.WithoutCancel(r.Context()), up)
}

// fileName is the name the browser gave the file part.
func fileName(part io.Reader) string {
	if p, ok := part.(interface{ FileName() string }); ok {
		return p.FileName()
	}
	return ""
}

// maxReader reads at most left bytes of r and fails with errFileTooLarge
// when r has more.
type maxReader struct {
	r    io.Reader
	left int64
}

func (m *maxReader) Read(p []byte) (int, error) {
	if m.left < 0 {
		return 0, errFileTooLarge
	}
	if int64(len(p)) > m.left+1 {
		p = p[:m.left+1]
	}
	n, err := m.r.Read(p)
	m.left -= int64(n)
	if m.left < 0 {
		return n, errFileTooLarge
	}
	return n, err
}

// getAttachment sends an attachment's bytes to whoever may see the ticket
// (and the message) it is attached to; an upload not attached yet only to
// its uploader. Anyone else gets 404, exactly as for an unknown id. The
// answer is inert: never HTML or script, not sniffed by the browser, in a
// sandbox, a download unless ?inline=1 asks to show a picture or a PDF.
func (s *Server) getAttachment(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	up, err := s.store.Upload(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if up.TicketNumber == 0 {
		if up.UploaderID != v.User.ID {
			return ticket.ErrNotFound
		}
	} else {
		t, err := s.store.Ticket(r.Context(), up.TicketNumber)
		if err != nil {
			return err
		}
		if !v.CanSeeTicket(t) || (up.Internal && !v.Agent()) {
			return ticket.ErrNotFound
		}
	}
	f, err := s.blobs.Open(up.SHA256)
	if errors.Is(err, files.ErrNotFound) {
		return ticket.ErrNotFound
	}
	if err != nil {
		return err
	}
	defer f.Close()
	inline := r.URL.Query().Get("inline") == "1" && (files.Image(up.ContentType) || up.ContentType == "application/pdf")
	h := w.Header()
	h.Set("Content-Type", up.ContentType)
	h.Set("Content-Disposition", files.Disposition(up.Name, inline))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+up.SHA256+`"`)
	http.ServeContent(w, r, "", up.CreatedAt, f)
	return nil
}

// attachmentsOf checks the attachments a ticket or message names: at most
// the configured number of files.
func (s *Server) attachmentsOf(ids []string) ([]ticket.Attachment, error) {
	if len(ids) > s.cfg.MaxFiles {
		return nil, errTooManyFiles
	}
	out := make([]ticket.Attachment, len(ids))
	for i, id := range ids {
		if id == "" || len(id) > 64 {
			return nil, errAttachmentsForm
		}
		out[i] = ticket.Attachment{ID: id}
	}
	return out, nil
}

// StaleUploads is how long an upload waits to be attached.
const StaleUploads = 24 * time.Hour

// RemoveStaleUploads deletes the uploads never attached within
// StaleUploads, and their bytes unless another upload has the same.
func (s *Server) RemoveStaleUploads(ctx context.Context) error {
	s.uploads.Lock()
	defer s.uploads.Unlock()
	sums, err := s.store.DeleteStaleUploads(ctx, s.cfg.Now().Add(-StaleUploads))
	if err != nil {
		return err
	}
	// The rows are gone: remove every file, even when one fails.
	var errs []error
	for _, sum := range sums {
		if err := s.blobs.Remove(sum); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
