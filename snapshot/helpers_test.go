package snapshot

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// fixture reads testdata/snapshot/name, gunzipping .gz files.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "snapshot", name))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func mustParse(t testing.TB, data []byte, opts Options) *Snapshot {
	t.Helper()
	s, err := Parse(data, opts)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

// tree parses s.HTML back into a document.
func tree(t testing.TB, s *Snapshot) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(s.HTML))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// elements returns every element for which match is true.
func elements(root *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && match(c) {
				out = append(out, c)
			}
			visit(c)
		}
	}
	visit(root)
	return out
}

func byID(root *html.Node, id string) *html.Node {
	els := elements(root, func(n *html.Node) bool { return attr(n, "id") == id })
	if len(els) == 0 {
		return nil
	}
	return els[0]
}

func byTag(root *html.Node, tag string) []*html.Node {
	return elements(root, func(n *html.Node) bool { return n.Data == tag })
}

func pack(t testing.TB, b []byte) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	r := make([]rune, 0, buf.Len())
	for _, c := range buf.Bytes() {
		r = append(r, rune(c))
	}
	return string(r)
}
