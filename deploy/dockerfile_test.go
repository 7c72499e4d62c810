package deploy

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../" + name)
	require.NoError(t, err, "read %s", name)
	return string(b)
}

func TestDockerfileBuildsTheBinary(t *testing.T) {
	t.Parallel()
	df := readRepoFile(t, "Dockerfile")
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(df, -1)
	require.Len(t, froms, 2, "a builder stage and a runtime stage")
	require.True(t, strings.HasPrefix(froms[0][1], "golang:"), "the builder is golang, got %s", froms[0][1])
	require.Regexp(t, `(?m)^RUN --mount=type=cache,target=/go/pkg/mod`, df)
	require.Contains(t, df, "--mount=type=cache,target=/root/.cache/go-build")
	require.Regexp(t, `go build .*-trimpath .*-o /bienal \./cmd/bienal`, df)
	require.Equal(t, productionTag, dockerfileBuildTags(t, df),
		"the image is the production build, without the embedded Temporal server")
	require.Contains(t, df, "COPY --from=build /bienal /bienal")
	require.Regexp(t, `(?m)^ENTRYPOINT \["/bienal"\]$`, df)
	user := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindStringSubmatch(df)
	require.NotNil(t, user, "the image runs as a non-root user")
	require.NotContains(t, []string{"root", "0", "0:0"}, user[1])
	for _, pkg := range []string{"ca-certificates", "tzdata", "curl"} {
		require.Contains(t, df, pkg, "the runtime has %s", pkg)
	}
}

// dockerfileBuildTags is the -tags value of the Dockerfile's go build line.
func dockerfileBuildTags(t *testing.T, df string) string {
	t.Helper()
	build := regexp.MustCompile(`go build [^\n]*\./cmd/bienal`).FindString(df)
	require.NotEmpty(t, build, "the Dockerfile builds ./cmd/bienal")
	tags := regexp.MustCompile(`-tags[= ]"?([^\s"]+)`).FindStringSubmatch(build)
	require.NotNil(t, tags, "the Dockerfile's go build has no -tags: %s", build)
	return tags[1]
}

// The builder's Go is go.mod's, so no toolchain is fetched during a build.
func TestDockerfileGoMatchesGoMod(t *testing.T) {
	t.Parallel()
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(readRepoFile(t, "go.mod"))
	require.NotNil(t, goVersion)
	require.Contains(t, readRepoFile(t, "Dockerfile"), "ARG GO_VERSION="+goVersion[1]+"\n")
}

// What the build needs is not excluded by .dockerignore.
func TestDockerignoreKeepsTheSources(t *testing.T) {
	t.Parallel()
	var rules []string
	for _, line := range strings.Split(readRepoFile(t, ".dockerignore"), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			rules = append(rules, strings.TrimPrefix(line, "/"))
		}
	}
	for _, needed := range []string{"go.mod", "go.sum", "cmd", "cmd/bienal", "store", "examples", "*", "**", "."} {
		require.NotContains(t, rules, needed)
	}
	require.Contains(t, rules, ".git")
	_, err := os.Stat("../examples/programme-2017-2018.yaml")
	require.NoError(t, err, "the image ships the example programme")
}
