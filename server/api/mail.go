package api

import (
	"net/http"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// The demo mail view: without a mail server the outbox is all there is,
// and agents read it here (Config.MailLog). Everybody else, and everybody
// where the view is off, is answered as if the path did not exist.

// mailLogSize is how many of the newest mails the view lists.
const mailLogSize = 100

func (s *Server) listMail(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.MailLog || !viewerOf(r).CanReadMailLog() {
		return errNoRoute
	}
	ms, err := s.store.Mails(r.Context(), mailLogSize)
	if err != nil {
		return err
	}
	out := ticket.MailLog{Mails: make([]ticket.MailView, 0, len(ms))}
	for _, m := range ms {
		out.Mails = append(out.Mails, mailView(m))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func mailView(m store.Mail) ticket.MailView {
	v := ticket.MailView{ID: m.ID, MessageID: m.MessageID, To: m.To, ToName: m.ToName, ReplyTo: m.ReplyTo,
		Subject: m.Subject, Text: m.Text, HTML: m.HTML, Kind: m.Kind, TicketNumber: m.TicketNumber,
		CreatedAt: m.CreatedAt, Attempts: m.Attempts, LastError: m.LastError, Failed: m.GaveUp()}
	if m.Sent() {
		at := m.SentAt
		v.SentAt = &at
	}
	return v
}
