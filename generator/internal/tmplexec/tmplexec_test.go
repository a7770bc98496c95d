package tmplexec

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"reflect"
	"strings"
	"testing"
)

type item struct {
	Name  string
	URL   string
	N     int
	U     uint8
	On    bool
	HTML  template.HTML
	Sub   *item
	Items []item
	Any   any
	M     map[string]string
	Ptr   *string
	Str   stringer
	JS    template.JS
	Kind  kind
	priv  string
}

func (i *item) Upper() string           { return strings.ToUpper(i.Name) }
func (i item) Twice() int               { return 2 * i.N }
func (i *item) Err() (string, error)    { return "", fmt.Errorf("no") }
func (i *item) Arg(s string) string     { return s }
func (i *item) Items2() []item          { return i.Items }
func (i *item) Link() *item             { return i.Sub }
func (i *item) Map() map[string]*item   { return map[string]*item{"a": i} }
func (i *item) HTMLOf() template.HTML   { return i.HTML }
func (i *item) URLOf() template.URL     { return template.URL(i.URL) }
func (i *item) Strs() []string          { return []string{i.Name, i.URL} }
func (i *item) Ints() map[string][]int  { return map[string][]int{"x": {1, 2}} }
func (i *item) Nil() *item              { return nil }
func (i *item) Iface() any              { return i.Sub }
func (i *item) Private() string         { return i.priv }
func (i *item) Count() (n int)          { return len(i.Items) }
func (i *item) Bytes() []byte           { return []byte(i.Name) }
func (i *item) Float() float64          { return 1.5 }
func (i *item) Chan() chan int          { return nil }
func (i *item) Func() func() string     { return nil }
func (i *item) Struct() struct{ A int } { return struct{ A int }{1} }

type stringer struct{ s string }

type kind string

func (s stringer) String() string { return "S:" + s.s }

// data is a value with every kind of field the cases read, with characters every escaper
// changes.
func data() *item {
	s := "pointed <to>"
	sub := &item{Name: "sub & <b>", URL: "javascript:alert(1)", N: 3}
	return &item{
		Name: `a "quoted" <tag> & 'apostrophe' + plus %41 %%` + "\x00", URL: "https://x.it/a b?c=d&e=%zz%41#f",
		N: 7, U: 3, On: true, HTML: "<b>bold</b> & more", Sub: sub,
		Items: []item{{Name: "uno", N: 1}, {Name: "due", N: 2, Sub: sub}, {Name: "tre", N: 3}},
		Any:   "any string", M: map[string]string{"k": "v<", "l": ""}, Ptr: &s, Str: stringer{"x"}, JS: "alert('x' + y)", Kind: "<k&>", priv: "p",
	}
}

// cases are templates with what the compiled program should do: run (the same page as
// html/template), abort while running (html/template runs it), or not compile.
var cases = []struct {
	name, text string
	want       string // "run", "abort", "none"
}{
	{"text", `<p>{{.Name}}</p>`, "run"},
	{"attr", `<a title="{{.Name}}" href="{{.URL}}">x</a><a href="/p/{{.Name}}?q={{.Name}}">y</a>`, "run"},
	{"unsafe url", `<a href="{{.Sub.URL}}">x</a>`, "run"},
	{"url type", `<a href="{{.URLOf}}">x</a>`, "run"},
	{"rcdata", `<title>{{.Name}} {{.HTML}}</title><textarea>{{.HTML}}</textarea>`, "run"},
	{"html", `<div>{{.HTML}}{{.HTMLOf}}</div>`, "run"},
	{"html in attr", `<a title="{{.HTML}}">x</a>`, "abort"},
	{"numbers", `<p>{{.N}} {{.U}} {{.On}} {{.Twice}} {{.Count}} {{len .Items}} {{len .Name}}</p>`, "run"},
	{"methods", `<p>{{.Upper}} {{.Sub.Upper}} {{.Link.Name}}</p>`, "run"},
	{"method error", `<p>{{.Err}}</p>`, "abort"},
	{"method arg", `<p>{{.Arg "x"}}</p>`, "none"},
	{"nil pointer", `<p>{{.Nil.Name}}</p>`, "abort"},
	{"nil with", `<p>{{with .Nil}}{{.Name}}{{else}}none{{end}}</p>`, "run"},
	{"with else with", `{{with .Nil}}a{{else with .Sub}}{{.Name}}{{else}}c{{end}}`, "run"},
	{"if", `{{if .On}}on{{end}}{{if not .On}}off{{else}}else{{end}}{{if .M.l}}l{{else}}no l{{end}}`, "run"},
	{"and or", `{{if and .On .N}}{{and .N .Name}}{{end}}{{or "" .Name}}{{or .M.l 0}}`, "run"},
	{"and nil", `{{and .On .Nil}}`, "abort"},
	{"compare", `{{if eq .N 7}}7{{end}}{{if eq .N 1 2 7}}any{{end}}{{if ne .Name "x"}}ne{{end}}{{if lt .N 8}}lt{{end}}{{if le .N 7}}le{{end}}{{if gt .N 6}}gt{{end}}{{if ge .N 8}}ge{{end}}{{if eq .U 3}}u{{end}}{{if lt .N .U}}mixed{{end}}{{if eq .Name .Name}}s{{end}}`, "run"},
	{"compare floats", `{{if eq .Float 1.5}}f{{end}}`, "none"},
	{"compare float method", `{{if eq .Float .Float}}f{{end}}`, "abort"},
	{"compare bool", `{{if eq .On true}}b{{end}}`, "abort"},
	{"range", `<ul>{{range .Items}}<li>{{.Name}} {{$.N}}</li>{{else}}none{{end}}</ul>`, "run"},
	{"range vars", `{{range $i, $x := .Items}}{{$i}}={{$x.Name}};{{end}}{{range $x := .Strs}}[{{$x}}]{{end}}`, "run"},
	{"range empty", `{{range .Sub.Items}}x{{else}}empty{{end}}`, "run"},
	{"range int", `{{range 3}}{{.}}{{end}}{{range $i := .N}}{{$i}}{{end}}`, "run"},
	{"range break", `{{range .Items}}{{if eq .N 2}}{{break}}{{end}}{{.Name}}{{end}}`, "run"},
	{"range continue", `{{range .Items}}{{if eq .N 2}}{{continue}}{{end}}{{.Name}}{{end}}`, "run"},
	{"range map", `{{range $k, $v := .M}}{{$k}}{{$v}}{{end}}`, "abort"},
	{"vars", `{{$x := .Name}}{{$y := 1}}{{$x}}{{if .On}}{{$x = "changed"}}{{$z := 2}}{{$z}}{{end}}{{$x}}{{$y}}`, "run"},
	{"index", `{{index .M "k"}}{{index .Items 1 | printf "%v"}}{{index .Strs 0}}{{(index .Items 2).Name}}{{index .M "none"}}{{index .Ints "x" 1}}`, "none"},
	{"index plain", `{{index .M "k"}}{{index .Strs 0}}{{(index .Items 2).Name}}{{index .M "none"}}{{index .Ints "x" 1}}`, "run"},
	{"index out", `{{index .Strs 5}}`, "abort"},
	{"map fields", `{{.M.k}}{{.M.none}}{{.Map.a.Name}}`, "run"},
	{"interface", `{{.Any}}{{with .Iface}}{{.Name}}{{end}}`, "run"},
	{"pointer to string", `{{.Ptr}}`, "run"},
	{"stringer", `{{.Str}}`, "abort"},
	{"named strings", `<p title="{{.JS}}{{.Kind}}">{{.JS}}{{.Kind}}</p><a href="/{{.Kind}}?{{.JS}}">x</a>`, "run"},
	{"bytes", `{{.Bytes}}`, "abort"},
	{"unexported", `{{.priv}}`, "abort"},
	{"missing field", `{{.Nope}}`, "abort"},
	{"template", `{{define "t"}}<b>{{.Name}}</b>{{$}}{{end}}{{template "t" .Sub}}{{range .Items}}{{template "t" .}}{{end}}`, "abort"},
	{"template plain", `{{define "t"}}<b>{{.Name}}</b>{{end}}{{template "t" .Sub}}{{range .Items}}{{template "t" .}}{{end}}{{template "t" $}}`, "run"},
	{"block", `{{block "b" .Sub}}[{{.Name}}]{{end}}`, "run"},
	{"literals", `{{"str"}}{{1}}{{true}}{{.}}`, "abort"},
	{"literal string", `{{"a<b"}}{{true}}{{1}}`, "run"},
	{"parens", `{{(.Sub).Name}}{{(.Link).Upper}}`, "run"},
	{"printf", `{{printf "%d" .N}}`, "none"},
	{"script", `<script>var x = {{.Name}};</script>`, "none"},
	{"style", `<p style="color: {{.Name}}">x</p>`, "none"},
	{"comment", `{{/* a comment */}}<p>x</p>`, "run"},
	{"float", `{{.Float}}`, "abort"},
	{"chan", `{{if .Chan}}c{{end}}{{if .Func}}f{{end}}{{with .Struct}}{{.A}}{{end}}`, "run"},
}

func TestCompiledSameAsHTMLTemplate(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmpl := template.Must(template.New("page").Parse(c.text))
			var want bytes.Buffer
			werr := tmpl.Execute(&want, data())
			p := Compile(tmpl)
			if p == nil {
				if c.want != "none" {
					t.Fatalf("not compiled, want %s", c.want)
				}
				return
			}
			var got bytes.Buffer
			got.WriteString("before|")
			ran := p.Execute(&got, data())
			switch {
			case c.want == "none":
				t.Fatalf("compiled, want none")
			case ran != (c.want == "run"):
				t.Fatalf("Execute = %v, want %s (html/template: %q, %v)", ran, c.want, want.String(), werr)
			case !ran && got.String() != "before|":
				t.Fatalf("aborted, but left %q", got.String())
			case ran && werr != nil:
				t.Fatalf("ran, but html/template fails: %v", werr)
			case ran && got.String() != "before|"+want.String():
				t.Fatalf("got  %q\nwant %q", strings.TrimPrefix(got.String(), "before|"), want.String())
			}
		})
	}
}

// FuzzCompiled: text of any kind in every context gives what html/template gives.
func FuzzCompiled(f *testing.F) {
	f.Add(`a "quoted" <tag> & 'x' + y`, "javascript:x", "%zz%41 é")
	f.Add("\x00\xff\xfe", "HTTPS://x", "mailto:a@b")
	f.Add("%41%4", "%41", "%zz")
	tmpl := template.Must(template.New("page").Parse(`<title>{{.Name}}</title><p title="{{.Name}}">{{.Name}} {{.HTML}}</p><a href="{{.URL}}">{{.Sub.Name}}</a><a href="/x/{{.Sub.Name}}?q={{.Name}}#{{.URL}}">y</a>` +
		`{{range .Items}}<i data-x="{{.Name}}">{{.Name}}</i>{{end}}`))
	tmpl.Execute(io.Discard, nil)
	p := Compile(tmpl)
	if p == nil {
		f.Fatal("not compiled")
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		d := &item{Name: a, URL: b, HTML: template.HTML(c), Sub: &item{Name: c}, Items: []item{{Name: b}, {Name: a + c}}}
		var want, got bytes.Buffer
		if err := tmpl.Execute(&want, d); err != nil {
			t.Fatal(err)
		}
		if !p.Execute(&got, d) {
			t.Fatal("aborted")
		}
		if got.String() != want.String() {
			t.Fatalf("got  %q\nwant %q", got.String(), want.String())
		}
	})
}

// TestStateFreed: a state given back keeps nothing of its run (no variable, no writer, no
// value for the collector to keep), and the next one begins with $ alone, at its depth.
func TestStateFreed(t *testing.T) {
	var w bytes.Buffer
	s := newState(&w, reflect.ValueOf("uno"), 3)
	s.vars = append(s.vars, variable{"$x", reflect.ValueOf("due")})
	s.vars = s.vars[:1] // a scope left: $x is past the end
	s.free()
	if len(s.vars) != 0 || s.w != nil {
		t.Fatalf("a freed state keeps %d variables and writer %v", len(s.vars), s.w)
	}
	for i, v := range s.vars[:cap(s.vars)] {
		if v.name != "" || v.value.IsValid() {
			t.Fatalf("a freed state keeps variable %d: %s", i, v.name)
		}
	}
	n := newState(&w, reflect.ValueOf("tre"), 0)
	defer n.free()
	if len(n.vars) != 1 || n.vars[0].name != "$" || n.vars[0].value.String() != "tre" || n.depth != 0 || n.w != &w {
		t.Fatalf("a new state: %+v", n)
	}
}
