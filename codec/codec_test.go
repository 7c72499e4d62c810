package codec_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/bienal/bienal/codec"
)

func key(b byte) string {
	return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{b}, codec.KeySize))
}

type vote struct {
	Member  string `json:"member"`
	Comment string `json:"comment"`
}

func TestEncryptedPayloadsHoldNoPlainTextAndReadBack(t *testing.T) {
	t.Parallel()
	c, err := codec.Parse("k1:" + key(1))
	require.NoError(t, err)
	require.True(t, c.Encrypts())
	dc := c.DataConverter()
	p, err := dc.ToPayload(vote{Member: "committee.ar@example.org", Comment: "ok"})
	require.NoError(t, err)
	require.Equal(t, codec.EncodingEncrypted, string(p.Metadata[converter.MetadataEncoding]))
	require.Equal(t, "k1", string(p.Metadata[codec.MetadataKeyID]))
	raw, err := p.Marshal()
	require.NoError(t, err)
	require.NotContains(t, string(raw), "example.org")
	require.NotContains(t, string(raw), "json/plain", "the inner encoding is encrypted too")

	var back vote
	require.NoError(t, dc.FromPayload(p, &back))
	require.Equal(t, "committee.ar@example.org", back.Member)

	again, err := dc.ToPayload(vote{Member: "committee.ar@example.org", Comment: "ok"})
	require.NoError(t, err)
	require.NotEqual(t, p.Data, again.Data, "a fresh nonce each time")
}

// Rotation: a new key listed first encrypts from then on; the old one,
// listed after it, still reads what it encrypted. Dropped, it is named.
func TestKeysRotate(t *testing.T) {
	t.Parallel()
	old, err := codec.Parse("2025:" + key(1))
	require.NoError(t, err)
	p, err := old.DataConverter().ToPayload("focal.cl@example.org")
	require.NoError(t, err)

	rotated, err := codec.Parse("2026:" + key(2) + ", 2025:" + key(1))
	require.NoError(t, err)
	require.Equal(t, "2026", rotated.KeyID())
	var s string
	require.NoError(t, rotated.DataConverter().FromPayload(p, &s))
	require.Equal(t, "focal.cl@example.org", s)
	q, err := rotated.DataConverter().ToPayload("x")
	require.NoError(t, err)
	require.Equal(t, "2026", string(q.Metadata[codec.MetadataKeyID]))

	dropped, err := codec.Parse("2026:" + key(2))
	require.NoError(t, err)
	err = dropped.DataConverter().FromPayload(p, &s)
	require.ErrorIs(t, err, codec.ErrUnknownKey)
	require.ErrorContains(t, err, `key ID "2025"`)

	none, err := codec.Parse("")
	require.NoError(t, err)
	require.False(t, none.Encrypts())
	require.ErrorIs(t, none.DataConverter().FromPayload(p, &s), codec.ErrUnknownKey, "no key: the error says which is missing")
}

// A payload written before encryption was turned on still reads; one whose
// key ID was changed does not decrypt.
func TestPlainPayloadsPassAndTamperingFails(t *testing.T) {
	t.Parallel()
	c, err := codec.Parse("k1:" + key(1) + ",k2:" + key(2))
	require.NoError(t, err)
	plain, err := converter.GetDefaultDataConverter().ToPayload("before")
	require.NoError(t, err)
	var s string
	require.NoError(t, c.DataConverter().FromPayload(plain, &s))
	require.Equal(t, "before", s)

	p, err := c.DataConverter().ToPayload("after")
	require.NoError(t, err)
	p.Metadata[codec.MetadataKeyID] = []byte("k2")
	require.ErrorContains(t, c.DataConverter().FromPayload(p, &s), `decrypt payload with key "k2"`)
}

func TestBadKeyListsAreRefusedWithoutQuotingAKey(t *testing.T) {
	t.Parallel()
	short := base64.StdEncoding.EncodeToString([]byte("sixteen bytes!!!"))
	for list, want := range map[string]string{
		"nokey":                              "key 1: want ID:BASE64KEY",
		"k1:" + key(1) + ",bad id:" + key(2): "key 2: the ID must be",
		"k1:" + key(1) + ",k1:" + key(2):     `ID "k1" is listed twice`,
		"k1:not-base64!":                     "not standard base64",
		"k1:" + short:                        "16 bytes, want 32",
	} {
		_, err := codec.Parse(list)
		require.ErrorContains(t, err, want, list)
		require.NotContains(t, err.Error(), key(1))
		require.NotContains(t, err.Error(), short)
	}
}

// The codec server answers the Temporal Web UI from the origins listed,
// with the CORS headers its requests need, and refuses other origins; the
// CLI sends no Origin and is answered.
func TestCodecServerDecodesForTheUIAndTheCLI(t *testing.T) {
	t.Parallel()
	c, err := codec.Parse("k1:" + key(1))
	require.NoError(t, err)
	srv := httptest.NewServer(codec.Handler(c, []string{"http://127.0.0.1:8233"}))
	t.Cleanup(srv.Close)
	p, err := c.DataConverter().ToPayload(vote{Member: "committee.br@example.org"})
	require.NoError(t, err)
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{p}})
	require.NoError(t, err)

	pre, err := http.NewRequest(http.MethodOptions, srv.URL+"/decode", nil)
	require.NoError(t, err)
	pre.Header.Set("Origin", "http://127.0.0.1:8233")
	pre.Header.Set("Access-Control-Request-Headers", "content-type,x-namespace")
	resp, err := http.DefaultClient.Do(pre)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	require.Equal(t, "http://127.0.0.1:8233", resp.Header.Get("Access-Control-Allow-Origin"))
	require.Contains(t, resp.Header.Get("Access-Control-Allow-Headers"), "X-Namespace")

	for _, origin := range []string{"http://127.0.0.1:8233", ""} {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/decode", bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Namespace", "bienal")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var out bytes.Buffer
		_, err = out.ReadFrom(resp.Body)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, out.String())
		var decoded commonpb.Payloads
		require.NoError(t, protojson.Unmarshal(out.Bytes(), &decoded))
		require.Len(t, decoded.Payloads, 1)
		require.JSONEq(t, `{"member":"committee.br@example.org","comment":""}`, string(decoded.Payloads[0].Data))
	}

	req, err := http.NewRequest(http.MethodPost, srv.URL+"/decode", strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header.Set("Origin", "https://elsewhere.example")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
}
