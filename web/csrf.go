package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// A form token is "<nonce>.<mac>": a fresh random nonce per rendered form
// and an HMAC binding it to the session or link the form belongs to. A form
// taken from one link cannot be posted to another, and the nonce names one
// answer, so a double click is recognised as the same answer.

const nonceBytes = 16

func (s *server) formToken(binding string) string {
	b := make([]byte, nonceBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	nonce := base64.RawURLEncoding.EncodeToString(b)
	return nonce + "." + s.formMAC(binding, nonce)
}

func (s *server) formMAC(binding, nonce string) string {
	m := hmac.New(sha256.New, s.csrfSecret)
	m.Write([]byte(binding))
	m.Write([]byte{0})
	m.Write([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkFormToken returns the token's nonce when it was issued for binding.
func (s *server) checkFormToken(binding, token string) (string, bool) {
	nonce, mac, ok := strings.Cut(token, ".")
	if !ok || len(nonce) != base64.RawURLEncoding.EncodedLen(nonceBytes) || len(mac) != 43 {
		return "", false
	}
	if !hmac.Equal([]byte(mac), []byte(s.formMAC(binding, nonce))) {
		return "", false
	}
	return nonce, true
}

// derivedID names the effect of one form answer (a vote ID), the same for
// every POST of that form.
func (s *server) derivedID(purpose, nonce string) string {
	m := hmac.New(sha256.New, s.csrfSecret)
	m.Write([]byte("id\x00" + purpose + "\x00" + nonce))
	return "web-" + base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:32]
}
