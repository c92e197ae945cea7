package store

import "testing"

// sameNumbers compares cursor values as numbers: 6.4704e4 written as a
// float comes back as the integer 64704, which SQLite compares the same.
func sameNumbers(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, xInt := a[i].(int64)
		y, yInt := b[i].(int64)
		if xInt && yInt {
			if x != y {
				return false
			}
			continue
		}
		if asFloat(a[i]) != asFloat(b[i]) {
			return false
		}
	}
	return true
}

func asFloat(v any) float64 {
	if i, ok := v.(int64); ok {
		return float64(i)
	}
	return v.(float64)
}

// FuzzDecodeCursor: a cursor from the address bar is either refused with
// ErrBadCursor or gives exactly n numbers, which encode to a cursor that
// decodes to the same numbers.
func FuzzDecodeCursor(f *testing.F) {
	for _, v := range [][]any{{int64(1767225600000), int64(10005)}, {int64(3), int64(1767225600000), int64(10005)}, {1.5, int64(-2)}} {
		f.Add(encodeCursor(v), len(v))
	}
	f.Add("", 2)
	f.Add("W10", 0)
	f.Add("WzEsMl0", 3)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 8 {
			return
		}
		values, err := decodeCursor(s, n)
		if err != nil {
			if err != ErrBadCursor {
				t.Fatalf("decodeCursor(%q, %d): %v, want ErrBadCursor", s, n, err)
			}
			return
		}
		if len(values) != n {
			t.Fatalf("decodeCursor(%q, %d) gave %d values", s, n, len(values))
		}
		again, err := decodeCursor(encodeCursor(values), n)
		if err != nil || !sameNumbers(again, values) {
			t.Fatalf("decodeCursor(%q, %d) = %v; encoded again it decodes to %v, %v", s, n, values, again, err)
		}
	})
}
