package state

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// AttachmentLimits is what may be uploaded (GET /api/v1/catalog).
type AttachmentLimits = ticket.AttachmentLimits

// Upload sends file (a browser File) to POST /api/v1/uploads for account
// orgID: the user has confirmed it holds no protected health information.
// progress is called with the bytes sent so far, from the browser's event
// loop. It returns the upload, or the error to show (for a refused file,
// the field's own message).
func Upload(orgID int64, file app.Value, progress func(sent, total int64)) (ticket.Attachment, *Error) {
	status, data, err := xhrUpload(orgID, file, progress)
	if err != nil {
		return ticket.Attachment{}, errOffline
	}
	var res struct {
		Upload ticket.Attachment `json:"upload"`
	}
	body, e := decodeAnswer(status, data, &res)
	if e != nil {
		if len(body.Fields) > 0 {
			f := body.Fields[0]
			return ticket.Attachment{}, ticket.Errorf(e.Code, f.MessageID, f.Field)
		}
		return ticket.Attachment{}, e
	}
	return res.Upload, nil
}
