package queue

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are a worker's Prometheus metrics.
type Metrics struct {
	processed *prometheus.CounterVec
	duration  *prometheus.HistogramVec
}

// NewMetrics registers a worker's metrics with reg:
// kiln_jobs_processed_total{type,outcome} (outcome done, retry, failed,
// bad_input) and kiln_job_duration_seconds{type}.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kiln_jobs_processed_total", Help: "Task attempts processed, by type and outcome.",
		}, []string{"type", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kiln_job_duration_seconds", Help: "Time one task attempt took, by type.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2, 5, 10, 30, 60, 120, 300},
		}, []string{"type"}),
	}
	reg.MustRegister(m.processed, m.duration)
	return m
}

// Collector exports queue size and latency per queue at scrape time:
// kiln_queue_size{queue} and kiln_queue_latency_seconds{queue} (age of the
// oldest pending task), the signals to autoscale workers on.
type Collector struct {
	c       *Client
	size    *prometheus.Desc
	latency *prometheus.Desc
	up      *prometheus.Desc
}

// NewCollector reads queue stats through c.
func NewCollector(c *Client) *Collector {
	return &Collector{
		c:       c,
		size:    prometheus.NewDesc("kiln_queue_size", "Tasks pending, active, scheduled or retrying, per queue.", []string{"queue"}, nil),
		latency: prometheus.NewDesc("kiln_queue_latency_seconds", "Age of the oldest pending task, per queue.", []string{"queue"}, nil),
		up:      prometheus.NewDesc("kiln_queue_up", "1 when the queue stats could be read from Redis.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.size
	ch <- c.latency
	ch <- c.up
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	stats, err := c.c.Stats(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	for _, s := range stats {
		ch <- prometheus.MustNewConstMetric(c.size, prometheus.GaugeValue, float64(s.Size), s.Queue)
		ch <- prometheus.MustNewConstMetric(c.latency, prometheus.GaugeValue, s.Latency, s.Queue)
	}
}
