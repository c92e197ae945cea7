//go:build !(js && wasm)

package state

import (
	"errors"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// xhrUpload needs a browser.
func xhrUpload(orgID int64, file app.Value, progress func(sent, total int64)) (int, []byte, error) {
	return 0, nil, errors.New("uploads need a browser")
}
