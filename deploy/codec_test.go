package deploy

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The codec server runs only when asked for (--profile codec), with the
// keys every bienal service has, on the loopback port the Temporal UI is
// told of, answering the UI's origin.
func TestCodecServerProfile(t *testing.T) {
	t.Parallel()
	require.NotContains(t, load(t).ServiceNames(), "codec-server", "off unless the profile is asked for")

	keys := "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	p := loadProfiles(t, []string{"codec"}, "TEMPORAL_PAYLOAD_KEYS="+keys, "TEMPORAL_CODEC_ENDPOINT=http://127.0.0.1:8234")
	cs := service(t, p, "codec-server")
	require.Equal(t, []string{"codec-server"}, []string(cs.Command))
	require.Equal(t, p.Services["web"].Image, cs.Image)
	env := envOf(cs)
	require.Equal(t, keys, env["TEMPORAL_PAYLOAD_KEYS"])
	for _, name := range bienalServices {
		require.Equal(t, keys, envOf(service(t, p, name))["TEMPORAL_PAYLOAD_KEYS"], "%s encrypts with the codec server's keys", name)
	}
	require.Len(t, cs.Ports, 1)
	require.Equal(t, "127.0.0.1", cs.Ports[0].HostIP, "it holds the keys: loopback only")
	require.Equal(t, "8234", cs.Ports[0].Published)
	require.True(t, strings.HasSuffix(env["CODEC_ADDR"], ":8234"))

	ui := envOf(service(t, p, "temporal-ui"))
	require.Equal(t, "http://127.0.0.1:8234", ui["TEMPORAL_CODEC_ENDPOINT"])
	require.Contains(t, strings.Split(env["CODEC_CORS_ORIGINS"], ","), "http://127.0.0.1:8233", "the UI's own origin")
	c := configFrom(t, env)
	require.NoError(t, c.Validate())
}
