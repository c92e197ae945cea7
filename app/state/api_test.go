package state

import "testing"

// A load balancer's or proxy's own answer when no portal server answers
// (502/503/504 without the portal's JSON error) is being offline; the
// portal's own errors, with their body, are what they say.
func TestGatewayFailureIsOffline(t *testing.T) {
	for _, c := range []struct {
		status int
		body   string
		want   bool
	}{
		{502, "<html><body>502 Bad Gateway</body></html>", true},
		{503, "", true},
		{504, "upstream timed out", true},
		{503, `{"error":{"code":"too_many_requests","id":"ErrServerBusy"}}`, false},
		{500, "Internal Server Error", false},
		{429, "", false},
		{200, "", false},
	} {
		if got := gatewayFailure(c.status, []byte(c.body)); got != c.want {
			t.Errorf("gatewayFailure(%d, %q) = %v, want %v", c.status, c.body, got, c.want)
		}
	}
}
