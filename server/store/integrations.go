package store

// Integrations: the customer systems that send records, with their keys.

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// Integration is a customer system allowed to send records for its
// organizations.
type Integration struct {
	ID              int64
	Name            string
	OrganizationIDs []int64
	CreatedAt       time.Time
}

// Covers reports whether the integration may speak for organization orgID.
func (i Integration) Covers(orgID int64) bool {
	for _, id := range i.OrganizationIDs {
		if id == orgID {
			return true
		}
	}
	return false
}

// CreateIntegration stores an integration named name whose key hashes to
// keyHash, for the organizations orgIDs.
func (s *DB) CreateIntegration(ctx context.Context, name string, keyHash []byte, orgIDs []int64, at time.Time) (Integration, error) {
	in := Integration{Name: name, OrganizationIDs: orgIDs, CreatedAt: at}
	err := s.tx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM integrations WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrIntegrationExists
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO integrations (name, key_hash, created_at) VALUES (?, ?, ?) RETURNING id`, name, keyHash, millis(at)).Scan(&in.ID); err != nil {
			return err
		}
		for _, id := range orgIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO integration_organizations (integration_id, organization_id) VALUES (?, ?)`, in.ID, id); err != nil {
				return err
			}
		}
		return nil
	})
	return in, err
}

// IntegrationByKey returns the integration (not revoked) whose key hashes
// to keyHash; ticket.ErrNotFound if there is none.
func (s *DB) IntegrationByKey(ctx context.Context, keyHash []byte) (Integration, error) {
	var in Integration
	var created int64
	var orgs sql.NullString
	err := s.read.QueryRowContext(ctx, `SELECT i.id, i.name, i.created_at, string_agg(CAST(io.organization_id AS TEXT), ',')
		FROM integrations i LEFT JOIN integration_organizations io ON io.integration_id = i.id
		WHERE i.key_hash = ? AND i.revoked_at IS NULL GROUP BY i.id`, keyHash).Scan(&in.ID, &in.Name, &created, &orgs)
	if err != nil {
		return in, notFound(err)
	}
	in.CreatedAt = fromMillis(created)
	for _, part := range strings.Split(orgs.String, ",") {
		if id, err := strconv.ParseInt(part, 10, 64); err == nil {
			in.OrganizationIDs = append(in.OrganizationIDs, id)
		}
	}
	return in, nil
}

// RevokeIntegration revokes the key of the integration named name.
func (s *DB) RevokeIntegration(ctx context.Context, name string, at time.Time) error {
	return s.tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE integrations SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL`, millis(at), name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return ticket.ErrNotFound
		}
		return nil
	})
}

// OrganizationByAccount returns the organization with account number.
func (s *DB) OrganizationByAccount(ctx context.Context, number string) (ticket.Organization, error) {
	var o ticket.Organization
	err := scanOrg(s.read.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations o WHERE o.account_number = ?`, number), &o)
	return o, notFound(err)
}
