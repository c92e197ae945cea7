package store

// The full-text search index of tickets and messages (FTS5).

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/supportal/supportal/app/ticket"
)

// indexTicket indexes what a ticket was raised with: its subject and
// description, and the values of its data fields (an invoice or order
// number finds its ticket) as a text of their own.
func indexTicket(ctx context.Context, tx *Tx, number int64, t ticket.Ticket) error {
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
// the ticket's organization and whether the text is public — at the end of
// the transaction, just before its commit (flushIndex): the search table
// (FTS5) writes what it was given to disk at every savepoint, and a batch
// of writes has one per write. A text indexed is found by search as soon
// as its write is committed.
func index(ctx context.Context, tx *Tx, number int64, s string, internal bool) error {
	tx.texts = append(tx.texts, text{number, s, internal})
	return nil
}

// text is one text to index: see index.
type text struct {
	number   int64
	text     string
	internal bool
}

// indexNow indexes at once (a link, whose row id is kept with it).
func indexNow(ctx context.Context, tx *Tx, t text) error {
	kind := "p"
	if t.internal {
		kind = "i"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO search (text, scope, ticket_number, internal)
		SELECT ?, 'o' || organization_id || ?, number, ? FROM tickets WHERE number = ?`, t.text, kind, t.internal, t.number)
	return err
}

// flushIndex indexes the texts of tx's writes (see index) in one
// statement: FTS5 keeps what one statement gives it in memory and writes it
// out once, where a statement per text would each write a segment.
func (tx *Tx) flushIndex(ctx context.Context) error {
	if len(tx.texts) == 0 {
		return nil
	}
	rows := make([][3]any, len(tx.texts))
	for i, t := range tx.texts {
		internal := 0
		if t.internal {
			internal = 1
		}
		rows[i] = [3]any{t.text, t.number, internal}
	}
	js, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO search (text, scope, ticket_number, internal)
		SELECT j.value ->> 0, 'o' || t.organization_id || iif(j.value ->> 2, 'i', 'p'), t.number, j.value ->> 2
		FROM json_each(?) j JOIN tickets t ON t.number = j.value ->> 1 ORDER BY j.key`, string(js))
	tx.texts = tx.texts[:0]
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
