package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

var (
	emailsDesc = prometheus.NewDesc("bienal_emails", "E-mail rows by delivery status.", []string{"status"}, nil)
	tasksDesc  = prometheus.NewDesc("bienal_report_tasks", "Report tasks by status (open, overdue, submitted, waived, missing).", []string{"status"}, nil)
)

// StoreGauges reads bienal's counts from Postgres at every scrape, so every
// replica reports the same truth without keeping counters of its own.
type StoreGauges struct{ Store *store.Store }

// Describe implements prometheus.Collector.
func (g StoreGauges) Describe(ch chan<- *prometheus.Desc) {
	ch <- emailsDesc
	ch <- tasksDesc
}

// Collect implements prometheus.Collector.
func (g StoreGauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := g.Store.ReadGauges(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(emailsDesc, err)
		return
	}
	for _, s := range []string{"queued", "sending", "sent", "failed"} {
		ch <- prometheus.MustNewConstMetric(emailsDesc, prometheus.GaugeValue, float64(counts.EmailsByStatus[s]), s)
	}
	for _, s := range cooperation.Words(cooperation.TaskStatuses) {
		ch <- prometheus.MustNewConstMetric(tasksDesc, prometheus.GaugeValue, float64(counts.TasksByStatus[s]), s)
	}
}
