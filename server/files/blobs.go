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
	// Stage reads r to the end into durable storage of its own, hashing
	// it: nothing is stored under its sum until Keep. Reading a slow
	// upload therefore needs no lock that removing blobs takes; only Keep
	// and recording the upload do.
	Stage(r io.Reader) (*Staged, error)
	// Open returns the bytes stored under sum.
	Open(sum string) (io.ReadSeekCloser, error)
	// Remove deletes the bytes stored under sum (no error if none).
	Remove(sum string) error
}

// Staged is a file read to the end, not yet stored under its sum.
type Staged struct {
	Sum  string // SHA-256, hex
	Size int64
	keep func() error
	drop func()
	done bool
}

// Keep stores the file under its sum; it is durable when Keep returns nil.
func (s *Staged) Keep() error {
	if err := s.keep(); err != nil {
		return err
	}
	s.done = true
	return nil
}

// Discard drops the staged file unless it was kept.
func (s *Staged) Discard() {
	if !s.done {
		s.done = true
		s.drop()
	}
}

// Put stages r and keeps it at once: its SHA-256 and size, durable.
func Put(b Blobs, r io.Reader) (sum string, size int64, err error) {
	st, err := b.Stage(r)
	if err != nil {
		return "", 0, err
	}
	defer st.Discard()
	if err := st.Keep(); err != nil {
		return "", 0, err
	}
	return st.Sum, st.Size, nil
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
// as a subdirectory). A blob is written to dir/tmp and fsynced (Stage),
// then renamed into place and its directory fsynced (Keep).
type Dir struct {
	dir string
}

// OpenDir returns the blobs under dir, creating it if needed. Files a
// crash left in dir/tmp (uploads never kept) are removed.
func OpenDir(dir string) (*Dir, error) {
	tmp := filepath.Join(dir, "tmp")
	if err := os.RemoveAll(tmp); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, err
	}
	return &Dir{dir: dir}, nil
}

func (d *Dir) path(sum string) string { return filepath.Join(d.dir, sum[:2], sum) }

// Stage writes r to a temporary file while hashing it and fsyncs it; Keep
// moves it to its place.
func (d *Dir) Stage(r io.Reader) (*Staged, error) {
	f, err := os.CreateTemp(filepath.Join(d.dir, "tmp"), "upload-*")
	if err != nil {
		return nil, err
	}
	tmp := f.Name()
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(f, h), r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return nil, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	return &Staged{Sum: sum, Size: size, keep: func() error { return d.keep(tmp, sum) }, drop: func() { os.Remove(tmp) }}, nil
}

// keep renames the staged file tmp to the place of sum, durably: the
// directory it lands in is fsynced, and so is dir when that directory is
// new (else a crash could lose the new directory's entry, blob and all).
func (d *Dir) keep(tmp, sum string) error {
	sub := filepath.Join(d.dir, sum[:2])
	_, err := os.Stat(sub)
	fresh := errors.Is(err, fs.ErrNotExist)
	if err := os.MkdirAll(sub, 0o700); err != nil {
		return err
	}
	if fresh {
		if err := syncDir(d.dir); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, d.path(sum)); err != nil {
		return err
	}
	return syncDir(sub)
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

// Stage reads a copy of what r gives; Keep keeps it.
func (m *Memory) Stage(r io.Reader) (*Staged, error) {
	var buf bytes.Buffer
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(&buf, h), r); err != nil {
		return nil, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	keep := func() error {
		m.mu.Lock()
		m.blobs[sum] = buf.Bytes()
		m.mu.Unlock()
		return nil
	}
	return &Staged{Sum: sum, Size: int64(buf.Len()), keep: keep, drop: func() {}}, nil
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
