package mail

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
	"github.com/supportal/supportal/server/store"
)

// NotifierConfig configures a Notifier.
type NotifierConfig struct {
	Log *slog.Logger
	Now func() time.Time
	// LinkBase is the portal's address in the mails' links.
	LinkBase string
	// Window: the notifications of one user and ticket within it make one
	// mail (default 2 minutes).
	Window time.Duration
	// Poll is how often due notifications are looked for (default 15 s).
	Poll time.Duration
	// ReplyTo, when set, gives the Reply-To address of a user's mail about
	// a ticket (reply by email); "" for none.
	ReplyTo func(ctx context.Context, userID, number int64) (string, error)
}

// Notifier writes the mails of the notifications the store keeps
// (store.notify decides who hears of what): one mail per user and ticket
// for what came within the window, in the user's language, as the user
// chose (all, replies, none) and only while the policy lets them see the
// ticket. Mails go into the outbox in the transaction that marks their
// notifications done: nothing is lost, nothing told twice.
type Notifier struct {
	db  store.Store
	cfg NotifierConfig
}

// NewNotifier makes a notifier for db.
func NewNotifier(db store.Store, cfg NotifierConfig) *Notifier {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Window <= 0 {
		cfg.Window = 2 * time.Minute
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 15 * time.Second
	}
	cfg.LinkBase = strings.TrimSuffix(cfg.LinkBase, "/")
	return &Notifier{db: db, cfg: cfg}
}

// Run writes due mails until ctx ends.
func (n *Notifier) Run(ctx context.Context) {
	t := time.NewTicker(n.cfg.Poll)
	defer t.Stop()
	for {
		if _, err := n.ComposeDue(ctx); err != nil && ctx.Err() == nil {
			n.cfg.Log.Error("notifications: composing", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ComposeDue writes the mails of every due group; it returns how many
// mails it queued.
func (n *Notifier) ComposeDue(ctx context.Context) (int, error) {
	queued := 0
	for {
		now := n.cfg.Now()
		groups, err := n.db.DueNotifications(ctx, now, n.cfg.Window, 50)
		if err != nil || len(groups) == 0 {
			return queued, err
		}
		for _, g := range groups {
			m, err := n.compose(ctx, g)
			if err != nil {
				return queued, err
			}
			done, err := n.db.NotificationsMailed(ctx, g, m, now)
			if errors.Is(err, store.ErrBadMail) {
				// No retry makes it better: the group is done without a mail.
				n.cfg.Log.Error("notifications: mail refused", "err", err, "user", g.UserID, "ticket", g.TicketNumber)
				done, err = n.db.NotificationsMailed(ctx, g, nil, now)
				m = nil
			}
			if err != nil {
				return queued, err
			}
			if done && m != nil {
				queued++
			}
		}
	}
}

// compose writes the mail of a group, or nil when none is to be sent.
func (n *Notifier) compose(ctx context.Context, g store.NotificationGroup) (*store.Mail, error) {
	v, err := n.db.Viewer(ctx, g.UserID)
	if ticket.ErrorCode(err) == ticket.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p, err := n.db.Profile(ctx, g.UserID, n.cfg.Now())
	if err != nil {
		return nil, err
	}
	t, err := n.db.Ticket(ctx, g.TicketNumber)
	if ticket.ErrorCode(err) == ticket.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !v.CanSeeTicket(t) {
		return nil, nil // the policy, as for every channel
	}
	var kinds []store.NotificationKind
	var replies []ticket.Message
	staff := map[int64]bool{} // the replies' authors who are agents
	for _, it := range g.Items {
		if !it.Kind.Wanted(p.Notifications) {
			continue
		}
		if it.Kind == store.NotifyReply {
			m, err := n.db.Message(ctx, it.MessageID)
			if ticket.ErrorCode(err) == ticket.CodeNotFound {
				continue
			}
			if err != nil {
				return nil, err
			}
			if !v.CanSeeMessage(m) || m.Internal {
				continue
			}
			if staff[m.Author.ID], err = n.isAgent(ctx, m.Author.ID); err != nil {
				return nil, err
			}
			replies = append(replies, m)
		}
		if !slices.Contains(kinds, it.Kind) {
			kinds = append(kinds, it.Kind)
		}
	}
	if len(kinds) == 0 {
		return nil, nil
	}
	lang := v.User.Locale
	if !locales.Supports(lang) {
		lang = locales.Default
	}
	l := n.letter(lang, p.FirstName, t, kinds, replies, staff)
	m := &store.Mail{To: v.User.Email, ToName: OneLine(v.User.Name), Kind: ticket.MailTicketUpdate}
	if n.cfg.ReplyTo != nil && (slices.Contains(kinds, store.NotifyReply) || slices.Contains(kinds, store.NotifyResponseExpected)) {
		if m.ReplyTo, err = n.cfg.ReplyTo(ctx, g.UserID, t.Number); err != nil {
			return nil, err
		}
		if m.ReplyTo != "" {
			l.After = append([]string{l.t("MailReplyByEmail", nil)}, l.After...)
		}
	}
	m.Subject = OneLine(l.Subject)
	m.Text, m.HTML = l.Render()
	return m, nil
}

// OneLine makes s fit a mail header: its lines and runs of spaces become
// single spaces.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// isAgent reports whether user id is a support agent.
func (n *Notifier) isAgent(ctx context.Context, id int64) (bool, error) {
	u, err := n.db.User(ctx, id)
	if ticket.ErrorCode(err) == ticket.CodeNotFound {
		return false, nil
	}
	return u.Agent, err
}

// subjectOrder: the first kind present names the mail.
var subjectOrder = []store.NotificationKind{store.NotifyReply, store.NotifyResponseExpected, store.NotifyReopened, store.NotifyCreated, store.NotifyQueue}

// letter writes what a user hears of a ticket: the replies, in order,
// and the other news, with a link to the ticket.
func (n *Notifier) letter(lang, name string, t ticket.Ticket, kinds []store.NotificationKind, replies []ticket.Message, staff map[int64]bool) Letter {
	l := Letter{Lang: lang, Name: name}
	data := map[string]any{"Number": strconv.FormatInt(t.Number, 10), "Subject": ticket.CleanText(t.Subject),
		"Org": t.Organization.Name, "Account": t.Organization.AccountNumber, "Requester": t.Requester.Name}
	for _, k := range subjectOrder {
		if slices.Contains(kinds, k) {
			l.Subject = l.t(map[store.NotificationKind]string{store.NotifyReply: "MailReplySubject", store.NotifyResponseExpected: "MailResponseExpectedSubject",
				store.NotifyReopened: "MailReopenedSubject", store.NotifyCreated: "MailCreatedSubject", store.NotifyQueue: "MailQueueSubject"}[k], data)
			break
		}
	}
	for _, k := range subjectOrder {
		if !slices.Contains(kinds, k) {
			continue
		}
		switch k {
		case store.NotifyReply:
			l.Paragraphs = append(l.Paragraphs, l.t("MailRepliesIntro", data))
			for _, m := range replies {
				// Who wrote, and whether they are support (which no name a
				// customer may choose can fake: names have no brackets).
				by := "MailReplyBy"
				if staff[m.Author.ID] {
					by = "MailReplyBySupport"
				}
				p := l.t(by, map[string]any{"Name": m.Author.Name}) + "\n" + ticket.CleanText(m.Body)
				if len(m.Attachments) > 0 {
					names := make([]string, len(m.Attachments))
					for i, a := range m.Attachments {
						names[i] = a.Name
					}
					p += "\n" + l.t("MailAttachments", map[string]any{"Names": strings.Join(names, ", ")})
				}
				l.Paragraphs = append(l.Paragraphs, p)
			}
		case store.NotifyResponseExpected:
			l.Paragraphs = append(l.Paragraphs, l.t("MailResponseExpectedBody", data))
		case store.NotifyReopened:
			l.Paragraphs = append(l.Paragraphs, l.t("MailReopenedBody", data))
		case store.NotifyCreated:
			l.Paragraphs = append(l.Paragraphs, l.t("MailCreatedBody", data))
		case store.NotifyQueue:
			l.Paragraphs = append(l.Paragraphs, l.t("MailQueueBody", data))
		}
	}
	l.Action = &Action{Label: l.t("MailOpenTicket", data), URL: n.cfg.LinkBase + "/tickets/" + strconv.FormatInt(t.Number, 10)}
	l.After = []string{l.t("MailWhy", map[string]any{"Link": n.cfg.LinkBase + "/settings/profile"})}
	return l
}
