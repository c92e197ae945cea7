package state

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// A file attached while the server cannot be reached is held: its bytes
// (the browser's File) wait in the browser's database, and it is uploaded
// when its ticket or reply is sent, before the send. Held files count
// against limits of their own: what the browser may keep.
const (
	maxHeldPerItem = 25 << 20  // per ticket or reply
	maxHeldTotal   = 100 << 20 // per user in this browser
)

// HeldFile is a held file as a draft or an outbox item keeps it.
type HeldFile struct {
	ID   string `json:"id"` // its key in the browser's database, under the user's prefix
	Name string `json:"name"`
	Size int64  `json:"size"`
}

var (
	errHeldTooLarge = ticket.Errorf(ticket.CodeTooLarge, "ErrHeldTooLarge", "file")
	errHeldFull     = ticket.Errorf(ticket.CodeTooLarge, "ErrHeldFull", "file")
	errHeldGone     = ticket.Errorf(ticket.CodeUnprocessable, "ErrHeldGone", "attachments")
)

func heldSize(held []HeldFile) int64 {
	var n int64
	for _, h := range held {
		n += h.Size
	}
	return n
}

// HoldFile keeps file (a browser File) to be uploaded when its ticket or
// reply, which holds held already, is sent. It fails with errNoOutbox when
// the browser cannot keep it, or with a message when it would keep too
// much. Never call it on the UI goroutine.
func HoldFile(s Session, file app.Value, held []HeldFile) (HeldFile, *Error) {
	h := HeldFile{ID: "file/" + NewKey(), Name: file.Get("name").String(), Size: int64(file.Get("size").Float())}
	if heldSize(held)+h.Size > maxHeldPerItem {
		return HeldFile{}, errHeldTooLarge
	}
	total, err := dbFilesSize(s.outboxPrefix())
	if err != nil {
		return HeldFile{}, errNoOutbox
	}
	if total+h.Size > maxHeldTotal {
		return HeldFile{}, errHeldFull
	}
	if dbPutFile(s.outboxPrefix()+h.ID, file) != nil {
		return HeldFile{}, errNoOutbox
	}
	return h, nil
}

// ForgetHeld deletes held files (removed from a draft, a discarded item).
func ForgetHeld(s Session, held []HeldFile) {
	for _, h := range held {
		dbDel(dbFiles, s.outboxPrefix()+h.ID)
	}
}

// uploadHeld uploads the held files to account orgID, in order. It returns
// the uploads made and how many of held they are; err is errOffline when
// the server could not be reached (try later), another error when the
// server refused a file or the browser lost it (the user decides). The
// held files stay in the browser until the caller has kept the uploads
// (ForgetHeld).
func uploadHeld(s Session, gen int64, orgID int64, held []HeldFile) (done []ticket.Attachment, err *Error) {
	for _, h := range held {
		if sessionGen.Load() != gen {
			return done, errSessionEnded // nothing of the user goes up under the next one's session
		}
		file, ok, dberr := dbGetFile(s.outboxPrefix() + h.ID)
		if dberr != nil || !ok {
			return done, errHeldGone
		}
		a, e := Upload(orgID, file, func(int64, int64) {})
		if e != nil {
			return done, e
		}
		done = append(done, a)
	}
	return done, nil
}

// sendHeld uploads the held files of d (to its account) and moves them to
// its attachments; it returns the held files uploaded, for ForgetHeld
// once the draft is kept or sent.
func (d *Draft) sendHeld(s Session, gen int64) ([]HeldFile, *Error) {
	return sendHeld(s, gen, d.OrganizationID, &d.Held, &d.Files, &d.Attachments)
}

// sendHeld is Draft.sendHeld for a reply.
func (in *ReplyInput) sendHeld(s Session, gen int64) ([]HeldFile, *Error) {
	return sendHeld(s, gen, in.OrganizationID, &in.Held, &in.Files, &in.Attachments)
}

// sendHeld uploads *held to account orgID, moving each uploaded file from
// *held to *files and its id to *ids. It stops when the session of gen
// ended meanwhile (sessionGen).
func sendHeld(s Session, gen int64, orgID int64, held *[]HeldFile, files *[]ticket.Attachment, ids *[]string) (uploaded []HeldFile, err *Error) {
	if len(*held) == 0 {
		return nil, nil
	}
	done, err := uploadHeld(s, gen, orgID, *held)
	*files = append(*files, done...)
	for _, a := range done {
		*ids = append(*ids, a.ID)
	}
	uploaded, *held = (*held)[:len(done):len(done)], (*held)[len(done):]
	return uploaded, err
}

// heldOutcome is the status and answer to report for err of sendHeld: the
// server could not be reached (status 0), or a file the user has to look
// at (422 on the attachments).
func heldOutcome(err *Error) (int, ticket.ErrorAnswer) {
	switch {
	case err == nil:
		return 0, ticket.ErrorAnswer{}
	case err == errOffline:
		return 0, ticket.ErrorAnswer{}
	case err.Code == ticket.CodeUnauthorized:
		return 401, ticket.ErrorAnswer{Code: err.Code, MessageID: err.MessageID}
	}
	return 422, ticket.ErrorAnswer{Code: err.Code, MessageID: err.MessageID, Fields: []ticket.FieldError{{Field: "attachments", MessageID: err.MessageID}}}
}
