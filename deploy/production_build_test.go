package deploy

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// productionTag is the build tag of the production binary: it leaves out
// `bienal dev` and with it the embedded Temporal server (cmd/bienal/dev.go,
// devserver/), which is about four fifths of the default binary.
const productionTag = "nodev"

// devOnly are the packages only `bienal dev` may link.
var devOnly = []string{"go.temporal.io/server", "github.com/bienal/bienal/devserver"}

// goListDeps lists the packages ./cmd/bienal links with the given tags.
func goListDeps(t *testing.T, tags string) []string {
	t.Helper()
	args := []string{"list", "-deps"}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	cmd := exec.Command("go", append(args, "./cmd/bienal")...)
	cmd.Dir = ".."
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("go %s: %v\n%s", strings.Join(cmd.Args[1:], " "), err, ee.Stderr)
	}
	require.NoError(t, err)
	return strings.Fields(string(out))
}

func devOnlyIn(deps []string) []string {
	var found []string
	for _, pkg := range deps {
		for _, prefix := range devOnly {
			if pkg == prefix || strings.HasPrefix(pkg, prefix+"/") {
				found = append(found, pkg)
			}
		}
	}
	return found
}

// The production build (the Dockerfile's) links no Temporal server: a new
// import of devserver or go.temporal.io/server outside dev.go fails here.
func TestProductionBuildHasNoTemporalServer(t *testing.T) {
	t.Parallel()
	deps := goListDeps(t, productionTag)
	require.Contains(t, deps, "go.temporal.io/sdk/client", "the production build is a Temporal client")
	found := devOnlyIn(deps)
	require.Empty(t, found, "go list -deps -tags %s ./cmd/bienal links %d dev-only packages, first %v",
		productionTag, len(found), found[:min(len(found), 5)])
}

// Without the tag, `go run ./cmd/bienal dev` still embeds the server.
func TestDefaultBuildHasTheDevServer(t *testing.T) {
	t.Parallel()
	require.Contains(t, goListDeps(t, ""), "github.com/bienal/bienal/devserver")
}

// The production binary has no Temporal server in its build information and
// its `bienal dev` says why it cannot run and what to run instead.
func TestProductionBinaryRefusesDev(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "bienal")
	build := exec.Command("go", "build", "-tags", productionTag, "-o", bin, "./cmd/bienal")
	build.Dir = ".."
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build -tags %s: %s", productionTag, out)

	info, err := exec.Command("go", "version", "-m", bin).Output()
	require.NoError(t, err)
	require.NotContains(t, string(info), "go.temporal.io/server")

	out, err = exec.Command(bin, "dev", "--data", t.TempDir()).CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "bienal dev fails in the production build: %s", out)
	require.Equal(t, 1, exit.ExitCode())
	require.Contains(t, string(out), "built without the development server")
	require.Contains(t, string(out), "go run ./cmd/bienal dev")
}
