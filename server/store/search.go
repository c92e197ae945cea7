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

// indexNow indexes at once (a link, whose row id is kept with it) and
// returns the text's row id in the search table.
func indexNow(ctx context.Context, tx *Tx, t text) (int64, error) {
	kind := "p"
	if t.internal {
		kind = "i"
	}
	q := `INSERT INTO search (text, scope, ticket_number, internal)
		SELECT ?, 'o' || organization_id || ?, number, ? FROM tickets WHERE number = ?`
	var rowid int64
	if tx.postgres {
		err := tx.QueryRowContext(ctx, q+` RETURNING rowid`, tx.indexedText(t.text), kind, t.internal, t.number).Scan(&rowid)
		return rowid, err
	}
	// FTS5 takes no RETURNING.
	if _, err := tx.ExecContext(ctx, q, t.text, kind, t.internal, t.number); err != nil {
		return 0, err
	}
	err := tx.QueryRowContext(ctx, `SELECT last_insert_rowid()`).Scan(&rowid)
	return rowid, err
}

// flushIndex indexes the texts of tx's writes (see index) in one
// statement: FTS5 keeps what one statement gives it in memory and writes it
// out once, where a statement per text would each write a segment.
func (tx *Tx) flushIndex(ctx context.Context) error {
	if len(tx.texts) == 0 {
		return nil
	}
	type row struct {
		Text     string `json:"t"`
		Number   int64  `json:"n"`
		Internal int    `json:"i"`
		Order    int    `json:"k"`
	}
	rows := make([]row, len(tx.texts))
	for i, t := range tx.texts {
		rows[i] = row{tx.indexedText(t.text), t.number, 0, i}
		if t.internal {
			rows[i].Internal = 1
		}
	}
	js, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	q := `INSERT INTO search (text, scope, ticket_number, internal)
		SELECT j.value ->> 't', 'o' || t.organization_id || CASE WHEN j.value ->> 'i' = 1 THEN 'i' ELSE 'p' END, t.number, j.value ->> 'i'
		FROM json_each(?) j JOIN tickets t ON t.number = j.value ->> 'n' ORDER BY j.key`
	if tx.postgres {
		q = `INSERT INTO search (text, scope, ticket_number, internal)
		SELECT j.t, 'o' || t.organization_id || CASE WHEN j.i = 1 THEN 'i' ELSE 'p' END, t.number, j.i
		FROM jsonb_to_recordset(CAST(? AS jsonb)) AS j(t text, n bigint, i integer, k integer) JOIN tickets t ON t.number = j.n ORDER BY j.k`
	}
	_, err = tx.ExecContext(ctx, q, string(js))
	tx.texts = tx.texts[:0]
	return err
}

// searchTerms turns what a user typed into an FTS5 query of prefix terms
// (every word must match) and, when it is one, a ticket number.
func searchTerms(input string) (match string, number int64) {
	words, number := searchWords(input)
	terms := make([]string, len(words))
	for i, word := range words {
		terms[i] = `"` + word + `"*`
	}
	return strings.Join(terms, " "), number
}

// searchWords splits what a user typed into words (letters and digits) and,
// when it is one, a ticket number.
func searchWords(input string) (words []string, number int64) {
	input = strings.TrimSpace(input)
	if n, err := strconv.ParseInt(strings.TrimPrefix(input, "#"), 10, 64); err == nil && n > 0 {
		number = n
	}
	return strings.FieldsFunc(input, notWordRune), number
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// indexedText is a text as the engine's search index takes it. SQLite's
// tokenizer (unicode61) splits words at every character that is neither
// letter nor digit; PostgreSQL's parser would keep "SN-88" whole or read
// "-88" as a signed number, so it gets the words alone, split as SQLite
// splits them and as searchWords splits what users type.
func (tx *Tx) indexedText(s string) string {
	if !tx.postgres {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, notWordRune), " ")
}

// searchFilter returns the condition on the search table that selects the
// texts matching every word of q (as prefixes, diacritics ignored) that
// q's scope may see — portal users their organizations' public texts,
// agents all — and its arguments; "" when there is nothing to look for.
func (q ListQuery) searchFilter(postgres bool) (string, []any) {
	words, _ := searchWords(q.Search)
	if len(words) == 0 || q.Scope.Empty() {
		return "", nil
	}
	var scopes []string
	if !q.Scope.All {
		for _, id := range q.Scope.OrganizationIDs {
			scopes = append(scopes, "o"+strconv.FormatInt(id, 10)+"p") // public text only
		}
	}
	if postgres {
		// to_tsquery('simple', …) lowercases; the words are letters and
		// digits only, so nothing in them is tsquery syntax.
		terms := make([]string, len(words))
		for i, w := range words {
			terms[i] = w + ":*"
		}
		cond := `words @@ to_tsquery('simple', supportal_unaccent(?)) AND (internal = 0 OR ? = 1)`
		args := []any{strings.Join(terms, " & "), q.Scope.All}
		if len(scopes) > 0 {
			cond += " AND scope IN (?" + strings.Repeat(", ?", len(scopes)-1) + ")"
			for _, sc := range scopes {
				args = append(args, sc)
			}
		}
		return cond, args
	}
	match, _ := searchTerms(q.Search)
	match = "{text} : (" + match + ")"
	if len(scopes) > 0 {
		match += " AND {scope} : (" + strings.Join(scopes, " OR ") + ")"
	}
	return `search MATCH ? AND (internal = 0 OR ? = 1)`, []any{match, q.Scope.All}
}
