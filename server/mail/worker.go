package mail

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/supportal/supportal/server/store"
)

// Sender hands one mail to a mail server; nil means the server accepted
// it. *SMTP is one.
type Sender interface {
	Send(ctx context.Context, m store.Mail) error
}

// WorkerConfig tunes a Worker; zero values take the defaults.
type WorkerConfig struct {
	// Log receives failures (never a mail's body; default slog.Default()).
	Log *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Poll: the worker looks for due mails this often even when nothing
	// wakes it (retries fall due; another node queued one) (default 30 s).
	Poll time.Duration
	// Batch mails are claimed at once (default 8) for Lease (default 5
	// minutes): the lease must cover sending the whole batch (Batch times
	// the sender's timeout), else another worker may send a mail of it
	// too.
	Batch int
	Lease time.Duration
	// After a failed attempt a mail is due again after MinBackoff, doubling
	// with each further failure up to MaxBackoff (defaults 30 s and 1 h),
	// each ±20 % at random; after a permanent refusal (5xx) at once after
	// MaxBackoff. A mail not sent GiveUpAfter after it was queued (default
	// 72 h) is given up: not tried again, nor at all if it was never tried
	// (mails kept while no mail server was configured).
	MinBackoff  time.Duration
	MaxBackoff  time.Duration
	GiveUpAfter time.Duration
}

// Worker sends the store's due mails and records each outcome. One mail is
// never lost: it is marked sent only after the mail server accepted it; a
// crash in between sends it again (same Message-ID) once its lease is over.
type Worker struct {
	db   store.Store
	send Sender
	cfg  WorkerConfig
	log  *slog.Logger
	wake chan struct{}
	// afterSend, for tests, runs after a mail was accepted and before it
	// is marked sent; true stops the worker right there, as a crash would.
	afterSend func(store.Mail) bool
}

// NewWorker returns a worker that sends db's mails with send. The caller
// runs it (Run) and wakes it after a mail was queued (db.OnMail(w.Notify)).
func NewWorker(db store.Store, send Sender, cfg WorkerConfig) *Worker {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 30 * time.Second
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 8
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Minute
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 30 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = time.Hour
	}
	if cfg.GiveUpAfter <= 0 {
		cfg.GiveUpAfter = 72 * time.Hour
	}
	return &Worker{db: db, send: send, cfg: cfg, log: cfg.Log, wake: make(chan struct{}, 1)}
}

// Notify wakes the worker: a mail was queued. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// errCrashed stops the worker where a test simulates a crash.
var errCrashed = errors.New("mail: worker stopped as if it crashed")

// Run sends due mails until ctx ends: at once, whenever Notify is called,
// and every Poll.
func (w *Worker) Run(ctx context.Context) {
	for {
		if _, err := w.SendDue(ctx); err != nil {
			if errors.Is(err, errCrashed) || ctx.Err() != nil {
				return
			}
			w.log.Error("mail: sending due mails", "err", err)
		}
		t := time.NewTimer(w.cfg.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// SendDue claims and sends the mails due now until none is left, and
// returns how many the mail server accepted. A mail that fails is due
// again after its backoff; an error is the store's (or ctx's).
func (w *Worker) SendDue(ctx context.Context) (int, error) {
	sent := 0
	for {
		ms, err := w.db.ClaimMails(ctx, w.cfg.Now(), w.cfg.Lease, w.cfg.Batch)
		if err != nil || len(ms) == 0 {
			return sent, err
		}
		for _, m := range ms {
			ok, err := w.sendOne(ctx, m)
			if ok {
				sent++
			}
			if err != nil {
				// The rest of the batch is claimed again after its lease.
				return sent, err
			}
		}
	}
}

// sendOne sends m and records the outcome; ok says the server accepted it.
func (w *Worker) sendOne(ctx context.Context, m store.Mail) (ok bool, err error) {
	log := w.log.With("mail", m.ID, "messageId", m.MessageID, "kind", string(m.Kind))
	// The outcome is recorded even when ctx ends meanwhile: a mail the
	// server accepted must not be sent again for want of a record.
	record := context.WithoutCancel(ctx)
	if age := w.cfg.Now().Sub(m.CreatedAt); age >= w.cfg.GiveUpAfter {
		// Too late to be of use (a reset link has expired long since).
		why := "not sent within " + w.cfg.GiveUpAfter.String()
		if m.LastError != "" {
			why += "; last error: " + m.LastError
		}
		log.Error("mail: given up", "attempts", m.Attempts, "err", m.LastError)
		return false, w.db.MailGaveUp(record, m.ID, errorText(errors.New(why)), w.cfg.Now())
	}
	sendErr := w.send.Send(ctx, m)
	if sendErr == nil {
		if w.afterSend != nil && w.afterSend(m) {
			return true, errCrashed
		}
		if err := w.db.MailSent(record, m.ID, w.cfg.Now()); err != nil {
			log.Error("mail: sent, but not marked sent: it will be sent again", "err", err)
			return true, err
		}
		log.Debug("mail: sent")
		return true, nil
	}
	now := w.cfg.Now()
	text := errorText(sendErr)
	if ctx.Err() != nil {
		// Shutting down: the mail is due again at once (at the next start).
		return false, errors.Join(ctx.Err(), w.db.MailFailed(record, m.ID, "interrupted: "+text, now))
	}
	attempts := m.Attempts + 1
	next := now.Add(w.backoff(attempts, Permanent(sendErr)))
	log.Warn("mail: not sent, will retry", "attempts", attempts, "retryAt", next, "permanent", Permanent(sendErr), "err", text)
	return false, w.db.MailFailed(record, m.ID, text, next)
}

// backoff is how long a mail waits after its attempts-th failed attempt.
func (w *Worker) backoff(attempts int, permanent bool) time.Duration {
	d := w.cfg.MinBackoff
	for i := 1; i < attempts && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	if permanent || d > w.cfg.MaxBackoff {
		d = w.cfg.MaxBackoff
	}
	// ±20 %: mails that failed together do not all come back together.
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// maxErrorText bounds the error kept with a mail.
const maxErrorText = 1000

func errorText(err error) string {
	s := err.Error()
	if len(s) > maxErrorText {
		s = strings.ToValidUTF8(s[:maxErrorText], "")
	}
	return s
}
