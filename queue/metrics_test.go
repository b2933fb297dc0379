package queue_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// reportRenderer returns a result with steps, refused requests and a
// blank-render warning.
type reportRenderer struct{ blocked int }

func (r reportRenderer) Render(ctx context.Context, s *snapshot.Snapshot, o queue.RenderOptions) (*queue.Shot, error) {
	res := &queue.Shot{Image: []byte("IMG"), ContentType: "image/webp", Width: 10, Height: 10,
		Steps:    []queue.StepTiming{{Name: "tab_wait", Ms: 1}, {Name: "load", Ms: 20}, {Name: "capture", Ms: 30}},
		Warnings: []string{"blank render"}, Fetched: 2, Served: 3}
	for i := 0; i < r.blocked; i++ {
		reason := "private"
		if i%2 == 1 {
			reason = "navigation"
		}
		res.Blocked = append(res.Blocked, queue.Blocked{URL: "http://10.0.0.1/x", Reason: reason})
	}
	return res, nil
}

// family finds a metric family's samples by labels ("k=v,k2=v2").
func sample(t *testing.T, reg *prometheus.Registry, name, labels string) *dto.Metric {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			var ls []string
			for _, lp := range m.GetLabel() {
				ls = append(ls, lp.GetName()+"="+lp.GetValue())
			}
			if strings.Join(ls, ",") == labels {
				return m
			}
		}
	}
	t.Fatalf("no %s{%s}", name, labels)
	return nil
}

// A finished job records its report (in its status and in the metrics)
// and logs one line with its id, project, type and step timings.
func TestReportMetricsAndLog(t *testing.T) {
	e := newEnv(t, testConfig())
	reg := prometheus.NewRegistry()
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	w, err := queue.NewWorker(e.rdb, e.cfg, queue.Handlers{Store: e.store, Renderer: reportRenderer{blocked: queue.MaxReportBlocked + 10}, Parse: parseTiny, Logger: log}, queue.NewMetrics(reg))
	if err != nil {
		t.Fatal(err)
	}
	queue.RegisterPool(reg, func() queue.PoolCounters { return queue.PoolCounters{Browsers: 2, Restarts: 3} })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() { cancel(); <-done }()

	id := e.submit(t, "acme", `{"width":10,"height":10}`, nil, "")
	st := e.wait(t, "acme", id)
	if st.State != queue.StateDone || st.Report == nil {
		t.Fatalf("status %+v", st)
	}
	r := st.Report
	var names []string
	for _, s := range r.Steps {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "load_input,decode,tab_wait,load,capture,upload" {
		t.Fatalf("steps %s", got)
	}
	// The fake renderer's steps are claimed, not spent: TotalMs (measured)
	// is only checked to be there.
	if r.Steps[3].Ms != 20 || r.Steps[4].Ms != 30 || r.TotalMs <= 0 || r.QueueWaitMs <= 0 {
		t.Fatalf("steps %+v, total %v ms, queue wait %v ms", r.Steps, r.TotalMs, r.QueueWaitMs)
	}
	if r.BlockedTotal != queue.MaxReportBlocked+10 || len(r.Blocked) != queue.MaxReportBlocked || r.Fetched != 2 || r.Served != 3 {
		t.Fatalf("blocked %d (listed %d), fetched %d, served %d", r.BlockedTotal, len(r.Blocked), r.Fetched, r.Served)
	}

	if v := sample(t, reg, "kiln_jobs_processed_total", "outcome=done,type=render:screenshot").GetCounter().GetValue(); v != 1 {
		t.Errorf("jobs done %v", v)
	}
	for _, step := range []string{"queue_wait", "load_input", "decode", "tab_wait", "load", "capture", "upload"} {
		if n := sample(t, reg, "kiln_job_step_seconds", "step="+step+",type=render:screenshot").GetHistogram().GetSampleCount(); n != 1 {
			t.Errorf("step %s: %d observations", step, n)
		}
	}
	if s := sample(t, reg, "kiln_job_step_seconds", "step=capture,type=render:screenshot").GetHistogram().GetSampleSum(); s != 0.03 {
		t.Errorf("capture seconds %v, want 0.03", s)
	}
	// 50 listed: 25 of each reason; the 10 unlisted counted apart.
	for labels, want := range map[string]float64{"reason=private": 25, "reason=navigation": 25, "reason=unlisted": 10} {
		if v := sample(t, reg, "kiln_blocked_requests_total", labels).GetCounter().GetValue(); v != want {
			t.Errorf("blocked{%s} = %v, want %v", labels, v, want)
		}
	}
	if v := sample(t, reg, "kiln_render_warnings_total", "warning=blank_render").GetCounter().GetValue(); v != 1 {
		t.Errorf("blank renders %v", v)
	}
	if v := sample(t, reg, "kiln_browser_restarts_total", "").GetCounter().GetValue(); v != 3 {
		t.Errorf("browser restarts %v", v)
	}

	var line map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "job done" {
			line = m
		}
	}
	if line == nil {
		t.Fatalf("no job done line in:\n%s", logs.String())
	}
	steps, _ := line["steps_ms"].(map[string]any)
	if line["job"] != id || line["project"] != "acme" || line["type"] != queue.TypeScreenshot || steps["capture"] != 30.0 || line["total_ms"] == nil {
		t.Fatalf("job done line %v", line)
	}
}
