package api

import (
	"strings"
	"testing"
)

func TestAnswersKeepOneVersion(t *testing.T) {
	c := newAnswers(10)
	c.put(1, "a", []byte("aaaa"))
	if b, ok := c.get(1, "a"); !ok || string(b) != "aaaa" {
		t.Fatalf("get(1, a) = %q, %v", b, ok)
	}
	if _, ok := c.get(2, "a"); ok {
		t.Fatal("an answer read at version 1 served at version 2")
	}
	// A slow reader that started before the write comes back late: its
	// answer is not kept over the newer one.
	c.put(2, "a", []byte("new"))
	c.put(1, "a", []byte("old"))
	if b, _ := c.get(2, "a"); string(b) != "new" {
		t.Fatalf("get(2, a) = %q, want new", b)
	}
	if _, ok := c.get(1, "a"); ok {
		t.Fatal("version 1 served after version 2 was kept")
	}
	// The bound holds: room is made, the newest answer is kept.
	c.put(2, "b", []byte("bbbb"))
	c.put(2, "c", []byte("cccccc"))
	if c.size > c.max {
		t.Fatalf("size %d over max %d", c.size, c.max)
	}
	if b, ok := c.get(2, "c"); !ok || string(b) != "cccccc" {
		t.Fatalf("get(2, c) = %q, %v", b, ok)
	}
	c.put(2, "huge", []byte(strings.Repeat("x", 11)))
	if _, ok := c.get(2, "huge"); ok {
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
