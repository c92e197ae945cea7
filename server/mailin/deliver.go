package mailin

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	netmail "net/mail"
	"strconv"
	"strings"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
	"github.com/supportal/supportal/server/files"
	"github.com/supportal/supportal/server/mail"
	"github.com/supportal/supportal/server/store"
)

// MailedWording is the privacy wording recorded with a file that came by
// email: its sender confirmed nothing in the portal (store.Upload.Wording
// holds ticket.PrivacyWording for uploads confirmed there).
const MailedWording = "mailed"

// envelope is what the SMTP session says about a message.
type envelope struct {
	from   string // MAIL FROM; "" for a bounce
	client string // the connecting address
}

// refusal is a reply not added, and what its bounce says.
type refusal struct {
	mail.Bounce
	// unverified: the sender is not known to be the user (the caller has
	// logged why); the bounce names neither the ticket nor the user.
	unverified bool
}

// deliver adds the reply raw to the ticket of t as t's user, or refuses
// it with a bounce to the envelope's sender. It returns an error only for
// a failure of ours (the caller asks the sending server to try again).
func (s *Server) deliver(ctx context.Context, env envelope, t target, raw []byte) error {
	log := s.log.With("ticket", t.number, "user", t.userID, "sender", env.from, "client", env.client)
	msg, parseErr := Parse(raw)
	// A machine is never answered: no bounce of a bounce, of an
	// auto-reply, or of anything without a sender to bounce to.
	if env.from == "" || (msg != nil && msg.Auto) {
		log.Info("reply by email dropped: auto-generated or a bounce")
		return nil
	}
	if _, ok := mail.ParseReplyAddress(env.from, s.cfg.Domain); ok {
		log.Warn("reply by email dropped: sent from a reply address")
		return nil
	}
	u, err := s.db.User(ctx, t.userID)
	if ticket.ErrorCode(err) == ticket.CodeNotFound {
		return s.refuse(ctx, log, env, ticket.User{}, refusal{Bounce: mail.Bounce{Reason: mail.RefusedUnknown}})
	}
	if err != nil {
		return err
	}
	// A message that cannot be read cannot be checked either: its bounce
	// names no ticket.
	if parseErr != nil {
		log.Info("reply by email refused", "reason", mail.RefusedUnreadable, "err", parseErr)
		return s.refuse(ctx, log, env, u, refusal{Bounce: mail.Bounce{Reason: mail.RefusedUnreadable}, unverified: true})
	}
	// The sender must be the user: the envelope and the From header both
	// say their current contact email. Anyone else learns nothing of the
	// ticket.
	if !sameAddress(env.from, u.Email) || len(msg.From) != 1 || !sameAddress(msg.From[0].Address, u.Email) {
		header := ""
		if len(msg.From) > 0 {
			header = msg.From[0].Address
		}
		log.Warn("reply by email refused: not from the user's address", "reason", mail.RefusedSender, "from", header)
		return s.refuse(ctx, log, env, u, refusal{Bounce: mail.Bounce{Reason: mail.RefusedSender}, unverified: true})
	}
	b := mail.Bounce{Number: t.number}
	v, err := s.db.Viewer(ctx, u.ID)
	if err != nil {
		return err
	}
	tk, err := s.db.Ticket(ctx, t.number)
	if ticket.ErrorCode(err) == ticket.CodeNotFound {
		return s.refuse(ctx, log, env, u, refusal{Bounce: mail.Bounce{Reason: mail.RefusedUnknown}})
	}
	if err != nil {
		return err
	}
	// Exactly the checks of a reply in the portal: the policy, the
	// workflow, the files' rules, the text's.
	next, err := v.MayReply(tk)
	if err != nil {
		b.Reason = whyNot(err)
		return s.refuse(ctx, log, env, u, refusal{Bounce: b})
	}
	fs, bad := s.checkFiles(msg.Files)
	if bad != nil {
		bad.Number = t.number
		return s.refuse(ctx, log, env, u, refusal{Bounce: *bad})
	}
	body := ticket.CleanText(StripQuoted(msg.Text))
	switch ticket.CheckReply(body, len(fs)) {
	case "":
	case "ErrReplyRequired":
		b.Reason = mail.RefusedEmpty
		return s.refuse(ctx, log, env, u, refusal{Bounce: b})
	case "ErrReplyTooLong":
		b.Reason = mail.RefusedTooLong
		return s.refuse(ctx, log, env, u, refusal{Bounce: b})
	default: // not UTF-8 after decoding: cannot happen, decodeCharset makes UTF-8
		return s.refuse(ctx, log, env, u, refusal{Bounce: mail.Bounce{Reason: mail.RefusedUnreadable}})
	}
	org, err := s.db.Organization(ctx, tk.Organization.ID)
	if err != nil {
		return err
	}

	// The files' bytes are staged, then kept and recorded with the
	// message in one transaction.
	now := s.cfg.Now()
	var ups []store.Upload
	var staged []*files.Staged
	defer func() {
		for _, st := range staged {
			st.Discard() // unless kept
		}
	}()
	for _, f := range fs {
		st, err := s.cfg.Blobs.Stage(bytes.NewReader(f.Data))
		if err != nil {
			return err
		}
		staged = append(staged, st)
		var id [16]byte
		if _, err := rand.Read(id[:]); err != nil {
			return err
		}
		ups = append(ups, store.Upload{
			Attachment:     ticket.Attachment{ID: base64.RawURLEncoding.EncodeToString(id[:]), Name: f.Name, Size: st.Size, ContentType: f.ContentType},
			UploaderID:     u.ID,
			OrganizationID: org.ID,
			SHA256:         st.Sum,
			Regime:         org.PrivacyRegime,
			Wording:        MailedWording,
			ConfirmedAt:    now,
			CreatedAt:      now,
		})
	}
	release := s.cfg.HoldUploads()
	defer release()
	for _, st := range staged {
		if err := st.Keep(); err != nil {
			return err
		}
	}
	once := onceOf(u.ID, t.number, msg.MessageID)
	for attempt := 0; ; attempt++ {
		m := ticket.Message{TicketNumber: tk.Number, Author: u.Ref(), Body: body, CreatedAt: now}
		added, replayed, err := s.db.ReplyWithUploads(ctx, once, m, ups, tk.Status, next)
		if err == store.ErrChanged && attempt < 3 {
			if tk, err = s.db.Ticket(ctx, tk.Number); err != nil {
				return err
			}
			if next, err = v.MayReply(tk); err != nil { // closed meanwhile
				b.Reason = whyNot(err)
				return s.refuse(ctx, log, env, u, refusal{Bounce: b})
			}
			continue
		}
		if err != nil {
			return err
		}
		if replayed {
			log.Info("reply by email delivered again: added before", "message", added.ID)
		} else {
			log.Info("reply by email added", "message", added.ID, "files", len(ups))
		}
		return nil
	}
}

// whyNot is the refusal for an error of Viewer.MayReply.
func whyNot(err error) mail.Refusal {
	if err == ticket.ErrTransition {
		return mail.RefusedClosed
	}
	return mail.RefusedForbidden
}

// checkFiles applies the upload rules to a reply's files: at most MaxFiles,
// each at most MaxFileBytes, of an allowed type that its bytes confirm.
// Empty files are left out. It returns the files with clean names and
// their served content types, or the refusal.
func (s *Server) checkFiles(in []File) ([]File, *mail.Bounce) {
	var out []File
	for _, f := range in {
		if len(f.Data) == 0 {
			continue
		}
		name := files.CleanName(f.Name)
		if int64(len(f.Data)) > s.cfg.MaxFileBytes {
			return nil, &mail.Bounce{Reason: mail.RefusedFileTooLarge, File: name, MaxFileBytes: s.cfg.MaxFileBytes}
		}
		ctype, ok := files.Check(name, f.Data[:min(len(f.Data), files.SniffLen)])
		if !ok {
			return nil, &mail.Bounce{Reason: mail.RefusedFileType, File: name, Types: files.Extensions()}
		}
		out = append(out, File{Name: name, ContentType: ctype, Data: f.Data})
	}
	if len(out) > s.cfg.MaxFiles {
		return nil, &mail.Bounce{Reason: mail.RefusedTooManyFiles, MaxFiles: s.cfg.MaxFiles}
	}
	return out, nil
}

// onceOf makes the same message delivered again (same Message-ID, same
// user and ticket) add nothing the second time. One message sent to the
// reply addresses of two tickets is a reply to each.
func onceOf(userID, number int64, messageID string) store.Once {
	if messageID == "" {
		return store.Once{}
	}
	key := sha256.Sum256([]byte(strconv.FormatInt(number, 10) + "\n" + messageID))
	req := sha256.Sum256([]byte("mail-reply"))
	return store.Once{UserID: userID, Key: "mail:" + hex.EncodeToString(key[:16]), RequestHash: req[:]}
}

// refuse logs a refusal and queues its bounce to the envelope's sender,
// in u's language (English when the user is unknown). The bounce of an
// unverified reply names neither the ticket nor the user.
func (s *Server) refuse(ctx context.Context, log *slog.Logger, env envelope, u ticket.User, r refusal) error {
	if !r.unverified {
		log.Info("reply by email refused", "reason", r.Reason)
	}
	to, err := netmail.ParseAddress(env.from)
	if err != nil {
		log.Warn("reply by email: no bounce, the sender is no address", "reason", r.Reason)
		return nil
	}
	lang := u.Locale
	if !locales.Supports(lang) {
		lang = locales.Default
	}
	name := u.Name
	m := store.Mail{To: to.Address, Kind: ticket.MailReplyRefused}
	if r.unverified || r.Reason.Private() || u.ID == 0 {
		name, r.Number = to.Address, 0
	} else {
		m.UserID, m.TicketNumber = u.ID, r.Number
	}
	letter := mail.ReplyRefused(lang, name, s.cfg.LinkBase, r.Bounce)
	m.Subject = letter.Subject
	m.Text, m.HTML = letter.Render()
	if _, err := s.db.QueueMail(ctx, m, s.cfg.Now()); err != nil {
		return err
	}
	return nil
}

// sameAddress compares two mail addresses ignoring case.
func sameAddress(a, b string) bool {
	return a != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
