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

// WorkflowHealth counts the workflows that should be running and are not.
type WorkflowHealth struct {
	Store  *store.Store
	Client workflows.Describer

	mu     sync.Mutex
	at     time.Time
	counts map[string]int
	err    error
}

// Describe implements prometheus.Collector.
func (h *WorkflowHealth) Describe(ch chan<- *prometheus.Desc) { ch <- unhealthyDesc }

// Collect implements prometheus.Collector.
func (h *WorkflowHealth) Collect(ch chan<- prometheus.Metric) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if time.Since(h.at) > healthEvery {
		h.counts, h.err = h.read()
		h.at = time.Now()
	}
	if h.err != nil {
		ch <- prometheus.NewInvalidMetric(unhealthyDesc, h.err)
		return
	}
	for _, kind := range []string{"activity", "cycle", "task"} {
		ch <- prometheus.MustNewConstMetric(unhealthyDesc, prometheus.GaugeValue, float64(h.counts[kind]), kind)
	}
}

func (h *WorkflowHealth) read() (map[string]int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	live, err := h.Store.LiveSubjects(ctx)
	if err != nil {
		return nil, err
	}
	kinds := map[string]string{}
	for _, s := range live {
		kinds[workflows.SubjectID(s)] = s.Kind
	}
	bad, err := workflows.Unhealthy(ctx, h.Client, live)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for id := range bad {
		counts[kinds[id]]++
	}
	return counts, nil
}
