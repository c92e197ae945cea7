//go:build !(js && wasm)

package state

import (
	"context"
	"errors"
)

// fetch is the browser's; off the browser (server-side prerendering, host
// tests) there is nobody to ask.
func fetch(ctx context.Context, method, path string, body []byte, extra map[string]string) (int, []byte, error) {
	return 0, nil, errors.New("no browser")
}

// dropPreloads: off the browser there are no preloaded answers.
func dropPreloads() {}

// preloadedPlace: off the browser nothing was preloaded.
func preloadedPlace(userID int64) (int64, bool) { return 0, false }
