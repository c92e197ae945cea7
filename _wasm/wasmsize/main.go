// Command wasmsize tells where the bytes of a Go wasm binary go: the size
// of each section, and the code bytes of each package (or, with -fn, of
// each function), read from the binary's name section. `go tool nm` does
// not read wasm. Build the app without -s -w to keep the names:
//
//	make wasm   # writes .wasm/go.mod, the browser build's module file
//	GOOS=js GOARCH=wasm go build -modfile=.wasm/go.mod -trimpath \
//		-gcflags=all=-l -gcflags=std= -o /tmp/app-sym.wasm ./app
//	go run ./_wasm/wasmsize /tmp/app-sym.wasm | head -40
//
// Data (strings, types, the pc tables, embedded files) has no names in a
// wasm binary: it is reported as one section. docs/wasm-size.md has the
// findings.
package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

var sectionNames = map[byte]string{
	0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
	6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data",
}

func main() {
	perFunc := flag.Bool("fn", false, "list functions, not packages")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: wasmsize [-fn] FILE.wasm")
		os.Exit(2)
	}
	b, err := os.ReadFile(flag.Arg(0))
	if err == nil {
		err = report(b, *perFunc)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
}

type reader struct {
	b []byte
	p int
}

func (r *reader) uleb() int {
	v, n := binary.Uvarint(r.b[r.p:])
	r.p += n
	return int(v)
}

func (r *reader) bytes(n int) []byte {
	s := r.b[r.p : r.p+n]
	r.p += n
	return s
}

func report(b []byte, perFunc bool) error {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return errors.New("not a wasm binary")
	}
	r := &reader{b: b, p: 8}
	sections := map[string]int{}
	var imports int // imported functions come first in the index space
	var bodies []int
	names := map[int]string{}
	for r.p < len(b) {
		id := b[r.p]
		r.p++
		size := r.uleb()
		end := r.p + size
		name := sectionNames[id]
		switch id {
		case 2:
			s := &reader{b: b, p: r.p}
			for n := s.uleb(); n > 0; n-- {
				s.bytes(s.uleb())
				s.bytes(s.uleb())
				kind := s.bytes(1)[0]
				switch kind {
				case 0: // function
					s.uleb()
					imports++
				case 1: // table
					s.bytes(1)
					if s.bytes(1)[0]&1 == 1 {
						s.uleb()
					}
					s.uleb()
				case 2: // memory
					if s.bytes(1)[0]&1 == 1 {
						s.uleb()
					}
					s.uleb()
				case 3: // global
					s.bytes(2)
				}
			}
		case 10:
			s := &reader{b: b, p: r.p}
			for n := s.uleb(); n > 0; n-- {
				l := s.uleb()
				bodies = append(bodies, l)
				s.bytes(l)
			}
		case 0:
			s := &reader{b: b, p: r.p}
			name = "custom " + string(s.bytes(s.uleb()))
			if name == "custom name" {
				for s.p < end {
					sub := s.bytes(1)[0]
					subEnd := s.uleb()
					subEnd += s.p
					if sub == 1 { // function names
						for n := s.uleb(); n > 0; n-- {
							idx := s.uleb()
							names[idx] = string(s.bytes(s.uleb()))
						}
					}
					s.p = subEnd
				}
			}
		}
		sections[name] += size
		r.p = end
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for _, kv := range sorted(sections) {
		fmt.Fprintf(w, "%10d  section %s\n", kv.v, kv.k)
	}
	if len(names) == 0 {
		fmt.Fprintln(w, "no name section (built with -ldflags=-s?)")
		return nil
	}
	sizes := map[string]int{}
	for i, l := range bodies {
		name := names[imports+i]
		if !perFunc {
			name = pkgOf(name)
		}
		sizes[name] += l
	}
	for _, kv := range sorted(sizes) {
		fmt.Fprintf(w, "%10d  %s\n", kv.v, kv.k)
	}
	return nil
}

type kv struct {
	k string
	v int
}

func sorted(m map[string]int) []kv {
	var s []kv
	for k, v := range m {
		s = append(s, kv{k, v})
	}
	sort.Slice(s, func(i, j int) bool { return s[i].v > s[j].v || s[i].v == s[j].v && s[i].k < s[j].k })
	return s
}

// pkgOf returns the package of a wasm function name: the linker writes
// "github.com_supportal_supportal_app_pages.__ticketsPage_.Render" for
// (*ticketsPage).Render in github.com/supportal/supportal/app/pages.
func pkgOf(name string) string {
	off := 0
	for _, domain := range []string{"github.com_", "golang.org_", "gopkg.in_"} {
		if strings.HasPrefix(name, domain) {
			off = len(domain)
		}
	}
	dot := strings.Index(name[off:], ".")
	if dot < 0 {
		return name
	}
	return name[:off+dot]
}
