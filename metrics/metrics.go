// Package metrics exposes bienal's Prometheus metrics: the Temporal SDK's own
// (through its metrics handler) and bienal's gauges read from Postgres.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	sdkmetrics "go.temporal.io/sdk/client"
)

// Registry holds one process's metrics.
type Registry struct {
	reg   *prometheus.Registry
	scope tally.Scope
}

// New returns a registry with the Go runtime and process collectors.
func New() *Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reporter := tallyprom.NewReporter(tallyprom.Options{Registerer: reg})
	scope, _ := tally.NewRootScope(tally.ScopeOptions{
		CachedReporter:  reporter,
		Separator:       tallyprom.DefaultSeparator,
		SanitizeOptions: &tallyprom.DefaultSanitizerOpts,
	}, time.Second)
	return &Registry{reg: reg, scope: scope}
}

// Register adds a collector, such as bienal's Postgres gauges.
func (r *Registry) Register(c prometheus.Collector) { r.reg.MustRegister(c) }

// Handler serves /metrics in the Prometheus text format.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{})
}

// TemporalHandler is the SDK metrics handler to pass in client.Options.
func (r *Registry) TemporalHandler() sdkmetrics.MetricsHandler { return sdkHandler{r.scope} }

// sdkHandler adapts a tally scope to the SDK's metrics.Handler.
type sdkHandler struct{ scope tally.Scope }

func (h sdkHandler) WithTags(tags map[string]string) sdkmetrics.MetricsHandler {
	return sdkHandler{h.scope.Tagged(tags)}
}

func (h sdkHandler) Counter(name string) sdkmetrics.MetricsCounter {
	return counter{h.scope.Counter(name)}
}

func (h sdkHandler) Gauge(name string) sdkmetrics.MetricsGauge { return gauge{h.scope.Gauge(name)} }

func (h sdkHandler) Timer(name string) sdkmetrics.MetricsTimer { return timer{h.scope.Timer(name)} }

type counter struct{ c tally.Counter }

func (c counter) Inc(d int64) { c.c.Inc(d) }

type gauge struct{ g tally.Gauge }

func (g gauge) Update(v float64) { g.g.Update(v) }

type timer struct{ t tally.Timer }

func (t timer) Record(d time.Duration) { t.t.Record(d) }
