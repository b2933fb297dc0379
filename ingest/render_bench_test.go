package ingest_test

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// BenchmarkRenderRoute compares, in one run and interleaved, the two ways
// a caller gets a screenshot's image: POST /v1/render (one request) and
// the asynchronous baseline, POST /v1/screenshots, GET /v1/jobs/{id}?wait=
// and GET of the signed result URL. The stub renderer renders nothing, so
// this is the API, Redis, queue and store path alone; "render/poll" is the
// ratio of the two times (1.0: the synchronous route costs what polling
// does).
//
//	go test ./ingest -run '^$' -bench RenderRoute -benchtime 200x
func BenchmarkRenderRoute(b *testing.B) {
	cfg := smallConfig()
	cfg.ProjectCap = 0
	e := newAPI(b, cfg, nil)
	e.qcfg.TaskCheckInterval = 20 * time.Millisecond
	e.startWorker(b, &stubRenderer{})
	body := testdata(b, "todomvc-snapshot.rrweb.json")
	run := time.Now().UnixNano()
	var syncTotal, pollTotal time.Duration
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		resp, img := e.do(b, req{method: "POST", path: fmt.Sprintf("/v1/render?format=png&externalId=r-%d-%d", run, i),
			key: keyAcme, ctype: "application/json", body: body})
		if resp.StatusCode != http.StatusOK || len(img) == 0 {
			b.Fatalf("render: %d", resp.StatusCode)
		}
		t1 := time.Now()
		resp, rb := e.do(b, req{method: "POST", path: fmt.Sprintf("/v1/screenshots?format=png&externalId=p-%d-%d", run, i),
			key: keyAcme, ctype: "application/json", body: body})
		if resp.StatusCode != http.StatusAccepted {
			b.Fatalf("submit: %d", resp.StatusCode)
		}
		st, m := e.job(b, jsonField(b, rb, "id"), "30s")
		if st != 200 || m["state"] != "done" {
			b.Fatalf("job %d %v", st, m)
		}
		get, err := http.Get(m["results"].([]any)[0].(map[string]any)["url"].(string))
		if err != nil {
			b.Fatal(err)
		}
		got, _ := io.ReadAll(get.Body)
		get.Body.Close()
		if get.StatusCode != 200 || string(got) != string(img) {
			b.Fatalf("result: %d", get.StatusCode)
		}
		syncTotal += t1.Sub(t0)
		pollTotal += time.Since(t1)
	}
	b.ReportMetric(float64(syncTotal.Microseconds())/1000/float64(b.N), "render-ms")
	b.ReportMetric(float64(pollTotal.Microseconds())/1000/float64(b.N), "poll-ms")
	b.ReportMetric(float64(syncTotal)/float64(pollTotal), "render/poll")
}
