package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// Upload is a stored file: an upload until it is attached (once) to a new
// ticket or to a message, an attachment after.
type Upload struct {
	ticket.Attachment
	UploaderID     int64
	OrganizationID int64 // the account it was confirmed for; it may only be attached there
	SHA256         string
	// The privacy confirmation the upload was made under.
	Regime      ticket.PrivacyRegime
	Wording     string
	ConfirmedAt time.Time
	CreatedAt   time.Time
	// Where it is attached (0: not yet), and whether that message is an
	// internal note.
	TicketNumber int64
	MessageID    int64
	Internal     bool
}

// CreateUpload stores u (not attached).
func (s *DB) CreateUpload(ctx context.Context, u Upload) error {
	return s.CreateUploadWithin(ctx, u, 0)
}

// CreateUploadWithin stores u (not attached) unless it takes the bytes of
// its uploader's uploads not attached yet past quota: then ErrUploadQuota
// (quota 0: no quota). Checked in the transaction that stores u, so
// uploads finishing together cannot pass it.
func (s *DB) CreateUploadWithin(ctx context.Context, u Upload, quota int64) error {
	return s.tx(ctx, func(tx *Tx) error {
		if quota > 0 {
			used, err := unattachedBytes(ctx, tx, u.UploaderID)
			if err != nil {
				return err
			}
			if used+u.Size > quota {
				return ErrUploadQuota
			}
		}
		return insertUpload(ctx, tx, u)
	})
}

func insertUpload(ctx context.Context, tx *Tx, u Upload) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO attachments (id, uploader_id, organization_id, name, size, content_type, sha256,
		privacy_regime, privacy_wording, privacy_confirmed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.UploaderID, u.OrganizationID, u.Name, u.Size, u.ContentType, u.SHA256,
		string(u.Regime), u.Wording, millis(u.ConfirmedAt), millis(u.CreatedAt))
	return err
}

// ReplyWithUploads is ReplyOnce for a reply whose files arrive with it (a
// reply by email): the uploads ups, made by m's author for the ticket's
// account and their bytes already kept, are recorded and attached to m
// (beside m.Attachments, uploaded before), m is appended and the ticket
// moved from status from to status to, all in one transaction. The
// message returned is made from what was written, as DB.Message reads it.
func (s *DB) ReplyWithUploads(ctx context.Context, once Once, m ticket.Message, ups []Upload, from, to ticket.Status) (ticket.Message, bool, error) {
	var replayed bool
	var written ticket.Message
	err := s.tx(ctx, func(tx *Tx) error {
		prev, ok, err := once.replay(ctx, tx)
		if err != nil || ok {
			written.ID, replayed = prev.MessageID, ok
			return err
		}
		for _, u := range ups {
			if u.UploaderID != m.Author.ID {
				return ErrAttachment
			}
			if err := insertUpload(ctx, tx, u); err != nil {
				return err
			}
			m.Attachments = append(m.Attachments, u.Attachment)
		}
		updated, err := moveStatus(ctx, tx, m.TicketNumber, from, to, m.CreatedAt, !m.Internal)
		if err != nil {
			return err
		}
		if written, err = s.insertMessage(ctx, tx, m); err != nil {
			return err
		}
		return once.record(ctx, tx, Written{Message: written, Status: to, UpdatedAt: updated}, m.CreatedAt)
	})
	if err != nil {
		return m, false, err
	}
	if replayed {
		got, err := s.Message(ctx, written.ID)
		return got, true, err
	}
	return written, false, nil
}

// UnattachedBytes returns the bytes of user userID's uploads not attached
// yet.
func (s *DB) UnattachedBytes(ctx context.Context, userID int64) (int64, error) {
	return unattachedBytes(ctx, s.read, userID)
}

func unattachedBytes(ctx context.Context, q queryRower, userID int64) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(sum(size), 0) FROM attachments WHERE uploader_id = ? AND ticket_number IS NULL`, userID).Scan(&n)
	return n, err
}

// Upload returns the upload or attachment with id.
func (s *DB) Upload(ctx context.Context, id string) (Upload, error) {
	var u Upload
	var confirmed, created int64
	var number, message sql.NullInt64
	var internal sql.NullBool
	err := s.read.QueryRowContext(ctx, `SELECT a.id, a.name, a.size, a.content_type, a.uploader_id, a.organization_id, a.sha256,
		a.privacy_regime, a.privacy_wording, a.privacy_confirmed_at, a.created_at, a.ticket_number, a.message_id, m.internal
		FROM attachments a LEFT JOIN messages m ON m.id = a.message_id WHERE a.id = ?`, id).
		Scan(&u.ID, &u.Name, &u.Size, &u.ContentType, &u.UploaderID, &u.OrganizationID, &u.SHA256,
			&u.Regime, &u.Wording, &confirmed, &created, &number, &message, &internal)
	u.ConfirmedAt, u.CreatedAt = fromMillis(confirmed), fromMillis(created)
	u.TicketNumber, u.MessageID, u.Internal = number.Int64, message.Int64, internal.Bool
	return u, notFound(err)
}

// attach attaches the uploads as of user uploaderID to ticket number (and
// message messageID, 0 for the ticket's description), in tx. Each must be
// the user's, not attached yet and confirmed for the ticket's account. It
// returns them as attached (nil for none), in the order the store reads
// them: by upload time, then id.
func attach(ctx context.Context, tx *Tx, as []ticket.Attachment, uploaderID, number, messageID int64) ([]ticket.Attachment, error) {
	var msg any
	if messageID != 0 {
		msg = messageID
	}
	var out []ticket.Attachment
	uploaded := map[string]int64{}
	for _, a := range as {
		if _, seen := uploaded[a.ID]; seen {
			return nil, ErrAttachment
		}
		var at int64
		err := tx.QueryRowContext(ctx, `UPDATE attachments SET ticket_number = ?, message_id = ?
			WHERE id = ? AND uploader_id = ? AND ticket_number IS NULL
			AND organization_id = (SELECT organization_id FROM tickets WHERE number = ?)
			RETURNING id, name, size, content_type, created_at`,
			number, msg, a.ID, uploaderID, number).Scan(&a.ID, &a.Name, &a.Size, &a.ContentType, &at)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrAttachment
		}
		if err != nil {
			return nil, err
		}
		uploaded[a.ID] = at
		out = append(out, a)
	}
	sortAttachments(out, uploaded)
	return out, nil
}

// sortAttachments orders as by upload time (at, by id), then id.
func sortAttachments(as []ticket.Attachment, at map[string]int64) {
	slices.SortFunc(as, func(a, b ticket.Attachment) int {
		return cmp.Or(cmp.Compare(at[a.ID], at[b.ID]), cmp.Compare(a.ID, b.ID))
	})
}

// attachments returns the attachments that where selects (a condition on
// the attachments table), by message id (0: a description's), oldest
// first.
func (s *DB) attachments(ctx context.Context, where string, args ...any) (map[int64][]ticket.Attachment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT coalesce(message_id, 0), id, name, size, content_type FROM attachments
		WHERE ticket_number IS NOT NULL AND `+where+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]ticket.Attachment{}
	for rows.Next() {
		var msg int64
		var a ticket.Attachment
		if err := rows.Scan(&msg, &a.ID, &a.Name, &a.Size, &a.ContentType); err != nil {
			return nil, err
		}
		out[msg] = append(out[msg], a)
	}
	return out, rows.Err()
}

// withAttachments fills in the attachments of the messages ms point to.
func (s *DB) withAttachments(ctx context.Context, ms []*ticket.Message) error {
	if len(ms) == 0 {
		return nil
	}
	args := make([]any, len(ms))
	for i, m := range ms {
		args[i] = m.ID
	}
	byMessage, err := s.attachments(ctx, `message_id IN (`+placeholders(len(ms))+`)`, args...)
	if err != nil {
		return err
	}
	for _, m := range ms {
		m.Attachments = byMessage[m.ID]
	}
	return nil
}

// DeleteStaleUploads deletes the uploads made before before and never
// attached. It returns the SHA-256 of the contents no row refers to any
// more: the caller removes those bytes.
func (s *DB) DeleteStaleUploads(ctx context.Context, before time.Time) ([]string, error) {
	var gone []string
	err := s.tx(ctx, func(tx *Tx) error {
		gone = gone[:0]
		rows, err := tx.QueryContext(ctx, `DELETE FROM attachments WHERE ticket_number IS NULL AND created_at < ? RETURNING sha256`, millis(before))
		if err != nil {
			return err
		}
		sums := map[string]bool{}
		for rows.Next() {
			var sum string
			if err := rows.Scan(&sum); err != nil {
				rows.Close()
				return err
			}
			sums[sum] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for sum := range sums {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attachments WHERE sha256 = ?`, sum).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				gone = append(gone, sum)
			}
		}
		return nil
	})
	return gone, err
}
