package replay

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// Canvas drawing. rrweb's recordCanvas records each 2D context call as a
// command {property, args, setter}; a chart redraws itself through them
// on every resize and update, starting with a clearRect of the whole
// canvas. The mirror keeps, per canvas, the commands since the last full
// clear (or since the canvas was resized, which clears it), checked
// against canvasMethods and canvasSetters, and puts them on the node as
// snapshot.AttrCanvasCommands, so a keyframe's page redraws the canvas as
// the recorded page did (the renderer's prepare step applies them with
// the same whitelist). A picture-carrying mutation (rrweb's sampled
// canvas frames, a data: URL) replaces the commands with its picture, as
// before.
const (
	// maxCanvasCommands and maxCanvasBytes bound one canvas's kept
	// commands (a Chart.js redraw of a bar chart is about 400 commands
	// and 22 KB); maxCanvasTotal bounds all canvases of the page. Over a
	// bound the canvas shows its last picture until its next full clear.
	maxCanvasCommands = 20000
	maxCanvasBytes    = 2 << 20
	maxCanvasTotal    = 16 << 20
	// maxCanvasString bounds one string argument (a font, a color, a
	// text drawn); maxCanvasArray an array argument (setLineDash).
	maxCanvasString = 4096
	maxCanvasArray  = 256
)

// canvasMethods are the CanvasRenderingContext2D methods replayed, with
// the most arguments each takes. Methods that read (getImageData,
// measureText, isPointInPath) or make objects (createLinearGradient)
// change nothing drawn and are skipped.
var canvasMethods = map[string]int{
	"arc": 6, "arcTo": 5, "beginPath": 0, "bezierCurveTo": 6, "clearRect": 4, "clip": 1,
	"closePath": 0, "drawImage": 9, "ellipse": 8, "fill": 1, "fillRect": 4, "fillText": 4,
	"lineTo": 2, "moveTo": 2, "quadraticCurveTo": 4, "rect": 4, "reset": 0, "resetTransform": 0,
	"restore": 0, "rotate": 1, "roundRect": 5, "save": 0, "scale": 2, "setLineDash": 1,
	"setTransform": 6, "stroke": 0, "strokeRect": 4, "strokeText": 4, "transform": 6, "translate": 2,
}

// canvasSetters are the context properties replayed.
var canvasSetters = map[string]bool{
	"direction": true, "fillStyle": true, "filter": true, "font": true, "fontKerning": true,
	"globalAlpha": true, "globalCompositeOperation": true, "imageSmoothingEnabled": true,
	"imageSmoothingQuality": true, "letterSpacing": true, "lineCap": true, "lineDashOffset": true,
	"lineJoin": true, "lineWidth": true, "miterLimit": true, "shadowBlur": true, "shadowColor": true,
	"shadowOffsetX": true, "shadowOffsetY": true, "strokeStyle": true, "textAlign": true,
	"textBaseline": true, "wordSpacing": true,
}

// canvasCommand is one recorded 2D call, as rrweb writes it.
type canvasCommand struct {
	Property string `json:"property"`
	Args     []any  `json:"args"`
	Setter   bool   `json:"setter,omitempty"`
}

// canvasState is what the mirror keeps of one canvas.
type canvasState struct {
	// lines holds the commands since the last full clear, one JSON
	// object per line: appending one is cheap, and the attribute is
	// lines.String() (no copy) after every event.
	lines strings.Builder
	n     int // commands
	bytes int
	over  bool // over a bound: commands are ignored until the next full clear
	// scale is the command the kept ones start with when they start with
	// a uniform scale(r, r) (a chart's retina scaling, its device pixel
	// ratio), and sx, sy its factors (1 without): a full clear is one in
	// those units too, and the kept commands start with it again.
	scale  string
	sx, sy float64
}

// onlyScale reports kept commands that are their leading scale alone.
func (st *canvasState) onlyScale() bool { return st.scale != "" && st.n == 1 }

// applyCanvas applies a canvas mutation: a picture it carries (a data:
// URL, or an image Blob of rrweb's sampled canvas recording) becomes the
// canvas's rr_dataURL; 2D drawing commands are kept as described above.
// Images drawn by URL (rrweb's HTMLImageElement arguments, which a player
// loads) have their URL resolved like an img src.
func (m *Mirror) applyCanvas(ev *snapshot.Event) error {
	all, id, typ, err := decodeCanvasEvent(ev.Data)
	if err != nil {
		return err
	}
	if m.droppedIDs[id] {
		return fmt.Errorf("apply canvas: %w: inside a dropped element", ErrInvalid)
	}
	changed := m.canvasURLs(all)
	if typ == 0 && trimNullArgs(all) {
		changed = true
	}
	if changed {
		data, err := marshal(all)
		if err != nil {
			return fmt.Errorf("apply canvas: %w: %v", ErrInvalid, err)
		}
		ev.Data = data
	}
	n := m.nodes[id]
	if n == nil || n.Type != snapshot.NodeElement {
		m.warnf("canvas: unknown node")
		return nil
	}
	if url := findImage(all); url != "" {
		setAttr(n, "rr_dataURL", url)
		m.clearCanvas(n)
		return nil
	}
	if typ != 0 || !strings.EqualFold(n.TagName, "canvas") {
		if !m.canvasWarned {
			m.canvasWarned = true
			m.warnf("canvas: WebGL calls, or drawing on an element that is not a canvas; segment starts show the last recorded picture")
		}
		return nil
	}
	m.drawCanvas(n, canvasCommands(all))
	return nil
}

// decodeCanvasEvent reads a canvas event's data as encoding/json reads
// it into an any, and its id and type (0 when absent).
func decodeCanvasEvent(data []byte) (all any, id, typ int, err error) {
	if v, id, typ, ok := snapshot.DecodeEventData(data); ok {
		return v, id, typ, nil
	}
	var d struct {
		ID   int `json:"id"`
		Type int `json:"type"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, 0, 0, fmt.Errorf("apply canvas: %w: %v", ErrInvalid, err)
	}
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, 0, 0, fmt.Errorf("apply canvas: %w: %v", ErrInvalid, err)
	}
	return all, d.ID, d.Type, nil
}

// canvasCommands reads the commands of a canvas event's data (decoded
// once, URLs resolved): its "commands", or the event itself when it
// carries one command.
// commandList is the commands of a canvas event (as decodeCanvasEvent
// reads it): its "commands", or the event itself when it is one.
func commandList(data any) []any {
	obj, _ := data.(map[string]any)
	if list, ok := obj["commands"].([]any); ok {
		return list
	}
	return []any{obj}
}

// trimNullArgs drops the trailing nulls of the 2D commands in data (a
// canvas event, as decodeCanvasEvent reads it) and reports whether there
// were any. rrweb writes an argument the page left out (undefined:
// Chart.js's fillText(text, x, y, undefined)) as null, which the method
// reads as 0 (a maximum width of 0 draws no text) or refuses; the
// bundle's events lose them too, so a player draws as the pictures do.
// WebGL calls keep theirs (null unbinds there).
func trimNullArgs(data any) bool {
	trimmed := false
	for _, x := range commandList(data) {
		o, _ := x.(map[string]any)
		args, _ := o["args"].([]any)
		n := len(args)
		for n > 0 && args[n-1] == nil {
			n--
		}
		if n < len(args) {
			o["args"] = args[:n]
			trimmed = true
		}
	}
	return trimmed
}

func canvasCommands(data any) []canvasCommand {
	list := commandList(data)
	cmds := make([]canvasCommand, 0, len(list))
	for _, x := range list {
		o, _ := x.(map[string]any)
		p, _ := o["property"].(string)
		args, isList := o["args"].([]any)
		setter, _ := o["setter"].(bool)
		if p == "" || !isList && o["args"] != nil {
			continue
		}
		if args == nil {
			args = []any{}
		}
		cmds = append(cmds, canvasCommand{Property: p, Args: args, Setter: setter})
	}
	return cmds
}

// drawCanvas adds recorded 2D commands to what n keeps.
func (m *Mirror) drawCanvas(n *snapshot.Node, cmds []canvasCommand) {
	st := m.canvases[n]
	if st == nil {
		st = &canvasState{}
		m.canvases[n] = st
	}
	var buf []byte // the JSON of one command
	for _, c := range cmds {
		if !validCanvasCommand(c) {
			m.warnOnce(&m.canvasCmdWarned, "canvas: drawing commands Kiln does not replay were skipped (paths, patterns, image data, WebGL)")
			continue
		}
		b, ok := appendCommandJSON(buf[:0], c)
		if !ok {
			var err error
			if b, err = marshal(c); err != nil {
				continue
			}
		} else {
			buf = b
		}
		if c.Property == "scale" && st.onlyScale() && string(b) == st.scale {
			// Chart.js sets the canvas's width again (which resets the
			// context; rrweb records no change of the same value) and
			// scales again: the same scale with nothing drawn between
			// is that, not a second one.
			continue
		}
		if st.scale == "" && st.n == 0 && !st.over && c.Property == "scale" && len(c.Args) == 2 {
			if x, _ := c.Args[0].(float64); x > 0 && x == c.Args[1] {
				st.scale, st.sx, st.sy = string(b), x, x
			}
		}
		if st.sx == 0 {
			st.sx, st.sy = 1, 1
		}
		if fullClear(n, c, st.sx, st.sy) {
			prev := *st
			m.clearCanvas(n)
			st = &canvasState{sx: 1, sy: 1}
			m.canvases[n] = st
			if prev.scale != "" {
				st.scale, st.sx, st.sy = prev.scale, prev.sx, prev.sy
				m.keepCanvasLine(st, []byte(prev.scale))
			}
		}
		if st.over {
			continue
		}
		if st.n >= maxCanvasCommands || st.bytes+len(b) > maxCanvasBytes || m.canvasBytes+len(b) > maxCanvasTotal {
			m.warnOnce(&m.canvasOverWarned, fmt.Sprintf("canvas: a canvas drew more than %d commands or %d bytes since it was last cleared; keyframes show its last recorded picture", maxCanvasCommands, maxCanvasBytes))
			m.canvasBytes -= st.bytes
			st = &canvasState{over: true}
			m.canvases[n] = st
			continue
		}
		m.keepCanvasLine(st, b)
	}
	if st.over || st.n == 0 {
		delete(n.Attributes, snapshot.AttrCanvasCommands)
		return
	}
	setAttr(n, snapshot.AttrCanvasCommands, st.lines.String())
}

// keepCanvasLine adds the JSON of one command to what st keeps.
func (m *Mirror) keepCanvasLine(st *canvasState, b []byte) {
	st.lines.Write(b)
	st.lines.WriteByte('\n')
	st.n++
	st.bytes += len(b) + 1
	m.canvasBytes += len(b) + 1
}

// appendCommandJSON appends c to b as marshal writes it, for the
// arguments validCanvasCommand lets through (numbers, booleans, arrays of
// numbers, strings of printable ASCII without quotes or backslashes, an
// empty object, an image by URL); ok false when c holds anything else, or
// a string it does not write the same way (marshal then does).
func appendCommandJSON(b []byte, c canvasCommand) ([]byte, bool) {
	b = append(b, `{"property":`...)
	b, ok := appendPlainString(b, c.Property)
	if !ok {
		return b, false
	}
	b = append(b, `,"args":[`...)
	for i, a := range c.Args {
		if i > 0 {
			b = append(b, ',')
		}
		switch v := a.(type) {
		case float64:
			b = appendJSONFloat(b, v)
		case bool:
			b = strconv.AppendBool(b, v)
		case string:
			if b, ok = appendPlainString(b, v); !ok {
				return b, false
			}
		case []any:
			b = append(b, '[')
			for j, x := range v {
				f, ok := x.(float64)
				if !ok {
					return b, false
				}
				if j > 0 {
					b = append(b, ',')
				}
				b = appendJSONFloat(b, f)
			}
			b = append(b, ']')
		case map[string]any:
			if len(v) == 0 {
				b = append(b, "{}"...)
				break
			}
			rt, ok1 := v["rr_type"].(string)
			src, ok2 := v["src"].(string)
			if len(v) != 2 || !ok1 || !ok2 {
				return b, false
			}
			b = append(b, `{"rr_type":`...)
			if b, ok = appendPlainString(b, rt); !ok {
				return b, false
			}
			b = append(b, `,"src":`...)
			if b, ok = appendPlainString(b, src); !ok {
				return b, false
			}
			b = append(b, '}')
		default:
			return b, false
		}
	}
	b = append(b, ']')
	if c.Setter {
		b = append(b, `,"setter":true`...)
	}
	return append(b, '}'), true
}

// appendPlainString appends s as a JSON string when it is printable ASCII
// without quotes or backslashes (which every JSON encoder writes as it
// is); ok false otherwise.
func appendPlainString(b []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return b, false
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), true
}

// appendJSONFloat appends a finite f as encoding/json writes a float64
// (ES6 number to string: exponents below 1e-6 and from 1e21 on, without
// padding).
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n-start >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	return b
}

// clearCanvas forgets n's commands: it was cleared, resized or given a
// picture.
func (m *Mirror) clearCanvas(n *snapshot.Node) {
	if st := m.canvases[n]; st != nil {
		m.canvasBytes -= st.bytes
		delete(m.canvases, n)
	}
	delete(n.Attributes, snapshot.AttrCanvasCommands)
}

// canvasJSON is the commands as the JSON array a canvas event carries.
func canvasJSON(lines string) string {
	return "[" + strings.ReplaceAll(strings.TrimSuffix(lines, "\n"), "\n", ",") + "]"
}

// fullClear reports a clearRect that covers the whole canvas (its width
// and height attributes; a transform in effect is not known, so only a
// clear from the origin counts).
func fullClear(n *snapshot.Node, c canvasCommand, sx, sy float64) bool {
	if c.Property != "clearRect" || len(c.Args) != 4 {
		return false
	}
	var a [4]float64
	for i, v := range c.Args {
		a[i], _ = v.(float64)
	}
	w, h := canvasSize(n)
	return a[0] <= 0 && a[1] <= 0 && (a[0]+a[2])*sx >= w && (a[1]+a[3])*sy >= h
}

// canvasSize is a canvas's bitmap size (its width and height attributes,
// 300x150 by default).
func canvasSize(n *snapshot.Node) (w, h float64) {
	w, h = 300, 150
	if v, err := strconv.ParseFloat(fmt.Sprint(n.Attributes["width"]), 64); err == nil && v >= 0 {
		w = v
	}
	if v, err := strconv.ParseFloat(fmt.Sprint(n.Attributes["height"]), 64); err == nil && v >= 0 {
		h = v
	}
	return w, h
}

// validCanvasCommand checks a command against the whitelist: a known
// method with at most its number of arguments, or a known setter with one
// argument; arguments are finite numbers, short strings, booleans, short
// arrays of numbers, an image by URL (drawImage), and for fillStyle and
// strokeStyle an object rrweb could not serialize (a gradient or pattern:
// "{}"), which the renderer paints from the canvas's last picture.
func validCanvasCommand(c canvasCommand) bool {
	if c.Setter {
		if !canvasSetters[c.Property] || len(c.Args) != 1 {
			return false
		}
		if o, ok := c.Args[0].(map[string]any); ok {
			return len(o) == 0 && (c.Property == "fillStyle" || c.Property == "strokeStyle")
		}
		return validCanvasArg(c.Args[0])
	}
	most, ok := canvasMethods[c.Property]
	if !ok || len(c.Args) > most {
		return false
	}
	for i, a := range c.Args {
		if o, ok := a.(map[string]any); ok {
			src, _ := o["src"].(string)
			if c.Property != "drawImage" || i != 0 || o["rr_type"] != "HTMLImageElement" || src == "" || len(src) > maxCanvasBytes || len(o) != 2 {
				return false
			}
			continue
		}
		if !validCanvasArg(a) {
			return false
		}
	}
	return true
}

func validCanvasArg(a any) bool {
	switch v := a.(type) {
	case float64:
		return !math.IsNaN(v) && !math.IsInf(v, 0)
	case string:
		return len(v) <= maxCanvasString
	case bool:
		return true
	case []any:
		if len(v) > maxCanvasArray {
			return false
		}
		for _, x := range v {
			if f, ok := x.(float64); !ok || math.IsNaN(f) || math.IsInf(f, 0) {
				return false
			}
		}
		return true
	}
	return false
}

// findImage returns the last picture a canvas event carries for the
// whole canvas: a data:image URL string, or an image Blob (rrweb's
// sampled canvas frames). An image drawn by URL (HTMLImageElement) is a
// drawing command, not a picture.
func findImage(v any) string {
	switch v := v.(type) {
	case string:
		if strings.HasPrefix(v, "data:image/") {
			return v
		}
	case map[string]any:
		if v["rr_type"] == "HTMLImageElement" {
			return "" // an image drawn, not the canvas's picture: a command
		}
		if v["rr_type"] == "Blob" {
			typ, _ := v["type"].(string)
			if data, ok := v["data"].([]any); ok && len(data) == 1 && strings.HasPrefix(typ, "image/") {
				if ab, ok := data[0].(map[string]any); ok {
					if b64, ok := ab["base64"].(string); ok {
						return "data:" + typ + ";base64," + b64
					}
				}
			}
		}
		// The last in key order: of the keys with a picture, the
		// greatest (no sort: most objects hold none).
		found, foundKey := "", ""
		for k, x := range v {
			if s := findImage(x); s != "" && (found == "" || k > foundKey) {
				found, foundKey = s, k
			}
		}
		return found
	case []any:
		found := ""
		for _, x := range v {
			if s := findImage(x); s != "" {
				found = s
			}
		}
		return found
	}
	return ""
}

// canvasURLs resolves the src of every image argument in a canvas
// event's data and reports whether one changed.
func (m *Mirror) canvasURLs(v any) bool {
	changed := false
	switch v := v.(type) {
	case map[string]any:
		if src, ok := v["src"].(string); ok && v["rr_type"] == "HTMLImageElement" {
			if r := m.pageURL(snapshot.URLResource, src); r != src {
				v["src"], changed = r, true
			}
		}
		for _, k := range sortedKeys(v) {
			changed = m.canvasURLs(v[k]) || changed
		}
	case []any:
		for _, x := range v {
			changed = m.canvasURLs(x) || changed
		}
	}
	return changed
}
