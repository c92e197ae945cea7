//go:build js && wasm

package state

import (
	"errors"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// xhrUpload posts the multipart form of an upload with XMLHttpRequest,
// whose upload events give the progress (fetch has none). The
// confirmation comes first: the server reads it before any byte of the
// file.
func xhrUpload(orgID int64, file app.Value, progress func(sent, total int64)) (int, []byte, error) {
	form := app.Window().Get("FormData").New()
	form.Call("append", "privacyConfirmed", "true")
	if orgID != 0 {
		form.Call("append", "organizationId", strconv.FormatInt(orgID, 10))
	}
	form.Call("append", "file", file, file.Get("name").String())

	type result struct {
		status int
		body   []byte
		err    error
	}
	done := make(chan result, 1)
	xhr := app.Window().Get("XMLHttpRequest").New()
	onProgress := app.FuncOf(func(this app.Value, args []app.Value) any {
		if e := args[0]; e.Get("lengthComputable").Bool() {
			progress(int64(e.Get("loaded").Float()), int64(e.Get("total").Float()))
		}
		return nil
	})
	onLoad := app.FuncOf(func(this app.Value, args []app.Value) any {
		done <- result{status: xhr.Get("status").Int(), body: []byte(xhr.Get("responseText").String())}
		return nil
	})
	onError := app.FuncOf(func(this app.Value, args []app.Value) any {
		done <- result{err: errors.New("upload failed")}
		return nil
	})
	defer onProgress.Release()
	defer onLoad.Release()
	defer onError.Release()
	xhr.Call("open", "POST", "/api/v1/uploads")
	xhr.Call("setRequestHeader", "Accept", "application/json")
	if id := shownUser.Load(); id != 0 {
		xhr.Call("setRequestHeader", ticket.UserHeader, strconv.FormatInt(id, 10))
	}
	xhr.Get("upload").Call("addEventListener", "progress", onProgress)
	for _, ev := range []string{"error", "abort", "timeout"} {
		xhr.Call("addEventListener", ev, onError)
	}
	xhr.Call("addEventListener", "load", onLoad)
	xhr.Call("send", form)
	r := <-done
	return r.status, r.body, r.err
}
