package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/supportal/supportal/app/ticket"
)

// Views returns the saved views of user userID, by name.
func (s *DB) Views(ctx context.Context, userID int64) ([]ticket.View, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, query FROM views WHERE user_id = ? ORDER BY lower(name), id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ticket.View{}
	for rows.Next() {
		v, err := scanView(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func scanView(row interface{ Scan(...any) error }) (ticket.View, error) {
	var v ticket.View
	var q string
	if err := row.Scan(&v.ID, &v.Name, &q); err != nil {
		return v, err
	}
	return v, json.Unmarshal([]byte(q), &v.Query)
}

// View returns view id of user userID; another user's view is not found.
func (s *DB) View(ctx context.Context, userID, id int64) (ticket.View, error) {
	v, err := scanView(s.read.QueryRowContext(ctx, `SELECT id, name, query FROM views WHERE id = ? AND user_id = ?`, id, userID))
	return v, notFound(err)
}

// CreateView saves v for user userID and returns it with its id.
func (s *DB) CreateView(ctx context.Context, userID int64, v ticket.View, at time.Time) (ticket.View, error) {
	q, err := json.Marshal(v.Query)
	if err != nil {
		return v, err
	}
	err = s.tx(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO views (user_id, name, query, created_at) VALUES (?, ?, ?, ?) RETURNING id`, userID, v.Name, string(q), millis(at)).Scan(&v.ID)
		return uniqueName(err)
	})
	return v, err
}

// UpdateView renames view id of user userID and, when query is not nil,
// replaces its query.
func (s *DB) UpdateView(ctx context.Context, userID, id int64, name string, query *ticket.Query) (ticket.View, error) {
	err := s.tx(ctx, func(tx *Tx) error {
		var res sql.Result
		var err error
		if query != nil {
			q, err := json.Marshal(query)
			if err != nil {
				return err
			}
			res, err = tx.ExecContext(ctx, `UPDATE views SET name = ?, query = ? WHERE id = ? AND user_id = ?`, name, string(q), id, userID)
			if err != nil {
				return uniqueName(err)
			}
		} else if res, err = tx.ExecContext(ctx, `UPDATE views SET name = ? WHERE id = ? AND user_id = ?`, name, id, userID); err != nil {
			return uniqueName(err)
		}
		return oneRow(res)
	})
	if err != nil {
		return ticket.View{}, err
	}
	return s.View(ctx, userID, id)
}

// DeleteView deletes view id of user userID.
func (s *DB) DeleteView(ctx context.Context, userID, id int64) error {
	return s.tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM views WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return err
		}
		return oneRow(res)
	})
}

func oneRow(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return ticket.ErrNotFound
	}
	return nil
}

func uniqueName(err error) error {
	if isUnique(err) {
		return ErrViewName
	}
	return err
}

// isUnique reports whether err is a unique constraint's refusal, of
// either engine.
func isUnique(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505" // unique_violation
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
