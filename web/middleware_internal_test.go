package web

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRedactPathHidesEveryLinkToken(t *testing.T) {
	token := strings.Repeat("a", 43)
	for _, p := range []string{"/l/", "/tasks/", "/vote/", "/revise/"} {
		got := redactPath(p + token + "/report")
		require.NotContains(t, got, token, p)
		require.Equal(t, p+"…/report", got)
	}
	require.Equal(t, "/cycles/2017-2018/final", redactPath("/cycles/2017-2018/final"))
}
