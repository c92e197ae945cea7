package api_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"testing"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/files"
	"github.com/supportal/supportal/server/seed"
)

// BenchmarkUpload25MB uploads a 25 MB PDF end to end over HTTP into the
// file store on disk (hashed, fsynced, renamed, recorded). It reports the
// throughput (MB/s) and, as B/op, what the client and the server
// allocated per upload: the client streams from a 32 KB buffer, so B/op
// is about the server's, and must stay far below the file's size (the
// file is streamed to disk, never held whole).
func BenchmarkUpload25MB(b *testing.B) {
	blobs, err := files.OpenDir(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	srv, db := mustDemo(b, api.Config{Blobs: blobs, UploadQuota: -1, UploadRate: -1}) // one user uploads b.N files
	c := newClient(b, srv)
	c.login(seed.AnnaEmail)
	org := firstTicket(b, db, "100200", 0, ticket.Statuses()...).Organization.ID
	const size = ticket.DefaultMaxFileBytes
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 2048) // 32 KB
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			mw.WriteField("privacyConfirmed", "true")
			mw.WriteField("organizationId", strconv.FormatInt(org, 10))
			w, _ := mw.CreateFormFile("file", "gross.pdf")
			w.Write([]byte("%PDF-1.7\n"))
			left := size - len("%PDF-1.7\n") - i%2 // two sizes: not all the same bytes
			for left > 0 {
				n := min(left, len(chunk))
				w.Write(chunk[:n])
				left -= n
			}
			mw.Close()
			pw.Close()
		}()
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/uploads", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := c.http.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 201 {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}
