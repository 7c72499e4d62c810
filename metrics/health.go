package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

var unhealthyDesc = prometheus.NewDesc("bienal_workflows_unhealthy",
	"Workflows that Postgres says should be running and that are not (failed, terminated, missing), by kind; `bienal repair SUBJECT` starts one again.",
	[]string{"kind"}, nil)

// healthEvery bounds how often a scrape asks Temporal about every live
// workflow: one describe call each, which a busy programme makes thousands.
const healthEvery = time.Minute

// WorkflowHealth finds the workflows that should be running and are not,
// for the gauge and for the portal's dashboard, asking Temporal at most once
// per healthEvery.
type WorkflowHealth struct {
	Store  *store.Store
	Client workflows.Describer

	mu      sync.Mutex
	at      time.Time
	stopped []workflows.Stopped
	err     error
}

// Describe implements prometheus.Collector.
func (h *WorkflowHealth) Describe(ch chan<- *prometheus.Desc) { ch <- unhealthyDesc }

// Collect implements prometheus.Collector.
func (h *WorkflowHealth) Collect(ch chan<- prometheus.Metric) {
	stopped, err := h.Stopped(context.Background())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(unhealthyDesc, err)
		return
	}
	counts := map[string]int{}
	for _, s := range stopped {
		counts[s.Kind]++
	}
	for _, kind := range []string{"activity", "cycle", "task"} {
		ch <- prometheus.MustNewConstMetric(unhealthyDesc, prometheus.GaugeValue, float64(counts[kind]), kind)
	}
}

// Stopped lists the workflows that should be running and are not, as read
// at most healthEvery ago.
func (h *WorkflowHealth) Stopped(ctx context.Context) ([]workflows.Stopped, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.at.IsZero() || time.Since(h.at) > healthEvery {
		h.stopped, h.err = h.read(ctx)
		h.at = time.Now()
	}
	return h.stopped, h.err
}

func (h *WorkflowHealth) read(ctx context.Context) ([]workflows.Stopped, error) {
	// A reader gone away must not leave an error cached for everyone.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	live, err := h.Store.LiveSubjects(ctx)
	if err != nil {
		return nil, err
	}
	return workflows.Unhealthy(ctx, h.Client, live)
}
