package render

import (
	"bytes"
	"encoding/xml"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/themes"
	"github.com/mmcdole/gofeed"
)

// memSink keeps the rendered files in memory; like every Sink it takes concurrent calls.
type memSink struct {
	mu    *sync.Mutex
	files map[string][]byte
}

func (m memSink) WriteFile(rel string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[rel] = append([]byte(nil), data...)
	return nil
}
func (m memSink) WriteKeyed(rel, _ string, parts ...[]byte) error {
	return m.WriteFile(rel, bytes.Join(parts, nil))
}
func (m memSink) Keep(string, string) bool             { return false }
func (m memSink) KeepHinted(string, string, *any) bool { return false }
func (m memSink) CopyFile(rel, _, _ string) error      { return m.WriteFile(rel, nil) }
func (m memSink) Previous(string) io.ReadSeekCloser    { return nil }
func (m memSink) Stream(rel string) (io.Writer, func(string, error) error, error) {
	return streamTo(m.WriteKeyed, rel)
}

// streamTo is Sink.Stream for a site in memory: the bytes written are stored with
// writeKeyed once ended.
func streamTo(writeKeyed func(rel, key string, parts ...[]byte) error, rel string) (io.Writer, func(string, error) error, error) {
	b := &bytes.Buffer{}
	return b, func(key string, failed error) error {
		if failed != nil {
			return failed
		}
		return writeKeyed(rel, key, b.Bytes())
	}, nil
}

// sampleNow is the day the tests render the sample albo on.
var sampleNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CET", 3600))

// samplePlan reads the repository's sample albo, as it is on sampleNow.
func samplePlan(t testing.TB) (*load.Site, *schedule.Plan) {
	t.Helper()
	site, err := load.Load(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return site, schedule.Schedule(site, sampleNow)
}

// sample renders the repository's sample albo on 23 November 2026.
func sample(t *testing.T) (*schedule.Plan, map[string][]byte) {
	t.Helper()
	_, p := samplePlan(t)
	r, err := New(themes.Default)
	if err != nil {
		t.Fatal(err)
	}
	out := memSink{mu: &sync.Mutex{}, files: map[string][]byte{}}
	if err := r.Render(p, out); err != nil {
		t.Fatal(err)
	}
	return p, out.files
}

func wellFormed(t *testing.T, name string, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
	}
}

// TestFeeds parses the three feeds with gofeed and checks every item against the acts.
func TestFeeds(t *testing.T) {
	p, out := sample(t)
	var want []*schedule.Entry
	for _, e := range p.Entries {
		if e.State == schedule.InPubblicazione && !e.Type.Marriage() {
			want = append(want, e)
		}
	}
	parser := gofeed.NewParser()
	for _, name := range []string{RSSPath, AtomPath, JSONPath} {
		t.Run(name, func(t *testing.T) {
			b := out[name]
			if name != JSONPath {
				wellFormed(t, name, b)
			}
			f, err := parser.Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != "Albo pretorio - Comune di Borgo Esempio" || f.Link != "https://albo.borgoesempio.it/" {
				t.Errorf("feed title %q, link %q", f.Title, f.Link)
			}
			if len(f.Items) != len(want) {
				t.Fatalf("%d items, want %d (acts in publication, no marriage banns)", len(f.Items), len(want))
			}
			for i, it := range f.Items {
				e := want[i]
				if it.GUID != Guid(p.Config, e) {
					t.Errorf("item %d guid %q, want %q", i, it.GUID, Guid(p.Config, e))
				}
				if it.Link != "https://albo.borgoesempio.it/"+ActPage(e) {
					t.Errorf("item %d link %q", i, it.Link)
				}
				if !strings.Contains(it.Title, e.Oggetto) || !strings.Contains(it.Title, e.Type.Nome) || strings.HasPrefix(it.Title, "ANNULLATO") != (e.Annullato != nil) {
					t.Errorf("item %d title %q", i, it.Title)
				}
				if it.PublishedParsed == nil || !it.PublishedParsed.Equal(e.Dal.Start(p.Config.Location)) {
					t.Errorf("item %d published %v, want 00:00 of %s", i, it.PublishedParsed, e.Dal)
				}
				if !strings.Contains(it.Description, "Registro "+e.Registro.Italian()) {
					t.Errorf("item %d description %q", i, it.Description)
				}
				wantEnc := len(e.Allegati)
				if name == RSSPath {
					wantEnc = min(1, wantEnc) // RSS 2.0: one enclosure per item
				}
				if len(it.Enclosures) != wantEnc {
					t.Errorf("item %d: %d enclosures, want %d", i, len(it.Enclosures), wantEnc)
				}
				for j, enc := range it.Enclosures {
					a := e.Allegati[j]
					if enc.Type != MediaType(a.File) || enc.Length != strconv.FormatInt(a.Size, 10) || !strings.HasSuffix(enc.URL, "/"+a.File) {
						t.Errorf("item %d enclosure %+v", i, enc)
					}
				}
			}
		})
	}
	if !bytes.Contains(out[RSSPath], []byte(`<atom:link href="https://albo.borgoesempio.it/feed.xml" rel="self"`)) ||
		!bytes.Contains(out[RSSPath], []byte("<language>it-it</language>")) || bytes.Contains(out[RSSPath], []byte("<author>")) {
		t.Error("RSS lacks atom:link self or language, or has an author that is not an e-mail address")
	}
	if !bytes.Contains(out[AtomPath], []byte(`rel="self"`)) || !bytes.Contains(out[JSONPath], []byte(`"version": "https://jsonfeed.org/version/1.1"`)) {
		t.Error("Atom without self link, or JSON Feed not 1.1")
	}
	for name, b := range out {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".json") {
			for _, e := range p.Entries {
				if e.Type.Marriage() && bytes.Contains(b, []byte(e.Oggetto)) {
					t.Errorf("%s contains marriage banns %s", name, e.Registro)
				}
			}
		}
	}
	for _, k := range p.Config.TypeKeys() {
		rel := "tipi/" + k + "/feed.xml"
		if p.Config.Tipi[k].Marriage() {
			if _, ok := out[rel]; ok {
				t.Errorf("a feed for marriage banns: %s", rel)
			}
			continue
		}
		wellFormed(t, rel, out[rel])
		if _, err := gofeed.NewParser().Parse(bytes.NewReader(out[rel])); err != nil {
			t.Errorf("%s: %v", rel, err)
		}
	}
}

// TestAlboPOP: a type feed's channel links to its type's page, and the RSS feeds carry the
// categories of the AlboPOP specification: the body's type and name on the channel; each
// item's register number, type, first and last day, date and office.
func TestAlboPOP(t *testing.T) {
	_, out := sample(t)
	parser := gofeed.NewParser()
	f, err := parser.Parse(bytes.NewReader(out["tipi/ordinanza/feed.xml"]))
	if err != nil {
		t.Fatal(err)
	}
	if f.Link != "https://albo.borgoesempio.it/tipi/ordinanza/" {
		t.Errorf("the type feed links to %q", f.Link)
	}
	home, err := parser.Parse(bytes.NewReader(out[RSSPath]))
	if err != nil {
		t.Fatal(err)
	}
	if home.Link != "https://albo.borgoesempio.it/" {
		t.Errorf("the feed links to %q", home.Link)
	}
	rss := string(out[RSSPath])
	for _, w := range []string{
		`<category domain="http://albopop.it/specs#channel-category-type">Comune</category>`,
		`<category domain="http://albopop.it/specs#channel-category-name">Comune di Borgo Esempio</category>`,
		`<category domain="http://albopop.it/specs#channel-category-municipality">Borgo Esempio</category>`,
		`<category domain="http://albopop.it/specs#item-category-uid">2026/35</category>`,
		`<category domain="http://albopop.it/specs#item-category-type">Determinazione dirigenziale</category>`,
		`<category domain="http://albopop.it/specs#item-category-pubStart">Sat, 21 Nov 2026 00:00:00 +0100</category>`,
		`<category domain="http://albopop.it/specs#item-category-pubEnd">Sat, 05 Dec 2026 23:59:59 +0100</category>`,
		`<category domain="http://albopop.it/specs#item-category-unit">Settore Ragioneria</category>`,
	} {
		if !strings.Contains(rss, w) {
			t.Errorf("feed.xml: no %s", w)
		}
	}
	for _, it := range home.Items {
		if len(it.Categories) < 4 {
			t.Errorf("%s: categories %v", it.Title, it.Categories)
		}
	}
}

// TestHeadersFile: _headers gives every file the headers that do not depend on its kind,
// and each attachment of an act in publication (its readable copy too) the policy albo
// serve gives it; an expired act's attachments are not named; pages carry their policy in
// a <meta>.
func TestHeadersFile(t *testing.T) {
	p, out := sample(t)
	h := string(out[HeadersPath])
	if !strings.HasPrefix(h, "# Scritto da albo") || !strings.Contains(h, "\n/*\n  X-Robots-Tag: noindex, noarchive\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: same-origin\n  Cache-Control: no-cache\n") {
		t.Errorf("_headers lacks the rule of every file:\n%s", h)
	}
	for _, e := range p.Entries {
		for _, a := range e.Allegati {
			rule := "\n/" + attachmentURL(e, a.File) + "\n  Content-Security-Policy: "
			switch {
			case e.State == schedule.InPubblicazione && !strings.Contains(h, rule):
				t.Errorf("_headers: no rule for %s", attachmentURL(e, a.File))
			case e.State != schedule.InPubblicazione && strings.Contains(h, rule):
				t.Errorf("_headers names an attachment of an act not in publication: %s", attachmentURL(e, a.File))
			}
			if name := ReadableCopy(e, a); name != "" && e.State == schedule.InPubblicazione && !strings.Contains(h, "\n/"+attachmentURL(e, name)+"\n  Content-Security-Policy: "+AttachmentPolicy) {
				t.Errorf("_headers: no rule for the readable copy %s", name)
			}
		}
	}
	if !strings.Contains(string(out["index.html"]), `<meta http-equiv="Content-Security-Policy" content="`+strings.ReplaceAll(PagePolicy, "'", "&#39;")+`">`) {
		t.Errorf("the home page does not carry its policy in a <meta>")
	}
}

// TestActOf reads back the paths of act pages and files, and nothing else.
func TestActOf(t *testing.T) {
	for rel, want := range map[string][3]string{
		"atti/2026/15.html":         {"atti/2026/15", "", "true"},
		"atti/2026/15/testo.pdf":    {"atti/2026/15", "testo.pdf", "true"},
		"matrimoni/2026/7/a/b.pdf":  {"matrimoni/2026/7", "a/b.pdf", "true"},
		"atti/2026/15/":             {"", "", "false"},
		"atti/2026/x.html":          {"", "", "false"},
		"atti/anno/15.html":         {"", "", "false"},
		"tipi/ordinanza/index.html": {"", "", "false"},
		"atti/2026/15":              {"", "", "false"},
	} {
		base, file, ok := ActOf(rel)
		if got := [3]string{base, file, strconv.FormatBool(ok)}; got != want {
			t.Errorf("ActOf(%q) = %q, want %q", rel, got, want)
		}
	}
}
