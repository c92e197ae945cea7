package state

import "testing"

func TestUnreadPerAccount(t *testing.T) {
	u := Unread{
		ByTicket: map[int64]int{10001: 2, 10002: 1, 10003: 4},
		Account:  map[int64]int64{10001: 7, 10002: 8, 10003: 7},
	}
	for _, c := range []struct {
		account int64
		want    int
	}{{7, 6}, {8, 1}, {9, 0}, {0, 7}} {
		if got := u.In(c.account); got != c.want {
			t.Errorf("In(%d) = %d, want %d", c.account, got, c.want)
		}
	}
	if u.Total() != 7 || u.For(10003) != 4 || u.For(10004) != 0 {
		t.Errorf("Total %d, For(10003) %d, For(10004) %d", u.Total(), u.For(10003), u.For(10004))
	}
}
