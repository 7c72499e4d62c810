package deploy

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/config"
)

// configFrom builds the Config a bienal container would see: each field from
// the variable named by its env tag, else its default tag, as kong does.
func configFrom(t *testing.T, env map[string]string) config.Config {
	t.Helper()
	var c config.Config
	v := reflect.ValueOf(&c).Elem()
	for i, f := range reflect.VisibleFields(v.Type()) {
		name := f.Tag.Get("env")
		if name == "" {
			continue
		}
		value, ok := env[name]
		if !ok {
			value = f.Tag.Get("default")
		}
		switch f.Type.Kind() {
		case reflect.String:
			v.Field(i).SetString(value)
		case reflect.Int, reflect.Int64:
			n, err := strconv.ParseInt(value, 10, 64)
			require.NoError(t, err, "config.Config.%s: %s=%q is not a whole number", f.Name, name, value)
			v.Field(i).SetInt(n)
		default:
			t.Fatalf("config.Config.%s: a %s setting is not mapped here", f.Name, f.Type.Kind())
		}
	}
	return c
}

func TestComposeEnvironmentPassesValidation(t *testing.T) {
	t.Parallel()
	p := load(t)
	for _, name := range bienalServices {
		c := configFrom(t, envOf(service(t, p, name)))
		require.NoError(t, c.Validate(), "bienal %s would refuse its configuration", name)
		// The values come from the compose file, not from the defaults.
		require.Equal(t, "0.0.0.0:8080", c.HTTPAddr)
		require.Equal(t, "0.0.0.0:9090", c.MetricsAddr)
		require.Equal(t, "temporal:7233", c.TemporalAddress)
		require.Equal(t, "smtp://mailpit:1025", c.SMTPURL)
		require.Equal(t, "bienal <bienal@example.org>", c.MailFrom)
		require.Equal(t, "json", c.LogFormat)
	}
}

// An operator's override goes through the same validation, so a bad value
// set in .env is refused by name before anything starts.
func TestOverriddenValuesAreValidatedToo(t *testing.T) {
	t.Parallel()
	p := load(t, "BASE_URL=https://bienal.cepal.org", "MAIL_FROM=CEPAL <bienal@cepal.org>", "TEMPORAL_NAMESPACE=bienal")
	c := configFrom(t, envOf(service(t, p, "web")))
	require.NoError(t, c.Validate())
	require.Equal(t, "https://bienal.cepal.org", c.BaseURL)
	require.Equal(t, "bienal", c.TemporalNamespace)
	require.Equal(t, "bienal", envOf(service(t, p, "temporal-namespace"))["TEMPORAL_NAMESPACE"])

	p = load(t, "BASE_URL=bienal.cepal.org", "LOG_LEVEL=verbose")
	c = configFrom(t, envOf(service(t, p, "web")))
	err := c.Validate()
	require.Error(t, err)
	require.ErrorContains(t, err, "BASE_URL")
	require.ErrorContains(t, err, "LOG_LEVEL")
}
