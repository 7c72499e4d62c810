// Package deploy checks docker-compose.yml and the Dockerfile. No Docker
// engine runs where the tests run, so the compose file is loaded with the
// same library Docker Compose uses and its wiring is checked instead.
package deploy

import (
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/config"
)

// bienalServices run the bienal image; each needs bienal's whole config.
var bienalServices = []string{"migrate", "worker", "web"}

// required are the variables whose defaults point at a developer's machine,
// so a container must set them.
var required = []string{"DATABASE_URL", "TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "SMTP_URL", "MAIL_FROM", "BASE_URL"}

// load reads ../docker-compose.yml as `docker compose` would, with env as the
// only environment, so the machine running the tests cannot change the outcome.
func load(t *testing.T, env ...string) *types.Project {
	t.Helper()
	return loadProfiles(t, nil, env...)
}

// loadProfiles is load with compose profiles enabled (--profile).
func loadProfiles(t *testing.T, profiles []string, env ...string) *types.Project {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	opts, err := cli.NewProjectOptions(
		[]string{filepath.Join(root, "docker-compose.yml")},
		cli.WithWorkingDirectory(root),
		cli.WithEnv(env),
		cli.WithResolvedPaths(true),
		cli.WithProfiles(profiles),
	)
	require.NoError(t, err)
	p, err := opts.LoadProject(context.Background())
	require.NoError(t, err, "load docker-compose.yml")
	return p
}

func service(t *testing.T, p *types.Project, name string) types.ServiceConfig {
	t.Helper()
	s, err := p.GetService(name)
	require.NoError(t, err, "service %s", name)
	return s
}

// envOf flattens a service's environment; a variable without a value is "".
func envOf(s types.ServiceConfig) map[string]string {
	out := map[string]string{}
	for k, v := range s.Environment {
		if v != nil {
			out[k] = *v
		} else {
			out[k] = ""
		}
	}
	return out
}

func TestEveryServiceIsThere(t *testing.T) {
	t.Parallel()
	p := load(t)
	want := []string{"postgres", "temporal-schema", "temporal", "temporal-namespace", "temporal-ui", "mailpit", "migrate", "worker", "web"}
	require.ElementsMatch(t, want, p.ServiceNames())
	for _, name := range bienalServices {
		s := service(t, p, name)
		require.Equal(t, []string{name}, []string(s.Command), "%s runs `bienal %s`", name, name)
		require.NotNil(t, s.Build, "%s builds the bienal image", name)
		require.Equal(t, p.Services["web"].Image, s.Image, "%s runs the same image as web", name)
	}
}

func TestPartsWaitForMigrateTemporalAndPostgres(t *testing.T) {
	t.Parallel()
	p := load(t)
	want := map[string]string{
		"migrate":            types.ServiceConditionCompletedSuccessfully,
		"temporal-namespace": types.ServiceConditionCompletedSuccessfully,
		"postgres":           types.ServiceConditionHealthy,
		"temporal":           types.ServiceConditionHealthy,
		"mailpit":            types.ServiceConditionStarted,
	}
	for _, name := range []string{"worker", "web"} {
		deps := service(t, p, name).DependsOn
		for dep, cond := range want {
			require.Contains(t, deps, dep, "%s depends on %s", name, dep)
			require.Equal(t, cond, deps[dep].Condition, "%s waits for %s", name, dep)
		}
	}
	migrate := service(t, p, "migrate")
	require.Equal(t, types.ServiceConditionHealthy, migrate.DependsOn["postgres"].Condition)
	require.Equal(t, "no", migrate.Restart, "migrate is a one-shot")
	// The conditions above only hold if the services they wait on check health.
	for _, name := range []string{"postgres", "temporal"} {
		hc := service(t, p, name).HealthCheck
		require.NotNil(t, hc, "%s has a healthcheck", name)
		require.NotEmpty(t, hc.Test)
	}
	require.Equal(t, types.ServiceConditionCompletedSuccessfully, service(t, p, "temporal").DependsOn["temporal-schema"].Condition)
}

func TestBienalServicesCarryEveryRequiredVariable(t *testing.T) {
	t.Parallel()
	p := load(t)
	known := map[string]bool{}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[config.Config]()) {
		if env := f.Tag.Get("env"); env != "" {
			known[env] = true
		}
	}
	first := envOf(service(t, p, bienalServices[0]))
	for _, name := range bienalServices {
		env := envOf(service(t, p, name))
		for _, v := range required {
			require.NotEmpty(t, env[v], "%s sets %s", name, v)
		}
		for v := range env {
			require.True(t, known[v], "%s sets %s, which bienal does not read", name, v)
		}
		require.Equal(t, first, env, "%s shares the x-bienal-env block", name)
		require.Equal(t, "json", env["LOG_FORMAT"], "%s logs JSON", name)
	}
}

func TestBienalAddressesNameComposeServices(t *testing.T) {
	t.Parallel()
	p := load(t)
	env := envOf(service(t, p, "worker"))
	db, err := url.Parse(env["DATABASE_URL"])
	require.NoError(t, err)
	smtp, err := url.Parse(env["SMTP_URL"])
	require.NoError(t, err)
	temporalHost, temporalPort, err := net.SplitHostPort(env["TEMPORAL_ADDRESS"])
	require.NoError(t, err)
	require.Equal(t, "postgres", db.Hostname())
	require.Equal(t, "bienal", strings.TrimPrefix(db.Path, "/"))
	require.Equal(t, "temporal", temporalHost)
	require.Equal(t, "7233", temporalPort)
	require.Equal(t, "mailpit:1025", smtp.Host)
	require.Equal(t, "http://localhost:8080", env["BASE_URL"])
	for _, host := range []string{db.Hostname(), temporalHost, smtp.Hostname()} {
		require.Contains(t, p.ServiceNames(), host)
	}
	ns := envOf(service(t, p, "temporal-namespace"))
	require.Equal(t, env["TEMPORAL_NAMESPACE"], ns["TEMPORAL_NAMESPACE"], "the namespace bienal uses is the one registered")
}

// The passwords are set once and must reach both ends of each connection.
func TestPasswordsReachBothEnds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name             string
		env              []string
		bienal, temporal string
	}{
		{"defaults", nil, "bienal", "temporal"},
		{"overridden", []string{"BIENAL_DB_PASSWORD=b1en4l", "TEMPORAL_DB_PASSWORD=t3mp"}, "b1en4l", "t3mp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := load(t, tc.env...)
			pg := envOf(service(t, p, "postgres"))
			require.Equal(t, tc.bienal, pg["BIENAL_DB_PASSWORD"])
			require.Equal(t, tc.temporal, pg["TEMPORAL_DB_PASSWORD"])
			for _, name := range bienalServices {
				u, err := url.Parse(envOf(service(t, p, name))["DATABASE_URL"])
				require.NoError(t, err)
				pw, _ := u.User.Password()
				require.Equal(t, "bienal", u.User.Username())
				require.Equal(t, tc.bienal, pw, "%s's DATABASE_URL", name)
			}
			require.Equal(t, tc.temporal, envOf(service(t, p, "temporal"))["POSTGRES_PWD"])
			require.Equal(t, tc.temporal, envOf(service(t, p, "temporal-schema"))["SQL_PASSWORD"])
		})
	}
}

func TestWebPublishesPortWithReadinessCheck(t *testing.T) {
	t.Parallel()
	p := load(t)
	web := service(t, p, "web")
	require.Len(t, web.Ports, 1)
	require.Equal(t, uint32(8080), web.Ports[0].Target)
	require.Equal(t, "8080", web.Ports[0].Published)
	_, port, err := net.SplitHostPort(envOf(web)["HTTP_ADDR"])
	require.NoError(t, err)
	require.Equal(t, "8080", port, "HTTP_ADDR listens on the published port")
	require.NotNil(t, web.HealthCheck)
	require.Contains(t, strings.Join(web.HealthCheck.Test, " "), "http://127.0.0.1:8080/readyz")
}

func TestWorkerCanBeScaled(t *testing.T) {
	t.Parallel()
	p := load(t)
	w := service(t, p, "worker")
	require.Empty(t, w.ContainerName, "a fixed container name allows one replica")
	for _, port := range w.Ports {
		require.Empty(t, port.Published, "a fixed host port allows one replica")
	}
	_, port, err := net.SplitHostPort(envOf(w)["METRICS_ADDR"])
	require.NoError(t, err)
	require.Contains(t, w.Expose, port, "the worker's /metrics port is exposed to the network")
}

func TestOtherPortsAndImages(t *testing.T) {
	t.Parallel()
	p := load(t)
	published := func(name string) map[uint32]string {
		out := map[uint32]string{}
		for _, port := range service(t, p, name).Ports {
			out[port.Target] = port.Published
		}
		return out
	}
	require.Equal(t, "8233", published("temporal-ui")[8080], "Temporal UI on 8233")
	require.Equal(t, "8025", published("mailpit")[8025], "Mailpit UI on 8025")
	require.Contains(t, service(t, p, "mailpit").Expose, "1025", "SMTP for bienal")
	require.Equal(t, "7233", published("temporal")[7233])
	require.Equal(t, "postgres:16", service(t, p, "postgres").Image)
	require.Contains(t, service(t, p, "postgres").Volumes, types.ServiceVolumeConfig{
		Type: types.VolumeTypeVolume, Source: "postgres-data", Target: "/var/lib/postgresql/data", Volume: &types.ServiceVolumeVolume{},
	})
	for _, name := range p.ServiceNames() {
		s := service(t, p, name)
		if s.Build == nil {
			require.NotContains(t, s.Image, ":latest", "%s pins its image", name)
			require.Contains(t, s.Image, ":", "%s pins its image", name)
		}
	}
}

// Every file the stack mounts ships with the repository; shell scripts are
// executable, since postgres runs initdb scripts that are by their mode.
func TestMountedFilesExist(t *testing.T) {
	t.Parallel()
	p := load(t)
	mounts := 0
	for _, name := range p.ServiceNames() {
		for _, v := range service(t, p, name).Volumes {
			if v.Type != types.VolumeTypeBind {
				continue
			}
			mounts++
			fi, err := os.Stat(v.Source)
			require.NoError(t, err, "%s mounts %s", name, v.Source)
			require.True(t, fi.Mode().IsRegular(), "%s is a file", v.Source)
			if strings.HasSuffix(v.Source, ".sh") {
				require.NotZero(t, fi.Mode().Perm()&0o111, "%s is executable", v.Source)
			}
			require.True(t, v.ReadOnly, "%s mounts %s read-only", name, v.Target)
		}
	}
	require.Equal(t, 4, mounts, "init-roles.sh, setup-schema.sh, create-namespace.sh, dynamicconfig.yaml")
}

// Only the portal is published beyond the host: the Temporal UI and Mailpit
// have no login (the UI can signal and terminate workflows, Mailpit shows
// every personal link), and Postgres and the Temporal frontend are for
// commands run on the host.
func TestOnlyThePortalListensBeyondLoopback(t *testing.T) {
	t.Parallel()
	p := load(t)
	published := 0
	for _, name := range p.ServiceNames() {
		for _, port := range service(t, p, name).Ports {
			if port.Published == "" {
				continue
			}
			published++
			if name == "web" {
				continue
			}
			require.Equal(t, "127.0.0.1", port.HostIP, "%s publishes %s on every interface", name, port.Published)
		}
	}
	require.Equal(t, 5, published, "postgres, temporal, temporal-ui, mailpit, web")
	for _, name := range []string{"temporal-ui", "mailpit"} {
		ports := service(t, p, name).Ports
		require.NotEmpty(t, ports, name)
		for _, port := range ports {
			require.Equal(t, "127.0.0.1", port.HostIP, name)
		}
	}
}

// The Temporal UI is read-only unless the operator asks otherwise.
func TestTemporalUIWriteActionsOffByDefault(t *testing.T) {
	t.Parallel()
	require.Equal(t, "true", envOf(service(t, load(t), "temporal-ui"))["TEMPORAL_DISABLE_WRITE_ACTIONS"])
	enabled := load(t, "TEMPORAL_UI_DISABLE_WRITE_ACTIONS=false")
	require.Equal(t, "false", envOf(service(t, enabled, "temporal-ui"))["TEMPORAL_DISABLE_WRITE_ACTIONS"])
}
