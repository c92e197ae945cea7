//go:build !(js && wasm)

package locales

import "embed"

// The mails' texts (mail.<lang>.json) are the server's alone: the
// browser, which never writes a mail, does not carry them. The server's
// bundle holds them beside the messages of active.<lang>.json.
//
//go:embed mail.*.json
var mailFiles embed.FS
