package config

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/bienal/bienal/codec"
)

// TemporalOptions builds the client options: address, namespace, mTLS or an
// API key, the payload codec, the process's logger and metrics handler.
// Every client and worker of bienal is made from them, so that each one
// encrypts and decrypts with the same keys.
func (c *Config) TemporalOptions(logger *slog.Logger, metrics client.MetricsHandler) (client.Options, error) {
	pc, err := c.PayloadCodec()
	if err != nil {
		return client.Options{}, err
	}
	opts := client.Options{
		HostPort:         c.TemporalAddress,
		Namespace:        c.TemporalNamespace,
		Logger:           sdklog.NewStructuredLogger(logger),
		MetricsHandler:   metrics,
		DataConverter:    pc.DataConverter(),
		FailureConverter: pc.FailureConverter(),
	}
	var tlsConf *tls.Config
	if c.TemporalTLSCert != "" || c.TemporalTLSCA != "" || c.TemporalAPIKey != "" {
		tlsConf = &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.TemporalTLSServer}
	}
	if c.TemporalTLSCert != "" {
		cert, err := tls.LoadX509KeyPair(c.TemporalTLSCert, c.TemporalTLSKey)
		if err != nil {
			return opts, fmt.Errorf("TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY: %w", err)
		}
		tlsConf.Certificates = []tls.Certificate{cert}
	}
	if c.TemporalTLSCA != "" {
		pem, err := os.ReadFile(c.TemporalTLSCA)
		if err != nil {
			return opts, fmt.Errorf("TEMPORAL_TLS_CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return opts, fmt.Errorf("TEMPORAL_TLS_CA: no certificate in %s", c.TemporalTLSCA)
		}
		tlsConf.RootCAs = pool
	}
	if tlsConf != nil {
		opts.ConnectionOptions.TLS = tlsConf
	}
	if c.TemporalAPIKey != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(c.TemporalAPIKey)
	}
	return opts, nil
}

// PayloadCodec is the codec of TEMPORAL_PAYLOAD_KEYS: without keys it
// encrypts nothing, and names the variable when it meets an encrypted
// payload.
func (c *Config) PayloadCodec() (*codec.Codec, error) {
	pc, err := codec.Parse(c.TemporalPayloadKeys)
	if err != nil {
		return nil, fmt.Errorf("TEMPORAL_PAYLOAD_KEYS: %w", err)
	}
	return pc, nil
}
