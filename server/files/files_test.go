package files

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Headers of real files of every allowed kind.
var (
	pdfHead  = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	pngHead  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	jpegHead = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	gifHead  = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04")
	webpHead = []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00")
	zipHead  = []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
	emlHead  = []byte("Received: from mail.example\r\nFrom: Anna <anna@example.com>\r\nSubject: Rechnung\r\n\r\nHallo")
)

func TestCheckAllowedKinds(t *testing.T) {
	for _, c := range []struct {
		name string
		head []byte
		want string
	}{
		{"Rechnung RE-2026-10977.pdf", pdfHead, "application/pdf"},
		{"screenshot.PNG", pngHead, "image/png"},
		{"foto.jpg", jpegHead, "image/jpeg"},
		{"foto.jpeg", jpegHead, "image/jpeg"},
		{"anim.gif", gifHead, "image/gif"},
		{"bild.webp", webpHead, "image/webp"},
		{"notiz.txt", []byte("Umlaute: äöü, 12 € – ok\n"), "text/plain; charset=utf-8"},
		{"export.csv", []byte("Nummer;Betrag\nRE-1;12,50\n"), "text/csv; charset=utf-8"},
		{"mail.eml", emlHead, "message/rfc822"},
		{"brief.docx", zipHead, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"tabelle.xlsx", zipHead, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"logs.zip", zipHead, "application/zip"},
	} {
		got, ok := Check(c.name, c.head)
		if !ok || got != c.want {
			t.Errorf("Check(%q) = %q, %v; want %q", c.name, got, ok, c.want)
		}
	}
}

// What must never be stored: active content, and files whose bytes say
// something else than their name.
func TestCheckRefusesHostileFiles(t *testing.T) {
	for _, c := range []struct {
		name string
		head []byte
	}{
		{"logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`)},
		{"logo.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`)},
		{"page.html", []byte("<!DOCTYPE html><html><body>hi</body></html>")},
		{"page.htm", []byte("<html><script>alert(1)</script></html>")},
		{"readme.txt", []byte("<html><script>alert(1)</script></html>")}, // HTML named .txt
		{"readme.txt", []byte("  <script>fetch('/api/v1/me')</script>")}, // script named .txt
		{"data.csv", []byte("<?xml version=\"1.0\"?><x/>")},              // XML named .csv
		{"invoice.pdf", pngHead}, // a PNG named .pdf
		{"photo.png", pdfHead},   // a PDF named .png
		{"photo.jpg", gifHead},
		{"mail.eml", []byte("just some text, no headers\n")}, // not an e-mail
		{"setup.exe", []byte("MZ\x90\x00\x03\x00\x00\x00")},
		{"run.sh", []byte("#!/bin/sh\nrm -rf /\n")},
		{"passwd", []byte("root:x:0:0:root:/root:/bin/bash\n")}, // no extension
		{"archive.tar.gz", []byte("\x1f\x8b\x08\x00")},
		{"binary.txt", []byte("\x00\x01\x02\x03 binary")},
	} {
		if got, ok := Check(c.name, c.head); ok {
			t.Errorf("Check(%q, %q) = %q, allowed; want refused", c.name, c.head, got)
		}
	}
}

// A GIF that is also JavaScript is a valid GIF: it is stored, and served
// as image/gif, never run (see the API's download headers).
func TestCheckGIFPolyglotIsAGIF(t *testing.T) {
	polyglot := []byte("GIF89a/*\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00*/=alert(document.domain);//;")
	if got, ok := Check("cat.gif", polyglot); !ok || got != "image/gif" {
		t.Fatalf("Check = %q, %v", got, ok)
	}
	if _, ok := Check("cat.js", polyglot); ok {
		t.Fatal("a .js file was allowed")
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":            "passwd",
		`..\..\windows\win.ini`:       "win.ini",
		"invoice\u202efdp.exe":        "invoicefdp.exe", // right-to-left override
		"a\u200bb\u2066c\u2069.pdf":   "abc.pdf",        // zero width, isolates
		"bad\x00name\x1b[31m.txt":     "badname[31m.txt",
		"  .hidden.txt. ":             "hidden.txt",
		"tab\tand\nnewline.pdf":       "tab and newline.pdf",
		"":                            "file",
		"/":                           "file",
		".pdf":                        "file.pdf",
		"Résumé – Praxis Größe 1.pdf": "Résumé – Praxis Größe 1.pdf",
	} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
	long := CleanName(strings.Repeat("ä", 500) + ".pdf")
	if n := len([]rune(long)); n != MaxName || !strings.HasSuffix(long, ".pdf") {
		t.Errorf("a long name: %d characters, %q…", n, long[len(long)-8:])
	}
}

func TestDisposition(t *testing.T) {
	for _, c := range []struct {
		name   string
		inline bool
		want   string
	}{
		{"report.pdf", false, `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`},
		{"Größe; x=\"1\".pdf", false, `attachment; filename="Gr__e; x=_1_.pdf"; filename*=UTF-8''Gr%C3%B6%C3%9Fe%3B%20x%3D%221%22.pdf`},
		{"photo.png", true, `inline; filename="photo.png"; filename*=UTF-8''photo.png`},
		{"100%'s.txt", false, `attachment; filename="100_'s.txt"; filename*=UTF-8''100%25%27s.txt`},
	} {
		if got := Disposition(c.name, c.inline); got != c.want {
			t.Errorf("Disposition(%q)\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func testBlobs(t *testing.T, b Blobs) {
	t.Helper()
	sum, size, err := Put(b, strings.NewReader("hello"))
	if err != nil || size != 5 || sum != "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" {
		t.Fatalf("Put = %s, %d, %v", sum, size, err)
	}
	again, _, _ := Put(b, strings.NewReader("hello"))
	if again != sum {
		t.Fatalf("same bytes, another name: %s", again)
	}
	f, err := b.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if string(got) != "hello" {
		t.Fatalf("read %q", got)
	}
	for _, bad := range []string{"../../etc/passwd", "", strings.Repeat("0", 64)} {
		if _, err := b.Open(bad); err != ErrNotFound {
			t.Errorf("Open(%q) = %v, want ErrNotFound", bad, err)
		}
	}
	if err := b.Remove(sum); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Open(sum); err != ErrNotFound {
		t.Fatalf("after Remove: %v", err)
	}
	// Staged and discarded: nothing is stored under its sum.
	st, err := b.Stage(strings.NewReader("never kept"))
	if err != nil {
		t.Fatal(err)
	}
	st.Discard()
	if _, err := b.Open(st.Sum); err != ErrNotFound {
		t.Fatalf("a discarded file can be opened: %v", err)
	}
	// A failing reader stores nothing.
	if _, _, err := Put(b, io.MultiReader(strings.NewReader("part"), failing{})); err == nil {
		t.Fatal("Put of a failing reader succeeded")
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestDirBlobs(t *testing.T) {
	dir := t.TempDir()
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	testBlobs(t, d)
	// Content-addressed under server-made names; nothing left in tmp.
	sum, _, err := Put(d, bytes.NewReader(pdfHead))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, sum[:2], sum)); err != nil {
		t.Fatalf("not at its place: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	// What a crash leaves in tmp is gone when the directory is opened again.
	if _, err := d.Stage(strings.NewReader("cut off by a crash")); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDir(dir); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(left) != 0 {
		t.Fatalf("temporary files left after reopening: %v", left)
	}
	if _, err := d.Open(sum); err != nil {
		t.Fatalf("a kept blob after reopening: %v", err)
	}
}

func TestMemoryBlobs(t *testing.T) { testBlobs(t, NewMemory()) }
