package load

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/impronta"
	"github.com/borgoesempio/albo/generator/internal/selfid"
	"github.com/borgoesempio/albo/generator/internal/wire"
)

// loadMemo loads the site at dir with a memo of what the last load gave (nil: none) and
// returns the site, the memo to give the next load, and the acts taken from the memo.
func loadMemo(t testing.TB, dir string, last []byte) (*Site, []byte, map[string]bool) {
	t.Helper()
	cfg, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := NewMemo(&wire.Reader{B: last})
	site, _ := LoadActs(dir, cfg, Options{Memo: m})
	if site == nil {
		t.Fatal("no site")
	}
	recalled := map[string]bool{}
	for rel, e := range m.next {
		if m.prev[rel] == e {
			recalled[rel] = true
		}
	}
	if !m.Changed() {
		return site, last, recalled
	}
	var b bytes.Buffer
	if err := m.Write(&b); err != nil {
		t.Fatal(err)
	}
	return site, b.Bytes(), recalled
}

// TestMemoGivesWhatReadingGives loads the sample albo and the test sites twice, the second
// time from the memo of the first: every act taken from the memo is the act reading its
// file gives, field by field (an "archivio: false" included, which gob alone would lose).
func TestMemoGivesWhatReadingGives(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no file stamps here: nothing is remembered")
	}
	for _, dir := range []string{"../..", "../testdata/ciclo", "../testdata/ostile"} {
		first, memo, _ := loadMemo(t, dir, nil)
		second, _, recalled := loadMemo(t, dir, memo)
		if len(recalled) == 0 {
			t.Fatalf("%s: nothing taken from the memo", dir)
		}
		byPath := map[string]*act.Act{}
		for _, a := range first.Acts {
			byPath[a.Path] = a
		}
		for _, a := range second.Acts {
			if !recalled[a.Path] {
				continue
			}
			body, err := a.Markdown()
			if err != nil || !bytes.Equal(body, byPath[a.Path].Body) || a.Body != nil {
				t.Errorf("%s: %s: the body from the memo is %q (%v, held %q), the file's %q", dir, a.Path, body, err, a.Body, byPath[a.Path].Body)
			}
			got, want := *a, *byPath[a.Path]
			got.BodyFrom, want.Body, want.BodyFrom = nil, nil, nil
			if !reflect.DeepEqual(&got, &want) {
				t.Errorf("%s: %s from the memo differs from the act read:\n%+v\n%+v", dir, a.Path, &got, &want)
			}
		}
		if dir == "../.." {
			found := false
			for _, a := range second.Acts {
				found = found || recalled[a.Path] && a.Archivio != nil && !*a.Archivio
			}
			if !found {
				t.Error("no act with archivio: false came from the memo: the test no longer tests it")
			}
		}
	}
}

// TestMemoForgetsWhatChanged: an act is read again when its file, or one of its
// attachments, is no longer the file it was (rewritten with the same content and
// modification time too, as cp -p does), and an act read with a problem is never
// remembered.
func TestMemoForgetsWhatChanged(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no file stamps here: nothing is remembered")
	}
	dir := t.TempDir()
	files := map[string]string{
		"content/albo.yaml":          "ente: Comune di Prova\ncodice_ipa: c_t001\nurl: https://albo.prova.it/\n",
		"content/a.md":               "---\ntipo: avviso\noggetto: A\nregistro: 2026/1\ndal: 2026-11-20\n---\nTesto A.\n",
		"content/b/index.md":         "---\ntipo: avviso\noggetto: B\nregistro: 2026/2\ndal: 2026-11-20\nallegati:\n  - file: b.pdf\n    titolo: B\n---\nTesto B.\n",
		"content/b/b.pdf":            "%PDF-1.4 b",
		"content/c.md":               "---\ntipo: avviso\nogetto: C\n---\n",
		"content/d.md":               "---\ntipo: avviso\noggetto: D\n---\nTesto D.\n",
		"content/e/index.md":         "---\ntipo: avviso\noggetto: E\nallegati:\n  - file: e.pdf\n    titolo: E\n---\n",
		"content/e/elsewhere/e.pdf":  "%PDF-1.4 e",
		"content/f/index.md":         "---\ntipo: avviso\noggetto: F\n---\nTesto F.\n",
		"content/g/index.md":         "---\ntipo: avviso\noggetto: G\nallegati:\n  - file: g.pdf\n    titolo: G\n---\n",
		"content/g/g.pdf":            "%PDF-1.4 g",
		"content/h/index.md":         "---\ntipo: avviso\noggetto: H\nallegati:\n  - file: h.pdf\n    titolo: H\n---\n",
		"content/h/h.pdf":            "%PDF-1.4 h",
		"content/unchanged/index.md": "---\ntipo: avviso\noggetto: U\n---\nTesto U.\n",
		"content/i/index.md":         "---\ntipo: avviso\noggetto: I\n---\nTesto I.\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(text), 0o644)
	}
	os.Symlink(filepath.Join("elsewhere", "e.pdf"), filepath.Join(dir, "content", "e", "e.pdf"))
	_, memo, _ := loadMemo(t, dir, nil)
	time.Sleep(10 * time.Millisecond) // so that a rewrite has another change time
	touch := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		info, _ := os.Stat(p)
		os.WriteFile(p, []byte(text), 0o644)
		os.Chtimes(p, info.ModTime(), info.ModTime()) // cp -p: the same modification time
	}
	touch("content/a.md", files["content/a.md"])    // same bytes, same mtime, rewritten
	touch("content/b/b.pdf", "%PDF-1.4 b, firmato") // an attachment changed
	touch("content/d.md", "---\ntipo: avviso\noggetto: D2\n---\nTesto D.\n")
	os.Remove(filepath.Join(dir, "content", "g", "g.pdf")) // an attachment gone
	touch("content/h/h.pdf", files["content/h/h.pdf"])     // an attachment rewritten as it was
	touch("content/i/index.md", files["content/i/index.md"])
	site, memo, recalled := loadMemo(t, dir, memo)
	want := map[string]bool{"content/f/index.md": true, "content/unchanged/index.md": true}
	if !reflect.DeepEqual(recalled, want) {
		t.Errorf("taken from the memo: %v, want %v", recalled, want)
	}
	// What was read again is remembered with the stamps it has now: the next load takes
	// it from the memo (an act whose attachment changed included).
	if _, _, again := loadMemo(t, dir, memo); !again["content/b/index.md"] || !again["content/h/index.md"] || !again["content/a.md"] {
		t.Errorf("taken from the memo at the next load: %v", again)
	}
	for _, a := range site.Acts {
		if a.Path == "content/d.md" && a.Oggetto != "D2" {
			t.Errorf("d.md: %q, the old text", a.Oggetto)
		}
	}
	// Another albo, or another site: nothing taken.
	m := NewMemo(&wire.Reader{B: memo})
	m.id = "another albo"
	m.begin(memoID(dir, Options{}, [32]byte{}))
	if m.prev != nil {
		t.Error("a memo made by another albo is used")
	}
}

// fill gives every field of v, recursively, a value other than its zero, so that a field
// the memo's codec forgets shows in a round trip.
func fill(t *testing.T, v reflect.Value, n *int) {
	*n++
	switch v.Type() {
	case reflect.TypeFor[civil.Date]():
		v.Set(reflect.ValueOf(civil.New(2026, 11, *n%28+1)))
		return
	case reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Unix(int64(*n)*1000, int64(*n)).UTC()))
		return
	case reflect.TypeFor[impronta.Seal]():
		v.Set(reflect.ValueOf(impronta.Compute(nil, []byte(fmt.Sprint(*n)), nil)))
		return
	case reflect.TypeOf(act.Act{}.BodyFrom):
		return // set by recall, never kept
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("valore %d", *n))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Uint8:
		v.SetUint(uint64(*n % 256))
	case reflect.Array:
		for i := range v.Len() {
			fill(t, v.Index(i), n)
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), n)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(t, k, n)
		fill(t, e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, p.Elem(), n)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), n)
			}
		}
	default:
		t.Fatalf("the test cannot fill a field of kind %s (%s): teach it", v.Kind(), v.Type())
	}
}

// TestMemoCodecKeepsEveryField writes an act with every field set and reads it back: the
// memo must keep every field but Dir (known from the file's path) and the body (read again
// from the file: recall). A field added to act.Act and not to the codec fails it.
func TestMemoCodecKeepsEveryField(t *testing.T) {
	var a act.Act
	n := 0
	fill(t, reflect.ValueOf(&a).Elem(), &n)
	a.Dir, a.Body = "", nil
	for i := range a.Allegati {
		a.Allegati[i].Firma.Content = nil // never kept: read again from the file when published
	}
	for _, archivio := range []*bool{nil, new(bool), &[]bool{true}[0]} {
		a.Archivio = archivio
		w := &wire.Writer{}
		if err := writeAct(w, &a); err != nil {
			t.Fatal(err)
		}
		r := &wire.Reader{B: w.B}
		got := &act.Act{}
		readAct(r, got, map[string]string{})
		if r.Err != nil || len(r.B) != 0 {
			t.Fatalf("read back: %v, %d bytes left", r.Err, len(r.B))
		}
		if !reflect.DeepEqual(got, &a) {
			t.Errorf("archivio %v: the act read back differs:\n%+v\n%+v", archivio, got, &a)
		}
	}
}

// TestMemoOfAnotherAlbo: the memo another albo wrote (another version: its memoID differs
// in selfid) is not decoded, since nothing in it may be recalled: after an upgrade of
// albo, decoding it cost the first build a second of CPU for 100,000 acts, and its acts
// stayed in the heap until the build had listed the site.
func TestMemoOfAnotherAlbo(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no file stamps here: nothing is remembered")
	}
	_, memo, _ := loadMemo(t, "../testdata/ciclo", nil)
	if m := NewMemo(&wire.Reader{B: memo}); len(m.prev) == 0 {
		t.Fatal("this albo's memo gives nothing")
	}
	self := selfid.ID()
	other := bytes.Replace(memo, []byte(self), bytes.Repeat([]byte("x"), len(self)), 1)
	if bytes.Equal(other, memo) {
		t.Fatal("no albo identity in the memo")
	}
	if m := NewMemo(&wire.Reader{B: other}); len(m.prev) != 0 {
		t.Errorf("another albo's memo decoded: %d acts", len(m.prev))
	}
}

// TestActsSideBySide: the acts of a site are read into one array, in the order of their
// paths, whether from their files or from the memo; an act read again later is not.
func TestActsSideBySide(t *testing.T) {
	first, memo, _ := loadMemo(t, "../..", nil)
	second, _, _ := loadMemo(t, "../..", memo)
	for i, site := range []*Site{first, second} {
		if len(site.Acts) < 2 {
			t.Fatalf("load %d: %d acts", i+1, len(site.Acts))
		}
		size := unsafe.Sizeof(act.Act{})
		for k := 1; k < len(site.Acts); k++ {
			gap := uintptr(unsafe.Pointer(site.Acts[k])) - uintptr(unsafe.Pointer(site.Acts[k-1]))
			if gap == 0 || gap%size != 0 || gap > 16*size {
				t.Fatalf("load %d: %s is %d bytes after %s, not in the same array", i+1, site.Acts[k].Path, int(gap), site.Acts[k-1].Path)
			}
		}
	}
	again, _ := first.Read([]string{first.Acts[1].Path})
	if len(again) != 1 || again[0] == first.Acts[1] {
		t.Fatalf("read again: %v", again)
	}
}

// TestMemoKeepsTheSiteActs: after a load from the memo, what the memo keeps for the next
// build is the site's own act, as after a load from the files: the act decoded from the
// last memo is not held beside it.
func TestMemoKeepsTheSiteActs(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no file stamps here: nothing is remembered")
	}
	_, memo, _ := loadMemo(t, "../..", nil)
	cfg, err := config.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	m := NewMemo(&wire.Reader{B: memo})
	site, _ := LoadActs("../..", cfg, Options{Memo: m})
	if site == nil || len(site.Acts) == 0 {
		t.Fatal("no site")
	}
	recalled := 0
	for _, a := range site.Acts {
		e := m.next[a.Path]
		if e == nil {
			continue
		}
		if m.prev[a.Path] == e {
			recalled++
		}
		if e.Act != a {
			t.Errorf("%s: the memo keeps another act than the site's", a.Path)
		}
	}
	if recalled == 0 {
		t.Fatal("nothing recalled from the memo")
	}
}

// TestRecalledBodyOfAChangedFile: the body of an act recalled from the memo is read again
// from its file only if the file still has the text the act was read from; else reading
// it fails, naming the file, and nothing of the new text is given.
func TestRecalledBodyOfAChangedFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no file stamps here: nothing is remembered")
	}
	dir := t.TempDir()
	for name, text := range map[string]string{
		"content/albo.yaml": "ente: Comune di Prova\ncodice_ipa: c_t001\nurl: https://albo.prova.it/\n",
		"content/a.md":      "---\ntipo: avviso\noggetto: A\nregistro: 2026/1\ndal: 2026-11-20\n---\nTesto ||riservato|| A.\r\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(text), 0o644)
	}
	first, memo, _ := loadMemo(t, dir, nil)
	second, _, recalled := loadMemo(t, dir, memo)
	if !recalled["content/a.md"] || len(second.Acts) != 1 {
		t.Fatal("a.md not recalled")
	}
	a := second.Acts[0]
	if body, err := a.Markdown(); err != nil || !bytes.Equal(body, first.Acts[0].Body) || bytes.Contains(body, []byte("riservato")) {
		t.Fatalf("the body read again is %q (%v), want %q", body, err, first.Acts[0].Body)
	}
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("---\ntipo: avviso\noggetto: A\nregistro: 2026/1\ndal: 2026-11-20\n---\nTesto nuovo.\n"), 0o644)
	body, err := a.Markdown()
	if err == nil || !strings.Contains(err.Error(), "content/a.md") || !strings.Contains(err.Error(), "cambiato") || body != nil {
		t.Errorf("the body of a file changed since it was read: %q, %v", body, err)
	}
}

// FuzzMemo decodes a damaged memo of this albo: it never panics, and gives every act it
// holds or none.
func FuzzMemo(f *testing.F) {
	_, memo, _ := loadMemo(f, "../testdata/ciclo", nil)
	r := &wire.Reader{B: memo}
	r.Prefix(memoMagic)
	_ = r.String()
	head := memo[:len(memo)-len(r.B)] // the magic and the memo's identity: what is fuzzed comes after
	f.Add(memo[len(head):])
	f.Add(memo[len(head) : len(memo)/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		m := NewMemo(&wire.Reader{B: append(slices.Clip(head), data...)})
		for rel, e := range m.prev {
			if e.Act == nil {
				t.Fatalf("%s: an entry without an act", rel)
			}
		}
	})
}

// TestMemoSharesValues: the acts decoded from the memo share one string for each name of
// a front matter key and each type, and an act's path is its entry's.
func TestMemoSharesValues(t *testing.T) {
	_, memo, _ := loadMemo(t, "../..", nil)
	m := NewMemo(&wire.Reader{B: memo})
	if len(m.prev) < 10 {
		t.Fatalf("%d acts in the memo", len(m.prev))
	}
	first := map[string]*byte{} // the string of each value, as the first act that has it holds it
	same := func(what, s string) {
		if p, ok := first[what+s]; !ok {
			first[what+s] = unsafe.StringData(s)
		} else if p != unsafe.StringData(s) {
			t.Errorf("%s %q: a string of its own in another act", what, s)
		}
	}
	for rel, e := range m.prev {
		if unsafe.StringData(e.Act.Path) != unsafe.StringData(rel) {
			t.Errorf("%s: the act's path is a string of its own", rel)
		}
		same("tipo", e.Act.Tipo)
		for _, l := range e.Act.Lines {
			same("chiave", l.Key)
		}
	}
}
