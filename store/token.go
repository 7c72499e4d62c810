package store

import "encoding/base64"

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
