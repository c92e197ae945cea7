package api

// The integration API: the customer's own systems (practice management,
// billing, asset management) send their records server to server, with
// an API key per integration that may speak only for its organizations.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// integrationKeyPrefix starts every integration key, so a key found in a
// log or a repository is recognized as one.
const integrationKeyPrefix = "spk_"

// NewIntegrationKey returns a new random key and the hash the store keeps.
func NewIntegrationKey() (key string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	key = integrationKeyPrefix + base64.RawURLEncoding.EncodeToString(b)
	return key, IntegrationKeyHash(key)
}

// IntegrationKeyHash is what the store keeps of key: its SHA-256 (the key
// is 256 random bits, not a password to stretch).
func IntegrationKeyHash(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

var (
	errIntegrationKey = ticket.Errorf(ticket.CodeUnauthorized, "ErrIntegrationKey", "Authorization")
	errExternalID     = ticket.Errorf(ticket.CodeInvalid, "ErrExternalID", "externalId")
	errOrganization   = ticket.Errorf(ticket.CodeNotFound, "ErrIntegrationAccount", "organization")
	errNeedsAccount   = ticket.ValidationFailed("organization", "ErrRecordOrganization")
)

type integrationKey struct{}

// integrationHandler is a handler of the integration API, with the
// integration the request's key belongs to.
type integrationHandler func(w http.ResponseWriter, r *http.Request, in store.Integration) error

// integration wraps h for routes of the integration API: a valid key in
// "Authorization: Bearer …", or 401.
func (s *Server) integration(h integrationHandler) http.HandlerFunc {
	return s.public(func(w http.ResponseWriter, r *http.Request) error {
		scheme, key, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		ok = ok && strings.EqualFold(scheme, "Bearer") // schemes are case-insensitive (RFC 9110)
		key = strings.TrimSpace(key)
		if !ok || !strings.HasPrefix(key, integrationKeyPrefix) || len(key) > 200 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="supportal integration"`)
			return errIntegrationKey
		}
		in, err := s.store.IntegrationByKey(r.Context(), IntegrationKeyHash(key))
		if ticket.ErrorCode(err) == ticket.CodeNotFound {
			w.Header().Set("WWW-Authenticate", `Bearer realm="supportal integration", error="invalid_token"`)
			return errIntegrationKey
		}
		if err != nil {
			return err
		}
		return h(w, r, in)
	})
}

// integrationOrg returns the organization with account number, if the
// integration may speak for it; an empty account means the integration's
// only organization.
func (s *Server) integrationOrg(ctx context.Context, in store.Integration, account string) (ticket.Organization, error) {
	if account == "" {
		if len(in.OrganizationIDs) != 1 {
			return ticket.Organization{}, errNeedsAccount
		}
		return s.store.Organization(ctx, in.OrganizationIDs[0])
	}
	o, err := s.store.OrganizationByAccount(ctx, account)
	if ticket.ErrorCode(err) == ticket.CodeNotFound || (err == nil && !in.Covers(o.ID)) {
		return o, errOrganization
	}
	return o, err
}

// recordKey reads the kind and external id of the path.
func recordKey(r *http.Request) (ticket.RecordKind, string, error) {
	kind, err := ticket.ParseRecordKind(r.PathValue("kind"), "kind")
	if err != nil {
		return "", "", err
	}
	id := r.PathValue("externalId")
	if !ticket.ValidExternalID(id) {
		return "", "", errExternalID
	}
	return kind, id, nil
}

// integrationPutRecord creates or replaces a record (201 when new).
func (s *Server) integrationPutRecord(w http.ResponseWriter, r *http.Request, in store.Integration) error {
	kind, id, err := recordKey(r)
	if err != nil {
		return err
	}
	var body ticket.RecordInput
	if err := decode(w, r, &body); err != nil {
		return err
	}
	body.Clean()
	if err := body.Check(); err != nil {
		return err
	}
	o, err := s.integrationOrg(r.Context(), in, body.Organization)
	if err != nil {
		return err
	}
	rec, created, err := s.store.UpsertRecord(r.Context(), ticket.Record{
		Organization: o.Ref(), Kind: kind, ExternalID: id, Title: body.Title, Fields: body.Fields, URL: body.URL, UpdatedAt: s.cfg.Now(),
	})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, rec)
	return nil
}

// integrationRecord reads the record the path and ?organization= name.
func (s *Server) integrationRecord(r *http.Request, in store.Integration) (ticket.Record, error) {
	kind, id, err := recordKey(r)
	if err != nil {
		return ticket.Record{}, err
	}
	o, err := s.integrationOrg(r.Context(), in, r.URL.Query().Get("organization"))
	if err != nil {
		return ticket.Record{}, err
	}
	rec, err := s.store.RecordByKey(r.Context(), o.ID, kind, id)
	if ticket.ErrorCode(err) == ticket.CodeNotFound {
		return rec, errRecordNotFound
	}
	return rec, err
}

func (s *Server) integrationGetRecord(w http.ResponseWriter, r *http.Request, in store.Integration) error {
	rec, err := s.integrationRecord(r, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

// integrationDeleteRecord archives a record: the tickets about it keep
// their links, marked archived.
func (s *Server) integrationDeleteRecord(w http.ResponseWriter, r *http.Request, in store.Integration) error {
	rec, err := s.integrationRecord(r, in)
	if err != nil {
		return err
	}
	if rec, err = s.store.ArchiveRecord(r.Context(), rec.Organization.ID, rec.Kind, rec.ExternalID, s.cfg.Now()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

// integrationPage is one page of GET /api/v1/integration/records.
type integrationPage struct {
	Records    []ticket.Record `json:"records"`
	NextCursor string          `json:"nextCursor,omitempty"`
}

// integrationListRecords lists the records of one of the integration's
// organizations (archived ones too), optionally of one kind.
func (s *Server) integrationListRecords(w http.ResponseWriter, r *http.Request, in store.Integration) error {
	p := r.URL.Query()
	o, err := s.integrationOrg(r.Context(), in, p.Get("organization"))
	if err != nil {
		return err
	}
	q := store.RecordQuery{Scope: ticket.Scope{OrganizationIDs: []int64{o.ID}}, Archived: true}
	if k := p.Get("kind"); k != "" {
		if q.Kind, err = ticket.ParseRecordKind(k, "kind"); err != nil {
			return err
		}
	}
	if q.Cursor, q.Limit, err = pageOf(r); err != nil {
		return err
	}
	records, next, err := s.store.ListRecords(r.Context(), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, integrationPage{Records: records, NextCursor: next})
	return nil
}
