package config

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
)

func valid() Config {
	return Config{
		DatabaseURL: "postgres://postgres@127.0.0.1:5432/bienal", TemporalAddress: "127.0.0.1:7233",
		TemporalNamespace: "default", MailFrom: "bienal <b@example.org>", BaseURL: "http://127.0.0.1:8080",
		HTTPAddr: "127.0.0.1:8080", MetricsAddr: "127.0.0.1:9090", ReminderSchedule: "0 * * * *",
		LogLevel: "info", LogFormat: "text", EvidenceFileMB: 20, EvidenceTaskMB: 100,
	}
}

func TestValidateNamesTheVariable(t *testing.T) {
	cases := []struct {
		env  string
		edit func(*Config)
	}{
		{"DATABASE_URL", func(c *Config) { c.DatabaseURL = "mysql://x" }},
		{"TEMPORAL_ADDRESS", func(c *Config) { c.TemporalAddress = "nohostport" }},
		{"SMTP_URL", func(c *Config) { c.SMTPURL = "http://mail.example.org" }},
		{"MAIL_FROM", func(c *Config) { c.MailFrom = "not an address" }},
		{"BASE_URL", func(c *Config) { c.BaseURL = "ftp://x" }},
		{"HTTP_ADDR", func(c *Config) { c.HTTPAddr = "8080" }},
		{"REMINDER_SCHEDULE", func(c *Config) { c.ReminderSchedule = "every hour" }},
		{"LOG_LEVEL", func(c *Config) { c.LogLevel = "loud" }},
		{"LOG_FORMAT", func(c *Config) { c.LogFormat = "xml" }},
		{"TEMPORAL_TLS_CERT", func(c *Config) { c.TemporalTLSCert = "/nonexistent.pem" }},
		{"EVIDENCE_FILE_MB", func(c *Config) { c.EvidenceFileMB = -1 }},
		{"EVIDENCE_FILE_MB", func(c *Config) { c.EvidenceFileMB, c.EvidenceTaskMB = 1024, 2048 }},
		{"EVIDENCE_TASK_MB", func(c *Config) { c.EvidenceTaskMB = 10 }},
		{"TEMPORAL_PAYLOAD_KEYS", func(c *Config) { c.TemporalPayloadKeys = "k1:c2hvcnQ=" }},
	}
	for _, tc := range cases {
		t.Run(tc.env, func(t *testing.T) {
			c := valid()
			tc.edit(&c)
			err := c.Validate()
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.env+":")
		})
	}
	c := valid()
	require.NoError(t, c.Validate())
	require.Equal(t, int64(20<<20), c.EvidenceLimits().FileBytes)
	require.Equal(t, int64(100<<20), c.EvidenceLimits().TaskBytes)
	c.EvidenceFileMB, c.EvidenceTaskMB = 0, 0
	require.NoError(t, c.Validate(), "a limit left unset is the default")
	require.Equal(t, cooperation.DefaultEvidenceLimits(), c.EvidenceLimits())
	c.EvidenceFileMB = 200
	require.ErrorContains(t, c.Validate(), "EVIDENCE_TASK_MB: want EVIDENCE_FILE_MB (200) to 10240, got 0")
}

func TestSMTPPasswordNeverShown(t *testing.T) {
	c := valid()
	c.SMTPURL = "ftp://user:secret@mail.example.org"
	err := c.Validate()
	require.Error(t, err)
	require.NotContains(t, err.Error(), "secret")
}
