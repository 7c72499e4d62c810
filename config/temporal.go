package config

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
)

// TemporalOptions builds the client options: address, namespace, mTLS or an
// API key, the process's logger and metrics handler.
func (c *Config) TemporalOptions(logger *slog.Logger, metrics client.MetricsHandler) (client.Options, error) {
	opts := client.Options{
		HostPort:       c.TemporalAddress,
		Namespace:      c.TemporalNamespace,
		Logger:         sdklog.NewStructuredLogger(logger),
		MetricsHandler: metrics,
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
