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
	"sync"
	"sync/atomic"
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
	errUploadQuota     = store.ErrUploadQuota
	errUploadStalled   = ticket.Errorf(ticket.CodeTimeout, "ErrUploadStalled", "file")
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
//
// An upload holds a connection, a file and a slot of its user: it must
// keep making progress (UploadMinBytes every UploadIdle, all within
// UploadTime), a user has at most UploadsPerUser in progress (and all
// users UploadsTotal), may start UploadRate per UploadRateWindow, and may
// keep at most UploadQuota bytes of uploads not attached yet.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return errContentType
	}
	// Refused before its body is read, an upload is answered at once and
	// its connection closed: the server reads none of the file (it would
	// read up to 256 KB of it to keep the connection).
	if err := s.uploading.take(v.User.ID); err != nil {
		w.Header().Set("Connection", "close")
		retryAfter(w, uploadRetry)
		return err
	}
	defer s.uploading.put(v.User.ID)
	if ok, wait := s.uploadRate.allow(v.User.ID, s.cfg.Now()); !ok {
		w.Header().Set("Connection", "close")
		retryAfter(w, wait)
		return errUploadRate
	}
	room := s.cfg.MaxFileBytes // what the file may take: its largest size, or what is left of the quota
	quota := max(s.cfg.UploadQuota, 0)
	if quota > 0 {
		used, err := s.store.UnattachedBytes(r.Context(), v.User.ID)
		if err != nil {
			return err
		}
		if used >= quota {
			w.Header().Set("Connection", "close")
			return errUploadQuota
		}
		room = min(room, quota-used)
	}
	p, err := s.watchProgress(w, r)
	if err != nil {
		return err
	}
	defer p.stop()
	up, staged, err := s.receiveUpload(w, r, v, room)
	p.stop()
	if staged != nil {
		defer staged.Discard() // unless kept
	}
	if err != nil {
		if p.expired() {
			// Whatever the read failed with, the line was too slow: nothing
			// of it is kept.
			return errUploadStalled
		}
		return err
	}
	if err := s.keepFile(r, up, staged, quota); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, uploadResponse{Upload: up.Attachment})
	return nil
}

// uploadRetry is when a client refused for too many uploads in progress
// may try again.
const uploadRetry = 5 * time.Second

// receiveUpload reads the form of an upload; the file may take at most
// room bytes. The file read is returned staged (nil when there is none).
func (s *Server) receiveUpload(w http.ResponseWriter, r *http.Request, v ticket.Viewer, room int64) (store.Upload, *files.Staged, error) {
	limit := s.cfg.MaxFileBytes + 64<<10 // the file and its form
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return store.Upload{}, nil, errMultipart
	}
	confirmed := false
	var orgID int64
	var up store.Upload
	var staged *files.Staged // the file, read: kept once the whole form is read
	fail := func(err error) (store.Upload, *files.Staged, error) {
		if staged != nil {
			staged.Discard()
		}
		return store.Upload{}, nil, err
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(formError(err))
		}
		switch part.FormName() {
		case "privacyConfirmed":
			val, err := formValue(part)
			if err != nil {
				return fail(err)
			}
			confirmed = val == "true"
		case "organizationId":
			val, err := formValue(part)
			if err != nil {
				return fail(err)
			}
			if orgID, err = strconv.ParseInt(val, 10, 64); err != nil || orgID <= 0 {
				return fail(errUploadAccount)
			}
		case "file":
			if staged != nil {
				return fail(errOneFile) // and the first is not kept either
			}
			if !confirmed {
				return fail(errPrivacyConfirm) // before a single byte is kept
			}
			org, err := s.uploadAccount(r, v, orgID)
			if err != nil {
				return fail(err)
			}
			if up, staged, err = s.readFile(v, org, part, room); err != nil {
				return fail(err)
			}
		}
		part.Close()
	}
	if staged == nil {
		if !confirmed {
			return fail(errPrivacyConfirm)
		}
		return fail(errFileMissing)
	}
	return up, staged, nil
}

// uploadRate is the slowest line (bytes a second) an upload of the largest
// size is given time for: 64 KB/s, 512 kbit/s (25 MB: 7 minutes).
const uploadRate = 64 << 10

// formError turns an error reading the form into the caller's error.
func formError(err error) error {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge) || errors.Is(err, errFileTooLarge):
		return errFileTooLarge
	case errors.Is(err, errUploadQuota):
		return errUploadQuota
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
// into staging, at most room bytes (less than the largest file: what is
// left of the user's quota); keepFile stores it.
func (s *Server) readFile(v ticket.Viewer, org ticket.Organization, part io.Reader, room int64) (store.Upload, *files.Staged, error) {
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
	limited := &maxReader{r: io.MultiReader(bytes.NewReader(head), part), left: s.cfg.MaxFileBytes, err: errFileTooLarge}
	if room < s.cfg.MaxFileBytes {
		limited.left, limited.err = room, errUploadQuota
	}
	staged, err := s.blobs.Stage(limited)
	if err != nil {
		return store.Upload{}, nil, formError(err)
	}
	up.SHA256, up.Size = staged.Sum, staged.Size
	return up, staged, nil
}

// keepFile puts the staged file of up in its place and records up,
// within the uploader's quota (0: none).
func (s *Server) keepFile(r *http.Request, up store.Upload, staged *files.Staged, quota int64) error {
	// The janitor removes the bytes of stale uploads; it waits while a file
	// is put in its place and recorded (not while it is read: a slow
	// upload holds up no one). The record is written even if the client
	// leaves now: the bytes are in place.
	s.uploads.RLock()
	defer s.uploads.RUnlock()
	ctx := context.WithoutCancel(r.Context())
	if quota > 0 {
		// The quota is checked before the bytes are put in place (bytes
		// of no upload would never be removed), and a user's uploads
		// finishing together are checked one after the other.
		mu := s.uploaderLock(up.UploaderID)
		mu.Lock()
		defer mu.Unlock()
		used, err := s.store.UnattachedBytes(ctx, up.UploaderID)
		if err != nil {
			return err
		}
		if used+up.Size > quota {
			return errUploadQuota
		}
	}
	if err := staged.Keep(); err != nil {
		return err
	}
	return s.store.CreateUploadWithin(ctx, up, quota)
}

// HoldUploads keeps stale uploads and their bytes from being removed
// until release is called: whoever keeps a file's bytes and then records
// it outside the API (replies by email, server/mailin) holds it meanwhile,
// as the API's own uploads do.
func (s *Server) HoldUploads() (release func()) {
	s.uploads.RLock()
	return s.uploads.RUnlock
}

// uploaderLock returns the lock of user userID's uploads being recorded.
func (s *Server) uploaderLock(userID int64) *sync.Mutex {
	mu, _ := s.uploaderLocks.LoadOrStore(userID, &sync.Mutex{})
	return mu.(*sync.Mutex)
}

// fileName is the name the browser gave the file part.
func fileName(part io.Reader) string {
	if p, ok := part.(interface{ FileName() string }); ok {
		return p.FileName()
	}
	return ""
}

// maxReader reads at most left bytes of r and fails with err when r has
// more.
type maxReader struct {
	r    io.Reader
	left int64
	err  error
}

func (m *maxReader) Read(p []byte) (int, error) {
	if m.left < 0 {
		return 0, m.err
	}
	if int64(len(p)) > m.left+1 {
		p = p[:m.left+1]
	}
	n, err := m.r.Read(p)
	m.left -= int64(n)
	if m.left < 0 {
		return n, m.err
	}
	return n, err
}

// progress watches the body of an upload: each UploadIdle it must have
// brought UploadMinBytes more, and all of it must come within UploadTime.
// When it did not, the connection's read deadline is moved to now, so the
// read waiting for the slow line fails at once and the upload ends.
type progress struct {
	r        io.ReadCloser
	n        atomic.Int64 // bytes read
	deadline time.Time    // the whole body's

	mu      sync.Mutex
	timer   *time.Timer
	seen    int64 // n when the timer last fired
	stalled bool
	stopped bool
}

// watchProgress starts watching r's body, which it replaces.
func (s *Server) watchProgress(w http.ResponseWriter, r *http.Request) (*progress, error) {
	rc := http.NewResponseController(w)
	p := &progress{r: r.Body, deadline: time.Now().Add(s.cfg.UploadTime)}
	if err := rc.SetReadDeadline(p.deadline); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return nil, err
	}
	idle, least := s.cfg.UploadIdle, s.cfg.UploadMinBytes
	p.mu.Lock()
	defer p.mu.Unlock()
	p.timer = time.AfterFunc(idle, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.stopped {
			return
		}
		if n := p.n.Load(); n-p.seen >= least {
			p.seen = n
			p.timer.Reset(idle)
			return
		}
		p.stalled = true
		rc.SetReadDeadline(time.Now())
	})
	r.Body = p
	return p, nil
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n.Add(int64(n))
	return n, err
}

func (p *progress) Close() error { return p.r.Close() }

// stop ends the watch (the body is read); it may be called again.
func (p *progress) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	p.timer.Stop()
}

// expired reports whether the upload was too slow: it stalled, or its
// time is up.
func (p *progress) expired() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stalled || !time.Now().Before(p.deadline)
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
