// Package config is bienal's one configuration: environment variables, with
// command-line flags to override them. Every command reads the same Config,
// so that a default here reaches an instance started by `bienal dev`.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strings"

	"github.com/robfig/cron/v3"

	"github.com/bienal/bienal/codec"
	"github.com/bienal/bienal/cooperation"
)

// Config carries every setting; the struct tags give each one its
// environment variable, flag and default (see the README's table).
type Config struct {
	DatabaseURL       string `name:"database-url" env:"DATABASE_URL" default:"postgres://postgres@127.0.0.1:5432/bienal?sslmode=disable" help:"PostgreSQL connection URL."`
	TemporalAddress   string `name:"temporal-address" env:"TEMPORAL_ADDRESS" default:"127.0.0.1:7233" help:"Temporal frontend host:port."`
	TemporalNamespace string `name:"temporal-namespace" env:"TEMPORAL_NAMESPACE" default:"default" help:"Temporal namespace."`
	TemporalTLSCert   string `name:"temporal-tls-cert" env:"TEMPORAL_TLS_CERT" help:"Client certificate file (PEM) for mTLS to Temporal."`
	TemporalTLSKey    string `name:"temporal-tls-key" env:"TEMPORAL_TLS_KEY" help:"Client key file (PEM) for mTLS to Temporal."`
	TemporalTLSCA     string `name:"temporal-tls-ca" env:"TEMPORAL_TLS_CA" help:"CA certificate file (PEM) that signs Temporal's server certificate."`
	TemporalTLSServer string `name:"temporal-tls-server-name" env:"TEMPORAL_TLS_SERVER_NAME" help:"Server name to verify in Temporal's certificate."`
	TemporalAPIKey    string `name:"temporal-api-key" env:"TEMPORAL_API_KEY" help:"API key for Temporal Cloud (implies TLS)."`
	// TemporalPayloadKeys holds secrets: never printed or logged.
	TemporalPayloadKeys string `name:"temporal-payload-keys" env:"TEMPORAL_PAYLOAD_KEYS" help:"Keys that encrypt what bienal sends to Temporal: ID:BASE64KEY[,ID:BASE64KEY...], each key 32 bytes (openssl rand -base64 32); the first encrypts, all decrypt. Empty: payloads in plain JSON."`
	SMTPURL             string `name:"smtp-url" env:"SMTP_URL" help:"smtp://user:pass@host:port (STARTTLS when offered) or smtps://...; empty in dev captures mail as .eml files."`
	MailFrom            string `name:"mail-from" env:"MAIL_FROM" default:"bienal <bienal@localhost>" help:"From address of every e-mail."`
	BaseURL             string `name:"base-url" env:"BASE_URL" default:"http://127.0.0.1:8080" help:"Public URL of the portal, used in links inside e-mails."`
	HTTPAddr            string `name:"http-addr" env:"HTTP_ADDR" default:"127.0.0.1:8080" help:"Address the portal listens on."`
	MetricsAddr         string `name:"metrics-addr" env:"METRICS_ADDR" default:"127.0.0.1:9090" help:"Address the worker serves /metrics on."`
	ReminderSchedule    string `name:"reminder-schedule" env:"REMINDER_SCHEDULE" default:"0 * * * *" help:"Cron expression of the reminder sweep."`
	LogLevel            string `name:"log-level" env:"LOG_LEVEL" default:"info" help:"debug, info, warn or error."`
	LogFormat           string `name:"log-format" env:"LOG_FORMAT" default:"text" help:"text or json."`
	EvidenceFileMB      int64  `name:"evidence-file-mb" env:"EVIDENCE_FILE_MB" default:"20" help:"Largest evidence file a report may carry, in MB of 1,048,576 bytes."`
	EvidenceTaskMB      int64  `name:"evidence-task-mb" env:"EVIDENCE_TASK_MB" default:"100" help:"Most evidence one report task may hold, every version's distinct files together, in MB."`
}

// Bounds of the evidence limits. The portal holds a form's files in memory
// while it checks and stores them, and Postgres takes at most 1 GB in one
// value; a file beyond a few hundred megabytes belongs elsewhere than a
// report's evidence.
const (
	maxEvidenceFileMB = 256
	maxEvidenceTaskMB = 10240
)

// Validate checks every value and names the variable of each wrong one.
func (c *Config) Validate() error {
	var errs []error
	bad := func(env, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", env, fmt.Sprintf(format, args...)))
	}
	if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		bad("DATABASE_URL", "want postgres://user@host:port/database, got %q", c.DatabaseURL)
	}
	if _, _, err := net.SplitHostPort(c.TemporalAddress); err != nil {
		bad("TEMPORAL_ADDRESS", "want host:port, got %q", c.TemporalAddress)
	}
	if c.TemporalNamespace == "" {
		bad("TEMPORAL_NAMESPACE", "must not be empty")
	}
	if _, err := codec.Parse(c.TemporalPayloadKeys); err != nil {
		bad("TEMPORAL_PAYLOAD_KEYS", "%v", err)
	}
	if (c.TemporalTLSCert == "") != (c.TemporalTLSKey == "") {
		bad("TEMPORAL_TLS_CERT", "TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together")
	}
	for env, path := range map[string]string{"TEMPORAL_TLS_CERT": c.TemporalTLSCert, "TEMPORAL_TLS_KEY": c.TemporalTLSKey, "TEMPORAL_TLS_CA": c.TemporalTLSCA} {
		if path != "" {
			if _, err := os.Stat(path); err != nil {
				bad(env, "cannot read %s", path)
			}
		}
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			bad("SMTP_URL", "want smtp://user:pass@host:port or smtps://..., got %q", redact(c.SMTPURL))
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		bad("MAIL_FROM", "not an e-mail address: %q", c.MailFrom)
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("BASE_URL", "want http(s)://host[:port][/path], got %q", c.BaseURL)
	}
	for env, addr := range map[string]string{"HTTP_ADDR": c.HTTPAddr, "METRICS_ADDR": c.MetricsAddr} {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			bad(env, "want host:port, got %q", addr)
		}
	}
	if _, err := cron.ParseStandard(c.ReminderSchedule); err != nil {
		bad("REMINDER_SCHEDULE", "not a cron expression: %v", err)
	}
	if !oneOf(c.LogLevel, "debug", "info", "warn", "error") {
		bad("LOG_LEVEL", "want debug, info, warn or error, got %q", c.LogLevel)
	}
	if !oneOf(c.LogFormat, "text", "json") {
		bad("LOG_FORMAT", "want text or json, got %q", c.LogFormat)
	}
	lim := c.EvidenceLimits()
	if c.EvidenceFileMB < 0 || c.EvidenceFileMB > maxEvidenceFileMB {
		bad("EVIDENCE_FILE_MB", "want 1 to %d, got %d", maxEvidenceFileMB, c.EvidenceFileMB)
	} else if c.EvidenceTaskMB < 0 || c.EvidenceTaskMB > maxEvidenceTaskMB || lim.TaskBytes < lim.FileBytes {
		bad("EVIDENCE_TASK_MB", "want EVIDENCE_FILE_MB (%d) to %d, got %d", lim.FileBytes>>20, maxEvidenceTaskMB, c.EvidenceTaskMB)
	}
	return errors.Join(errs...)
}

// EvidenceLimits are the limits of evidence files in bytes; a limit left at
// 0, as a Config written in code leaves it, is the default.
func (c *Config) EvidenceLimits() cooperation.EvidenceLimits {
	l := cooperation.DefaultEvidenceLimits()
	if c.EvidenceFileMB > 0 {
		l.FileBytes = c.EvidenceFileMB << 20
	}
	if c.EvidenceTaskMB > 0 {
		l.TaskBytes = c.EvidenceTaskMB << 20
	}
	return l
}

// PublicBaseURL is BaseURL without a trailing slash, ready to prefix paths.
func (c *Config) PublicBaseURL() string { return strings.TrimRight(c.BaseURL, "/") }

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}
