package api_test

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/files"
	"github.com/supportal/supportal/server/seed"
)

// countingBlobs counts the files read into storage (staged, kept or not).
type countingBlobs struct {
	files.Blobs
	puts atomic.Int64
}

func (c *countingBlobs) Stage(r io.Reader) (*files.Staged, error) {
	c.puts.Add(1)
	return c.Blobs.Stage(r)
}

// form is a multipart upload: fields in order, then the file (if name or
// content is set).
type form struct {
	fields  [][2]string
	name    string
	content []byte
	noFile  bool
	first   bool // the file before the fields
}

func (f form) encode() ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	file := func() {
		if !f.noFile {
			w, _ := mw.CreateFormFile("file", f.name)
			w.Write(f.content)
		}
	}
	if f.first {
		file()
	}
	for _, kv := range f.fields {
		mw.WriteField(kv[0], kv[1])
	}
	if !f.first {
		file()
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

func (c *client) upload(f form) response {
	c.tb.Helper()
	body, ctype := f.encode()
	return c.do("POST", "/api/v1/uploads", ctype, body)
}

// confirmed is an upload confirmed for the user's account.
func confirmed(name string, content []byte, fields ...[2]string) form {
	return form{fields: append([][2]string{{"privacyConfirmed", "true"}}, fields...), name: name, content: content}
}

func (c *client) mustUpload(f form) ticket.Attachment {
	c.tb.Helper()
	r := c.upload(f)
	if r.status != 201 {
		c.tb.Fatalf("upload %s: %d %s", f.name, r.status, r.body)
	}
	var res struct{ Upload ticket.Attachment }
	r.decode(c.tb, &res)
	return res.Upload
}

var (
	pdf = []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")
	png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0bIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82")
)

func orgField(id int64) [2]string { return [2]string{"organizationId", strconv.FormatInt(id, 10)} }

// The hostile corpus: each file is refused with its status and code, or
// stored and served inert.
func TestUploadHostileFiles(t *testing.T) {
	blobs := &countingBlobs{Blobs: files.NewMemory()}
	srv, db := mustDemo(t, api.Config{Blobs: blobs})
	anna := newClient(t, srv)
	anna.lang = "de"
	anna.login(seed.AnnaEmail)
	sonnenschein := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen).Organization.ID
	org := orgField(sonnenschein)

	for _, c := range []struct {
		what   string
		f      form
		status int
		code   ticket.Code
		field  string
	}{
		{"svg with script", confirmed("logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), org), 415, ticket.CodeUnsupported, "file"},
		{"html", confirmed("seite.html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), org), 415, ticket.CodeUnsupported, "file"},
		{"html named .txt", confirmed("liesmich.txt", []byte("<html><body onload=alert(1)></body></html>"), org), 415, ticket.CodeUnsupported, "file"},
		{"a png named .pdf", confirmed("rechnung.pdf", png, org), 415, ticket.CodeUnsupported, "file"},
		{"no extension", confirmed("../../etc/passwd", []byte("root:x:0:0:root:/root:/bin/bash\n"), org), 415, ticket.CodeUnsupported, "file"},
		{"right-to-left override to hide .exe", confirmed("rechnung\u202efdp.exe", []byte("MZ\x90\x00"), org), 415, ticket.CodeUnsupported, "file"},
		{"zero bytes", confirmed("leer.pdf", nil, org), 422, ticket.CodeUnprocessable, "file"},
		{"25 MB + 1 byte", confirmed("gross.pdf", append(append([]byte{}, pdf...), make([]byte, ticket.DefaultMaxFileBytes+1-len(pdf))...), org), 413, ticket.CodeTooLarge, "file"},
		{"no confirmation", form{fields: [][2]string{org}, name: "rechnung.pdf", content: pdf}, 422, ticket.CodeUnprocessable, "privacyConfirmed"},
		{"confirmation false", form{fields: [][2]string{{"privacyConfirmed", "false"}, org}, name: "rechnung.pdf", content: pdf}, 422, ticket.CodeUnprocessable, "privacyConfirmed"},
		{"file before its confirmation", form{fields: [][2]string{{"privacyConfirmed", "true"}, org}, name: "rechnung.pdf", content: pdf, first: true}, 422, ticket.CodeUnprocessable, "privacyConfirmed"},
		{"no file", form{fields: [][2]string{{"privacyConfirmed", "true"}, org}, noFile: true}, 422, ticket.CodeUnprocessable, "file"},
		{"two accounts, none chosen", confirmed("rechnung.pdf", pdf), 422, ticket.CodeUnprocessable, "organizationId"},
		{"another's account", confirmed("rechnung.pdf", pdf, orgField(firstTicket(t, db, "200300", 0, ticket.Statuses()...).Organization.ID)), 422, ticket.CodeUnprocessable, "organizationId"},
	} {
		before := blobs.puts.Load()
		r := anna.upload(c.f)
		e := mustError(t, r, c.status, c.code)
		if e.Error.Field != c.field || e.Error.Message == "" {
			t.Errorf("%s: field %q message %q, want field %q and a message", c.what, e.Error.Field, e.Error.Message, c.field)
		}
		if c.status == 415 && !strings.Contains(e.Error.Message, "PDF") {
			t.Errorf("%s: the message does not say what is allowed: %q", c.what, e.Error.Message)
		}
		if c.status != 413 && blobs.puts.Load() != before {
			t.Errorf("%s: refused, but bytes were stored", c.what)
		}
	}
	// Not multipart at all.
	mustError(t, anna.send("POST", "/api/v1/uploads", map[string]string{"file": "x"}), 400, ticket.CodeInvalid)

	// Stored, but inert: a GIF that is also JavaScript, a text file with a
	// path and invisible characters in its name.
	polyglot := anna.mustUpload(confirmed("katze.gif", []byte("GIF89a/*\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00*/=alert(document.domain);//;"), org))
	if polyglot.ContentType != "image/gif" {
		t.Fatalf("polyglot stored as %q", polyglot.ContentType)
	}
	text := anna.mustUpload(confirmed("../../etc/\u202eliste\u200b.txt", []byte("Zeile 1\n"), org))
	if text.Name != "liste.txt" {
		t.Fatalf("name kept as %q, want liste.txt", text.Name)
	}
	for _, a := range []ticket.Attachment{polyglot, text} {
		r := anna.get("/api/v1/attachments/" + a.ID)
		if r.status != 200 {
			t.Fatalf("download %s: %d", a.Name, r.status)
		}
		h := r.header
		if h.Get("Content-Type") != a.ContentType || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Security-Policy") != "sandbox; default-src 'none'" ||
			!strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") {
			t.Errorf("%s served with %v", a.Name, h)
		}
	}
	if d := anna.get("/api/v1/attachments/" + polyglot.ID + "?inline=1").header.Get("Content-Disposition"); !strings.HasPrefix(d, "inline;") {
		t.Errorf("a GIF asked inline: %q", d)
	}
	if d := anna.get("/api/v1/attachments/" + text.ID + "?inline=1").header.Get("Content-Disposition"); !strings.HasPrefix(d, "attachment;") {
		t.Errorf("a text file asked inline: %q (only pictures and PDF are shown inline)", d)
	}
}

// Who may download is who may see the ticket and the message: everyone
// else gets 404, as for an id that does not exist.
func TestAttachmentsFollowTheTicket(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	anna, bernd, claire, sam := newClient(t, srv), newClient(t, srv), newClient(t, srv), newClient(t, srv)
	anna.login(seed.AnnaEmail)
	bernd.login(seed.BerndEmail)
	claire.login(seed.ClaireEmail)
	sam.login(seed.SamEmail)
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen)
	org := orgField(tk.Organization.ID)

	a := anna.mustUpload(confirmed("Rechnung RE-2026-10977.pdf", pdf, org))
	stored, err := db.Upload(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Regime != ticket.PrivacyHIPAA || stored.Wording != ticket.PrivacyWording || stored.ConfirmedAt.IsZero() {
		t.Fatalf("confirmation stored as %q %q %v", stored.Regime, stored.Wording, stored.ConfirmedAt)
	}
	// Not attached yet: the uploader's alone.
	if r := anna.get("/api/v1/attachments/" + a.ID); r.status != 200 || !bytes.Equal(r.body, pdf) {
		t.Fatalf("the uploader's download: %d", r.status)
	}
	mustError(t, bernd.get("/api/v1/attachments/"+a.ID), 404, ticket.CodeNotFound)
	// Bernd cannot attach Anna's upload.
	mustError(t, bernd.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "x", "attachments": []string{a.ID}}), 422, ticket.CodeUnprocessable)

	// Anna replies with it; the reply may be the file alone.
	r := anna.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "", "attachments": []string{a.ID}})
	if r.status != 201 {
		t.Fatalf("reply with a file: %d %s", r.status, r.body)
	}
	var reply struct{ Message ticket.MessageView }
	r.decode(t, &reply)
	if len(reply.Message.Attachments) != 1 || reply.Message.Attachments[0].ID != a.ID {
		t.Fatalf("reply's attachments: %+v", reply.Message.Attachments)
	}
	// Attached once only.
	mustError(t, anna.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "noch mal", "attachments": []string{a.ID}}), 422, ticket.CodeUnprocessable)

	var detail struct{ Messages []ticket.MessageView }
	bernd.get(path(tk.Number, "")).decode(t, &detail)
	found := false
	for _, m := range detail.Messages {
		for _, at := range m.Attachments {
			found = found || at.ID == a.ID
		}
	}
	if !found {
		t.Fatal("the attachment is not in the conversation Bernd sees")
	}
	for name, c := range map[string]*client{"bernd": bernd, "sam": sam} {
		if r := c.get("/api/v1/attachments/" + a.ID); r.status != 200 || !bytes.Equal(r.body, pdf) {
			t.Errorf("%s's download: %d", name, r.status)
		}
	}
	mustError(t, claire.get("/api/v1/attachments/"+a.ID), 404, ticket.CodeNotFound)
	mustError(t, claire.get("/api/v1/attachments/guessed-id-0000"), 404, ticket.CodeNotFound)

	// A ticket created with a file; a file confirmed for the branch cannot
	// go on a ticket of the main account.
	b := anna.mustUpload(confirmed("screenshot.png", png, org))
	branch := anna.mustUpload(confirmed("filiale.png", png, orgField(firstTicket(t, db, "100201", 0, ticket.Statuses()...).Organization.ID)))
	draft := map[string]any{"organizationId": tk.Organization.ID, "type": "admin_request", "category": "invoice", "subject": "Rechnung mit Anhang",
		"description": "Siehe Anhang.", "fields": map[string]string{"invoiceNumber": "RE-2026-10977"}}
	draft["attachments"] = []string{b.ID, branch.ID}
	mustError(t, anna.send("POST", "/api/v1/tickets", draft), 422, ticket.CodeUnprocessable)
	draft["attachments"] = []string{b.ID}
	r = anna.send("POST", "/api/v1/tickets", draft)
	if r.status != 201 {
		t.Fatalf("create with a file: %d %s", r.status, r.body)
	}
	var created struct{ Ticket ticket.TicketView }
	r.decode(t, &created)
	var got struct{ Ticket ticket.TicketView }
	bernd.get(path(created.Ticket.Number, "")).decode(t, &got)
	if len(got.Ticket.Attachments) != 1 || got.Ticket.Attachments[0].ID != b.ID {
		t.Fatalf("the new ticket's attachments: %+v", got.Ticket.Attachments)
	}
	// At most ten files.
	ids := make([]string, ticket.DefaultMaxFiles+1)
	for i := range ids {
		ids[i] = "id" + strconv.Itoa(i)
	}
	mustError(t, anna.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "x", "attachments": ids}), 422, ticket.CodeUnprocessable)
}

// An internal note's file is as internal as the note.
func TestInternalNoteAttachment(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	anna, sam := newClient(t, srv), newClient(t, srv)
	anna.login(seed.AnnaEmail)
	sam.login(seed.SamEmail)
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen)
	// An agent names the account.
	mustError(t, sam.upload(confirmed("notiz.txt", []byte("intern\n"))), 422, ticket.CodeUnprocessable)
	a := sam.mustUpload(confirmed("notiz.txt", []byte("intern\n"), orgField(tk.Organization.ID)))
	if r := sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "Buchhaltung fragen", "internal": true, "attachments": []string{a.ID}}); r.status != 201 {
		t.Fatalf("note: %d %s", r.status, r.body)
	}
	if r := sam.get("/api/v1/attachments/" + a.ID); r.status != 200 {
		t.Fatalf("the agent's download: %d", r.status)
	}
	mustError(t, anna.get("/api/v1/attachments/"+a.ID), 404, ticket.CodeNotFound)
	if r := anna.get(path(tk.Number, "")); strings.Contains(string(r.body), a.ID) || strings.Contains(string(r.body), "notiz.txt") {
		t.Fatal("the note's file reached the customer")
	}
}

// Uploads not attached within a day are removed, bytes and all; attached
// ones and shared bytes stay.
func TestStaleUploadsRemoved(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	blobs := files.NewMemory()
	_, db := mustDemo(t, api.Config{})
	a := api.New(db, api.Config{Now: clock, Blobs: blobs, SessionIdle: 72 * time.Hour})
	srv := httptest.NewServer(a)
	defer srv.Close()
	anna := newClient(t, srv)
	anna.login(seed.AnnaEmail)
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen)
	org := orgField(tk.Organization.ID)
	stale := anna.mustUpload(confirmed("alt.pdf", pdf, org))
	kept := anna.mustUpload(confirmed("bleibt.png", png, org))
	if r := anna.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "Anhang", "attachments": []string{kept.ID}}); r.status != 201 {
		t.Fatalf("reply: %d %s", r.status, r.body)
	}
	unattached := anna.mustUpload(confirmed("neu.txt", []byte("neu\n"), org))

	mu.Lock()
	now = now.Add(api.StaleUploads - time.Minute)
	mu.Unlock()
	sameBytes := anna.mustUpload(confirmed("neu2.pdf", pdf, org)) // the same bytes as the stale one
	mu.Lock()
	now = now.Add(2 * time.Minute) // the first uploads are a day old
	mu.Unlock()
	if err := a.RemoveStaleUploads(context.Background()); err != nil {
		t.Fatal(err)
	}
	mustError(t, anna.get("/api/v1/attachments/"+stale.ID), 404, ticket.CodeNotFound)
	mustError(t, anna.get("/api/v1/attachments/"+unattached.ID), 404, ticket.CodeNotFound)
	for _, keep := range []ticket.Attachment{kept, sameBytes} {
		if r := anna.get("/api/v1/attachments/" + keep.ID); r.status != 200 {
			t.Errorf("%s: %d after removing stale uploads", keep.Name, r.status)
		}
	}
	if _, err := db.Upload(context.Background(), stale.ID); ticket.ErrorCode(err) != ticket.CodeNotFound {
		t.Fatalf("stale row: %v", err)
	}
}

// slowUpload starts an upload of a PDF by c to the server at base whose
// bytes the test writes to file as slowly as it likes; finish ends the
// form and returns the answer's status (0: no answer). A test that fails
// before finish leaves the request to be cut off by its cleanup.
func slowUpload(t *testing.T, c *client, base string, org int64) (file io.Writer, finish func() int) {
	t.Helper()
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(io.ErrUnexpectedEOF) })
	mw := multipart.NewWriter(pw)
	req, err := http.NewRequest("POST", base+"/api/v1/uploads", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	done := make(chan int, 1)
	go func() {
		res, err := c.http.Do(req)
		if err != nil {
			done <- 0
			return
		}
		res.Body.Close()
		done <- res.StatusCode
	}()
	mw.WriteField("privacyConfirmed", "true")
	mw.WriteField("organizationId", strconv.FormatInt(org, 10))
	fw, err := mw.CreateFormFile("file", "langsam.pdf")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(pdf)
	return fw, func() int {
		mw.Close()
		pw.Close()
		return <-done
	}
}

// A slow upload holds up no one: while its bytes trickle in, the stale
// upload janitor runs and another upload is stored at once.
func TestSlowUploadHoldsUpNoOne(t *testing.T) {
	_, db := mustDemo(t, api.Config{})
	a := api.New(db, api.Config{})
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close) // after slowUpload's cleanup has cut its request off
	anna := newClient(t, srv)
	anna.login(seed.AnnaEmail)
	org := firstTicket(t, db, "100200", 0, ticket.Statuses()...).Organization.ID

	// The slow one: the fields and the start of the file, then nothing.
	fw, finish := slowUpload(t, anna, srv.URL, org)
	fw.Write(make([]byte, 64<<10)) // past the sniffed head: the server is storing it
	time.Sleep(200 * time.Millisecond)

	janitor := make(chan error, 1)
	go func() { janitor <- a.RemoveStaleUploads(context.Background()) }()
	select {
	case err := <-janitor:
		if err != nil {
			t.Fatalf("janitor: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the janitor waits for a slow upload")
	}
	fast := make(chan int, 1)
	go func() { fast <- anna.upload(confirmed("schnell.pdf", pdf, orgField(org))).status }()
	select {
	case status := <-fast:
		if status != 201 {
			t.Fatalf("the other upload: %d, want 201", status)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("another upload waits for a slow one")
	}
	if status := finish(); status != 201 {
		t.Fatalf("the slow upload, finished: %d, want 201", status)
	}
}

// The server's read timeout (short, for ordinary requests) does not cut
// off an upload on a slow line: this one takes longer than the timeout.
func TestSlowUploadOutlastsReadTimeout(t *testing.T) {
	_, db := mustDemo(t, api.Config{})
	srv := httptest.NewUnstartedServer(api.New(db, api.Config{}))
	srv.Config.ReadTimeout = 500 * time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close) // after slowUpload's cleanup has cut its request off
	anna := newClient(t, srv)
	anna.login(seed.AnnaEmail)
	org := firstTicket(t, db, "100200", 0, ticket.Statuses()...).Organization.ID

	fw, finish := slowUpload(t, anna, srv.URL, org)
	for i := 0; i < 6; i++ { // 1.2 s in all, 4 KB at a time
		time.Sleep(200 * time.Millisecond)
		fw.Write(make([]byte, 4<<10))
	}
	if status := finish(); status != 201 {
		t.Fatalf("an upload slower than the read timeout: %d, want 201", status)
	}
}

// One file per upload: a form with two is refused (422 at "file") and
// keeps neither, not even the first, whose bytes were read already.
func TestUploadOfTwoFilesKeepsNone(t *testing.T) {
	dir := t.TempDir()
	blobs, err := files.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv, db := mustDemo(t, api.Config{Blobs: blobs})
	anna := newClient(t, srv)
	anna.login(seed.AnnaEmail)
	org := firstTicket(t, db, "100200", 0, ticket.Statuses()...).Organization.ID
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("privacyConfirmed", "true")
	mw.WriteField("organizationId", strconv.FormatInt(org, 10))
	for _, name := range []string{"eins.pdf", "zwei.pdf"} {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(append(append([]byte{}, pdf...), name...))
	}
	mw.Close()
	r := anna.do("POST", "/api/v1/uploads", mw.FormDataContentType(), buf.Bytes())
	if r.status != 422 || !strings.Contains(string(r.body), `"field":"file"`) {
		t.Fatalf("two files: %d %s, want 422 at file", r.status, r.body)
	}
	var kept []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			kept = append(kept, path)
		}
		return nil
	})
	if len(kept) != 0 {
		t.Fatalf("files kept after the refused form: %v", kept)
	}
}

// openUpload is an upload in progress: the form's fields and the first
// 16 KB of a PDF are sent, the test writes the rest to file when it likes; end
// finishes the form; answer receives the server's answer (status 0: none).
type openUpload struct {
	file   io.Writer
	end    func()
	answer chan response
}

func startUpload(t *testing.T, c *client, org int64) openUpload {
	t.Helper()
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(io.ErrUnexpectedEOF) })
	mw := multipart.NewWriter(pw)
	req, err := http.NewRequest("POST", c.base+"/api/v1/uploads", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	u := openUpload{answer: make(chan response, 1)}
	go func() {
		res, err := c.http.Do(req)
		if err != nil {
			u.answer <- response{}
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		pr.CloseWithError(io.ErrClosedPipe) // the writer stops
		u.answer <- response{status: res.StatusCode, header: res.Header, body: b}
	}()
	mw.WriteField("privacyConfirmed", "true")
	mw.WriteField("organizationId", strconv.FormatInt(org, 10))
	fw, err := mw.CreateFormFile("file", "offen.pdf")
	if err != nil {
		// Refused (429) before its file part was written: the pipe is
		// closed, and the answer says why.
		fw = io.Discard
	}
	fw.Write(pdf)
	fw.Write(make([]byte, 16<<10)) // past the client's buffer: the server is reading it
	u.file = fw
	u.end = func() {
		mw.Close()
		pw.Close()
	}
	return u
}

// wait returns the answer to u, failing after 5 s.
func (u openUpload) wait(t *testing.T) response {
	t.Helper()
	select {
	case r := <-u.answer:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("no answer to the upload within 5 s")
		return response{}
	}
}

// stagedFiles lists the files in the staging directory of blobs in dir.
func stagedFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// An upload must keep making progress: one that trickles (a byte every
// 10 ms, less than the 1,000 bytes each 150 ms it must bring) ends with
// 408 and a structured error, and nothing of it stays in staging. A
// steady one of the same configuration is stored.
func TestStalledUploadEnds(t *testing.T) {
	dir := t.TempDir()
	blobs, err := files.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv, db := mustDemo(t, api.Config{Blobs: blobs, UploadIdle: 150 * time.Millisecond, UploadMinBytes: 1000})
	anna := newClient(t, srv)
	anna.lang = "fr"
	anna.login(seed.AnnaEmail)
	org := firstTicket(t, db, "100200", 0, ticket.Statuses()...).Organization.ID

	for _, c := range []struct {
		name   string
		every  time.Duration
		chunk  int
		status int
	}{
		{"a byte every 10 ms", 10 * time.Millisecond, 1, http.StatusRequestTimeout},
		{"nothing more", time.Hour, 1, http.StatusRequestTimeout},
		{"4 KB every 20 ms", 20 * time.Millisecond, 4 << 10, http.StatusCreated},
	} {
		t.Run(c.name, func(t *testing.T) {
			u := startUpload(t, anna, org)
			start := time.Now()
			stop := make(chan struct{})
			go func() {
				defer u.end()
				for i := 0; i < 30; i++ { // 600 ms at 20 ms
					select {
					case <-stop:
						return
					case <-time.After(c.every):
					}
					if _, err := u.file.Write(make([]byte, c.chunk)); err != nil {
						return
					}
				}
			}()
			r := u.wait(t)
			close(stop)
			if c.status != http.StatusCreated {
				e := mustError(t, r, c.status, ticket.CodeTimeout)
				if e.Error.MessageID != "ErrUploadStalled" || e.Error.Field != "file" {
					t.Errorf("error = %+v, want ErrUploadStalled at file", e.Error)
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("the stalled upload was answered after %v, want about 150-300 ms", d)
				}
				if staged := stagedFiles(t, dir); len(staged) != 0 {
					t.Errorf("staged after the stalled upload: %v, want nothing", staged)
				}
			} else if r.status != c.status {
				t.Fatalf("status = %d %s, want %d", r.status, r.body, c.status)
			}
		})
	}
}

// A user has at most UploadsPerUser uploads in progress, and all users
// together UploadsTotal: more are answered 429 with Retry-After; when one
// ends, the next is taken.
func TestConcurrentUploadsCapped(t *testing.T) {
	srv, db := mustDemo(t, api.Config{UploadsPerUser: 2, UploadsTotal: 3})
	anna, bernd, claire := newClient(t, srv), newClient(t, srv), newClient(t, srv)
	anna.login(seed.AnnaEmail)
	bernd.login(seed.BerndEmail)
	claire.login(seed.ClaireEmail)
	org := firstTicket(t, db, "100200", 0, ticket.Statuses()...).Organization.ID
	lumiere := firstTicket(t, db, "200300", 0, ticket.Statuses()...).Organization.ID

	// refused starts uploads that stay open; the one that arrives last is
	// refused at once: it returns that one's answer and the others.
	refused := func(us ...openUpload) (response, []openUpload) {
		t.Helper()
		cases := make([]reflect.SelectCase, len(us)+1)
		for i, u := range us {
			cases[i] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(u.answer)}
		}
		cases[len(us)] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(time.After(5 * time.Second))}
		i, v, _ := reflect.Select(cases)
		if i == len(us) {
			t.Fatal("none refused within 5 s")
		}
		return v.Interface().(response), append(us[:i:i], us[i+1:]...)
	}
	// eventually uploads until stored (a slot is given back just after
	// its answer).
	eventually := func(c *client, org int64) {
		t.Helper()
		var r response
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if r = c.upload(confirmed("klein.pdf", pdf, orgField(org))); r.status == http.StatusCreated {
				return
			}
		}
		t.Fatalf("upload: %d %s, want 201", r.status, r.body)
	}

	r, annas := refused(startUpload(t, anna, org), startUpload(t, anna, org), startUpload(t, anna, org))
	if e := mustError(t, r, http.StatusTooManyRequests, ticket.CodeTooMany); e.Error.MessageID != "ErrTooManyUploads" {
		t.Errorf("anna's third upload in progress: %+v, want ErrTooManyUploads", e.Error)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After = %q, want seconds", r.header.Get("Retry-After"))
	}
	r, others := refused(startUpload(t, bernd, org), startUpload(t, claire, lumiere))
	if e := mustError(t, r, http.StatusTooManyRequests, ticket.CodeTooMany); e.Error.MessageID != "ErrServerBusy" {
		t.Errorf("the fourth upload in progress: %+v, want ErrServerBusy", e.Error)
	}
	annas[0].end()
	if r := annas[0].wait(t); r.status != http.StatusCreated {
		t.Fatalf("anna's first upload, ended: %d %s", r.status, r.body)
	}
	eventually(claire, lumiere)
	for _, u := range append(annas[1:], others...) {
		u.end()
		if r := u.wait(t); r.status != http.StatusCreated {
			t.Fatalf("upload, ended: %d %s", r.status, r.body)
		}
	}
}

// The bytes of a user's uploads not attached yet are limited: past the
// quota an upload is answered 413 ErrUploadQuota (at once when the quota
// is used up, else as soon as the file passes it) and nothing of it is
// kept; attaching uploads makes room. Other users have their own quota.
func TestUploadQuota(t *testing.T) {
	dir := t.TempDir()
	blobs, err := files.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	file := func(n int, tag string) []byte { // a PDF of n bytes
		b := append(append([]byte{}, pdf...), tag...)
		return append(b, bytes.Repeat([]byte(" "), n-len(b))...)
	}
	srv, db := mustDemo(t, api.Config{Blobs: blobs, UploadQuota: 2500})
	anna, bernd := newClient(t, srv), newClient(t, srv)
	anna.lang = "es"
	anna.login(seed.AnnaEmail)
	bernd.login(seed.BerndEmail)
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingExternal)
	org := orgField(tk.Organization.ID)

	a := anna.mustUpload(confirmed("a.pdf", file(1000, "a"), org))
	b := anna.mustUpload(confirmed("b.pdf", file(1000, "b"), org))
	quota := func(what string, r response) {
		t.Helper()
		if e := mustError(t, r, http.StatusRequestEntityTooLarge, ticket.CodeTooLarge); e.Error.MessageID != "ErrUploadQuota" || e.Error.Field != "file" {
			t.Errorf("%s: %+v, want ErrUploadQuota at file", what, e.Error)
		}
	}
	quota("1,000 bytes more with 500 left", anna.upload(confirmed("c.pdf", file(1000, "c"), org)))
	anna.mustUpload(confirmed("d.pdf", file(500, "d"), org)) // exactly full
	quota("a small one with none left", anna.upload(confirmed("e.pdf", file(100, "e"), org)))
	if staged := stagedFiles(t, dir); len(staged) != 0 {
		t.Errorf("staged after refused uploads: %v", staged)
	}
	bernd.mustUpload(confirmed("f.pdf", file(1000, "f"), org))

	// Attached, they count no more.
	if r := anna.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "Anbei", "attachments": []string{a.ID, b.ID}}); r.status != 201 {
		t.Fatalf("reply with attachments: %d %s", r.status, r.body)
	}
	anna.mustUpload(confirmed("g.pdf", file(1500, "g"), org))
}

// A user may start UploadRate uploads per UploadRateWindow: more are
// answered 429 ErrUploadRate with Retry-After, until the window has
// passed. Other users are not counted with them.
func TestUploadRate(t *testing.T) {
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	srv, db := mustDemo(t, api.Config{UploadRate: 3, UploadRateWindow: time.Hour, Now: now})
	anna, bernd := newClient(t, srv), newClient(t, srv)
	anna.login(seed.AnnaEmail)
	bernd.login(seed.BerndEmail)
	org := orgField(firstTicket(t, db, "100200", 0, ticket.Statuses()...).Organization.ID)
	for i := 0; i < 3; i++ {
		anna.mustUpload(confirmed("a.pdf", pdf, org))
	}
	r := anna.upload(confirmed("a.pdf", pdf, org))
	if e := mustError(t, r, http.StatusTooManyRequests, ticket.CodeTooMany); e.Error.MessageID != "ErrUploadRate" {
		t.Errorf("the 4th upload within the window: %+v, want ErrUploadRate", e.Error)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 60 || s > 3600 {
		t.Errorf("Retry-After = %q, want about 20 minutes (a third of the hour)", r.header.Get("Retry-After"))
	}
	bernd.mustUpload(confirmed("b.pdf", pdf, org))
	offset.Store(int64(time.Hour))
	anna.mustUpload(confirmed("a.pdf", pdf, org))
}
