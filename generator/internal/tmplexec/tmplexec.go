// Package tmplexec runs html/template templates faster: it compiles a template's escaped
// parse tree once into Go closures that look each field up by its place in its type (found
// once a type), and call html/template's escapers directly, where text/template looks every
// name up again and calls every escaper through reflection. On an act's page of the albo
// that is most of the time of its template.
//
// It takes what the albo's themes use: fields, maps and methods without arguments; if,
// with, range over lists and numbers, template, variables, break and continue; the
// comparisons, and, or, not, len and index; and the escapers of HTML text, attributes,
// RCDATA and URLs. A template with anything else is not compiled (Compile returns nil),
// and a value it does not take while it runs (a Stringer, a nil pointer to follow, an
// HTML value in an attribute) makes Execute return false: in both cases the caller runs
// html/template itself, which gives the same page, or its error. The tests compare the
// two on the themes' every page.
package tmplexec

import (
	"bytes"
	"cmp"
	"html/template"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"text/template/parse"
)

// Program is a compiled template, safe for concurrent use.
type Program struct {
	run exec
}

// ctl is how a node ends: normally, with break or continue, or aborted (html/template
// must run the whole template instead).
type ctl uint8

const (
	ok ctl = iota
	brk
	cont
	abort
)

type exec func(s *state, dot reflect.Value) ctl

// eval evaluates a value; final is the value of the pipeline's command before, or the
// zero Value. It reports false to abort.
type eval func(s *state, dot, final reflect.Value) (reflect.Value, bool)

type state struct {
	w     *bytes.Buffer
	vars  []variable
	depth int
}

type variable struct {
	name  string
	value reflect.Value
}

// maxDepth is text/template's limit of nested template calls; past it, html/template
// reports the error.
const maxDepth = 100000

// Compile compiles t, whose tree html/template has escaped (t was executed once). It
// returns nil when the template uses what the package does not take.
func Compile(t *template.Template) *Program {
	c := &compiler{set: t, progs: map[string]*Program{}}
	p, err := c.template(t.Name())
	if err != nil {
		return nil
	}
	return p
}

// Execute runs the program with data into w and reports true; or leaves w as it was and
// reports false, for html/template to run the template.
func (p *Program) Execute(w *bytes.Buffer, data any) bool {
	start := w.Len()
	dot := reflect.ValueOf(data)
	s := newState(w, dot, 0)
	defer s.free()
	if p.run(s, dot) != ok {
		w.Truncate(start)
		return false
	}
	return true
}

// newState is the state of a run of a template with dot as $, depth calls deep, writing
// to w; free gives it back (a page of an act runs a template and calls six more: each
// state and its variables were 20,000 objects of a build of 10,000 acts).
func newState(w *bytes.Buffer, dot reflect.Value, depth int) *state {
	s := states.Get().(*state)
	s.w, s.depth = w, depth
	s.vars = append(s.vars, variable{"$", dot})
	return s
}

// free forgets what s ran with and keeps it for the next run.
func (s *state) free() {
	clear(s.vars[:cap(s.vars)])
	s.w, s.vars = nil, s.vars[:0]
	states.Put(s)
}

var states = sync.Pool{New: func() any { return &state{vars: make([]variable, 0, 8)} }}

type compiler struct {
	set   *template.Template
	progs map[string]*Program // by name, while and after they compile: templates may call themselves
}

type unsupported struct{ what string }

func (u unsupported) Error() string { return "tmplexec: " + u.what }

func (c *compiler) template(name string) (*Program, error) {
	if p, ok := c.progs[name]; ok {
		return p, nil
	}
	t := c.set.Lookup(name)
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return nil, unsupported{"template " + name}
	}
	p := &Program{}
	c.progs[name] = p
	run, err := c.list(t.Tree.Root)
	if err != nil {
		return nil, err
	}
	p.run = run
	return p, nil
}

func (c *compiler) list(l *parse.ListNode) (exec, error) {
	if l == nil {
		return func(*state, reflect.Value) ctl { return ok }, nil
	}
	var nodes []exec
	for _, n := range l.Nodes {
		e, err := c.node(n)
		if err != nil {
			return nil, err
		}
		if e != nil {
			nodes = append(nodes, e)
		}
	}
	if len(nodes) == 1 {
		return nodes[0], nil
	}
	return func(s *state, dot reflect.Value) ctl {
		for _, n := range nodes {
			if r := n(s, dot); r != ok {
				return r
			}
		}
		return ok
	}, nil
}

func (c *compiler) node(n parse.Node) (exec, error) {
	switch n := n.(type) {
	case *parse.TextNode:
		text := n.Text
		return func(s *state, _ reflect.Value) ctl { s.w.Write(text); return ok }, nil
	case *parse.CommentNode:
		return nil, nil
	case *parse.ActionNode:
		return c.action(n)
	case *parse.IfNode:
		return c.branch(n.Pipe, n.List, n.ElseList, false)
	case *parse.WithNode:
		return c.branch(n.Pipe, n.List, n.ElseList, true)
	case *parse.RangeNode:
		return c.rangeNode(n)
	case *parse.TemplateNode:
		return c.call(n)
	case *parse.BreakNode:
		return func(*state, reflect.Value) ctl { return brk }, nil
	case *parse.ContinueNode:
		return func(*state, reflect.Value) ctl { return cont }, nil
	}
	return nil, unsupported{n.String()}
}

// action prints a pipeline, which html/template ends with its escapers, or declares
// variables.
func (c *compiler) action(n *parse.ActionNode) (exec, error) {
	if len(n.Pipe.Decl) > 0 {
		pipe, err := c.pipe(n.Pipe)
		if err != nil {
			return nil, err
		}
		return func(s *state, dot reflect.Value) ctl {
			if _, ok := pipe(s, dot, reflect.Value{}); !ok {
				return abort
			}
			return ok
		}, nil
	}
	// The escapers at the end are applied to the value before them, into the page: no
	// reflection, no string made for the value.
	cmds := n.Pipe.Cmds
	var chain []escaper // backwards
	k := len(cmds)
	for ; k > 0; k-- {
		e := escaperOf(cmds[k-1])
		if e == nil {
			break
		}
		chain = append(chain, e)
	}
	if k == len(cmds) || k == 0 {
		return nil, unsupported{"an action not escaped: " + n.String()}
	}
	slices.Reverse(chain)
	value, err := c.commands(cmds[:k])
	if err != nil {
		return nil, err
	}
	return func(s *state, dot reflect.Value) ctl {
		v, ok1 := value(s, dot, reflect.Value{})
		if !ok1 {
			return abort
		}
		str, typ, ok2 := stringify(v)
		if !ok2 {
			return abort
		}
		for i, e := range chain {
			if i == len(chain)-1 {
				if !e(s.w, str, typ) {
					return abort
				}
				break
			}
			var b bytes.Buffer
			if !e(&b, str, typ) {
				return abort
			}
			str, typ = b.String(), plain
		}
		return ok
	}, nil
}

// branch is if (dot stays) or with (dot becomes the value), with its else.
func (c *compiler) branch(p *parse.PipeNode, list, elseList *parse.ListNode, with bool) (exec, error) {
	pipe, then, other, err := c.control(p, list, elseList)
	if err != nil {
		return nil, err
	}
	return func(s *state, dot reflect.Value) ctl {
		return s.scoped(pipe, dot, func(v reflect.Value) ctl {
			t, ok1 := truth(indirectInterface(v))
			switch {
			case !ok1:
				return abort
			case t && with:
				return then(s, v)
			case t:
				return then(s, dot)
			case other != nil:
				return other(s, dot)
			}
			return ok
		})
	}, nil
}

// scoped evaluates pipe and calls f with its value; the variables declared meanwhile are
// dropped after it, as at the end of if, with and range.
func (s *state) scoped(pipe eval, dot reflect.Value, f func(v reflect.Value) ctl) ctl {
	mark := len(s.vars)
	defer func() { s.vars = s.vars[:mark] }()
	v, ok1 := pipe(s, dot, reflect.Value{})
	if !ok1 {
		return abort
	}
	return f(v)
}

// control compiles the parts of if, with and range: the pipeline, the list, and the else
// list (nil without one).
func (c *compiler) control(p *parse.PipeNode, list, elseList *parse.ListNode) (pipe eval, then, other exec, err error) {
	if pipe, err = c.pipe(p); err != nil {
		return
	}
	if then, err = c.list(list); err != nil || elseList == nil {
		return
	}
	other, err = c.list(elseList)
	return
}

func (c *compiler) rangeNode(n *parse.RangeNode) (exec, error) {
	pipe, body, other, err := c.control(n.Pipe, n.List, n.ElseList)
	if err != nil {
		return nil, err
	}
	decl := n.Pipe.Decl
	assign := n.Pipe.IsAssign
	return func(s *state, dot reflect.Value) ctl {
		return s.scoped(pipe, dot, func(v reflect.Value) ctl { return s.iterate(v, dot, decl, assign, body, other) })
	}, nil
}

// iterate runs body for each element of v, a list or a number, with the variables of decl
// set, or other for none.
func (s *state) iterate(v, dot reflect.Value, decl []*parse.VariableNode, assign bool, body, other exec) ctl {
	val, isNil := indirect(v)
	if isNil {
		return abort
	}
	inner := len(s.vars)
	one := func(index, elem reflect.Value) ctl {
		switch {
		case len(decl) == 0:
		case assign && len(decl) > 1:
			s.set(decl[0].Ident[0], index)
			s.set(decl[1].Ident[0], elem)
		case assign:
			s.set(decl[0].Ident[0], elem)
		case len(decl) > 1:
			s.vars[len(s.vars)-1].value = elem
			s.vars[len(s.vars)-2].value = index
		default:
			s.vars[len(s.vars)-1].value = elem
		}
		r := body(s, elem)
		s.vars = s.vars[:inner]
		return r
	}
	switch val.Kind() {
	case reflect.Array, reflect.Slice:
		if val.Len() == 0 {
			break
		}
		for i := 0; i < val.Len(); i++ {
			switch one(reflect.ValueOf(i), val.Index(i)) {
			case abort:
				return abort
			case brk:
				return ok
			}
		}
		return ok
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if len(decl) > 1 {
			return abort // html/template's error
		}
		if val.Int() <= 0 {
			break
		}
		for i := int64(0); i < val.Int(); i++ {
			x := reflect.ValueOf(i).Convert(val.Type())
			switch one(x, x) {
			case abort:
				return abort
			case brk:
				return ok
			}
		}
		return ok
	case reflect.Invalid: // a nil list
	default:
		return abort // maps, channels, functions: html/template ranges over them
	}
	if other != nil {
		return other(s, dot)
	}
	return ok
}

// set assigns the variable name (=), the last one of that name.
func (s *state) set(name string, v reflect.Value) {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			s.vars[i].value = v
			return
		}
	}
}

func (s *state) lookup(name string) (reflect.Value, bool) {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			return s.vars[i].value, true
		}
	}
	return reflect.Value{}, false
}

// call runs another template of the set with the pipeline's value as dot and as $.
func (c *compiler) call(n *parse.TemplateNode) (exec, error) {
	callee, err := c.template(n.Name)
	if err != nil {
		return nil, err
	}
	var pipe eval
	if n.Pipe != nil {
		if pipe, err = c.pipe(n.Pipe); err != nil {
			return nil, err
		}
	}
	return func(s *state, dot reflect.Value) ctl {
		var v reflect.Value
		if pipe != nil {
			var ok1 bool
			if v, ok1 = pipe(s, dot, reflect.Value{}); !ok1 {
				return abort
			}
		}
		if s.depth >= maxDepth {
			return abort
		}
		inner := newState(s.w, v, s.depth+1)
		defer inner.free()
		if callee.run(inner, v) == abort {
			return abort
		}
		return ok
	}, nil
}

// pipe evaluates a pipeline and declares or assigns its variables.
func (c *compiler) pipe(p *parse.PipeNode) (eval, error) {
	value, err := c.commands(p.Cmds)
	if err != nil {
		return nil, err
	}
	decl, assign := p.Decl, p.IsAssign
	if len(decl) == 0 {
		return value, nil
	}
	return func(s *state, dot, _ reflect.Value) (reflect.Value, bool) {
		v, ok1 := value(s, dot, reflect.Value{})
		if !ok1 {
			return v, false
		}
		for _, d := range decl {
			if assign {
				s.set(d.Ident[0], v)
			} else {
				s.vars = append(s.vars, variable{d.Ident[0], v})
			}
		}
		return v, true
	}, nil
}

// commands evaluates commands one after the other, each given the value of the one
// before as its last argument.
func (c *compiler) commands(cmds []*parse.CommandNode) (eval, error) {
	if len(cmds) == 0 {
		return nil, unsupported{"an empty pipeline"}
	}
	evals, err := each(cmds, c.command)
	if err != nil {
		return nil, err
	}
	return func(s *state, dot, _ reflect.Value) (reflect.Value, bool) {
		var v reflect.Value
		for _, e := range evals {
			var ok1 bool
			if v, ok1 = e(s, dot, v); !ok1 {
				return v, false
			}
			if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
				v = reflect.ValueOf(v.Interface()) // as text/template: one level down
			}
		}
		return v, true
	}, nil
}

func (c *compiler) command(cmd *parse.CommandNode) (eval, error) {
	args := cmd.Args
	if id, ok := args[0].(*parse.IdentifierNode); ok {
		return c.function(id.Ident, args[1:])
	}
	if len(args) > 1 {
		return nil, unsupported{"arguments to " + args[0].String()} // to a method, or an error
	}
	e, err := c.arg(args[0])
	if err != nil {
		return nil, err
	}
	return noFinal(e), nil
}

// each compiles every node with compile.
func each[N any](nodes []N, compile func(N) (eval, error)) ([]eval, error) {
	evals := make([]eval, len(nodes))
	for i, n := range nodes {
		e, err := compile(n)
		if err != nil {
			return nil, err
		}
		evals[i] = e
	}
	return evals, nil
}

// noFinal is e where no value may come from a command before (text/template's "can't
// give argument to non-function").
func noFinal(e eval) eval {
	return func(s *state, dot, final reflect.Value) (reflect.Value, bool) {
		if final.IsValid() {
			return reflect.Value{}, false
		}
		return e(s, dot, final)
	}
}

func dotValue(_ *state, dot, _ reflect.Value) (reflect.Value, bool) { return dot, true }

// arg evaluates an argument of a function, or the base of a chain.
func (c *compiler) arg(n parse.Node) (eval, error) {
	switch n := n.(type) {
	case *parse.DotNode:
		return dotValue, nil
	case *parse.FieldNode:
		return c.fields(dotValue, n.Ident), nil
	case *parse.VariableNode:
		return c.variable(n), nil
	case *parse.PipeNode:
		return c.pipe(n)
	case *parse.ChainNode:
		if n.Node.Type() == parse.NodeNil {
			return nil, unsupported{n.String()}
		}
		base, err := c.arg(n.Node)
		if err != nil {
			return nil, err
		}
		return c.fields(base, n.Field), nil
	case *parse.IdentifierNode:
		return c.function(n.Ident, nil)
	case *parse.StringNode:
		v := reflect.ValueOf(n.Text)
		return func(*state, reflect.Value, reflect.Value) (reflect.Value, bool) { return v, true }, nil
	case *parse.BoolNode:
		v := reflect.ValueOf(n.True)
		return func(*state, reflect.Value, reflect.Value) (reflect.Value, bool) { return v, true }, nil
	case *parse.NumberNode:
		if !n.IsInt || n.IsFloat && bytes.ContainsAny([]byte(n.Text), ".eEpP") || int64(int(n.Int64)) != n.Int64 {
			return nil, unsupported{n.Text}
		}
		v := reflect.ValueOf(int(n.Int64))
		return func(*state, reflect.Value, reflect.Value) (reflect.Value, bool) { return v, true }, nil
	}
	return nil, unsupported{n.String()}
}

func (c *compiler) variable(n *parse.VariableNode) eval {
	name := n.Ident[0]
	base := func(s *state, _, _ reflect.Value) (reflect.Value, bool) { return s.lookup(name) }
	if len(n.Ident) == 1 {
		return noFinal(base)
	}
	return c.fields(base, n.Ident[1:])
}

// fields follows a chain of field names (.A.B.C) from the value base gives.
func (c *compiler) fields(base eval, names []string) eval {
	steps := make([]*field, len(names))
	for i, name := range names {
		steps[i] = &field{name: name}
	}
	return func(s *state, dot, final reflect.Value) (reflect.Value, bool) {
		if final.IsValid() {
			return reflect.Value{}, false // an argument to a method or a field: html/template's
		}
		v, ok1 := base(s, dot, reflect.Value{})
		if !ok1 {
			return v, false
		}
		for _, f := range steps {
			if v, ok1 = f.of(v); !ok1 {
				return v, false
			}
		}
		return v, true
	}
}

// field is one name of a chain, with what it was found to be in the last type met.
type field struct {
	name  string
	found atomic.Pointer[access]
}

// access is what a name is in a type: a method (of the pointer to it, when the value is
// addressable), a field, or a key of a map.
type access struct {
	typ    reflect.Type
	addr   bool // the value was addressable
	method int  // -1: not a method
	index  []int
	key    reflect.Value // for a map
}

// of is the value of the name in v, as text/template's evalField finds it.
func (f *field) of(v reflect.Value) (reflect.Value, bool) {
	if !v.IsValid() {
		return v, false
	}
	v, isNil := indirect(v)
	if isNil {
		return v, false // a method of a nil pointer, or html/template's error
	}
	a := f.found.Load()
	if a == nil || a.typ != v.Type() || a.addr != v.CanAddr() {
		if a = resolve(v, f.name); a == nil {
			return v, false
		}
		f.found.Store(a)
	}
	switch {
	case a.method >= 0:
		recv := v
		if a.addr {
			recv = v.Addr()
		}
		return recv.Method(a.method).Call(nil)[0], true
	case a.index != nil:
		if len(a.index) == 1 {
			return v.Field(a.index[0]), true
		}
		x, err := v.FieldByIndexErr(a.index)
		return x, err == nil
	default:
		return v.MapIndex(a.key), true
	}
}

// resolve finds what name is in v, a value that is neither a pointer nor an interface
// (field.of follows them), as text/template does: a method first, of the pointer when v is
// addressable. A method with arguments, or that returns an error too, is html/template's.
func resolve(v reflect.Value, name string) *access {
	a := &access{typ: v.Type(), addr: v.CanAddr(), method: -1}
	t := a.typ
	if a.addr {
		t = reflect.PointerTo(t)
	}
	if m, ok := t.MethodByName(name); ok {
		if m.Type.NumIn() != 1 || m.Type.NumOut() != 1 { // the receiver is the one argument
			return nil
		}
		a.method = m.Index
		return a
	}
	switch v.Kind() {
	case reflect.Struct:
		if f, ok := v.Type().FieldByName(name); ok && f.IsExported() {
			a.index = f.Index
			return a
		}
	case reflect.Map:
		key := reflect.ValueOf(name)
		if key.Type().AssignableTo(v.Type().Key()) {
			a.key = key
			return a
		}
	}
	return nil
}

// function is a function called with args and, last, the value of the command before.
func (c *compiler) function(name string, args []parse.Node) (eval, error) {
	evals, err := each(args, c.arg)
	if err != nil {
		return nil, err
	}
	// call calls f with the values of the arguments, the final value last when there is
	// one, if arity takes their number.
	call := func(arity func(n int) bool, f func(vs []reflect.Value) (reflect.Value, bool)) eval {
		return func(s *state, dot, final reflect.Value) (reflect.Value, bool) {
			var buf [4]reflect.Value
			vs := buf[:0]
			for _, e := range evals {
				v, ok1 := e(s, dot, reflect.Value{})
				if !ok1 {
					return v, false
				}
				vs = append(vs, v)
			}
			if final.IsValid() {
				vs = append(vs, final)
			}
			if !arity(len(vs)) {
				return reflect.Value{}, false
			}
			return f(vs)
		}
	}
	switch name {
	case "and", "or":
		or := name == "or"
		return func(s *state, dot, final reflect.Value) (reflect.Value, bool) {
			if len(evals) == 0 {
				return reflect.Value{}, false
			}
			var v reflect.Value
			for _, e := range evals {
				var ok1 bool
				if v, ok1 = e(s, dot, reflect.Value{}); !ok1 {
					return v, false
				}
				t, _ := truth(v)
				if t == or {
					return v, true
				}
			}
			if final.IsValid() {
				v = final
			}
			return v, true
		}, nil
	case "not":
		return call(func(n int) bool { return n == 1 }, func(vs []reflect.Value) (reflect.Value, bool) {
			t, _ := truth(vs[0])
			return reflect.ValueOf(!t), true
		}), nil
	case "eq", "ne", "lt", "le", "gt", "ge":
		return call(func(n int) bool { return n == 2 || name == "eq" && n > 2 }, func(vs []reflect.Value) (reflect.Value, bool) {
			t, ok := compare(name, vs[0], vs[1:])
			return reflect.ValueOf(t), ok
		}), nil
	case "len":
		return call(func(n int) bool { return n == 1 }, func(vs []reflect.Value) (reflect.Value, bool) {
			v, isNil := indirect(vs[0])
			switch {
			case isNil:
				return v, false
			case v.Kind() == reflect.Array, v.Kind() == reflect.Map, v.Kind() == reflect.Slice, v.Kind() == reflect.String:
				return reflect.ValueOf(v.Len()), true
			}
			return v, false
		}), nil
	case "index":
		return call(func(n int) bool { return n > 0 }, func(vs []reflect.Value) (reflect.Value, bool) {
			return index(vs[0], vs[1:])
		}), nil
	}
	return nil, unsupported{"the function " + name}
}

// index is text/template's index for lists and maps, where it gives a value.
func index(item reflect.Value, indexes []reflect.Value) (reflect.Value, bool) {
	item = indirectInterface(item)
	if !item.IsValid() {
		return item, false
	}
	for _, x := range indexes {
		x = indirectInterface(x)
		var isNil bool
		if item, isNil = indirect(item); isNil {
			return item, false
		}
		switch item.Kind() {
		case reflect.Array, reflect.Slice, reflect.String:
			if kindOf(x) != 'i' || x.Int() < 0 || x.Int() >= int64(item.Len()) {
				return item, false
			}
			item = item.Index(int(x.Int()))
		case reflect.Map:
			if !x.IsValid() || !x.Type().AssignableTo(item.Type().Key()) {
				return item, false
			}
			if v := item.MapIndex(x); v.IsValid() {
				item = v
			} else {
				item = reflect.Zero(item.Type().Elem())
			}
		default:
			return item, false
		}
	}
	return item, true
}

// compare is text/template's eq (any of others), ne, lt, le, gt and ge, for values of the
// same basic kind, or integers of either sign; it reports false for the rest, where
// text/template compares other values or gives its error.
func compare(op string, a reflect.Value, others []reflect.Value) (bool, bool) {
	a = indirectInterface(a)
	for _, b := range others {
		b = indirectInterface(b)
		c, ok1 := order(a, b)
		if !ok1 {
			return false, false
		}
		var t bool
		switch op {
		case "eq":
			t = c == 0
		case "ne":
			t = c != 0
		case "lt":
			t = c < 0
		case "le":
			t = c <= 0
		case "gt":
			t = c > 0
		case "ge":
			t = c >= 0
		}
		if t || op != "eq" {
			return t, true
		}
	}
	return false, true
}

// order compares two values of a basic kind: -1, 0 or 1.
func order(a, b reflect.Value) (int, bool) {
	switch ka, kb := kindOf(a), kindOf(b); {
	case ka == 'i' && kb == 'i':
		return cmp.Compare(a.Int(), b.Int()), true
	case ka == 'u' && kb == 'u':
		return cmp.Compare(a.Uint(), b.Uint()), true
	case ka == 'i' && kb == 'u':
		if a.Int() < 0 {
			return -1, true
		}
		return cmp.Compare(uint64(a.Int()), b.Uint()), true
	case ka == 'u' && kb == 'i':
		if b.Int() < 0 {
			return 1, true
		}
		return cmp.Compare(a.Uint(), uint64(b.Int())), true
	case ka == 's' && kb == 's':
		return cmp.Compare(a.String(), b.String()), true
	}
	return 0, false // bools, floats, others: left to text/template
}

func kindOf(v reflect.Value) byte {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return 'i'
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return 'u'
	case reflect.String:
		return 's'
	}
	return 0
}

// truth is text/template's truth of a value: false for the zero value of its type.
func truth(v reflect.Value) (bool, bool) {
	if !v.IsValid() {
		return false, true
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0, true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() != 0, true
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		return !v.IsNil(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0, true
	case reflect.Float32, reflect.Float64:
		return v.Float() != 0, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0, true
	case reflect.Struct:
		return true, true
	}
	return false, false
}

// indirect follows pointers and interfaces to a value, or to the nil one it meets.
func indirect(v reflect.Value) (reflect.Value, bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return v, true
		}
	}
	return v, false
}

// indirectInterface is the value inside an interface.
func indirectInterface(v reflect.Value) reflect.Value {
	if v.Kind() != reflect.Interface {
		return v
	}
	if v.IsNil() {
		return reflect.Value{}
	}
	return v.Elem()
}

// Content types of html/template that the escapers here tell apart.
type content uint8

const (
	plain content = iota
	html
	url
)

var (
	htmlType = reflect.TypeFor[template.HTML]()
	urlType  = reflect.TypeFor[template.URL]()
)

// stringify is html/template's stringify of one value, for what it takes: strings (HTML
// and URL values apart), integers, booleans and nothing (""); pointers to them are
// followed.
func stringify(v reflect.Value) (string, content, bool) {
	if !v.IsValid() {
		return "", plain, true
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return "", plain, v.Kind() == reflect.Interface
		}
		v = v.Elem()
	}
	switch t := v.Type(); {
	case t == htmlType:
		return v.String(), html, true
	case t == urlType:
		return v.String(), url, true
	case t.NumMethod() > 0 || reflect.PointerTo(t).NumMethod() > 0:
		return "", plain, false // a Stringer or an error, maybe
	}
	// html/template's other content types (JS, CSS, ...) are escaped as plain text by the
	// escapers here.
	switch v.Kind() {
	case reflect.String:
		return v.String(), plain, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), plain, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), plain, true
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), plain, true
	}
	return "", plain, false
}
