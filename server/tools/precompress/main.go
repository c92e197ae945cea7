// Command precompress writes FILE.br and FILE.gz beside each FILE given, at
// the best compression, and prints the three sizes. `make wasm` runs it on
// web/app.wasm; the server serves the compressed forms by Accept-Encoding.
package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress FILE...")
		os.Exit(2)
	}
	for _, name := range os.Args[1:] {
		if err := compress(name); err != nil {
			fmt.Fprintln(os.Stderr, "precompress:", err)
			os.Exit(1)
		}
	}
}

func compress(name string) error {
	raw, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	br, err := write(name+".br", raw, func(w io.Writer) io.WriteCloser {
		return brotli.NewWriterLevel(w, brotli.BestCompression)
	})
	if err != nil {
		return err
	}
	gz, err := write(name+".gz", raw, func(w io.Writer) io.WriteCloser {
		zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
		return zw
	})
	if err != nil {
		return err
	}
	fmt.Printf("%s: raw %d bytes, brotli %d bytes, gzip %d bytes\n", name, len(raw), br, gz)
	return nil
}

// write compresses raw into path through a temporary file, so a reader never
// sees half a file, and returns the compressed size.
func write(path string, raw []byte, enc func(io.Writer) io.WriteCloser) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".precompress-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	zw := enc(tmp)
	if _, err := zw.Write(raw); err != nil {
		tmp.Close()
		return 0, err
	}
	if err := zw.Close(); err != nil {
		tmp.Close()
		return 0, err
	}
	st, err := tmp.Stat()
	if err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	return st.Size(), os.Rename(tmp.Name(), path)
}
