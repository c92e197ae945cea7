package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/supportal/supportal/app/ticket"
)

// CreateTicket stores t with a new sequential number and returns it. The
// organization and requester are given by id; their names are filled in.
func (s *DB) CreateTicket(ctx context.Context, t ticket.Ticket) (ticket.Ticket, error) {
	t, _, err := s.CreateTicketOnce(ctx, Once{}, t)
	return t, err
}

// Once identifies a request that may be retried: the same user sending the
// same key gets what the first request created. RequestHash tells a retry
// from a different request that reuses the key. The zero Once means no key.
type Once struct {
	UserID      int64
	Key         string
	RequestHash []byte
}

// ErrKeyReused is returned when a key comes back with a different request.
var ErrKeyReused = ticket.Errorf(ticket.CodeConflict, "ErrIdempotencyReused", "")

// replay looks up once in tx: ok reports a retry and gives what the first
// request created.
func (once Once) replay(ctx context.Context, tx *sql.Tx) (number, messageID int64, ok bool, err error) {
	if once.Key == "" {
		return 0, 0, false, nil
	}
	var hash []byte
	var msg sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT request_hash, ticket_number, message_id FROM idempotency_keys WHERE user_id = ? AND key = ?`,
		once.UserID, once.Key).Scan(&hash, &number, &msg)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, err
	}
	if !bytes.Equal(hash, once.RequestHash) {
		return 0, 0, false, ErrKeyReused
	}
	return number, msg.Int64, true, nil
}

func (once Once) record(ctx context.Context, tx *sql.Tx, number, messageID int64, at time.Time) error {
	if once.Key == "" {
		return nil
	}
	var msg any
	if messageID != 0 {
		msg = messageID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, ticket_number, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		once.UserID, once.Key, once.RequestHash, number, msg, millis(at))
	return err
}

// CreateTicketOnce stores t like CreateTicket, unless once was seen before:
// then it returns the ticket the first request created and replayed true.
func (s *DB) CreateTicketOnce(ctx context.Context, once Once, t ticket.Ticket) (ticket.Ticket, bool, error) {
	fields := t.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	fj, err := json.Marshal(fields)
	if err != nil {
		return t, false, err
	}
	if t.UpdatedAt.IsZero() {
		t.UpdatedAt = t.CreatedAt
	}
	var number int64
	var replayed bool
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if number, _, replayed, err = once.replay(ctx, tx); err != nil || replayed {
			return err
		}
		var followUp, onBehalf any
		if t.FollowUpOf != 0 {
			followUp = t.FollowUpOf
		}
		if t.OnBehalfOf != nil {
			onBehalf = t.OnBehalfOf.ID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO tickets (organization_id, requester_id, type, category, subject, description, fields, status, created_at, updated_at, follow_up_of, on_behalf_of)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.Organization.ID, t.Requester.ID, t.Type, t.Category, t.Subject, t.Description, string(fj), string(t.Status),
			millis(t.CreatedAt), millis(t.UpdatedAt), followUp, onBehalf)
		if err != nil {
			return err
		}
		if number, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := indexTicket(ctx, tx, number, t); err != nil {
			return err
		}
		if err := attach(ctx, tx, t.Attachments, t.Requester.ID, number, 0); err != nil {
			return err
		}
		if err := s.appendEvent(ctx, tx, ticket.EventTicketCreated, number, 0, false, 0, t.CreatedAt); err != nil {
			return err
		}
		return once.record(ctx, tx, number, 0, t.CreatedAt)
	})
	if err != nil {
		return t, false, err
	}
	got, err := s.Ticket(ctx, number)
	return got, replayed, err
}

// AddMessage appends m to its ticket, touches the ticket's update time
// (public messages only) and returns m with its id.
func (s *DB) AddMessage(ctx context.Context, m ticket.Message) (ticket.Message, error) {
	m, _, err := s.AddMessageOnce(ctx, Once{}, m)
	return m, err
}

// AddMessageOnce appends m like AddMessage, unless once was seen before:
// then it returns the message the first request added and replayed true.
func (s *DB) AddMessageOnce(ctx context.Context, once Once, m ticket.Message) (ticket.Message, bool, error) {
	var replayed bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if _, m.ID, replayed, err = once.replay(ctx, tx); err != nil || replayed {
			return err
		}
		if m.ID, err = s.insertMessage(ctx, tx, m); err != nil {
			return err
		}
		// Internal notes do not touch the ticket: its update time is what
		// customers see, and it must not give notes away.
		if !m.Internal {
			if _, err = tx.ExecContext(ctx, `UPDATE tickets SET updated_at = max(updated_at, ?) WHERE number = ?`, millis(m.CreatedAt), m.TicketNumber); err != nil {
				return err
			}
		}
		return once.record(ctx, tx, m.TicketNumber, m.ID, m.CreatedAt)
	})
	if err != nil {
		return m, false, err
	}
	got, err := s.Message(ctx, m.ID)
	return got, replayed, err
}

// Message returns the message with id.
func (s *DB) Message(ctx context.Context, id int64) (ticket.Message, error) {
	var m ticket.Message
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT m.id, m.ticket_number, m.author_id, u.name, m.body, m.internal, m.created_at
		FROM messages m JOIN users u ON u.id = m.author_id WHERE m.id = ?`, id).
		Scan(&m.ID, &m.TicketNumber, &m.Author.ID, &m.Author.Name, &m.Body, &m.Internal, &created)
	m.CreatedAt = fromMillis(created)
	if err != nil {
		return m, notFound(err)
	}
	return m, s.withAttachments(ctx, []*ticket.Message{&m})
}

const ticketSelect = `SELECT t.number, t.organization_id, o.name, o.account_number, t.requester_id, u.name,
	t.type, t.category, t.subject, t.description, t.fields, t.status, t.created_at, t.updated_at,
	t.assignee_id, a.name, t.postponed_until, t.follow_up_of, t.on_behalf_of, ob.name, ob.account_number`

const ticketJoins = ` JOIN organizations o ON o.id = t.organization_id JOIN users u ON u.id = t.requester_id
	LEFT JOIN users a ON a.id = t.assignee_id LEFT JOIN organizations ob ON ob.id = t.on_behalf_of`

func scanTicket(row interface{ Scan(...any) error }, extra ...any) (ticket.Ticket, error) {
	var t ticket.Ticket
	var fields string
	var created, updated int64
	var assignee, postponed, followUp, onBehalf sql.NullInt64
	var assigneeName, onBehalfName, onBehalfNumber sql.NullString
	err := row.Scan(append([]any{&t.Number, &t.Organization.ID, &t.Organization.Name, &t.Organization.AccountNumber,
		&t.Requester.ID, &t.Requester.Name, &t.Type, &t.Category, &t.Subject, &t.Description, &fields, &t.Status, &created, &updated,
		&assignee, &assigneeName, &postponed, &followUp, &onBehalf, &onBehalfName, &onBehalfNumber}, extra...)...)
	if err != nil {
		return t, err
	}
	t.CreatedAt, t.UpdatedAt = fromMillis(created), fromMillis(updated)
	if assignee.Valid {
		t.Assignee = &ticket.UserRef{ID: assignee.Int64, Name: assigneeName.String}
	}
	if postponed.Valid {
		at := fromMillis(postponed.Int64)
		t.PostponedUntil = &at
	}
	t.FollowUpOf = followUp.Int64
	if onBehalf.Valid {
		t.OnBehalfOf = &ticket.OrgRef{ID: onBehalf.Int64, Name: onBehalfName.String, AccountNumber: onBehalfNumber.String}
	}
	if err := json.Unmarshal([]byte(fields), &t.Fields); err != nil {
		return t, err
	}
	return t, nil
}

// Ticket returns the ticket with number.
func (s *DB) Ticket(ctx context.Context, number int64) (ticket.Ticket, error) {
	t, err := scanTicket(s.db.QueryRowContext(ctx, ticketSelect+` FROM tickets t`+ticketJoins+` WHERE t.number = ?`, number))
	if err != nil {
		return t, notFound(err)
	}
	described, err := s.attachments(ctx, `ticket_number = ? AND message_id IS NULL`, number)
	t.Attachments = described[0]
	return t, err
}

// Messages returns the conversation of ticket number, oldest first,
// internal notes included: callers filter through the policy.
func (s *DB) Messages(ctx context.Context, number int64) ([]ticket.Message, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT m.id, m.ticket_number, m.author_id, u.name, m.body, m.internal, m.created_at
		FROM messages m JOIN users u ON u.id = m.author_id WHERE m.ticket_number = ? ORDER BY m.id`, number)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ticket.Message{}
	for rows.Next() {
		var m ticket.Message
		var created int64
		if err := rows.Scan(&m.ID, &m.TicketNumber, &m.Author.ID, &m.Author.Name, &m.Body, &m.Internal, &created); err != nil {
			return nil, err
		}
		m.CreatedAt = fromMillis(created)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	byMessage, err := s.attachments(ctx, `ticket_number = ? AND message_id IS NOT NULL`, number)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Attachments = byMessage[out[i].ID]
	}
	return out, nil
}

// ListQuery selects tickets. Scope comes from the visibility policy
// (ticket.Viewer.Scope) and is always applied.
type ListQuery struct {
	Scope          ticket.Scope
	OrganizationID int64           // 0: every organization in scope
	Statuses       []ticket.Status // nil: any status; empty: none
	Type           string          // "": any
	Category       string          // "": any
	CreatedFrom    time.Time       // inclusive; zero: open
	CreatedTo      time.Time       // exclusive; zero: open
	RequesterID    int64           // 0: anyone's
	AssigneeID     int64           // 0: anyone's; Unassigned: nobody's
	Search         string          // full-text words (prefixes) or a ticket number ("#10005", "10005")
	Sort           ticket.Sort     // "": by number, highest first
	Cursor         string          // from the previous page; "": the first page
	Limit          int             // 1..500, default 50
}

// Unassigned as ListQuery.AssigneeID selects tickets nobody works on.
const Unassigned = -1

// ErrBadCursor is returned for a cursor this query did not produce.
var ErrBadCursor = ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "cursor")

// sortKey is one column of an order: an SQL expression and its direction.
type sortKey struct {
	expr string
	desc bool
}

// statusRank orders internal statuses as their portal statuses are shown
// (what needs the customer first).
func statusRank() string {
	var b strings.Builder
	b.WriteString("CASE t.status")
	for i, ps := range ticket.PortalStatuses() {
		for _, st := range ps.InternalStatuses() {
			b.WriteString(" WHEN '" + string(st) + "' THEN " + strconv.Itoa(i))
		}
	}
	b.WriteString(" ELSE 99 END")
	return b.String()
}

var statusRankExpr = statusRank()

// keys returns the order of q; the last key is unique (the number).
func (q ListQuery) keys() []sortKey {
	// A few organizations' tickets are found by their organization's index
	// and sorted; "+" keeps SQLite from walking the global order index of
	// all tickets instead, looking for the few of these organizations.
	col := func(c string) string {
		if !q.Scope.All || q.OrganizationID != 0 {
			return "+" + c
		}
		return c
	}
	switch q.Sort {
	case ticket.SortCreated:
		return []sortKey{{col("t.created_at"), true}, {"t.number", true}}
	case ticket.SortUpdated:
		return []sortKey{{col("t.updated_at"), true}, {"t.number", true}}
	case ticket.SortStatus:
		return []sortKey{{statusRankExpr, false}, {"t.updated_at", true}, {"t.number", true}}
	case ticket.SortRelevance:
		if q.searching() {
			return []sortKey{{"s.score", false}, {"t.updated_at", true}, {"t.number", true}}
		}
	}
	return []sortKey{{"t.number", true}}
}

func (q ListQuery) searching() bool { return strings.TrimSpace(q.Search) != "" }

// SearchWindow is how many matching texts a search considers, newest
// first (a variable for tests).
var SearchWindow = 5000

// SearchTruncated reports whether q's search matches more texts than
// SearchWindow, so that older matches are left out.
func (s *DB) SearchTruncated(ctx context.Context, q ListQuery) (bool, error) {
	match, _ := q.match()
	if match == "" || q.Scope.Empty() {
		return false, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search WHERE search MATCH ? AND (internal = 0 OR ?) LIMIT `+
		strconv.Itoa(SearchWindow+1)+`)`, match, q.Scope.All).Scan(&n)
	return n > SearchWindow, err
}

// match returns the FTS5 query of q's words within what q's scope may
// see: portal users only their organizations' public text, agents all.
func (q ListQuery) match() (match string, number int64) {
	words, number := searchTerms(q.Search)
	if words == "" {
		return "", number
	}
	match = "{text} : (" + words + ")"
	if !q.Scope.All {
		orgs := make([]string, len(q.Scope.OrganizationIDs))
		for i, id := range q.Scope.OrganizationIDs {
			orgs[i] = "o" + strconv.FormatInt(id, 10) + "p" // public text only
		}
		match += " AND {scope} : (" + strings.Join(orgs, " OR ") + ")"
	}
	return match, number
}

// from returns the tables of q: the tickets, joined with the search
// matches when q searches, each with its relevance (more matching texts
// first; the ticket a number names before all).
func (q ListQuery) from() (string, []any) {
	if !q.searching() {
		return " FROM tickets t", nil
	}
	match, number := q.match()
	var parts []string
	var args []any
	if match != "" && !q.Scope.Empty() {
		// Relevance is how many of a ticket's texts (subject and
		// description, each message) match: bm25 would first scan every
		// row of a common word to weigh it (50 ms and more for a word in
		// 100,000 messages). The scope tokens already keep internal notes
		// out of a customer's matches; the column says so a second time.
		// Only the newest SearchWindow matching texts count (rowids grow
		// with time): a word in 40,000 tickets lists the recent ones and
		// the user is asked to be more precise (SearchTruncated).
		parts = append(parts, `SELECT * FROM (SELECT ticket_number, -1 AS score FROM search WHERE search MATCH ? AND (internal = 0 OR ?)
			ORDER BY rowid DESC LIMIT `+strconv.Itoa(SearchWindow)+`)`)
		args = append(args, match, q.Scope.All)
	}
	if number != 0 {
		// The ticket a number names comes first.
		parts = append(parts, `SELECT ? AS ticket_number, -1e9 AS score`)
		args = append(args, number)
	}
	if len(parts) == 0 {
		// Nothing to look for (only punctuation, or no account): no match.
		parts = append(parts, `SELECT NULL AS ticket_number, 0 AS score WHERE 0`)
	}
	// CROSS JOIN keeps the matches the outer loop: SQLite would otherwise
	// walk a customer's tickets and scan the matches for each.
	return ` FROM (SELECT ticket_number AS n, sum(score) AS score FROM (` + strings.Join(parts, " UNION ALL ") +
		`) GROUP BY ticket_number) s CROSS JOIN tickets t ON t.number = s.n`, args
}

func (q ListQuery) where() (string, []any) {
	var conds []string
	var args []any
	in := func(col string, n int) string { return col + " IN (" + placeholders(n) + ")" }
	if !q.Scope.All {
		conds = append(conds, in("t.organization_id", len(q.Scope.OrganizationIDs)))
		for _, id := range q.Scope.OrganizationIDs {
			args = append(args, id)
		}
	}
	if q.OrganizationID != 0 {
		conds = append(conds, "t.organization_id = ?")
		args = append(args, q.OrganizationID)
	}
	if q.Statuses != nil {
		conds = append(conds, in("t.status", len(q.Statuses)))
		for _, st := range q.Statuses {
			args = append(args, string(st))
		}
	}
	if q.Type != "" {
		conds = append(conds, "t.type = ?")
		args = append(args, q.Type)
	}
	if q.Category != "" {
		conds = append(conds, "t.category = ?")
		args = append(args, q.Category)
	}
	if !q.CreatedFrom.IsZero() {
		conds = append(conds, "t.created_at >= ?")
		args = append(args, millis(q.CreatedFrom))
	}
	if !q.CreatedTo.IsZero() {
		conds = append(conds, "t.created_at < ?")
		args = append(args, millis(q.CreatedTo))
	}
	if q.RequesterID != 0 {
		conds = append(conds, "t.requester_id = ?")
		args = append(args, q.RequesterID)
	}
	switch {
	case q.AssigneeID == Unassigned:
		conds = append(conds, "t.assignee_id IS NULL")
	case q.AssigneeID != 0:
		conds = append(conds, "t.assignee_id = ?")
		args = append(args, q.AssigneeID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// after returns the condition "comes after the row with values" in the
// order of keys.
func after(keys []sortKey, values []any) (string, []any) {
	uniform := true
	for _, k := range keys {
		uniform = uniform && k.desc == keys[0].desc
	}
	if uniform {
		// A row value comparison lets SQLite walk the index.
		cols := make([]string, len(keys))
		for i, k := range keys {
			cols[i] = k.expr
		}
		op := ">"
		if keys[0].desc {
			op = "<"
		}
		return "(" + strings.Join(cols, ", ") + ") " + op + " (" + placeholders(len(keys)) + ")", values
	}
	// (k1 op v1) OR (k1 = v1 AND (rest))
	k := keys[0]
	op := ">"
	if k.desc {
		op = "<"
	}
	if len(keys) == 1 {
		return k.expr + " " + op + " ?", values[:1]
	}
	rest, restArgs := after(keys[1:], values[1:])
	return "(" + k.expr + " " + op + " ? OR (" + k.expr + " = ? AND " + rest + "))", append([]any{values[0], values[0]}, restArgs...)
}

func placeholders(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// encodeCursor and decodeCursor turn the sort values of a page's last row
// into an opaque string and back.
func encodeCursor(values []any) string {
	b, _ := json.Marshal(values)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, n int) ([]any, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadCursor
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var raw []json.Number
	if err := d.Decode(&raw); err != nil || len(raw) != n {
		return nil, ErrBadCursor
	}
	out := make([]any, n)
	for i, num := range raw {
		if v, err := num.Int64(); err == nil {
			out[i] = v
		} else if f, err := num.Float64(); err == nil {
			out[i] = f
		} else {
			return nil, ErrBadCursor
		}
	}
	return out, nil
}

// ListTickets returns the tickets q selects in q's order, and the cursor
// of the next page ("" when this is the last page).
func (s *DB) ListTickets(ctx context.Context, q ListQuery) ([]ticket.Ticket, string, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if q.Limit > 500 {
		q.Limit = 500
	}
	keys := q.keys()
	from, args := q.from()
	where, whereArgs := q.where()
	args = append(args, whereArgs...)
	if q.Cursor != "" {
		values, err := decodeCursor(q.Cursor, len(keys))
		if err != nil {
			return nil, "", err
		}
		cond, condArgs := after(keys, values)
		if where == "" {
			where = " WHERE " + cond
		} else {
			where += " AND " + cond
		}
		args = append(args, condArgs...)
	}
	// The page's keys come first, from the indexes alone where they
	// cover the query; only the page's rows are read whole and joined.
	keyCols := make([]string, len(keys)) // computed in the inner query
	sel := make([]string, len(keys))     // read from it
	inner := make([]string, len(keys))
	outer := make([]string, len(keys))
	for i, k := range keys {
		sel[i] = "k.k" + strconv.Itoa(i)
		keyCols[i] = k.expr + " AS k" + strconv.Itoa(i)
		inner[i], outer[i] = k.expr, sel[i]
		if k.desc {
			inner[i] += " DESC"
			outer[i] += " DESC"
		}
	}
	query := ticketSelect + ", " + strings.Join(sel, ", ") +
		" FROM (SELECT t.number AS kn, " + strings.Join(keyCols, ", ") + from + where +
		" ORDER BY " + strings.Join(inner, ", ") + " LIMIT ?) k CROSS JOIN tickets t ON t.number = k.kn" + ticketJoins +
		" ORDER BY " + strings.Join(outer, ", ")
	rows, err := s.db.QueryContext(ctx, query, append(args, q.Limit+1)...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	out := []ticket.Ticket{}
	var last []any
	more := false
	for rows.Next() {
		values := make([]any, len(keys))
		ptrs := make([]any, len(keys))
		for i := range values {
			ptrs[i] = &values[i]
		}
		t, err := scanTicket(rows, ptrs...)
		if err != nil {
			return nil, "", err
		}
		if len(out) == q.Limit {
			more = true
			break
		}
		out = append(out, t)
		last = values
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	var next string
	if more {
		next = encodeCursor(last)
	}
	return out, next, nil
}

// CountByStatus counts the tickets q selects per internal status (Sort,
// Cursor and Limit are ignored).
func (s *DB) CountByStatus(ctx context.Context, q ListQuery) (map[ticket.Status]int, error) {
	from, args := q.from()
	where, whereArgs := q.where()
	rows, err := s.db.QueryContext(ctx, `SELECT t.status, count(*)`+from+where+` GROUP BY t.status`, append(args, whereArgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[ticket.Status]int{}
	for rows.Next() {
		var st ticket.Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// ImportTickets stores many tickets in one transaction (imports, load
// tests); numbers are assigned in slice order.
func (s *DB) ImportTickets(ctx context.Context, ts []ticket.Ticket) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO tickets (organization_id, requester_id, type, category, subject, description, fields, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, t := range ts {
			fj, err := json.Marshal(t.Fields)
			if err != nil || t.Fields == nil {
				fj = []byte("{}")
			}
			if t.UpdatedAt.IsZero() {
				t.UpdatedAt = t.CreatedAt
			}
			res, err := stmt.ExecContext(ctx, t.Organization.ID, t.Requester.ID, t.Type, t.Category, t.Subject, t.Description,
				string(fj), string(t.Status), millis(t.CreatedAt), millis(t.UpdatedAt))
			if err != nil {
				return err
			}
			number, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if err := indexTicket(ctx, tx, number, t); err != nil {
				return err
			}
		}
		return nil
	})
}

// Replayed reports whether once was seen before, and what it created.
func (s *DB) Replayed(ctx context.Context, once Once) (number, messageID int64, ok bool, err error) {
	if once.Key == "" {
		return 0, 0, false, nil
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, 0, false, err
	}
	defer tx.Rollback()
	return once.replay(ctx, tx)
}

// ErrChanged is returned when a ticket's status changed between reading it
// and writing: the caller reads again.
var ErrChanged = ticket.Errorf(ticket.CodeConflict, "ErrTicketChanged", "")

// Reply appends m to its ticket and moves the ticket from status from to
// status to, in one transaction; ErrChanged when the ticket is no longer in
// status from.
func (s *DB) Reply(ctx context.Context, m ticket.Message, from, to ticket.Status) (ticket.Message, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := moveStatus(ctx, tx, m.TicketNumber, from, to, m.CreatedAt, !m.Internal); err != nil {
			return err
		}
		var err error
		m.ID, err = s.insertMessage(ctx, tx, m)
		return err
	})
	if err != nil {
		return m, err
	}
	return s.Message(ctx, m.ID)
}

// SetStatus moves ticket number from status from to status to;
// ErrChanged when it is no longer in status from.
func (s *DB) SetStatus(ctx context.Context, number int64, from, to ticket.Status, at time.Time) error {
	return s.UpdateTicket(ctx, number, Update{From: from, To: to, At: at})
}

// Update is a change of a ticket by an agent or its customer.
type Update struct {
	From, To ticket.Status // To "": the status stays
	Until    time.Time     // To postponed: when the ticket comes back
	Assign   bool          // set the assignee to AssigneeID (0: nobody)
	Assignee int64
	At       time.Time
}

// UpdateTicket applies u to ticket number in one transaction; ErrChanged
// when the ticket is no longer in status u.From.
func (s *DB) UpdateTicket(ctx context.Context, number int64, u Update) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if u.To != "" && u.To != u.From {
			// A step customers do not see (new → open, open ↔
			// waiting_internal…: the same light) does not move the update
			// time they see either.
			touch := u.To.Portal() != u.From.Portal()
			if err := moveStatus(ctx, tx, number, u.From, u.To, u.At, touch); err != nil {
				return err
			}
		}
		if u.To != "" {
			var until any
			if u.To == ticket.StatusPostponed && !u.Until.IsZero() {
				until = millis(u.Until)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tickets SET postponed_until = ? WHERE number = ?`, until, number); err != nil {
				return err
			}
		}
		if u.Assign {
			// Assignment is internal: it does not move the update time
			// customers see.
			var who any
			if u.Assignee != 0 {
				who = u.Assignee
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tickets SET assignee_id = ? WHERE number = ?`, who, number); err != nil {
				return err
			}
		}
		if u.To == "" && !u.Assign {
			return nil
		}
		// Customers learn of a change only when their status light moves.
		visible := u.To != "" && u.To.Portal() != u.From.Portal()
		return s.appendEvent(ctx, tx, ticket.EventTicketUpdated, number, 0, !visible, 0, u.At)
	})
}

// moveStatus checks the ticket is in status from and sets to; touch moves
// the update time customers see.
func moveStatus(ctx context.Context, tx *sql.Tx, number int64, from, to ticket.Status, at time.Time, touch bool) error {
	q := `UPDATE tickets SET status = ? WHERE number = ? AND status = ?`
	args := []any{string(to), number, string(from)}
	if touch {
		q = `UPDATE tickets SET status = ?, updated_at = max(updated_at, ?) WHERE number = ? AND status = ?`
		args = []any{string(to), millis(at), number, string(from)}
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err != nil {
			return err
		}
		return ErrChanged
	}
	return nil
}

// indexTicket indexes what a ticket was raised with: its subject and
// description, and the values of its data fields (an invoice or order
// number finds its ticket) as a text of their own.
func indexTicket(ctx context.Context, tx *sql.Tx, number int64, t ticket.Ticket) error {
	if err := index(ctx, tx, number, t.Subject+" "+t.Description, false); err != nil {
		return err
	}
	if len(t.Fields) == 0 {
		return nil
	}
	values := make([]string, 0, len(t.Fields))
	for _, k := range slices.Sorted(maps.Keys(t.Fields)) {
		values = append(values, t.Fields[k])
	}
	return index(ctx, tx, number, strings.Join(values, " "), false)
}

// index adds text to the search index of ticket number, with its scope:
// the ticket's organization and whether the text is public.
func index(ctx context.Context, tx *sql.Tx, number int64, text string, internal bool) error {
	kind := "p"
	if internal {
		kind = "i"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO search (text, scope, ticket_number, internal)
		SELECT ?, 'o' || organization_id || ?, number, ? FROM tickets WHERE number = ?`, text, kind, internal, number)
	return err
}

// searchTerms turns what a user typed into an FTS5 query of prefix terms
// (every word must match) and, when it is one, a ticket number.
func searchTerms(input string) (match string, number int64) {
	input = strings.TrimSpace(input)
	if n, err := strconv.ParseInt(strings.TrimPrefix(input, "#"), 10, 64); err == nil && n > 0 {
		number = n
	}
	var terms []string
	for _, word := range strings.FieldsFunc(input, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		terms = append(terms, `"`+word+`"*`)
	}
	return strings.Join(terms, " "), number
}

// insertMessage stores m, indexes it for search and records the event;
// it returns m's id.
func (s *DB) insertMessage(ctx context.Context, tx *sql.Tx, m ticket.Message) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO messages (ticket_number, author_id, body, internal, created_at) VALUES (?, ?, ?, ?, ?)`,
		m.TicketNumber, m.Author.ID, m.Body, m.Internal, millis(m.CreatedAt))
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if err := index(ctx, tx, m.TicketNumber, m.Body, m.Internal); err != nil {
		return 0, err
	}
	if err := attach(ctx, tx, m.Attachments, m.Author.ID, m.TicketNumber, id); err != nil {
		return 0, err
	}
	return id, s.appendEvent(ctx, tx, ticket.EventMessageCreated, m.TicketNumber, id, m.Internal, 0, m.CreatedAt)
}
