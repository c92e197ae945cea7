// Package files keeps uploaded files and decides what may be uploaded: the
// bytes are stored by their SHA-256 under names the server makes, never
// under a name a user gave; the type is sniffed from the bytes and must
// agree with the file name's extension.
package files

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Blobs stores file contents by their SHA-256 (hex).
type Blobs interface {
	// Put reads r to the end and stores it; it returns the SHA-256 and size
	// once the bytes are durable.
	Put(r io.Reader) (sum string, size int64, err error)
	// Open returns the bytes stored under sum.
	Open(sum string) (io.ReadSeekCloser, error)
	// Remove deletes the bytes stored under sum (no error if none).
	Remove(sum string) error
}

// ErrNotFound is returned by Open for unknown contents.
var ErrNotFound = errors.New("files: not found")

// validSum reports whether sum is a hex SHA-256: the only names used on disk.
func validSum(sum string) bool {
	if len(sum) != 64 {
		return false
	}
	_, err := hex.DecodeString(sum)
	return err == nil
}

// Dir keeps blobs in a directory: dir/ab/abcdef… (the first two hex digits
// as a subdirectory). A blob is written to dir/tmp, fsynced, renamed into
// place and its directory fsynced before Put returns.
type Dir struct {
	dir string
}

// OpenDir returns the blobs under dir, creating it if needed.
func OpenDir(dir string) (*Dir, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, err
	}
	return &Dir{dir: dir}, nil
}

func (d *Dir) path(sum string) string { return filepath.Join(d.dir, sum[:2], sum) }

// Put writes r to a temporary file while hashing it, then moves it to its
// place.
func (d *Dir) Put(r io.Reader) (string, int64, error) {
	f, err := os.CreateTemp(filepath.Join(d.dir, "tmp"), "upload-*")
	if err != nil {
		return "", 0, err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(f, h), r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	sub := filepath.Join(d.dir, sum[:2])
	if err := os.MkdirAll(sub, 0o700); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp, d.path(sum)); err != nil {
		return "", 0, err
	}
	if err := syncDir(sub); err != nil {
		return "", 0, err
	}
	return sum, size, nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Open opens the blob sum.
func (d *Dir) Open(sum string) (io.ReadSeekCloser, error) {
	if !validSum(sum) {
		return nil, ErrNotFound
	}
	f, err := os.Open(d.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Remove deletes the blob sum.
func (d *Dir) Remove(sum string) error {
	if !validSum(sum) {
		return nil
	}
	err := os.Remove(d.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Memory keeps blobs in memory (the -memory store).
type Memory struct {
	mu    sync.Mutex
	blobs map[string][]byte
}

// NewMemory returns empty in-memory blobs.
func NewMemory() *Memory { return &Memory{blobs: map[string][]byte{}} }

// Put keeps a copy of what r gives.
func (m *Memory) Put(r io.Reader) (string, int64, error) {
	var buf bytes.Buffer
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(&buf, h), r); err != nil {
		return "", 0, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	m.mu.Lock()
	m.blobs[sum] = buf.Bytes()
	m.mu.Unlock()
	return sum, int64(buf.Len()), nil
}

// Open returns a reader of the blob sum.
func (m *Memory) Open(sum string) (io.ReadSeekCloser, error) {
	m.mu.Lock()
	b, ok := m.blobs[sum]
	m.mu.Unlock()
	if !ok {
		return nil, ErrNotFound
	}
	return nopCloser{bytes.NewReader(b)}, nil
}

// Remove forgets the blob sum.
func (m *Memory) Remove(sum string) error {
	m.mu.Lock()
	delete(m.blobs, sum)
	m.mu.Unlock()
	return nil
}

type nopCloser struct{ io.ReadSeeker }

func (nopCloser) Close() error { return nil }
