package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// answerOf returns what c answers for key at version, and whether it was
// read (not kept).
func answerOf(t *testing.T, c *answers, version int64, key, fresh string) (string, bool) {
	t.Helper()
	read := false
	b, err := c.answer(version, key, func() ([]byte, error) {
		read = true
		return []byte(fresh), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b), read
}

func TestAnswersKeepOneVersion(t *testing.T) {
	c := newAnswers(10)
	if b, read := answerOf(t, c, 1, "a", "aaaa"); b != "aaaa" || !read {
		t.Fatalf("first answer %q, read %v", b, read)
	}
	if b, read := answerOf(t, c, 1, "a", "other"); b != "aaaa" || read {
		t.Fatalf("same version: %q, read %v; want the kept aaaa", b, read)
	}
	if b, read := answerOf(t, c, 2, "a", "new"); b != "new" || !read {
		t.Fatalf("after a write: %q, read %v; want new, read", b, read)
	}
	// A slow reader that started before the write comes back late: its
	// answer is not kept over the newer one.
	c.put(1, "a", []byte("old"))
	if b, read := answerOf(t, c, 2, "a", "x"); b != "new" || read {
		t.Fatalf("after a late put of version 1: %q, read %v", b, read)
	}
	// The bound holds: room is made, the newest answer is kept.
	answerOf(t, c, 2, "b", "bbbb")
	answerOf(t, c, 2, "c", "cccccc")
	if c.size > c.max {
		t.Fatalf("size %d over max %d", c.size, c.max)
	}
	if b, read := answerOf(t, c, 2, "c", "x"); b != "cccccc" || read {
		t.Fatalf("c: %q, read %v", b, read)
	}
	if _, read := answerOf(t, c, 2, "huge", strings.Repeat("x", 11)); !read {
		t.Fatal("not read")
	}
	if _, read := answerOf(t, c, 2, "huge", "x"); !read {
		t.Fatal("an answer over the bound was kept")
	}
	size := 0
	for _, b := range c.entries {
		size += len(b)
	}
	if size != c.size {
		t.Fatalf("size %d, entries hold %d", c.size, size)
	}
}

// Right after a write, everyone asking the same waits for one read.
func TestAnswersReadOnceForConcurrentMisses(t *testing.T) {
	c := newAnswers(1 << 20)
	var reads atomic.Int64
	release := make(chan struct{})
	var wg sync.WaitGroup
	got := make([]string, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _ := c.answer(5, "list", func() ([]byte, error) {
				reads.Add(1)
				<-release
				return []byte("page"), nil
			})
			got[i] = string(b)
		}()
	}
	// Let every goroutine arrive, then finish the one read.
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		c.mu.Lock()
		n := len(c.reading)
		c.mu.Unlock()
		if n == 1 {
			break
		}
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Fatalf("%d reads for 16 concurrent requests, want 1", n)
	}
	for i, b := range got {
		if b != "page" {
			t.Fatalf("request %d got %q", i, b)
		}
	}
}

// A list read with access that was withdrawn while the request ran (its
// viewer was read before the change, its tickets after) is answered to
// that request, but never kept: the next request after the withdrawal
// reads again and lists none of the account's tickets.
func TestAnswerReadAcrossAccessChangeNotKept(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h, err := HashPassword(seed.Password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(ctx, db, h, time.Now()); err != nil {
		t.Fatal(err)
	}
	s := New(db, Config{})
	w := httptest.NewRecorder()
	login := httptest.NewRequest("POST", "/api/v1/login", strings.NewReader(`{"email":"`+seed.VeraEmail+`","password":"`+seed.Password+`"}`))
	login.Header.Set("Content-Type", "application/json")
	s.ServeHTTP(w, login)
	if w.Code != http.StatusOK {
		t.Fatalf("login: %d %s", w.Code, w.Body)
	}
	cookie := w.Result().Cookies()[0]
	listed := func() (n int) {
		t.Helper()
		r := httptest.NewRequest("GET", "/api/v1/tickets?limit=500", nil)
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		var resp ticket.TicketPage
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("list: %d %s", w.Code, w.Body)
		}
		for _, tv := range resp.Tickets {
			if tv.Organization.AccountNumber == "200300" {
				n++
			}
		}
		return n
	}
	if n := listed(); n == 0 {
		t.Fatal("before: Vera lists no ticket of Cabinet Lumière (read access)")
	}

	late := httptest.NewRequest("GET", "/api/v1/tickets?limit=500", nil)
	late.AddCookie(cookie)
	v, version, sess, err := s.sessionViewer(late)
	if err != nil {
		t.Fatal(err)
	}
	var lumiere, vendor int64
	for _, a := range v.VendorAccounts {
		if a.Organization.AccountNumber == "200300" {
			lumiere, vendor = a.Organization.ID, a.Vendor.ID
		}
	}
	if err := db.ChangeVendorAccess(ctx, lumiere, vendor, ticket.AccessNone); err != nil {
		t.Fatal(err)
	}
	late = late.WithContext(context.WithValue(late.Context(), viewerKey{}, viewerAt{v, version, sess}))
	if err := s.listTickets(httptest.NewRecorder(), late); err != nil {
		t.Fatal(err)
	}

	for i := 0; i < 2; i++ {
		if n := listed(); n != 0 {
			t.Fatalf("request %d after the withdrawal lists %d tickets of Cabinet Lumière, want 0", i+1, n)
		}
	}
}
