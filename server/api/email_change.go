package api

import (
	"net/http"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/mail"
	"github.com/supportal/supportal/server/store"
)

// emailConfirmValid is how long the link confirming a new email works.
const emailConfirmValid = 24 * time.Hour

// requestEmailChange keeps email as u's new address and mails the link
// that confirms it to that address; until then mails go to the old one.
// Whether another user has the address is told only on confirmation (by
// whoever reads that mailbox), so no account is discovered here.
func (s *Server) requestEmailChange(r *http.Request, u ticket.User, email string) error {
	token, err := newToken()
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	p, err := s.store.Profile(r.Context(), u.ID, now)
	if err != nil {
		return err
	}
	letter := mail.EmailConfirm(p.Locale, email, s.linkBase(r)+"/confirm-email#"+token)
	text, html := letter.Render()
	return s.store.RequestEmailChange(r.Context(), u.ID, email, tokenHash(token), now.Add(emailConfirmValid),
		store.Mail{To: email, Subject: letter.Subject, Text: text, HTML: html, Kind: ticket.MailEmailConfirm}, now)
}

// confirmEmail answers POST /api/v1/email-confirmations/{token}: the
// address the link was mailed to becomes the user's email (they log in
// with it from now on) and the previous address is told. 404 for an
// unknown or used link, 410 for an expired one, 409 when the address is
// another user's by now. It needs no session: the link may be opened on
// another device.
func (s *Server) confirmEmail(w http.ResponseWriter, r *http.Request) error {
	u, err := s.store.ConfirmEmail(r.Context(), tokenHash(r.PathValue("token")), s.cfg.Now(),
		func(before ticket.User, p ticket.Profile, email string) store.Mail {
			letter := mail.EmailChanged(before.Locale, p.FirstName, email)
			text, html := letter.Render()
			return store.Mail{To: before.Email, ToName: mail.OneLine(before.Name), Subject: letter.Subject, Text: text, HTML: html, Kind: ticket.MailEmailConfirm}
		})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ticket.EmailConfirmed{Email: u.Email})
	return nil
}
