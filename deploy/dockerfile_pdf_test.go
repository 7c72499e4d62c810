package deploy

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// The image prints the report's PDF: Chromium and its fonts are in the
// runtime stage unless the build asks for none.
func TestDockerfilePrintsPDF(t *testing.T) {
	t.Parallel()
	df := readRepoFile(t, "Dockerfile")
	runtimeStage := df[regexp.MustCompile(`(?m)^FROM debian:`).FindStringIndex(df)[0]:]
	require.Regexp(t, `(?m)^ARG PDF=chromium$`, runtimeStage, "PDF by default, after the runtime's FROM so that it applies there")
	require.Regexp(t, `if \[ "\$PDF" = chromium \]; then echo chromium fonts-liberation; fi`, runtimeStage)
}
