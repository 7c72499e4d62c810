package store

import (
	"encoding/base64"
	"strings"
)

// ParseToken checks the shape of a link token before any query: exactly
// TokenLength characters of unpadded base64url. It is pure, so the portal's
// first line of defence can be fuzzed without a database; every bad token
// gives ErrLinkInvalid, the one answer a guess ever gets.
func ParseToken(token string) error {
	if len(token) != TokenLength {
		return ErrLinkInvalid
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) != 32 {
		return ErrLinkInvalid
	}
	return nil
}

// tokenCandidates returns the distinct strings in s shaped like a token: a
// maximal run of base64url characters that ParseToken accepts.
func tokenCandidates(s string, into map[string]bool) {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isTokenChar(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start == TokenLength && ParseToken(s[start:i]) == nil {
			into[s[start:i]] = true
		}
		start = -1
	}
}

func isTokenChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// IsCalendar says whether an attachment is an iCalendar file, whose lines
// are folded: a placeholder or token may be cut by a fold, so such content is
// unfolded before it is searched or filled in, and folded again when sent.
func IsCalendar(contentType string) bool { return strings.HasPrefix(contentType, "text/calendar") }

// UnfoldCalendar joins the folded lines of an iCalendar file (RFC 5545 3.1).
func UnfoldCalendar(b []byte) []byte {
	s := strings.ReplaceAll(string(b), "\r\n ", "")
	return []byte(strings.ReplaceAll(s, "\r\n\t", ""))
}
