package replay

import (
	"encoding/json"
	"math"
	"testing"
)

// TestAppendCommandJSON: the canvas commands' JSON written by hand is
// marshal's, byte for byte, for the recorded commands of the corpus and
// for the edge cases of numbers and strings (or the hand writer declines).
func TestAppendCommandJSON(t *testing.T) {
	var cmds []canvasCommand
	var events []struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(readRecording(t, "bench/purple-admin-dashboard.rrweb.json"), &events); err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		all, _, _, err := decodeCanvasEvent(ev.Data)
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := all.(map[string]any); ev.Type == 3 && m["source"] == 9.0 {
			cmds = append(cmds, canvasCommands(all)...)
		}
	}
	if len(cmds) < 100 {
		t.Fatalf("%d canvas commands in the recording, want many", len(cmds))
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1.5, 1e-6, 9.99e-7, 1e-7, 1.5e-9, 1e20, 1e21, 1.2345e22, -3e-300, math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1 + 0.2} {
		cmds = append(cmds, canvasCommand{Property: "lineTo", Args: []any{f, -f}}, canvasCommand{Property: "setLineDash", Args: []any{[]any{f, 2.0}}})
	}
	for _, s := range []string{"", "12px Ubuntu", `a"b`, `a\b`, "a\nb", "é", "\u2028", "<&>", "\x7f", "\xff"} {
		cmds = append(cmds, canvasCommand{Property: "fillText", Args: []any{s, 1.0, 2.0}}, canvasCommand{Property: "font", Args: []any{s}, Setter: true})
	}
	cmds = append(cmds,
		canvasCommand{Property: "fillStyle", Args: []any{map[string]any{}}, Setter: true},
		canvasCommand{Property: "drawImage", Args: []any{map[string]any{"rr_type": "HTMLImageElement", "src": "http://a/b.png"}, 0.0, 0.0}},
		canvasCommand{Property: "drawImage", Args: []any{map[string]any{"rr_type": "HTMLImageElement", "src": "http://a/\"b.png"}, 0.0, 0.0}},
		canvasCommand{Property: "imageSmoothingEnabled", Args: []any{false}, Setter: true},
		canvasCommand{Property: "beginPath", Args: []any{}},
		canvasCommand{Property: "x", Args: []any{nil}},
		canvasCommand{Property: "x", Args: []any{map[string]any{"a": 1.0}}},
		canvasCommand{Property: "x", Args: []any{[]any{"a"}}},
	)
	hand := 0
	for _, c := range cmds {
		want, err := marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendCommandJSON(nil, c)
		if !ok {
			continue
		}
		hand++
		if string(got) != string(want) {
			t.Errorf("%v: wrote %s, marshal %s", c, got, want)
		}
	}
	if hand < len(cmds)/2 {
		t.Errorf("hand writer wrote %d of %d commands, want most", hand, len(cmds))
	}
}
