package queue

import (
	"context"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are a worker's Prometheus metrics.
type Metrics struct {
	processed *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	steps     *prometheus.HistogramVec
	blocked   *prometheus.CounterVec
	warnings  *prometheus.CounterVec
}

// NewMetrics registers a worker's metrics with reg:
//
//	kiln_jobs_processed_total{type,outcome}  outcome done, retry, failed, bad_input
//	kiln_job_duration_seconds{type}          one attempt, end to end
//	kiln_job_step_seconds{type,step}         queue_wait (first attempt only),
//	                                         load_input, decode, tab_wait, load,
//	                                         settle, capture, thumb, upload;
//	                                         replays: open_input, build, upload
//	kiln_blocked_requests_total{reason}      requests a render refused, by reason
//	kiln_render_warnings_total{warning}      blank_render, load_timeout, page_cut,
//	                                         blocked_requests, other
//
// Blank renders are kiln_render_warnings_total{warning="blank_render"}.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kiln_jobs_processed_total", Help: "Task attempts processed, by type and outcome.",
		}, []string{"type", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kiln_job_duration_seconds", Help: "Time one task attempt took, by type.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2, 5, 10, 30, 60, 120, 300},
		}, []string{"type"}),
		steps: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kiln_job_step_seconds", Help: "Time each step of a successful job took, by type and step (queue_wait: enqueue to first attempt).",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
		}, []string{"type", "step"}),
		blocked: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kiln_blocked_requests_total", Help: "Requests made by rendered pages that Kiln refused, by reason.",
		}, []string{"reason"}),
		warnings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kiln_render_warnings_total", Help: "Job warnings, by kind (blank_render, load_timeout, page_cut, blocked_requests, other).",
		}, []string{"warning"}),
	}
	reg.MustRegister(m.processed, m.duration, m.steps, m.blocked, m.warnings)
	return m
}

// observeReport records a successful job's steps, refused requests and
// warnings.
func (m *Metrics) observeReport(typ string, r *Report, warnings []string) {
	if m == nil || r == nil {
		return
	}
	if r.QueueWaitMs > 0 {
		m.steps.WithLabelValues(typ, "queue_wait").Observe(r.QueueWaitMs / 1000)
	}
	for _, s := range r.Steps {
		m.steps.WithLabelValues(typ, s.Name).Observe(s.Ms / 1000)
	}
	counted := 0
	for _, b := range r.Blocked {
		m.blocked.WithLabelValues(b.Reason).Inc()
		counted++
	}
	if rest := r.BlockedTotal - counted; rest > 0 {
		m.blocked.WithLabelValues("unlisted").Add(float64(rest))
	}
	for _, w := range warnings {
		m.warnings.WithLabelValues(warningKind(w)).Inc()
	}
}

// warningKind maps a warning to a bounded label value.
func warningKind(w string) string {
	switch {
	case w == "blank render":
		return "blank_render"
	case strings.Contains(w, "did not finish loading"):
		return "load_timeout"
	case strings.HasPrefix(w, "full page cut"):
		return "page_cut"
	case strings.HasPrefix(w, "blocked ") && strings.HasSuffix(w, " requests"):
		return "blocked_requests"
	}
	return "other"
}

// PoolCounters are a renderer pool's counters, as RegisterPool exports
// them.
type PoolCounters struct {
	Restarts, Renders, SinkConnections int64
	Browsers, Idle                     int
}

// PoolStats reads a renderer pool's counters (an adapter around
// renderer.Pool.Stats, in cmd/kiln).
type PoolStats func() PoolCounters

// RegisterPool exports a renderer pool's counters at scrape time:
// kiln_browser_restarts_total (recycled or crashed browsers replaced),
// kiln_renders_total, kiln_browsers, kiln_idle_tabs and
// kiln_sink_connections_total (requests that bypassed interception; it
// should stay 0).
func RegisterPool(reg prometheus.Registerer, stats PoolStats) {
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "kiln_browser_restarts_total", Help: "Chromium processes restarted (recycled after N renders, or crashed)."},
			func() float64 { return float64(stats().Restarts) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "kiln_renders_total", Help: "Renders completed by this process's pool."},
			func() float64 { return float64(stats().Renders) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "kiln_browsers", Help: "Chromium processes running."},
			func() float64 { return float64(stats().Browsers) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "kiln_idle_tabs", Help: "Warm tabs waiting for work."},
			func() float64 { return float64(stats().Idle) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "kiln_sink_connections_total", Help: "Connections Chromium opened to the proxy sink (requests that bypassed interception); should stay 0."},
			func() float64 { return float64(stats().SinkConnections) }),
	)
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
