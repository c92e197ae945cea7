package ticket

// Attachment is a file attached to a ticket (with its description) or to
// one message. Its bytes are read from GET /api/v1/attachments/{id}, which
// the visibility policy guards like the ticket (and the message) itself.
type Attachment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"contentType"`
}

// PrivacyRegime is the law an account's uploads are confirmed under: before
// any file leaves the browser, the user confirms it holds no protected
// health information in the wording of this regime.
type PrivacyRegime string

const (
	PrivacyHIPAA PrivacyRegime = "hipaa" // US: protected health information (PHI)
	PrivacyGDPR  PrivacyRegime = "gdpr"  // EU: health data (GDPR art. 9; DSGVO, RGPD, RGPD)
)

// Valid reports whether r is a known regime.
func (r PrivacyRegime) Valid() bool { return r == PrivacyHIPAA || r == PrivacyGDPR }

// PrivacyWording is the version of the confirmation texts (the
// PrivacyConfirm… messages of every locale); it is stored with each
// confirmation. Change it whenever their meaning changes.
const PrivacyWording = "2026-11-1"

// Attachment limits: the server's defaults (flags may lower or raise them;
// GET /api/v1/catalog says what applies).
const (
	DefaultMaxFileBytes = 25 << 20
	DefaultMaxFiles     = 10
)
