package addrs

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		minBits int
		want    string
		err     string
	}{
		{"", 8, "", ""},
		{" , ", 8, "", ""},
		{"10.0.0.0/8", 8, "10.0.0.0/8", ""},
		{"10.1.2.3/8, 192.0.2.1 ,::1", 8, "10.0.0.0/8,192.0.2.1/32,::1/128", ""},
		{"::ffff:192.0.2.7", 0, "192.0.2.7/32", ""},
		{"::ffff:10.0.0.0/104", 0, "10.0.0.0/8", ""},
		{"10.0.0.0/33", 8, "", `"10.0.0.0/33"`},
		{"proxy.example", 8, "", `"proxy.example"`},
		{"fe80::1%eth0", 8, "", `"fe80::1%eth0"`},
		{"0.0.0.0/0", 8, "", `"0.0.0.0/0"`},
		{"10.0.0.1, ::/0", 8, "", `"::/0"`},
		{"0.0.0.0/0", 0, "0.0.0.0/0", ""},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.minBits)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Parse(%q) error = %v, want one naming %s", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("Parse(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestContains(t *testing.T) {
	l, err := Parse("127.0.0.1, 10.0.0.0/8, fd00::/8", 8)
	if err != nil {
		t.Fatal(err)
	}
	for a, want := range map[string]bool{
		"127.0.0.1": true, "::ffff:127.0.0.1": true, "10.200.1.1": true, "fd12::1": true,
		"127.0.0.2": false, "11.0.0.1": false, "::1": false, "fe80::1": false,
	} {
		if got := l.Contains(netip.MustParseAddr(a)); got != want {
			t.Errorf("Contains(%s) = %v, want %v", a, got, want)
		}
	}
	if l.Contains(netip.Addr{}) {
		t.Error("the zero address is in the list")
	}
}

// Whatever a flag says, Parse answers a list or an error, never a panic;
// a list it gives reads back as itself, and keeps its minimum.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "10.0.0.0/8", "127.0.0.1, ::1", "::ffff:10.0.0.0/104", "0.0.0.0/0", "a,b", "1.2.3.4/", ",,", "fe80::1%eth0"} {
		f.Add(s, 8)
	}
	f.Fuzz(func(t *testing.T, s string, minBits int) {
		minBits = minBits & 127
		l, err := Parse(s, minBits)
		if err != nil {
			return
		}
		again, err := Parse(l.String(), minBits)
		if err != nil || again.String() != l.String() {
			t.Fatalf("Parse(%q) = %s, which reads back as %s, %v", s, l, again, err)
		}
		for _, p := range l {
			if p.Bits() < minBits && p.Bits() != p.Addr().BitLen() {
				t.Fatalf("Parse(%q, %d) kept %s", s, minBits, p)
			}
			if !l.Contains(p.Addr()) {
				t.Fatalf("%s does not contain its own %s", l, p.Addr())
			}
		}
	})
}
