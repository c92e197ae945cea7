package store

// The full-text search index of tickets and messages (FTS5).

import (
	"context"
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
// the ticket's organization and whether the text is public.
func index(ctx context.Context, tx *Tx, number int64, text string, internal bool) error {
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
