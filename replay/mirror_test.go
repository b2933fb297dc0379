package replay

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/kilnrender/kiln/snapshot"
)

// outline renders a node tree compactly: tag[attr=v,...](children),
// "text", !doctype; shadow children are prefixed with ^.
func outline(n *snapshot.Node) string {
	var b strings.Builder
	var walk func(*snapshot.Node)
	walk = func(n *snapshot.Node) {
		if n.IsShadow {
			b.WriteByte('^')
		}
		switch n.Type {
		case snapshot.NodeDocument:
			b.WriteString("#doc(")
			for i, c := range n.ChildNodes {
				if i > 0 {
					b.WriteByte(' ')
				}
				walk(c)
			}
			b.WriteByte(')')
		case snapshot.NodeDocumentType:
			b.WriteString("!doctype")
		case snapshot.NodeElement:
			b.WriteString(n.TagName)
			if len(n.Attributes) > 0 {
				keys := make([]string, 0, len(n.Attributes))
				for k := range n.Attributes {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				b.WriteByte('[')
				for i, k := range keys {
					if i > 0 {
						b.WriteByte(',')
					}
					fmt.Fprintf(&b, "%s=%v", k, n.Attributes[k])
				}
				b.WriteByte(']')
			}
			b.WriteByte('(')
			for i, c := range n.ChildNodes {
				if i > 0 {
					b.WriteByte(' ')
				}
				walk(c)
			}
			b.WriteByte(')')
		default:
			fmt.Fprintf(&b, "%q", n.TextContent)
		}
	}
	walk(n)
	return b.String()
}

// base is a document: 1 #doc, 2 html, 3 head, 4 body, 5 p, 6 text "hi",
// 7 input (text), 8 input (password), 9 div.box with 10 span, 11 "x".
const baseSnapshot = `{"type":2,"timestamp":1000,"data":{"node":{"type":0,"id":1,"childNodes":[
 {"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[
  {"type":2,"id":3,"tagName":"head","attributes":{},"childNodes":[]},
  {"type":2,"id":4,"tagName":"body","attributes":{},"childNodes":[
   {"type":2,"id":5,"tagName":"p","attributes":{"class":"a"},"childNodes":[{"type":3,"id":6,"textContent":"hi"}]},
   {"type":2,"id":7,"tagName":"input","attributes":{"type":"text","value":"v"},"childNodes":[]},
   {"type":2,"id":8,"tagName":"input","attributes":{"type":"password","value":"secret"},"childNodes":[]},
   {"type":2,"id":9,"tagName":"div","attributes":{"class":"box"},"childNodes":[
    {"type":2,"id":10,"tagName":"span","attributes":{},"childNodes":[{"type":3,"id":11,"textContent":"x"}]}]}
  ]}]}]},"initialOffset":{"left":0,"top":0}}}`

// add is a Mutation event adding node (JSON) as the last child of parent.
func add(parent int, node string) string {
	return incr(0, fmt.Sprintf(`"adds":[{"parentId":%d,"nextId":null,"node":%s}],"removes":[],"texts":[],"attributes":[]`, parent, node))
}

func incr(source int, data string) string {
	return fmt.Sprintf(`{"type":3,"timestamp":2000,"data":{"source":%d,%s}}`, source, data)
}

func TestMirrorApply(t *testing.T) {
	const body0 = `p[class=a]("hi") input[type=text,value=v]() input[type=password,value=******]() div[class=box](span("x"))`
	tests := []struct {
		name   string
		cfg    Config
		events []string
		body   string // outline of <body>'s children
		check  func(t *testing.T, m *Mirror)
	}{
		{name: "snapshot masks password", body: body0},
		{
			name:   "add with nextId",
			events: []string{incr(0, `"adds":[{"parentId":4,"nextId":7,"node":{"type":2,"id":20,"tagName":"b","attributes":{},"childNodes":[]}}],"removes":[],"texts":[],"attributes":[]`)},
			body:   `p[class=a]("hi") b() input[type=text,value=v]() input[type=password,value=******]() div[class=box](span("x"))`,
		},
		{
			name: "adds out of order wait for their parent",
			events: []string{incr(0, `"adds":[
				{"parentId":21,"nextId":null,"node":{"type":3,"id":22,"textContent":"new"}},
				{"parentId":4,"nextId":null,"node":{"type":2,"id":21,"tagName":"li","attributes":{},"childNodes":[]}}],"removes":[],"texts":[],"attributes":[]`)},
			body: body0 + ` li("new")`,
		},
		{
			name:   "add with previousId",
			events: []string{incr(0, `"adds":[{"parentId":4,"nextId":null,"previousId":5,"node":{"type":3,"id":23,"textContent":"after p"}}],"removes":[],"texts":[],"attributes":[]`)},
			body:   `p[class=a]("hi") "after p" input[type=text,value=v]() input[type=password,value=******]() div[class=box](span("x"))`,
		},
		{
			name:   "remove subtree",
			events: []string{incr(0, `"removes":[{"parentId":4,"id":9}],"adds":[],"texts":[],"attributes":[]`)},
			body:   `p[class=a]("hi") input[type=text,value=v]() input[type=password,value=******]()`,
			check: func(t *testing.T, m *Mirror) {
				for _, id := range []int{9, 10, 11} {
					if m.Node(id) != nil {
						t.Errorf("node %d still indexed after its subtree was removed", id)
					}
				}
			},
		},
		{
			name:   "text change",
			events: []string{incr(0, `"texts":[{"id":6,"value":"hello"}],"adds":[],"removes":[],"attributes":[]`)},
			body:   `p[class=a]("hello") input[type=text,value=v]() input[type=password,value=******]() div[class=box](span("x"))`,
		},
		{
			name:   "attribute null removes it",
			events: []string{incr(0, `"attributes":[{"id":5,"attributes":{"class":null,"title":"t"}}],"adds":[],"removes":[],"texts":[]`)},
			body:   `p[title=t]("hi") input[type=text,value=v]() input[type=password,value=******]() div[class=box](span("x"))`,
		},
		{
			name:   "style object attribute",
			events: []string{incr(0, `"attributes":[{"id":5,"attributes":{"style":{"color":"red","margin":["0","important"]}}}],"adds":[],"removes":[],"texts":[]`)},
			body:   `p[class=a,style=color: red; margin: 0 !important;]("hi") input[type=text,value=v]() input[type=password,value=******]() div[class=box](span("x"))`,
		},
		{
			name: "gleap privacy conventions",
			events: []string{incr(0, `"adds":[
			 {"parentId":4,"nextId":null,"node":{"type":2,"id":20,"tagName":"div","attributes":{"gleap-ignore":"value"},"childNodes":[
			  {"type":2,"id":21,"tagName":"input","attributes":{"type":"text","value":"DE89 3704"},"childNodes":[]}]}},
			 {"parentId":4,"nextId":null,"node":{"type":2,"id":22,"tagName":"p","attributes":{"class":"gl-mask"},"childNodes":[{"type":3,"id":23,"textContent":"card 4242"}]}},
			 {"parentId":4,"nextId":null,"node":{"type":2,"id":24,"tagName":"div","attributes":{"class":"gl-block"},"childNodes":[{"type":3,"id":25,"textContent":"hidden"}]}},
			 {"parentId":4,"nextId":null,"node":{"type":2,"id":26,"tagName":"input","attributes":{"type":"text","autocomplete":"cc-number","value":"4111"},"childNodes":[]}},
			 {"parentId":4,"nextId":null,"node":{"type":2,"id":27,"tagName":"input","attributes":{"type":"text","data-rr-is-password":"true","value":"pw"},"childNodes":[]}}
			],"removes":[],"texts":[],"attributes":[]`),
				incr(5, `"id":21,"text":"DE89 3704 0044","isChecked":false`), incr(5, `"id":26,"text":"4111 1111","isChecked":false`)},
			body: body0 + ` div[gleap-ignore=value](input[type=text,value=**** **** ****]()) p[class=gl-mask]("**** ****") div[class=gl-block]()` +
				` input[autocomplete=cc-number,type=text,value=**** ****]() input[data-rr-is-password=true,type=text,value=**]()`,
		},
		{
			name:   "input value and password input",
			events: []string{incr(5, `"id":7,"text":"typed","isChecked":false`), incr(5, `"id":8,"text":"hunter2","isChecked":false`)},
			body:   `p[class=a]("hi") input[type=text,value=typed]() input[type=password,value=*******]() div[class=box](span("x"))`,
		},
		{
			name: "input whose type becomes password",
			events: []string{
				incr(5, `"id":7,"text":"visible","isChecked":false`),
				incr(0, `"attributes":[{"id":7,"attributes":{"type":"password"}}],"adds":[],"removes":[],"texts":[]`),
				incr(0, `"attributes":[{"id":7,"attributes":{"type":"text"}}],"adds":[],"removes":[],"texts":[]`),
				incr(5, `"id":7,"text":"s3cret","isChecked":false`),
			},
			body: `p[class=a]("hi") input[type=text,value=******]() input[type=password,value=******]() div[class=box](span("x"))`,
		},
		{
			name:   "mask selector",
			cfg:    Config{MaskSelectors: []string{"div.box", "input[type=text]"}},
			events: []string{incr(0, `"texts":[{"id":11,"value":"changed"}],"adds":[],"removes":[],"attributes":[]`)},
			body:   `p[class=a]("hi") input[type=text,value=*]() input[type=password,value=******]() div[class=box](span("*******"))`,
		},
		{
			name: "class rr-block empties the element",
			events: []string{
				incr(0, `"attributes":[{"id":9,"attributes":{"class":"rr-block","rr_width":"10px","rr_height":"5px"}}],"adds":[],"removes":[],"texts":[]`),
				incr(0, `"adds":[{"parentId":9,"nextId":null,"node":{"type":3,"id":30,"textContent":"hidden"}}],"removes":[],"texts":[],"attributes":[]`),
			},
			body: `p[class=a]("hi") input[type=text,value=v]() input[type=password,value=******]() div[class=rr-block,rr_height=5px,rr_width=10px]()`,
		},
		{
			name:   "class rr-mask masks existing text",
			events: []string{incr(0, `"attributes":[{"id":5,"attributes":{"class":"rr-mask"}}],"adds":[],"removes":[],"texts":[]`)},
			body:   `p[class=rr-mask]("**") input[type=text,value=v]() input[type=password,value=******]() div[class=box](span("x"))`,
		},
		{
			name:   "element scroll",
			events: []string{incr(3, `"id":9,"x":0,"y":120`), incr(3, `"id":1,"x":5,"y":300`)},
			body:   `p[class=a]("hi") input[type=text,value=v]() input[type=password,value=******]() div[class=box,rr_scrollLeft=0,rr_scrollTop=120](span("x"))`,
			check: func(t *testing.T, m *Mirror) {
				if x, y := m.Scroll(); x != 5 || y != 300 {
					t.Errorf("window scroll = %d,%d, want 5,300", x, y)
				}
			},
		},
		{
			name:   "viewport resize",
			events: []string{incr(4, `"width":500,"height":700`)},
			body:   body0,
			check: func(t *testing.T, m *Mirror) {
				if w, h := m.Viewport(); w != 500 || h != 700 {
					t.Errorf("viewport = %dx%d, want 500x700", w, h)
				}
			},
		},
		{
			name: "style sheet rules and declarations",
			events: []string{
				incr(0, `"adds":[{"parentId":3,"nextId":null,"node":{"type":2,"id":40,"tagName":"style","attributes":{"_cssText":"a { color: red; } b { color: blue; }"},"childNodes":[]}}],"removes":[],"texts":[],"attributes":[]`),
				incr(8, `"id":40,"adds":[{"rule":"i { color: green; }","index":1}]`),
				incr(8, `"id":40,"removes":[{"index":0}]`),
				incr(13, `"id":40,"index":[1],"set":{"property":"color","value":"black"}`),
			},
			body: body0,
			check: func(t *testing.T, m *Mirror) {
				got := m.Node(40).Attr("_cssText")
				want := "i { color: green; }\nb { color: black; }"
				if got != want {
					t.Errorf("_cssText = %q, want %q", got, want)
				}
			},
		},
		{
			// Chromium's text for `background: A, B; background-size:
			// cover`, as the recorder serialized the sheet.
			name: "recorded sheet text gets its layered background back",
			events: []string{
				incr(0, `"adds":[{"parentId":3,"nextId":null,"node":{"type":2,"id":41,"tagName":"style","attributes":{"_cssText":"h { background: linear-gradient(red, blue) center center / cover no-repeat, url(\"https://x.test/a.jpg\"); }"},"childNodes":[]}}],"removes":[],"texts":[],"attributes":[]`),
			},
			body: body0,
			check: func(t *testing.T, m *Mirror) {
				got := m.Node(41).Attr("_cssText")
				if !strings.HasPrefix(got, "h { background: linear-gradient(red, blue) center center / cover no-repeat, url(") || !strings.HasSuffix(got, ") center center / cover no-repeat; }") {
					t.Errorf("_cssText = %q, want the first layer's settings on the second", got)
				}
			},
		},
		{
			name: "select value selects its option",
			events: []string{
				add(4, `{"type":2,"id":50,"tagName":"select","attributes":{"value":"A"},"childNodes":[
					{"type":2,"id":51,"tagName":"option","attributes":{"selected":true},"childNodes":[{"type":3,"id":52,"textContent":" A "}]},
					{"type":2,"id":53,"tagName":"option","attributes":{"value":"b"},"childNodes":[{"type":3,"id":54,"textContent":"C"}]},
					{"type":2,"id":55,"tagName":"optgroup","attributes":{},"childNodes":[
						{"type":2,"id":56,"tagName":"option","attributes":{},"childNodes":[{"type":3,"id":57,"textContent":"C"}]}]}]}`),
				incr(5, `"id":50,"text":"C","isChecked":false`),
			},
			body: body0 + ` select[value=C](option(" A ") option[value=b]("C") optgroup(option[selected=true]("C")))`,
		},
		{
			name: "radio checked unchecks its group",
			events: []string{
				add(4, `{"type":2,"id":60,"tagName":"input","attributes":{"type":"radio","name":"g","checked":true},"childNodes":[]}`),
				add(4, `{"type":2,"id":61,"tagName":"input","attributes":{"type":"radio","name":"g"},"childNodes":[]}`),
				add(4, `{"type":2,"id":62,"tagName":"input","attributes":{"type":"radio","name":"h","checked":true},"childNodes":[]}`),
				add(4, `{"type":2,"id":63,"tagName":"input","attributes":{"type":"checkbox","checked":true},"childNodes":[]}`),
				incr(5, `"id":61,"text":"on","isChecked":true`),
				incr(5, `"id":63,"text":"on","isChecked":false`),
			},
			body: body0 + ` input[name=g,type=radio]() input[checked=true,name=g,type=radio]() input[checked=true,name=h,type=radio]() input[type=checkbox]()`,
		},
		{
			name: "textarea value replaces its text",
			events: []string{
				add(4, `{"type":2,"id":70,"tagName":"textarea","attributes":{},"childNodes":[{"type":3,"id":71,"textContent":"default"}]}`),
				incr(5, `"id":70,"text":"typed\nline","isChecked":false`),
			},
			body: body0 + ` textarea[value=typed
line]("")`,
		},
		{
			name: "media state",
			events: []string{
				add(4, `{"type":2,"id":80,"tagName":"video","attributes":{},"childNodes":[]}`),
				incr(7, `"type":0,"id":80,"currentTime":1`),
				incr(7, `"type":1,"id":80,"currentTime":3.5,"volume":0.5,"muted":true,"playbackRate":2`),
			},
			body: body0 + ` video[rr_mediaCurrentTime=3.5,rr_mediaMuted=true,rr_mediaPlaybackRate=2,rr_mediaState=paused,rr_mediaVolume=0.5]()`,
		},
		{
			name: "canvas commands since the last full clear",
			events: []string{
				add(4, `{"type":2,"id":90,"tagName":"canvas","attributes":{"width":"100","height":"50"},"childNodes":[]}`),
				incr(9, `"id":90,"type":0,"commands":[{"property":"fillRect","args":[0,0,1,1]}]`),
				incr(9, `"id":90,"type":0,"commands":[{"property":"clearRect","args":[0,0,100,50]},{"property":"fillStyle","args":[{}],"setter":true},{"property":"fillRect","args":[1,2,3,4]}]`),
				incr(9, `"id":90,"type":0,"property":"lineWidth","args":[2],"setter":true`),
			},
			body: body0 + ` canvas[data-kiln-canvas-commands={"property":"clearRect","args":[0,0,100,50]}
{"property":"fillStyle","args":[{}],"setter":true}
{"property":"fillRect","args":[1,2,3,4]}
{"property":"lineWidth","args":[2],"setter":true}
,height=50,width=100]()`,
		},
		{
			name: "an image drawn by URL is a command, not the canvas's picture",
			events: []string{
				add(4, `{"type":2,"id":90,"tagName":"canvas","attributes":{"rr_dataURL":"data:image/png;base64,AA"},"childNodes":[]}`),
				incr(9, `"id":90,"type":0,"commands":[{"property":"drawImage","args":[{"rr_type":"HTMLImageElement","src":"data:image/png;base64,BB"},1,2]}]`),
			},
			body: body0 + ` canvas[data-kiln-canvas-commands={"property":"drawImage","args":[{"rr_type":"HTMLImageElement","src":"data:image/png;base64,BB"},1,2]}
,rr_dataURL=data:image/png;base64,AA]()`,
		},
		{
			name: "a resized canvas forgets its commands",
			events: []string{
				add(4, `{"type":2,"id":90,"tagName":"canvas","attributes":{"width":"100","height":"50"},"childNodes":[]}`),
				incr(9, `"id":90,"type":0,"commands":[{"property":"fillRect","args":[0,0,1,1]}]`),
				incr(0, `"attributes":[{"id":90,"attributes":{"width":"200"}}],"adds":[],"removes":[],"texts":[]`),
			},
			body: body0 + ` canvas[height=50,width=200]()`,
		},
		{
			name: "recorded canvas commands attribute is removed",
			events: []string{
				add(4, `{"type":2,"id":90,"tagName":"canvas","attributes":{"data-kiln-canvas-commands":"[{\"property\":\"fillRect\",\"args\":[0,0,9,9]}]"},"childNodes":[]}`),
				incr(0, `"attributes":[{"id":90,"attributes":{"data-kiln-canvas-commands":"[]","DATA-KILN-CANVAS-COMMANDS":1}}],"adds":[],"removes":[],"texts":[]`),
			},
			body: body0 + ` canvas()`,
		},
		{
			name: "Gleap SDK UI dropped",
			events: []string{
				add(4, `{"type":2,"id":100,"tagName":"div","attributes":{"class":"bb-feedback-button gleap-font"},"childNodes":[{"type":3,"id":101,"textContent":"Feedback"}]}`),
				add(4, `{"type":2,"id":102,"tagName":"div","attributes":{"class":"plain"},"childNodes":[]}`),
				incr(0, `"texts":[{"id":101,"value":"x"}],"adds":[],"removes":[],"attributes":[{"id":102,"attributes":{"class":"gleap-frame-container"}}]`),
			},
			body: body0,
		},
		{
			name:   "canvas picture kept",
			events: []string{incr(9, `"id":10,"type":0,"commands":[{"property":"drawImage","args":[{"rr_type":"ImageBitmap","args":[{"rr_type":"Blob","data":[{"rr_type":"ArrayBuffer","base64":"AAAA"}],"type":"image/webp"}]},0,0]}]`)},
			body:   `p[class=a]("hi") input[type=text,value=v]() input[type=password,value=******]() div[class=box](span[rr_dataURL=data:image/webp;base64,AAAA]("x"))`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warns []string
			m, err := NewMirror(tt.cfg, func(s string) { warns = append(warns, s) })
			if err != nil {
				t.Fatal(err)
			}
			for i, raw := range append([]string{baseSnapshot}, tt.events...) {
				ev, err := snapshot.ParseEvent([]byte(raw))
				if err != nil {
					t.Fatalf("event %d: %v", i, err)
				}
				if err := m.Apply(&ev); err != nil {
					t.Fatalf("apply event %d: %v", i, err)
				}
			}
			body := m.Node(4)
			var parts []string
			for _, c := range body.ChildNodes {
				parts = append(parts, outline(c))
			}
			if got := strings.Join(parts, " "); got != tt.body {
				t.Errorf("body:\n got %s\nwant %s", got, tt.body)
			}
			if tt.check != nil {
				tt.check(t, m)
			}
			if len(warns) > 0 {
				t.Errorf("unexpected warnings: %q", warns)
			}

			// Round trip: the serialized state, applied as a full snapshot
			// to a fresh mirror, serializes to the same bytes.
			evs, err := m.FullSnapshot(5000)
			if err != nil {
				t.Fatal(err)
			}
			m2, _ := NewMirror(tt.cfg, nil)
			for _, e := range evs {
				if err := m2.Apply(&e); err != nil {
					t.Fatal(err)
				}
			}
			a, _ := m.DocumentJSON()
			b, _ := m2.DocumentJSON()
			if string(a) != string(b) {
				t.Errorf("round trip changed the document:\n%s\n%s", a, b)
			}
		})
	}
}

// Events the mirror rewrites carry the masked values, not the recorded ones.
func TestMirrorRewritesEvents(t *testing.T) {
	m, _ := NewMirror(Config{MaskSelectors: []string{".box"}}, nil)
	for _, raw := range []string{
		baseSnapshot,
		incr(5, `"id":8,"text":"hunter2","isChecked":false,"userTriggered":true`),
		incr(0, `"attributes":[{"id":8,"attributes":{"value":"hunter2"}}],"adds":[{"parentId":9,"nextId":null,"node":{"type":3,"id":50,"textContent":"card 4242"}}],"removes":[],"texts":[{"id":11,"value":"secret text"}]`),
	} {
		ev, err := snapshot.ParseEvent([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Apply(&ev); err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(ev)
		for _, secret := range []string{"secret", "hunter2", "4242"} {
			if strings.Contains(string(out), secret) {
				t.Errorf("event still holds %q: %s", secret, out)
			}
		}
		if ev.Source == snapshot.IncrementalInput && !strings.Contains(string(out), `"userTriggered":true`) {
			t.Errorf("input event lost a field: %s", out)
		}
	}
}

func TestSelectorParse(t *testing.T) {
	for _, ok := range []string{"input", ".a", "#b", "[data-x]", "[type=password]", `input[name="card"].x#y`, "a, .b"} {
		if _, err := parseSelector(ok); err != nil {
			t.Errorf("parseSelector(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "div p", "a > b", "a:hover", "[x~=y]", "a,", "[x"} {
		if _, err := parseSelector(bad); err == nil {
			t.Errorf("parseSelector(%q) accepted", bad)
		}
	}
	if err := (Config{MaskSelectors: []string{"div p"}}).Validate(); err == nil {
		t.Error("Validate accepted a descendant selector")
	}
}

// The mirror bounds its DOM with the snapshot limits: live nodes and
// element nesting, whether they come in one snapshot or add by add.
func TestMirrorLimits(t *testing.T) {
	add := func(parent, id int) string {
		return incr(0, fmt.Sprintf(`"adds":[{"parentId":%d,"nextId":null,"node":{"type":2,"id":%d,"tagName":"b","attributes":{},"childNodes":[]}}],"removes":[],"texts":[],"attributes":[]`, parent, id))
	}
	// base: html 1, body 2, div.box 3, span 4 elements deep.
	for _, tc := range []struct {
		name   string
		lim    snapshot.Limits
		events []string
		fails  int // index of the event that must fail; -1: none
	}{
		{"depth at the limit", snapshot.Limits{MaxDepth: 6}, []string{add(10, 30), add(30, 31)}, -1},
		{"depth over the limit", snapshot.Limits{MaxDepth: 6}, []string{add(10, 30), add(30, 31), add(31, 32)}, 3},
		{"snapshot too deep", snapshot.Limits{MaxDepth: 3}, nil, 0},
		{"nodes over the limit", snapshot.Limits{MaxNodes: 12}, []string{add(4, 30), add(4, 31)}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := NewMirror(Config{Limits: tc.lim}, nil)
			failed := -1
			for i, raw := range append([]string{baseSnapshot}, tc.events...) {
				ev, err := snapshot.ParseEvent([]byte(raw))
				if err != nil {
					t.Fatal(err)
				}
				if err := m.Apply(&ev); err != nil {
					if !errors.Is(err, ErrTooLarge) {
						t.Fatalf("event %d: %v, want ErrTooLarge", i, err)
					}
					failed = i
					break
				}
			}
			if failed != tc.fails {
				t.Errorf("failed at event %d, want %d", failed, tc.fails)
			}
			if failed >= 0 {
				ev, _ := snapshot.ParseEvent([]byte(add(4, 99)))
				if err := m.Apply(&ev); !errors.Is(err, ErrTooLarge) {
					t.Errorf("the mirror went on after a fatal limit: %v", err)
				}
			}
		})
	}
}

// A field whose text shows up in the page (submitted on Enter: a to-do
// list, a chat) and whose next typing starts over is emptied at its next
// submit, as the page emptied it without an event; a field whose typing
// goes on (a search box whose query the results repeat) keeps its text.
// Both warn that a player may show stale text.
func TestMirrorClearsSubmittedField(t *testing.T) {
	for _, tc := range []struct {
		name, first, second, want string
	}{
		{"typing started over", "milk", "eggs", ""},
		{"typing went on", "mil", "milk", "milk"},
		{"typing trimmed", "milk", "mil", "mil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var warns []string
			m, _ := NewMirror(Config{}, func(s string) { warns = append(warns, s) })
			for i, raw := range []string{
				baseSnapshot,
				incr(5, `"id":7,"text":"`+tc.first+`","isChecked":false`),
				add(9, `{"type":3,"id":30,"textContent":"`+tc.first+`"}`),
				incr(5, `"id":7,"text":"`+tc.second+`","isChecked":false`),
				add(9, `{"type":3,"id":31,"textContent":"`+tc.second+`"}`),
			} {
				ev, err := snapshot.ParseEvent([]byte(raw))
				if err != nil {
					t.Fatal(err)
				}
				if err := m.Apply(&ev); err != nil {
					t.Fatalf("apply event %d: %v", i, err)
				}
				if i == 2 && m.Node(7).Attr("value") != tc.first {
					t.Errorf("the first submit emptied the field (%q)", m.Node(7).Attr("value"))
				}
				if i == 4 {
					// A player is told with an Input event.
					fu := m.FollowUps()
					sent := len(fu) == 1 && fu[0].Source == snapshot.IncrementalInput && string(fu[0].Data) == `{"source":5,"text":"","isChecked":false,"id":7}`
					if sent != (tc.want == "") {
						t.Errorf("emptying Input event sent: %v, want %v: %v", sent, tc.want == "", fu)
					}
				}
			}
			if got := m.Node(7).Attr("value"); got != tc.want {
				t.Errorf("field value %q, want %q", got, tc.want)
			}
			if len(warns) != 1 || !strings.Contains(warns[0], "stale text") {
				t.Errorf("warnings %q, want one of stale text", warns)
			}
		})
	}
}
