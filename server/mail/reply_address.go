package mail

import (
	"net/mail"
	"strings"
)

// Reply addresses: a mail about a ticket may say Reply-To
// reply+<token>@<reply domain>, the token standing for its reader and the
// ticket (store.ReplyToken makes one; store.ReplyTarget reads it back). The
// listener for such replies is server/mailin.

// replyLocal is the local part before the token; the token follows "+"
// (sub-addressing, which most mail servers pass through unchanged).
const replyLocal = "reply"

// maxReplyToken bounds the token ParseReplyAddress accepts (store tokens
// are 32 characters).
const maxReplyToken = 64

// ReplyAddress is the reply address of token at domain, e.g.
// reply+k5x…q@support.example.com; "" when domain is "" (replies by email
// are off) or token is not a token.
func ReplyAddress(token, domain string) string {
	if domain == "" || !validToken(token) {
		return ""
	}
	return replyLocal + "+" + token + "@" + domain
}

// ParseReplyAddress returns the token of a reply address at domain: addr
// is a bare address or one with a name and angle brackets ("Support
// <reply+…@domain>"). The local part's "reply", the domain and the token
// are compared ignoring case (the token is returned in lower case).
func ParseReplyAddress(addr, domain string) (token string, ok bool) {
	addr = strings.TrimSpace(addr)
	if strings.ContainsAny(addr, "<>\" ") {
		a, err := mail.ParseAddress(addr)
		if err != nil {
			return "", false
		}
		addr = a.Address
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 || domain == "" || !strings.EqualFold(addr[at+1:], domain) {
		return "", false
	}
	local := addr[:at]
	prefix, token, found := strings.Cut(local, "+")
	if !found || !strings.EqualFold(prefix, replyLocal) {
		return "", false
	}
	token = strings.ToLower(token)
	if !validToken(token) {
		return "", false
	}
	return token, true
}

// validToken reports whether token can be a reply token: lower-case
// base32 letters and digits, not too long.
func validToken(token string) bool {
	if token == "" || len(token) > maxReplyToken {
		return false
	}
	for _, c := range token {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}
