package store_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// FuzzTokenParse feeds the link-token check arbitrary strings: it never
// panics, it refuses everything but a canonical 256-bit base64url token with
// ErrLinkInvalid, and LookupLink refuses the same strings before it reaches
// the database (its Store here has none, so a query would panic).
func FuzzTokenParse(f *testing.F) {
	for _, seed := range []string{
		"", "a", strings.Repeat("A", store.TokenLength), strings.Repeat("A", store.TokenLength-1) + "B",
		strings.Repeat("/", store.TokenLength), strings.Repeat("A", store.TokenLength) + "=",
		base64.RawURLEncoding.EncodeToString(make([]byte, 32)), "../../etc/passwd", "\x00\xff",
	} {
		f.Add(seed)
	}
	noDB := store.New(nil)
	f.Fuzz(func(t *testing.T, token string) {
		err := store.ParseToken(token)
		if err != nil {
			require.ErrorIs(t, err, store.ErrLinkInvalid)
			_, lerr := noDB.LookupLink(context.Background(), token, time.Now())
			require.ErrorIs(t, lerr, store.ErrLinkInvalid)
			return
		}
		// Accepted: exactly the tokens CreateLink makes, nothing looser.
		require.Len(t, token, store.TokenLength)
		raw, derr := base64.RawURLEncoding.DecodeString(token)
		require.NoError(t, derr)
		require.Len(t, raw, 32)
		require.Equal(t, token, base64.RawURLEncoding.EncodeToString(raw))
	})
}

// A token made by CreateLink passes the check and opens its link.
func TestParseTokenAcceptsCreatedLinks(t *testing.T) {
	s, pool := storetest.New(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `INSERT INTO person (email, name, language) VALUES ('fp@example.org', 'Focal Point', 'es')`)
	require.NoError(t, err)
	tok, err := s.CreateLink(ctx, store.PurposeReport, "task/x", "fp@example.org", time.Now().Add(time.Hour))
	require.NoError(t, err)
	require.NoError(t, store.ParseToken(tok))
	l, err := s.LookupLink(ctx, tok, time.Now())
	require.NoError(t, err)
	require.Equal(t, "task/x", l.Subject)
	// One character changed to one outside the alphabet: refused before any query.
	require.ErrorIs(t, store.ParseToken(tok[:10]+"!"+tok[11:]), store.ErrLinkInvalid)
}
