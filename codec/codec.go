// Package codec keeps personal data out of Temporal's plain text: a payload
// codec that encrypts every payload bienal's clients and workers send to
// Temporal (workflow inputs, signal, update and query payloads, results,
// workflow state carried over a continue-as-new, failures) with AES-256-GCM,
// and the HTTP handler of the codec server through which the Temporal Web
// UI and CLI show them decrypted.
//
// Each encrypted payload names the key that encrypted it, so keys can
// rotate: the first key of TEMPORAL_PAYLOAD_KEYS encrypts, every key
// listed decrypts. Search attributes are not payloads the codec reaches:
// they hold keys and states only (see workflows.SearchAttributes).
package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// Metadata of an encrypted payload, as in Temporal's encryption sample, so
// that tools written for it recognise bienal's payloads.
const (
	// EncodingEncrypted is the payload encoding of an encrypted payload.
	EncodingEncrypted = "binary/encrypted"
	// MetadataKeyID names the key that encrypted the payload.
	MetadataKeyID = "encryption-key-id"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Codec encrypts payloads with its current key and decrypts those of any
// key it holds. A Codec with no key encrypts nothing and passes plain
// payloads through, and says which key it lacks when it meets an encrypted
// one, rather than the SDK's "unable to find converter".
type Codec struct {
	current string
	keys    map[string]cipher.AEAD
}

// Parse reads a key list: comma-separated ID:KEY pairs, each KEY 32 bytes
// in standard base64 (`openssl rand -base64 32`). The first key encrypts.
// An empty list is a codec that encrypts nothing. Errors never quote a key.
func Parse(list string) (*Codec, error) {
	c := &Codec{keys: map[string]cipher.AEAD{}}
	if strings.TrimSpace(list) == "" {
		return c, nil
	}
	for i, pair := range strings.Split(list, ",") {
		id, key, ok := strings.Cut(strings.TrimSpace(pair), ":")
		switch {
		case !ok:
			return nil, fmt.Errorf("key %d: want ID:BASE64KEY", i+1)
		case !keyIDPattern.MatchString(id):
			return nil, fmt.Errorf("key %d: the ID must be 1 to 64 letters, digits, '.', '_' or '-'", i+1)
		case c.keys[id] != nil:
			return nil, fmt.Errorf("key %d: ID %q is listed twice", i+1, id)
		}
		raw, err := base64.StdEncoding.DecodeString(key)
		if err != nil {
			return nil, fmt.Errorf("key %q: not standard base64", id)
		}
		if len(raw) != KeySize {
			return nil, fmt.Errorf("key %q: %d bytes, want %d (openssl rand -base64 32)", id, len(raw), KeySize)
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", id, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", id, err)
		}
		c.keys[id] = aead
		if c.current == "" {
			c.current = id
		}
	}
	return c, nil
}

// Encrypts tells whether the codec has a key to encrypt with.
func (c *Codec) Encrypts() bool { return c.current != "" }

// KeyID is the ID of the key that encrypts; "" when none does.
func (c *Codec) KeyID() string { return c.current }

// Encode encrypts each payload, whole (metadata and data), with the
// current key; without a key it returns them as they are.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	if !c.Encrypts() {
		return payloads, nil
	}
	aead := c.keys[c.current]
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := p.Marshal()
		if err != nil {
			return payloads, fmt.Errorf("encrypt payload: %w", err)
		}
		nonce := make([]byte, aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return payloads, fmt.Errorf("encrypt payload: %w", err)
		}
		// The key ID is authenticated with the data: a payload whose
		// metadata names another key does not decrypt.
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(EncodingEncrypted),
				MetadataKeyID:              []byte(c.current),
			},
			Data: aead.Seal(nonce, nonce, plain, []byte(c.current)),
		}
	}
	return out, nil
}

// ErrUnknownKey is a payload encrypted with a key the codec does not hold.
var ErrUnknownKey = errors.New("payload encrypted with a key not in TEMPORAL_PAYLOAD_KEYS")

// Decode decrypts each encrypted payload and passes the others through,
// so that payloads written before encryption was turned on still read.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != EncodingEncrypted {
			out[i] = p
			continue
		}
		id := string(p.GetMetadata()[MetadataKeyID])
		aead := c.keys[id]
		if aead == nil {
			return payloads, fmt.Errorf("%w: key ID %q (keep every key that encrypted a live workflow's payloads in the list)", ErrUnknownKey, id)
		}
		data := p.GetData()
		if len(data) < aead.NonceSize() {
			return payloads, fmt.Errorf("decrypt payload with key %q: too short", id)
		}
		plain, err := aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], []byte(id))
		if err != nil {
			return payloads, fmt.Errorf("decrypt payload with key %q: %w", id, err)
		}
		out[i] = &commonpb.Payload{}
		if err := out[i].Unmarshal(plain); err != nil {
			return payloads, fmt.Errorf("decrypt payload with key %q: %w", id, err)
		}
	}
	return out, nil
}

// DataConverter is the SDK's default converter (JSON) with this codec
// applied: what every client and worker of a deployment, and a replayer of
// its histories, must use alike.
func (c *Codec) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}

// FailureConverter converts errors with the codec's DataConverter. When
// the codec encrypts, an error's message and stack trace travel encrypted
// too (Temporal shows "Encoded failure" in their place): a refusal can
// quote what someone typed, an address among it.
func (c *Codec) FailureConverter() converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter:          c.DataConverter(),
		EncodeCommonAttributes: c.Encrypts(),
	})
}
