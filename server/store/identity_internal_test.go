package store

import "testing"

// The viewer cache follows writesIdentity: every statement that writes a
// table of who is who is found, whatever its form, and nothing else is.
func TestWritesIdentity(t *testing.T) {
	for q, want := range map[string]bool{
		`UPDATE sessions SET last_seen = ? WHERE token_hash = ?`:                   true,
		"  delete from Sessions where user_id = ?":                                 true,
		`INSERT INTO memberships (user_id, organization_id) VALUES (?, ?)`:         true,
		`INSERT OR REPLACE INTO vendor_access (customer_id) VALUES (?)`:            true,
		`REPLACE INTO users (id) VALUES (?)`:                                       true,
		"UPDATE OR IGNORE \"organizations\" SET name = ?":                          true,
		"\n\t\tUPDATE users SET password_hash = ? WHERE id = ?":                    true,
		`DELETE FROM sessions WHERE token_hash = ? RETURNING user_id`:              true,
		`INSERT INTO tickets (organization_id) VALUES (?)`:                         false,
		`UPDATE tickets SET status = ? WHERE number = ? RETURNING updated_at`:      false,
		`SELECT user_id FROM sessions WHERE token_hash = ?`:                        false,
		`INSERT INTO notifications (user_id) SELECT id FROM users WHERE agent = 1`: false,
		`DELETE FROM ended_sessions WHERE at < ?`:                                  false,
		`INSERT INTO users_archive (id) VALUES (?)`:                                false,
		`SAVEPOINT w`: false,
		`WITH x AS (SELECT 1) UPDATE users SET name = ? WHERE id IN (SELECT * FROM x)`: true,
	} {
		if got := writesIdentity(q); got != want {
			t.Errorf("writesIdentity(%q) = %v, want %v", q, got, want)
		}
	}
}
