package config

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func valid() Config {
	return Config{
		DatabaseURL: "postgres://postgres@127.0.0.1:5432/bienal", TemporalAddress: "127.0.0.1:7233",
		TemporalNamespace: "default", MailFrom: "bienal <b@example.org>", BaseURL: "http://127.0.0.1:8080",
		HTTPAddr: "127.0.0.1:8080", MetricsAddr: "127.0.0.1:9090", ReminderSchedule: "0 * * * *",
		LogLevel: "info", LogFormat: "text",
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
}

func TestSMTPPasswordNeverShown(t *testing.T) {
	c := valid()
	c.SMTPURL = "ftp://user:secret@mail.example.org"
	err := c.Validate()
	require.Error(t, err)
	require.NotContains(t, err.Error(), "secret")
}
