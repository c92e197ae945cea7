package store

// The ticket list: filters, sort orders, keyset cursors and the counts.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// ListQuery selects tickets. Scope comes from the visibility policy
// (ticket.Viewer.Scope) and is always applied.
type ListQuery struct {
	Scope            ticket.Scope
	OrganizationID   int64             // 0: every organization in scope
	Statuses         []ticket.Status   // nil: any status; empty: none
	Type             string            // "": any
	Category         string            // "": any
	CreatedFrom      time.Time         // inclusive; zero: open
	CreatedTo        time.Time         // exclusive; zero: open
	RequesterID      int64             // 0: anyone's
	AssigneeID       int64             // 0: anyone's; Unassigned: nobody's
	Search           string            // full-text words (prefixes) or a ticket number ("#10005", "10005")
	RecordKind       ticket.RecordKind // with RecordExternalID: tickets linked to such a record only
	RecordExternalID string
	Sort             ticket.Sort // "": by number, highest first
	Cursor           string      // from the previous page; "": the first page
	Limit            int         // 1..500, default 50

	sortAll bool // tests: never walk the organizations one by one (see byOrganization)
}

// Unassigned as ListQuery.AssigneeID selects tickets nobody works on.
const Unassigned = -1

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
// perOrganization: the keys of one organization's walk (byOrganization).
func (q ListQuery) keys(perOrganization bool) []sortKey {
	// A few organizations' tickets not walked one by one are found by
	// their organization's index and sorted; "+" keeps SQLite from walking
	// the global order index of all tickets instead, looking for the few
	// of these organizations.
	col := func(c string) string {
		if !perOrganization && (!q.Scope.All || q.OrganizationID != 0) {
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
	cond, args := q.searchFilter(s.postgres)
	if cond == "" {
		return false, nil
	}
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search WHERE `+cond+` LIMIT `+
		strconv.Itoa(SearchWindow+1)+`) m`, args...).Scan(&n)
	return n > SearchWindow, err
}

// from returns the tables of q: the tickets, joined with the search
// matches when q searches, each with its relevance (more matching texts
// first; the ticket a number names before all).
func (q ListQuery) from(postgres bool) (string, []any) {
	if !q.searching() {
		return " FROM tickets t", nil
	}
	var parts []string
	var args []any
	if cond, condArgs := q.searchFilter(postgres); cond != "" {
		// Relevance is how many of a ticket's texts (subject and
		// description, each message) match: bm25 would first scan every
		// row of a common word to weigh it (50 ms and more for a word in
		// 100,000 messages). The scope tokens already keep internal notes
		// out of a customer's matches; the column says so a second time.
		// Only the newest SearchWindow matching texts count (rowids grow
		// with time): a word in 40,000 tickets lists the recent ones and
		// the user is asked to be more precise (SearchTruncated).
		parts = append(parts, `SELECT * FROM (SELECT ticket_number, -1 AS score FROM search WHERE `+cond+`
			ORDER BY rowid DESC LIMIT `+strconv.Itoa(SearchWindow)+`) m`)
		args = append(args, condArgs...)
	}
	if _, number := searchTerms(q.Search); number != 0 {
		// The ticket a number names comes first.
		parts = append(parts, `SELECT CAST(? AS BIGINT) AS ticket_number, -1000000000 AS score`)
		args = append(args, number)
	}
	if len(parts) == 0 {
		// Nothing to look for (only punctuation, or no account): no match.
		parts = append(parts, `SELECT CAST(NULL AS BIGINT) AS ticket_number, 0 AS score WHERE 1 = 0`)
	}
	// SQLite: CROSS JOIN keeps the matches the outer loop: it would
	// otherwise walk a customer's tickets and scan the matches for each.
	join := " CROSS JOIN tickets t ON t.number = s.n"
	if postgres {
		join = " JOIN tickets t ON t.number = s.n"
	}
	return ` FROM (SELECT ticket_number AS n, sum(score) AS score FROM (` + strings.Join(parts, " UNION ALL ") +
		`) u GROUP BY ticket_number) s` + join, args
}

func (q ListQuery) where() (string, []any) {
	conds, args := q.conds(true)
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// conds returns the conditions of q; without organizations, those of the
// scope and OrganizationID are left out.
func (q ListQuery) conds(organizations bool) ([]string, []any) {
	var conds []string
	var args []any
	in := func(col string, n int) string { return col + " IN (" + placeholders(n) + ")" }
	if organizations && !q.Scope.All {
		conds = append(conds, in("t.organization_id", len(q.Scope.OrganizationIDs)))
		for _, id := range q.Scope.OrganizationIDs {
			args = append(args, id)
		}
	}
	if organizations && q.OrganizationID != 0 {
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
	if q.RecordKind != "" {
		conds = append(conds, "t.number IN (SELECT l.ticket_number FROM records r JOIN ticket_links l ON l.record_id = r.id WHERE r.kind = ? AND r.external_id = ? AND r.organization_id = t.organization_id)")
		args = append(args, string(q.RecordKind), q.RecordExternalID)
	}
	switch {
	case q.AssigneeID == Unassigned:
		conds = append(conds, "t.assignee_id IS NULL")
	case q.AssigneeID != 0:
		conds = append(conds, "t.assignee_id = ?")
		args = append(args, q.AssigneeID)
	}
	return conds, args
}

// maxWalks bounds the organizations a list walks one by one.
const maxWalks = 16

// byOrganization returns the organizations whose tickets q lists, when
// they are better walked one by one: a customer in several accounts (or
// anyone asking for one account), ordered by number, creation or last
// update. Each organization's index then gives its newest tickets in
// order and the page is a merge of these walks, stopping after a page of
// each — instead of reading and sorting every ticket of every account
// (40–70 ms for a big account, where one walk costs what an agent's page
// costs).
func (q ListQuery) byOrganization() []int64 {
	if q.sortAll || q.searching() {
		return nil
	}
	switch q.Sort {
	case "", ticket.SortNumber, ticket.SortCreated, ticket.SortUpdated:
	default:
		return nil // the status order has no index per organization
	}
	switch {
	case q.OrganizationID != 0:
		if !q.Scope.All && !slices.Contains(q.Scope.OrganizationIDs, q.OrganizationID) {
			return nil // out of scope: the plain query finds nothing
		}
		return []int64{q.OrganizationID}
	case !q.Scope.All && len(q.Scope.OrganizationIDs) <= maxWalks:
		return q.Scope.OrganizationIDs
	}
	return nil
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

func whereOf(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
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
	orgs := q.byOrganization()
	keys := q.keys(orgs != nil)
	var cursor []any
	if q.Cursor != "" {
		var err error
		if cursor, err = decodeCursor(q.Cursor, len(keys)); err != nil {
			return nil, "", err
		}
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
	var page string
	var args []any
	if orgs == nil {
		from, fromArgs := q.from(s.postgres)
		conds, condArgs := q.conds(true)
		args = append(fromArgs, condArgs...)
		if cursor != nil {
			cond, cursorArgs := after(keys, cursor)
			conds = append(conds, cond)
			args = append(args, cursorArgs...)
		}
		page = "SELECT t.number AS kn, " + strings.Join(keyCols, ", ") + from + whereOf(conds) +
			" ORDER BY " + strings.Join(inner, ", ") + " LIMIT ?"
		args = append(args, q.Limit+1)
	} else {
		// One walk per organization, a page each, merged.
		conds, condArgs := q.conds(false)
		conds = append([]string{"t.organization_id = ?"}, conds...)
		if cursor != nil {
			cond, cursorArgs := after(keys, cursor)
			conds = append(conds, cond)
			condArgs = append(condArgs, cursorArgs...)
		}
		walk := "SELECT * FROM (SELECT t.number AS kn, " + strings.Join(keyCols, ", ") + " FROM tickets t" + whereOf(conds) +
			" ORDER BY " + strings.Join(inner, ", ") + " LIMIT ?) w"
		walks := make([]string, len(orgs))
		for i, org := range orgs {
			walks[i] = walk + strconv.Itoa(i)
			args = append(append(append(args, org), condArgs...), q.Limit+1)
		}
		merged := make([]string, len(keys))
		for i, k := range keys {
			merged[i] = "k" + strconv.Itoa(i)
			if k.desc {
				merged[i] += " DESC"
			}
		}
		page = strings.Join(walks, " UNION ALL ") + " ORDER BY " + strings.Join(merged, ", ") + " LIMIT ?"
		args = append(args, q.Limit+1)
	}
	join := " CROSS JOIN tickets t ON t.number = k.kn" // SQLite: the page's keys first
	if s.postgres {
		join = " JOIN tickets t ON t.number = k.kn"
	}
	query := ticketSelect + ", " + strings.Join(sel, ", ") +
		" FROM (" + page + ") k" + join + ticketJoins +
		" ORDER BY " + strings.Join(outer, ", ")
	rows, err := s.read.QueryContext(ctx, query, args...)
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
	from, args := q.from(s.postgres)
	where, whereArgs := q.where()
	rows, err := s.read.QueryContext(ctx, `SELECT t.status, count(*)`+from+where+` GROUP BY t.status`, append(args, whereArgs...)...)
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
