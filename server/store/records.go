package store

// Records (claims, ERAs, assets…) and the links of tickets to them.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

const recordSelect = `SELECT r.id, r.organization_id, o.name, o.account_number, r.kind, r.external_id, r.title,
	r.fields, r.url, r.archived, r.created_at, r.updated_at FROM records r JOIN organizations o ON o.id = r.organization_id`

func scanRecord(row interface{ Scan(...any) error }, extra ...any) (ticket.Record, error) {
	var r ticket.Record
	var fields string
	var created, updated int64
	err := row.Scan(append([]any{&r.ID, &r.Organization.ID, &r.Organization.Name, &r.Organization.AccountNumber,
		&r.Kind, &r.ExternalID, &r.Title, &fields, &r.URL, &r.Archived, &created, &updated}, extra...)...)
	if err != nil {
		return r, err
	}
	r.CreatedAt, r.UpdatedAt = fromMillis(created), fromMillis(updated)
	if err := json.Unmarshal([]byte(fields), &r.Fields); err != nil {
		return r, err
	}
	if r.Fields == nil {
		r.Fields = []ticket.RecordField{}
	}
	return r, nil
}

// UpsertRecord stores r under its organization, kind and external id: a
// new record, or the same one with r's title, fields and link (archived
// no more). It returns the record as stored and whether it was new.
func (s *DB) UpsertRecord(ctx context.Context, r ticket.Record) (ticket.Record, bool, error) {
	if r.Fields == nil {
		r.Fields = []ticket.RecordField{}
	}
	fj, err := json.Marshal(r.Fields)
	if err != nil {
		return r, false, err
	}
	var id int64
	var created bool
	err = s.tx(ctx, func(tx *Tx) error {
		id, created, err = upsertRecord(ctx, tx, r, string(fj))
		return err
	})
	if err != nil {
		return r, false, err
	}
	got, err := s.Record(ctx, id)
	return got, created, err
}

// upsertRecord is UpsertRecord within tx, with the fields as JSON.
func upsertRecord(ctx context.Context, tx *Tx, r ticket.Record, fields string) (id int64, created bool, err error) {
	var title string
	err = tx.QueryRowContext(ctx, `SELECT id, title FROM records WHERE organization_id = ? AND kind = ? AND external_id = ?`,
		r.Organization.ID, string(r.Kind), r.ExternalID).Scan(&id, &title)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err := tx.QueryRowContext(ctx, `INSERT INTO records (organization_id, kind, external_id, title, fields, url, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.Organization.ID, string(r.Kind), r.ExternalID, r.Title, fields, r.URL,
			millis(r.UpdatedAt), millis(r.UpdatedAt)).Scan(&id)
		return id, err == nil, err
	case err != nil:
		return 0, false, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE records SET title = ?, fields = ?, url = ?, archived = 0, updated_at = ? WHERE id = ?`,
		r.Title, fields, r.URL, millis(r.UpdatedAt), id); err != nil {
		return 0, false, err
	}
	if title != r.Title {
		// The linked tickets are found by the new title.
		if _, err := tx.ExecContext(ctx, `UPDATE search SET text = ? WHERE rowid IN (SELECT search_rowid FROM ticket_links WHERE record_id = ?)`,
			tx.indexedText(linkText(r)), id); err != nil {
			return 0, false, err
		}
	}
	return id, false, nil
}

// linkText is what a link adds to its ticket's search index.
func linkText(r ticket.Record) string { return r.ExternalID + " " + r.Title }

// ArchiveRecord archives the record of organization orgID with kind and
// external id; its links stay. ticket.ErrNotFound if there is none.
func (s *DB) ArchiveRecord(ctx context.Context, orgID int64, kind ticket.RecordKind, externalID string, at time.Time) (ticket.Record, error) {
	var id int64
	err := s.tx(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE records SET archived = 1, updated_at = ? WHERE organization_id = ? AND kind = ? AND external_id = ? RETURNING id`,
			millis(at), orgID, string(kind), externalID).Scan(&id)
		return notFound(err)
	})
	if err != nil {
		return ticket.Record{}, err
	}
	return s.Record(ctx, id)
}

// Record returns the record with id.
func (s *DB) Record(ctx context.Context, id int64) (ticket.Record, error) {
	r, err := scanRecord(s.read.QueryRowContext(ctx, recordSelect+` WHERE r.id = ?`, id))
	return r, notFound(err)
}

// RecordByKey returns the record of organization orgID with kind and
// external id.
func (s *DB) RecordByKey(ctx context.Context, orgID int64, kind ticket.RecordKind, externalID string) (ticket.Record, error) {
	r, err := scanRecord(s.read.QueryRowContext(ctx, recordSelect+` WHERE r.organization_id = ? AND r.kind = ? AND r.external_id = ?`,
		orgID, string(kind), externalID))
	return r, notFound(err)
}

// RecordQuery selects records. Scope comes from the visibility policy and
// is always applied.
type RecordQuery struct {
	Scope          ticket.Scope
	OrganizationID int64             // 0: every organization in scope
	Kind           ticket.RecordKind // "": every kind
	Search         string            // part of the external id or the title
	Archived       bool              // archived records too
	Cursor         string            // from the previous page
	Limit          int               // 1..500, default 50
}

// ListRecords returns a page of records, the most recently updated first,
// and the cursor of the next page ("" at the end).
func (s *DB) ListRecords(ctx context.Context, q RecordQuery) ([]ticket.Record, string, error) {
	out := []ticket.Record{}
	if q.Scope.Empty() {
		return out, "", nil
	}
	limit := q.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var conds []string
	var args []any
	if !q.Scope.All {
		conds = append(conds, "r.organization_id IN ("+placeholders(len(q.Scope.OrganizationIDs))+")")
		for _, id := range q.Scope.OrganizationIDs {
			args = append(args, id)
		}
	}
	if q.OrganizationID != 0 {
		conds = append(conds, "r.organization_id = ?")
		args = append(args, q.OrganizationID)
	}
	if q.Kind != "" {
		conds = append(conds, "r.kind = ?")
		args = append(args, string(q.Kind))
	}
	if !q.Archived {
		conds = append(conds, "r.archived = 0")
	}
	if words := strings.Fields(q.Search); len(words) > 0 {
		// Every word must occur in the external id or the title, whatever
		// its case (SQLite's LIKE ignores the case of ASCII letters,
		// PostgreSQL's ILIKE of all).
		like := "LIKE"
		if s.postgres {
			like = "ILIKE"
		}
		for _, w := range words {
			conds = append(conds, `(r.external_id || ' ' || r.title) `+like+` ? ESCAPE '\'`)
			args = append(args, "%"+likeEscaper.Replace(w)+"%")
		}
	}
	keys := []sortKey{{"r.updated_at", true}, {"r.id", true}}
	if q.Cursor != "" {
		values, err := decodeCursor(q.Cursor, len(keys))
		if err != nil {
			return nil, "", err
		}
		cond, cargs := after(keys, values)
		conds = append(conds, cond)
		args = append(args, cargs...)
	}
	query := recordSelect
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	query += " ORDER BY r.updated_at DESC, r.id DESC LIMIT " + strconv.Itoa(limit+1)
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = encodeCursor([]any{millis(last.UpdatedAt), last.ID})
	}
	return out, next, nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// RecordTicket is a ticket linked to a record, as the record's stats need it.
type RecordTicket struct {
	RecordID int64
	Number   int64
	Closed   bool
}

// RecordTickets returns, for each of the records, the tickets in scope
// linked to it (newest first).
func (s *DB) RecordTickets(ctx context.Context, recordIDs []int64, scope ticket.Scope) ([]RecordTicket, error) {
	if len(recordIDs) == 0 || scope.Empty() {
		return nil, nil
	}
	args := make([]any, 0, len(recordIDs)+len(scope.OrganizationIDs))
	for _, id := range recordIDs {
		args = append(args, id)
	}
	q := `SELECT l.record_id, t.number, t.status FROM ticket_links l JOIN tickets t ON t.number = l.ticket_number
		WHERE l.record_id IN (` + placeholders(len(recordIDs)) + `)`
	if !scope.All {
		q += ` AND t.organization_id IN (` + placeholders(len(scope.OrganizationIDs)) + `)`
		for _, id := range scope.OrganizationIDs {
			args = append(args, id)
		}
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY t.number DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RecordTicket
	for rows.Next() {
		var rt RecordTicket
		var st ticket.Status
		if err := rows.Scan(&rt.RecordID, &rt.Number, &st); err != nil {
			return nil, err
		}
		rt.Closed = st.Closed()
		out = append(out, rt)
	}
	return out, rows.Err()
}

// TicketsAbout returns the tickets in scope linked to record id, newest
// first, at most limit.
func (s *DB) TicketsAbout(ctx context.Context, recordID int64, scope ticket.Scope, limit int) ([]ticket.Ticket, error) {
	if scope.Empty() {
		return []ticket.Ticket{}, nil
	}
	args := []any{recordID}
	q := ticketSelect + ` FROM ticket_links l JOIN tickets t ON t.number = l.ticket_number` + ticketJoins + ` WHERE l.record_id = ?`
	if !scope.All {
		q += ` AND t.organization_id IN (` + placeholders(len(scope.OrganizationIDs)) + `)`
		for _, id := range scope.OrganizationIDs {
			args = append(args, id)
		}
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY t.number DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ticket.Ticket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Example is a link announced in the conversation: a public message with
// Body, moving the ticket from status From to To like a reply.
type Example struct {
	Body     string
	From, To ticket.Status
}

// LinkRecord links ticket number to record recordID, made by by at at;
// with an example, its message is added in the same transaction (its id is
// returned). ErrLinkExists if the link exists; ErrChanged if an example's
// ticket is no longer in status From.
func (s *DB) LinkRecord(ctx context.Context, number, recordID int64, by ticket.UserRef, at time.Time, example *Example) (int64, error) {
	var msgID int64
	err := s.tx(ctx, func(tx *Tx) error {
		if _, err := s.link(ctx, tx, number, recordID, by, at); err != nil {
			return err
		}
		if example == nil {
			return s.appendEvent(ctx, tx, ticket.EventTicketUpdated, number, 0, false, 0, at)
		}
		if _, err := moveStatus(ctx, tx, number, example.From, example.To, at, true); err != nil {
			return err
		}
		m, err := s.insertMessage(ctx, tx, ticket.Message{TicketNumber: number, Author: by, Body: example.Body, CreatedAt: at})
		msgID = m.ID
		return err
	})
	return msgID, err
}

// link inserts one link, made by by (id and name) at at, and indexes the
// record's id and title for the ticket's search. It returns the link as
// DB.Links reads it.
func (s *DB) link(ctx context.Context, tx *Tx, number, recordID int64, by ticket.UserRef, at time.Time) (ticket.Link, error) {
	var r ticket.Record
	if err := tx.QueryRowContext(ctx, `SELECT organization_id, kind, external_id, title, archived FROM records WHERE id = ?`, recordID).
		Scan(&r.Organization.ID, &r.Kind, &r.ExternalID, &r.Title, &r.Archived); err != nil {
		return ticket.Link{}, notFound(err)
	}
	if r.Archived {
		return ticket.Link{}, ErrRecordArchived // archived since the caller read it
	}
	var exists, links int
	if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(CASE WHEN record_id = ? THEN 1 ELSE 0 END), 0) FROM ticket_links WHERE ticket_number = ?`, recordID, number).Scan(&links, &exists); err != nil {
		return ticket.Link{}, err
	}
	if exists > 0 {
		return ticket.Link{}, ErrLinkExists
	}
	if links >= ticket.MaxLinks {
		return ticket.Link{}, ErrTooManyLinks
	}
	rowid, err := indexNow(ctx, tx, text{number, linkText(r), false})
	if err != nil {
		return ticket.Link{}, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO ticket_links (ticket_number, record_id, linked_by, linked_at, search_rowid) VALUES (?, ?, ?, ?, ?)`,
		number, recordID, by.ID, millis(at), rowid)
	r.ID = recordID
	return ticket.Link{Record: r.Ref(), LinkedBy: by, LinkedAt: fromMillis(millis(at))}, err
}

// UnlinkRecord removes the link of ticket number to record recordID;
// ticket.ErrNotFound if there is none.
func (s *DB) UnlinkRecord(ctx context.Context, number, recordID int64, at time.Time) error {
	return s.tx(ctx, func(tx *Tx) error {
		var rowid sql.NullInt64
		err := tx.QueryRowContext(ctx, `DELETE FROM ticket_links WHERE ticket_number = ? AND record_id = ? RETURNING search_rowid`,
			number, recordID).Scan(&rowid)
		if err != nil {
			return notFound(err)
		}
		if rowid.Valid {
			if _, err := tx.ExecContext(ctx, `DELETE FROM search WHERE rowid = ?`, rowid.Int64); err != nil {
				return err
			}
		}
		return s.appendEvent(ctx, tx, ticket.EventTicketUpdated, number, 0, false, 0, at)
	})
}

// Links returns the links of ticket number, oldest first.
func (s *DB) Links(ctx context.Context, number int64) ([]ticket.Link, error) {
	byTicket, err := s.linksOf(ctx, []int64{number})
	return byTicket[number], err
}

// LinksOf returns the links of the tickets, oldest first per ticket.
func (s *DB) LinksOf(ctx context.Context, numbers []int64) (map[int64][]ticket.Link, error) {
	return s.linksOf(ctx, numbers)
}

// linksOf returns the links of the tickets, oldest first per ticket.
func (s *DB) linksOf(ctx context.Context, numbers []int64) (map[int64][]ticket.Link, error) {
	out := map[int64][]ticket.Link{}
	if len(numbers) == 0 {
		return out, nil
	}
	args := make([]any, len(numbers))
	for i, n := range numbers {
		args[i] = n
	}
	rows, err := s.read.QueryContext(ctx, `SELECT l.ticket_number, r.id, r.organization_id, r.kind, r.external_id, r.title, r.archived,
		l.linked_by, u.name, l.linked_at
		FROM ticket_links l JOIN records r ON r.id = l.record_id JOIN users u ON u.id = l.linked_by
		WHERE l.ticket_number IN (`+placeholders(len(numbers))+`) ORDER BY l.ticket_number, l.linked_at, r.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n, at int64
		var l ticket.Link
		if err := rows.Scan(&n, &l.Record.ID, &l.Record.Organization, &l.Record.Kind, &l.Record.ExternalID, &l.Record.Title,
			&l.Record.Archived, &l.LinkedBy.ID, &l.LinkedBy.Name, &at); err != nil {
			return nil, err
		}
		l.LinkedAt = fromMillis(at)
		out[n] = append(out[n], l)
	}
	return out, rows.Err()
}

// RecordKinds returns, per organization in scope, the kinds of records it
// has (archived ones aside), in the order of ticket.RecordKinds.
func (s *DB) RecordKinds(ctx context.Context, scope ticket.Scope) (map[int64][]ticket.RecordKind, error) {
	out := map[int64][]ticket.RecordKind{}
	if scope.Empty() {
		return out, nil
	}
	q := `SELECT DISTINCT organization_id, kind FROM records WHERE archived = 0`
	var args []any
	if !scope.All {
		q += ` AND organization_id IN (` + placeholders(len(scope.OrganizationIDs)) + `)`
		for _, id := range scope.OrganizationIDs {
			args = append(args, id)
		}
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	has := map[int64]map[ticket.RecordKind]bool{}
	for rows.Next() {
		var org int64
		var k ticket.RecordKind
		if err := rows.Scan(&org, &k); err != nil {
			return nil, err
		}
		if has[org] == nil {
			has[org] = map[ticket.RecordKind]bool{}
		}
		has[org][k] = true
	}
	for org, kinds := range has {
		for _, k := range ticket.RecordKinds() {
			if kinds[k] {
				out[org] = append(out[org], k)
			}
		}
	}
	return out, rows.Err()
}
