package render

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/internal/wire"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/search"
	"github.com/borgoesempio/albo/themes"
)

// TestBeginReuses checks that a session's render finds what the last one made of each
// act, whether its entry is in its place, has moved (an act added or removed before it,
// two acts swapped), or is a new entry of the same act (a new day), and that it forgets
// the acts that were left out.
func TestBeginReuses(t *testing.T) {
	r := &Renderer{site: "s"}
	r.Remember()
	entry := func(k byte) *schedule.Entry { return &schedule.Entry{Key: [32]byte{k}} }
	e := []*schedule.Entry{entry(0), entry(1), entry(2), entry(3), entry(4)}
	n := entry(9)
	last := map[byte]*made{} // what the last round made of each act, by its key's first byte
	round := func(name string, lists ...[]*schedule.Entry) {
		t.Helper()
		mades := r.begin(lists...)
		count := 0
		seen := map[byte]*made{}
		for _, l := range lists {
			for _, x := range l {
				if count >= len(mades) {
					t.Fatalf("%s: %d made, more entries in the render", name, len(mades))
				}
				m := mades[count]
				count++
				if m == nil {
					t.Fatalf("%s: nothing made of act %d", name, x.Key[0])
				}
				if was, ok := last[x.Key[0]]; ok && was != m {
					t.Errorf("%s: act %d made again", name, x.Key[0])
				}
				if m.key != r.fresh(x).key {
					t.Errorf("%s: act %d given what was made of another", name, x.Key[0])
				}
				seen[x.Key[0]] = m
			}
		}
		last = seen // an act left out of a render is made again when it comes back
		if len(mades) != count {
			t.Errorf("%s: %d made, %d entries in the render", name, len(mades), count)
		}
	}
	round("first", e[:3], e[3:])
	round("same", e[:3], e[3:])
	round("added before, removed at the end", []*schedule.Entry{n}, e[:4])
	round("removed before", e[1:4])
	e1 := entry(1) // the same act, a new entry (another day)
	round("new entry", []*schedule.Entry{e1, e[3], e[2]})
	round("back", []*schedule.Entry{e1}, e[2:])
	round("after one left out", e) // act 0 came back
	r.memo.forget()
	clear(last)
	round("after forget", e)
}

// TestBeginLetsGoOfLastProcess: a single build's render takes from the last process's
// memo what it recalls, and lets go of the rest (the acts gone since; everything when the
// site key changed), which would otherwise stay in the heap through the render; whether
// the memo is to be written again is still known.
func TestBeginLetsGoOfLastProcess(t *testing.T) {
	kept, gone := [32]byte{1}, [32]byte{2}
	for _, c := range []struct {
		name, site string
		acts       []*schedule.Entry
		recalled   bool
		changed    bool
	}{
		{"same site, an act gone", "s", []*schedule.Entry{{Key: kept}}, true, true},
		{"same site, same acts", "s", []*schedule.Entry{{Key: kept}, {Key: gone}}, true, false},
		{"another albo, theme or configuration", "t", []*schedule.Entry{{Key: kept}}, false, true},
	} {
		last := &remembered{Riga: "riga"}
		mem := &Memory{site: "s", now: "s", last: map[[32]byte]*remembered{kept: last, gone: {}}, lastN: 2}
		r := &Renderer{site: c.site, mem: mem}
		mades := r.begin(c.acts)
		if got := mades[0].last == last; got != c.recalled {
			t.Errorf("%s: recalled %v, want %v", c.name, got, c.recalled)
		}
		if mem.last != nil {
			t.Errorf("%s: the last process's memo is still held after begin (%d acts)", c.name, len(mem.last))
		}
		if mem.Changed() != c.changed {
			t.Errorf("%s: memo to write again %v, want %v", c.name, mem.Changed(), c.changed)
		}
	}
}

// keyedSink is a site in memory that keeps a file when asked for it with the key it was
// written with in the site before (live), and records what was written and kept, and
// the bytes of each file (those of live in liveBytes, when given).
type keyedSink struct {
	mu                 *sync.Mutex
	live, written      map[string]string // rel → key
	kept               map[string]bool
	liveBytes, content map[string][]byte
}

func newKeyedSink(live map[string]string) keyedSink {
	return keyedSink{mu: &sync.Mutex{}, live: live, written: map[string]string{}, kept: map[string]bool{}, content: map[string][]byte{}}
}

func (k keyedSink) WriteFile(rel string, data []byte) error { return k.WriteKeyed(rel, "", data) }
func (k keyedSink) WriteKeyed(rel, key string, parts ...[]byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, twice := k.written[rel]; twice || k.kept[rel] {
		return fmt.Errorf("%s written twice", rel) // as write.Tree says
	}
	k.written[rel] = key
	k.content[rel] = bytes.Join(parts, nil)
	return nil
}
func (k keyedSink) Keep(rel, key string) bool { return k.KeepHinted(rel, key, nil) }
func (k keyedSink) KeepHinted(rel, key string, _ *any) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if live, ok := k.live[rel]; ok && key != "" && live == key && !k.kept[rel] {
		k.kept[rel] = true
		return true
	}
	return false
}
func (k keyedSink) CopyFile(rel, _, key string) error { return k.WriteKeyed(rel, key) }
func (k keyedSink) Previous(rel string) io.ReadSeekCloser {
	if b, ok := k.liveBytes[rel]; ok {
		return liveFile{bytes.NewReader(b)}
	}
	return nil
}
func (k keyedSink) Stream(rel string) (io.Writer, func(string, error) error, error) {
	return streamTo(k.WriteKeyed, rel)
}

// liveFile is a file of the live site, in memory (keyedSink.Previous).
type liveFile struct{ *bytes.Reader }

func (liveFile) Close() error { return nil }

// site is what the sink holds after a render: what it kept from live and what it wrote.
func (k keyedSink) site() map[string]string {
	site := maps.Clone(k.written)
	for rel := range k.kept {
		site[rel] = k.live[rel]
	}
	return site
}

// file is the bytes of rel after a render: written, or kept from live.
func (k keyedSink) file(rel string) []byte {
	if k.kept[rel] {
		return k.liveBytes[rel]
	}
	return k.content[rel]
}

// renderAfter renders p as a single build does after the one that left memo (the memo
// written by Memo().Write) and the site last (nil: none), changing the memo as tamper
// says when it is not nil; it returns the renderer, the site made and the memo written.
func renderAfter(tb testing.TB, p *schedule.Plan, memo []byte, last *keyedSink, tamper func(*Memory)) (*Renderer, keyedSink, []byte) {
	tb.Helper()
	r, err := New(themes.Default)
	if err != nil {
		tb.Fatal(err)
	}
	mem := ReadMemory(&wire.Reader{B: memo})
	if tamper != nil {
		tamper(mem)
	}
	r.Recall(mem, nil)
	out := newKeyedSink(nil)
	if last != nil {
		out.live, out.liveBytes = last.site(), map[string][]byte{}
		for rel := range out.live {
			out.liveBytes[rel] = last.file(rel)
		}
	}
	if err := r.Render(p, out); err != nil {
		tb.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Memo().Write(&b); err != nil {
		tb.Fatal(err)
	}
	return r, out, b.Bytes()
}

// TestSearchIndexKept: a single build keeps the search index the last process wrote from
// the same acts, every file of it, without building it; one act changed, the index is
// built again, and what it writes is what a build from nothing writes.
func TestSearchIndexKept(t *testing.T) {
	site, p := samplePlan(t)
	built := false // whether the last render built its index of the acts in publication
	render := func(p *schedule.Plan, memo []byte, live map[string]string) (keyedSink, []byte) {
		t.Helper()
		r, out, memo := renderAfter(t, p, memo, &keyedSink{written: live}, nil)
		built = r.index != search.Builder{}
		return out, memo
	}
	first, memo := render(p, nil, nil)
	if !built {
		t.Fatal("the first render did not build the index")
	}
	index := 0
	for rel := range first.written {
		if strings.HasPrefix(rel, SearchDir) && rel != SearchDir+"index.html" {
			index++
		}
	}
	if index == 0 {
		t.Fatal("no search index written")
	}
	_, p2 := samplePlan(t) // acts that hold their bodies
	second, _ := render(p2, memo, first.site())
	if built {
		t.Error("the index built again from the same acts")
	}
	for _, e := range p2.Entries {
		if e.State == schedule.InPubblicazione && e.Body != nil {
			t.Errorf("%s: the body is held after a render that kept the index", e.Path)
		}
	}
	for rel := range second.written {
		if strings.HasPrefix(rel, SearchDir) && rel != SearchDir+"index.html" {
			t.Errorf("%s written again from the same acts", rel)
		}
	}
	// A file of the index gone from the site: the rest is kept, that one made again.
	live := first.site()
	var terms []string
	for rel := range live {
		if strings.HasPrefix(rel, SearchDir+"t/") {
			terms = append(terms, rel)
		}
	}
	slices.Sort(terms)
	delete(live, terms[len(terms)-1]) // after others the last index lists (filters, results)
	partial, _ := render(p, memo, live)
	for rel, key := range first.site() {
		if strings.HasPrefix(rel, SearchDir) && partial.site()[rel] != key {
			t.Errorf("%s: %q with a file of the index gone, %q before", rel, partial.site()[rel], key)
		}
	}
	// One act changed: its subject is in the index.
	for _, e := range p.Entries {
		if e.State == schedule.InPubblicazione && !e.Type.Marriage() {
			a := *e.Act
			a.Oggetto += " modificato"
			a.Digest[0]++
			e.Act = &a
			break
		}
	}
	p = schedule.Schedule(&load.Site{Root: site.Root, Config: site.Config, Acts: actsOf(p)}, sampleNow)
	third, _ := render(p, memo, first.site())
	if !built {
		t.Error("the index not built again after an act changed")
	}
	fresh, _ := render(p, nil, nil)
	for rel, key := range fresh.site() {
		if strings.HasPrefix(rel, SearchDir) && third.site()[rel] != key {
			t.Errorf("%s: %q after one act changed, %q from nothing", rel, third.site()[rel], key)
		}
	}
}

// actsOf are the acts of the entries of p.
func actsOf(p *schedule.Plan) []*act.Act {
	var acts []*act.Act
	for _, e := range p.Entries {
		acts = append(acts, e.Act)
	}
	return acts
}

// TestDataLinesFromLastFiles: a single build takes the open-data lines of the acts that
// did not change from the files the last process wrote, where the memo says they are,
// and makes only the others; a line the file no longer holds as the memo says is made
// again; the files are what a render from nothing writes; and with nothing changed they
// are kept as they are.
func TestDataLinesFromLastFiles(t *testing.T) {
	dataFiles := []string{"dati/atti.json", "dati/atti.csv", "dati/archivio.csv"}
	var tamper func(*Memory) // changes the memo read, when set
	render := func(p *schedule.Plan, memo []byte, last *keyedSink) (keyedSink, []byte) {
		t.Helper()
		_, out, memo := renderAfter(t, p, memo, last, tamper)
		return out, memo
	}
	same := func(name string, got, want keyedSink) {
		t.Helper()
		for _, rel := range dataFiles {
			if g, w := got.file(rel), want.file(rel); !bytes.Equal(g, w) || len(w) == 0 {
				t.Errorf("%s: %s is not what a render from nothing writes (%d bytes, %d)", name, rel, len(g), len(w))
			}
			if k, ok := got.written[rel]; ok && k != want.written[rel] {
				t.Errorf("%s: %s written with the key %q, from nothing %q", name, rel, k, want.written[rel])
			}
		}
	}
	site, p := samplePlan(t)
	var atti, archivio []*schedule.Entry
	for _, e := range p.Entries {
		switch {
		case e.State == schedule.InPubblicazione && !e.Type.Marriage():
			atti = append(atti, e)
		case e.InArchivio:
			archivio = append(archivio, e)
		}
	}
	if len(atti) < 2 || len(archivio) == 0 {
		t.Fatalf("the sample has %d acts in publication and %d in the archive", len(atti), len(archivio))
	}
	first, memo := render(p, nil, nil)
	// change gives the act registered as reg a new subject and a new key, and the plan
	// of the acts as they are then, with a render of it from nothing.
	change := func(reg act.Registro) (*schedule.Plan, keyedSink) {
		t.Helper()
		acts := actsOf(p)
		for i, a := range acts {
			if a.Registro == reg {
				c := *a
				c.Oggetto += " modificato"
				c.Digest[0]++
				acts[i] = &c
			}
		}
		p = schedule.Schedule(&load.Site{Root: site.Root, Config: site.Config, Acts: acts}, sampleNow)
		fresh, _ := render(p, nil, nil)
		return p, fresh
	}
	// taken renders p with the memo and the files of last, with the subject of the act
	// registered as reg changed under the same key: its line must be taken from the last
	// files, where it has its old subject. It checks the files against want.
	taken := func(name string, reg act.Registro, memo []byte, last *keyedSink, want keyedSink) (keyedSink, []byte) {
		t.Helper()
		var e *schedule.Entry
		for _, x := range p.Entries {
			if x.Registro == reg {
				e = x
			}
		}
		subject := e.Oggetto
		e.Oggetto = "zqx oggetto mai scritto"
		out, memo := render(p, memo, last)
		e.Oggetto = subject
		for _, rel := range []string{"dati/atti.json", "dati/atti.csv"} {
			if out.kept[rel] {
				t.Errorf("%s: %s kept, with an act changed", name, rel)
			}
			if bytes.Contains(out.file(rel), []byte("zqx")) {
				t.Errorf("%s: %s: the line of an act that did not change was made again, not taken from the last file", name, rel)
			}
		}
		same(name, out, want)
		return out, memo
	}
	// The first act changed (a longer subject: every line after it moves), the second
	// taken from the last files.
	first0, first1, last := atti[0].Registro, atti[1].Registro, atti[len(atti)-1].Registro
	p, fresh := change(first0)
	second, memo2 := taken("one act changed", first1, memo, &first, fresh)
	// Another act changed: the second is taken from where the last build moved it.
	p, fresh = change(last)
	third, memo3 := taken("another act changed", first1, memo2, &second, fresh)
	// The last file damaged where the memo says the second act's line is: that line is
	// made again.
	damaged := third
	damaged.content = maps.Clone(third.content)
	json := bytes.Clone(third.file("dati/atti.json"))
	at := bytes.Index(json, []byte(`"registro":"`+first1.String()+`"`))
	at += bytes.Index(json[at:], []byte(`"oggetto":"`)) + len(`"oggetto":"`)
	json[at] ^= 0x20 // another letter's case
	damaged.content["dati/atti.json"] = json
	p, fresh = change(first0)
	fourth, _ := render(p, memo3, &damaged)
	same("the last file damaged", fourth, fresh)
	// The memo damaged where it gives the second act's digest: its line is made again,
	// and the file written with the key of what it holds.
	tamper = func(m *Memory) {
		for _, e := range p.Entries {
			if x := m.last[e.Key]; e.Registro == first1 && x != nil && x.Data != nil {
				x.Data.sum[0]++
			}
		}
	}
	fifth, memo5 := render(p, memo3, &third)
	tamper = nil
	same("the memo damaged", fifth, fresh)
	// Nothing changed since: every file of the open data is kept, and the memo is not
	// written again.
	r, sixth, _ := renderAfter(t, p, memo5, &fifth, nil)
	if r.Memo().Changed() {
		t.Error("the memo is to be written again, with nothing changed")
	}
	for _, rel := range dataFiles {
		if !sixth.kept[rel] {
			t.Errorf("%s written again with nothing changed", rel)
		}
	}
	same("nothing changed", sixth, fresh)
}

// FuzzReadMemory: a damaged memo, read as the last process's, never makes a render panic,
// and the open data it writes is what a render from nothing writes: a line is taken from
// the last files only where they hold it as made.
func FuzzReadMemory(f *testing.F) {
	_, p := samplePlan(f)
	_, first, memo := renderAfter(f, p, nil, nil, nil)
	f.Add(memo)
	f.Add(memo[:len(memo)/2])
	f.Fuzz(func(t *testing.T, memo []byte) {
		_, out, _ := renderAfter(t, p, memo, &first, nil)
		for _, rel := range []string{"dati/atti.json", "dati/atti.csv", "dati/archivio.csv"} {
			if !bytes.Equal(out.file(rel), first.file(rel)) {
				t.Errorf("%s differs from a render from nothing", rel)
			}
		}
	})
}

// keepAllBut is a site in which every file is kept as made from the same inputs, but
// those named: a warm build with nothing changed, or only those pages.
type keepAllBut struct {
	memSink
	remake map[string]bool
}

func (k keepAllBut) Keep(rel, key string) bool               { return !k.remake[rel] }
func (k keepAllBut) KeepHinted(rel, key string, _ *any) bool { return !k.remake[rel] }

// TestRowsOnlyForPagesMade: the rows of the lists are made only for the pages made
// again: none when the site keeps every page; for a list page made again, those of its
// acts, once each, shared with the act pages.
func TestRowsOnlyForPagesMade(t *testing.T) {
	r, p, site, atti := renderParts(t)
	made := func(list *rows) (n int) {
		for _, m := range list.mades {
			if m.row != nil {
				n++
			}
		}
		return n
	}
	sink := func(remake ...string) keepAllBut {
		k := keepAllBut{memSink{&sync.Mutex{}, map[string][]byte{}}, map[string]bool{}}
		for _, rel := range remake {
			k.remake[rel] = true
		}
		return k
	}
	list := &rows{r: r, cfg: p.Config, atti: atti, mades: r.begin(atti)}
	if err := r.lists(p.Config, site, list, sink()); err != nil {
		t.Fatal(err)
	}
	if err := r.actPages(p.Config, site, atti, list.mades, list, sink()); err != nil {
		t.Fatal(err)
	}
	if n := made(list); n != 0 {
		t.Errorf("%d rows made for a site that keeps every page", n)
	}
	// The page of one type made again: the rows of its acts, and those alone.
	typ := atti[0].Type
	if err := r.lists(p.Config, site, list, sink("tipi/"+typ.Key+"/index.html")); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, e := range atti {
		if e.Type == typ {
			want++
		}
	}
	want = min(want, PerPage) // the first page's
	if n := made(list); n != want || n == 0 {
		t.Errorf("%d rows made for a page of %d acts", n, want)
	}
	row := list.mades[0].row
	if err := r.actPages(p.Config, site, atti[:1], list.mades, list, sink(ActPage(atti[0]))); err != nil {
		t.Fatal(err)
	}
	if list.mades[0].row != row || made(list) != want {
		t.Error("a row made again for the act's page")
	}
}

// TestTermsOf: an act's search terms as the memo has them are read in this process's
// numbers, sorted, when a search entry needs them; numbers the memo's vocabulary does not
// have, or cut short, give none (the entry is made from the act); and the memo written
// next has them in this process's numbers.
func TestTermsOf(t *testing.T) {
	gaps := func(g ...uint64) []byte {
		var b []byte
		for _, x := range g {
			b = binary.AppendUvarint(b, x)
		}
		return b
	}
	m := &Memory{ids: []uint32{7, 3, 9, 200}} // the memo's words 0-3 are 7, 3, 9 and 200 here
	for _, c := range []struct {
		name  string
		terms []byte
		want  search.TermSet
	}{
		{"in order", gaps(0, 1, 1), search.TermSet{3, 7, 9}},
		{"a gap past the vocabulary", gaps(1, 3), nil},
		{"cut short", []byte{0x80}, nil},
		{"none", nil, nil},
		{"made in this process", nil, search.TermSet{1}},
	} {
		x := &remembered{terms: c.terms}
		if c.name == "made in this process" {
			x.Terms = c.want
		}
		if got := m.termsOf(x); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// Written again: in this process's numbers, whatever the memo's were.
	ids := search.Numbers([]string{"zqxuno", "zqxdue", "zqxtre"})
	m = &Memory{ids: []uint32{ids[2], ids[0], ids[1]}, next: map[[32]byte]*remembered{{1}: {terms: gaps(0, 2)}}}
	var b bytes.Buffer
	if err := m.Write(&b); err != nil {
		t.Fatal(err)
	}
	again := ReadMemory(&wire.Reader{B: b.Bytes()})
	got := again.termsOf(again.last[[32]byte{1}])
	want := search.TermSet{ids[2], ids[1]} // the memo's words 0 and 2
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("written again: %v, want %v", got, want)
	}
}

// TestEntryWithPage: in a single build that makes the search index again, the job of an
// act's page makes the act's search entry while it holds the body, and the body goes with
// the page; the index's job then finds the entry made. Without an index to make, the page
// leaves the entry and the body to the index's job.
func TestEntryWithPage(t *testing.T) {
	for _, entries := range []bool{true, false} {
		r, p, site, atti := renderParts(t)
		r.Recall(ReadMemory(&wire.Reader{}), nil)
		mades := r.begin(atti)
		for _, m := range mades {
			m.readers.Store(2) // the page and the search entry, as Render says
		}
		list := &rows{r: r, cfg: p.Config, atti: atti, mades: mades, entries: entries}
		if err := r.actPages(p.Config, site, atti, mades, list, memSink{&sync.Mutex{}, map[string][]byte{}}); err != nil {
			t.Fatal(err)
		}
		for i, e := range atti {
			m := mades[i]
			if made := m.doc != nil && m.doc.Terms != nil; made != entries || (e.Body == nil) != entries {
				t.Errorf("entries %v: %s: entry made %v, body let go %v", entries, e.Path, made, e.Body == nil)
			}
			before := m.doc
			d, err := r.searchEntry(e, m, nil)
			if err != nil || d == nil || d.Terms == nil || (entries && d != before) {
				t.Errorf("entries %v: %s: the index's job gets %v, %v", entries, e.Path, d, err)
			}
			if e.Body != nil {
				t.Errorf("entries %v: %s: the body held after its page and its entry", entries, e.Path)
			}
		}
	}
}

// TestBodyWithoutPage: a single build lets go of the body of each act that has no page
// (expired, scheduled, withdrawn, a draft) as its render begins, and of the others once
// their page is made; what the act's file gives it back.
func TestBodyWithoutPage(t *testing.T) {
	_, p := samplePlan(t)
	r, err := New(themes.Default)
	if err != nil {
		t.Fatal(err)
	}
	r.Recall(ReadMemory(&wire.Reader{}), nil)
	held := 0
	for _, e := range p.Entries {
		if e.State != schedule.InPubblicazione && e.Body != nil && e.BodyFrom != nil {
			held++
		}
	}
	if held < 3 {
		t.Fatalf("the sample albo has %d acts without a page holding their body, want 3 or more", held)
	}
	if err := r.Render(p, memSink{&sync.Mutex{}, map[string][]byte{}}); err != nil {
		t.Fatal(err)
	}
	for _, e := range p.Entries {
		if e.Body != nil && e.BodyFrom != nil {
			t.Errorf("%s (%v): the body held after the render", e.Path, e.State)
		}
		if body, err := e.Markdown(); err != nil || len(body) == 0 {
			t.Errorf("%s: the body read again: %d bytes, %v", e.Path, len(body), err)
		}
	}
}

// renderParts is what the tests of one job of a render start from: the sample albo's plan,
// a renderer with its header and footer made, and the acts in publication (no marriage
// banns), each read afresh.
func renderParts(t *testing.T) (*Renderer, *schedule.Plan, *SiteView, []*schedule.Entry) {
	t.Helper()
	_, p := samplePlan(t)
	r, err := New(themes.Default)
	if err != nil {
		t.Fatal(err)
	}
	site := newSiteView(p.Config, p.Today.Italian())
	if err := r.chrome(site); err != nil {
		t.Fatal(err)
	}
	var atti []*schedule.Entry
	for _, e := range p.Entries {
		if e.State == schedule.InPubblicazione && !e.Type.Marriage() {
			atti = append(atti, e)
		}
	}
	return r, p, site, atti
}
