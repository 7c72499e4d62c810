package devserver

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/server/common/dynamicconfig"
)

// The production server's dynamic config is exactly what `bienal dev`
// applies: the same keys, the same values, none more, none fewer, read by
// the server's own loader, which also refuses a key it does not know and a
// value of the wrong type (a typo would otherwise leave the default in
// force without a word).
func TestDeployDynamicConfigIsDevs(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "deploy", "temporal", "dynamicconfig.yaml")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	loaded := dynamicconfig.LoadYamlFile(raw)
	require.NoError(t, loaded.Err(), path)
	require.Empty(t, loaded.Warnings, "%s: unknown keys or values of the wrong type", path)

	dev := dynamicClient()
	require.Len(t, dev, len(DynamicConfig), "each key once in devserver.DynamicConfig")
	for _, s := range DynamicConfig {
		require.NotEmpty(t, s.Why, "%s: say why the default does not do", s.Key)
		got, ok := loaded.Map[s.Key]
		require.True(t, ok, "%s sets no %s, which bienal dev sets to %d", path, s.Key, s.Value)
		require.Len(t, got, 1, "%s: one value for %s, for every namespace and shard", path, s.Key)
		require.Equal(t, dynamicconfig.Constraints{}, got[0].Constraints, "%s: %s is set for everything, as in dev", path, s.Key)
		require.EqualValues(t, s.Value, got[0].Value, "%s: %s", path, s.Key)
		require.Equal(t, []dynamicconfig.ConstrainedValue{{Value: s.Value}}, dev.GetValue(s.Key), "bienal dev applies %s", s.Key)
	}
	for k := range loaded.Map {
		_, ok := dev[k]
		require.True(t, ok, "%s sets %s, which bienal dev does not: add it to devserver.DynamicConfig", path, k)
	}
}
