package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/kilnrender/kiln/snapshot"
)

// benchCase is one corpus snapshot, as input bytes for Kiln and as the
// page a peer script would render (the same sanitized document Kiln
// renders, with its resources, so both sides draw the same pixels).
type benchCase struct {
	Name     string            `json:"name"`
	Input    string            `json:"input"` // Kiln JSON, gunzipped
	Peer     string            `json:"peer"`  // peerPage JSON
	Viewport snapshot.Viewport `json:"viewport"`
}

// peerPage is the input of the peer scripts and of the floor.
type peerPage struct {
	Name      string            `json:"name"`
	URL       string            `json:"url"`
	HTML      string            `json:"html"`
	Viewport  snapshot.Viewport `json:"viewport"`
	Scroll    snapshot.Scroll   `json:"scroll"`
	Resources []peerResource    `json:"resources"`
}

type peerResource struct {
	URL         string `json:"url"`
	ContentType string `json:"contentType"`
	Data        []byte `json:"data"` // base64 in JSON
}

// loadCases reads every testdata/corpus/*/snapshot.kiln.json.gz under
// corpus and writes the two inputs of each into dir.
func loadCases(corpus, dir string) ([]benchCase, error) {
	files, err := filepath.Glob(filepath.Join(corpus, "*", "snapshot.kiln.json.gz"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("load corpus: no */snapshot.kiln.json.gz in %s", corpus)
	}
	// Sorted by name, desktop and mobile variants alternate.
	sort.Strings(files)
	var out []benchCase
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f))
		raw, err := gunzipFile(f)
		if err != nil {
			return nil, fmt.Errorf("load corpus: %s: %w", f, err)
		}
		s, err := snapshot.Parse(raw, snapshot.Options{Name: f})
		if err != nil {
			return nil, fmt.Errorf("load corpus: %s: %w", f, err)
		}
		pp := peerPage{Name: name, URL: s.URL, HTML: string(s.HTML), Viewport: s.Viewport, Scroll: s.Scroll}
		for _, r := range s.Resources {
			pp.Resources = append(pp.Resources, peerResource(r))
		}
		pj, _ := json.Marshal(pp)
		c := benchCase{Name: name, Input: filepath.Join(dir, name+".kiln.json"), Peer: filepath.Join(dir, name+".peer.json"), Viewport: s.Viewport}
		if err := os.WriteFile(c.Input, raw, 0o644); err != nil {
			return nil, err
		}
		if err := os.WriteFile(c.Peer, pj, 0o644); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func gunzipFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
