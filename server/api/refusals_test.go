package api_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
)

// serveRefusals runs the API (and a page under /) on a real TCP listener
// wrapped by api.RefusalListener, as server/main.go does.
func serveRefusals(t *testing.T) string {
	t.Helper()
	a := mustEmptyAPI(t, api.Config{})
	mux := http.NewServeMux()
	mux.Handle("/api/", a)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(api.RefusalListener(ln))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

var bigHeader = "X-Big: " + strings.Repeat("a", 2<<20) + "\r\n"

// TestNetHTTPRefusalsAreStructured sends requests net/http refuses before
// any handler runs; on API paths the answer is the JSON error.
func TestNetHTTPRefusalsAreStructured(t *testing.T) {
	addr := serveRefusals(t)
	const host = "Host: 127.0.0.1\r\n"
	tests := []struct {
		name string
		// requests sent on one connection; the answer to the last one is checked
		requests []string
		status   int
		code     ticket.Code // "" for net/http's plain text
		id       string
	}{
		{"2 MiB header, API", []string{"GET /api/v1/me HTTP/1.1\r\n" + host + bigHeader + "\r\n"}, 431, ticket.CodeTooLarge, "ErrHeaderTooLarge"},
		{"2 MiB header, API, absolute form", []string{"GET http://127.0.0.1/api/v1/me HTTP/1.1\r\n" + host + bigHeader + "\r\n"}, 431, ticket.CodeTooLarge, "ErrHeaderTooLarge"},
		{"2 MiB header, page", []string{"GET /login HTTP/1.1\r\n" + host + bigHeader + "\r\n"}, 431, "", ""},
		{"2 MiB header, /apiary is no API path", []string{"GET /apiary HTTP/1.1\r\n" + host + bigHeader + "\r\n"}, 431, "", ""},
		{"malformed header, API", []string{"GET /api/v1/me HTTP/1.1\r\n" + host + "no colon here\r\n\r\n"}, 400, ticket.CodeInvalid, "ErrBadRequest"},
		{"malformed Host, API", []string{"GET /api/v1/me HTTP/1.1\r\nHost: a b\r\n\r\n"}, 400, ticket.CodeInvalid, "ErrBadRequest"},
		{"unknown transfer encoding, API", []string{"POST /api/v1/login HTTP/1.1\r\n" + host + "Transfer-Encoding: zip\r\n\r\n"}, 501, ticket.CodeUnsupported, "ErrBadRequest"},
		{"unsupported HTTP version, API", []string{"GET /api/v1/me HTTP/4.0\r\n" + host + "\r\n"}, 505, ticket.CodeInvalid, "ErrBadRequest"},
		{"malformed header, page", []string{"GET / HTTP/1.1\r\n" + host + "no colon here\r\n\r\n"}, 400, "", ""},
		{"API refusal after a page on one connection", []string{
			"GET /login HTTP/1.1\r\n" + host + "\r\n",
			"GET /api/v1/me HTTP/1.1\r\n" + host + bigHeader + "\r\n",
		}, 431, ticket.CodeTooLarge, "ErrHeaderTooLarge"},
		{"page refusal after an API answer on one connection", []string{
			"GET /api/v1/me HTTP/1.1\r\n" + host + "\r\n",
			"GET /login HTTP/1.1\r\n" + host + bigHeader + "\r\n",
		}, 431, "", ""},
		{"an API answer is untouched", []string{"GET /api/v1/catalog HTTP/1.1\r\n" + host + "\r\n"}, 401, ticket.CodeUnauthorized, "ErrUnauthorized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(20 * time.Second))
			br := bufio.NewReader(conn)
			var res *http.Response
			for i, req := range tt.requests {
				go io.WriteString(conn, req) // a refusal may come before all is sent
				if res, err = http.ReadResponse(br, nil); err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
				if i < len(tt.requests)-1 {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (body %s)", res.StatusCode, tt.status, body)
			}
			ct := res.Header.Get("Content-Type")
			if tt.code == "" {
				if !strings.HasPrefix(ct, "text/plain") {
					t.Fatalf("Content-Type = %q, want net/http's text/plain (body %s)", ct, body)
				}
				return
			}
			if !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("Content-Type = %q, want JSON (body %s)", ct, body)
			}
			var e apiError
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if e.Error.Code != string(tt.code) || e.Error.MessageID != tt.id || e.Error.Message == "" || e.Error.Message == tt.id {
				t.Fatalf("error = %+v, want code %s, messageId %s and a message", e.Error, tt.code, tt.id)
			}
		})
	}
}
