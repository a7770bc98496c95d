package generator

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/borgoesempio/albo/themes"
)

// biCSS is where the Bootstrap Italia theme publishes the library's stylesheet.
const biCSS = "static/bootstrap-italia/bootstrap-italia.min.css"

// TestBootstrapItalia builds the sample with tema: bootstrap-italia and checks what AgID's
// validator checks (C.SI.1.2) on every page: Bootstrap Italia 2 or later loaded, its
// version exposed as --bootstrap-italia-version, and at least 30% of the page's distinct
// class names defined by its stylesheet. The classes are read from the stylesheet itself,
// not from a list. The site is the same as with the default theme: the same pages, and
// every file that is not a page or the theme's own byte for byte.
func TestBootstrapItalia(t *testing.T) {
	dest := build(t, sampleWith(t, themes.BootstrapItalia), sampleNow)
	css, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(biCSS)))
	if err != nil {
		t.Fatal(err)
	}
	version := regexp.MustCompile(`--bootstrap-italia-version: *(['"])(\d+)\.(\d+)\.(\d+)['"]`)
	m := version.FindSubmatch(css)
	if m == nil {
		t.Fatal("Bootstrap Italia's stylesheet declares no version")
	}
	if major, _ := strconv.Atoi(string(m[2])); major < 2 {
		t.Fatalf("Bootstrap Italia %s.%s.%s: the validator wants 2 or later", m[2], m[3], m[4])
	}
	// The validator strips double quotes only (a single-quoted value is no version to it):
	// the last stylesheet a page loads declares the version again, in double quotes.
	ours, _ := os.ReadFile(filepath.Join(dest, "static", "albo-bi.css"))
	if last := version.FindSubmatch(ours); last == nil || string(last[1]) != `"` || !bytes.Equal(bytes.Join(last[2:], []byte(".")), bytes.Join(m[2:], []byte("."))) {
		t.Errorf("albo-bi.css does not declare the shipped version %s.%s.%s in double quotes: %q", m[2], m[3], m[4], last)
	}
	bi := cssClasses(string(css))
	if len(bi) < 1000 {
		t.Fatalf("only %d classes read from Bootstrap Italia's stylesheet", len(bi))
	}
	plain := tree(t, build(t, "..", sampleNow))
	got := tree(t, dest)
	pages, least := 0, 100
	for name, b := range got {
		if !strings.HasSuffix(name, ".html") || strings.HasPrefix(name, "static/") {
			continue
		}
		pages++
		if i, j := bytes.Index(b, []byte(`<link rel="stylesheet" href="/`+biCSS+`">`)), bytes.Index(b, []byte(`<link rel="stylesheet" href="/static/albo-bi.css">`)); i < 0 || j < i {
			t.Errorf("%s: does not load Bootstrap Italia's stylesheet, then albo-bi.css", name)
		}
		classes := pageClasses(t, name, b)
		var others []string
		for _, c := range classes {
			if !bi[c] {
				others = append(others, c)
			}
		}
		share := 100 * (len(classes) - len(others)) / len(classes)
		least = min(least, share)
		if share < 30 {
			t.Errorf("%s: %d%% of %d classes are Bootstrap Italia's (at least 30%%); the others: %v", name, share, len(classes), others)
		}
	}
	if pages < 40 {
		t.Fatalf("only %d pages", pages)
	}
	t.Logf("%d pages; Bootstrap Italia's classes: at least %d%% of a page's", pages, least)
	for name, b := range plain {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: made with the default theme, not with Bootstrap Italia", name)
		} else if !strings.HasSuffix(name, ".html") && !strings.HasPrefix(name, "static/") && !bytes.Equal(b, got[name]) {
			t.Errorf("%s differs between the themes: %s", name, firstDiff(b, got[name]))
		}
	}
	home := string(got["index.html"])
	for _, w := range []string{`<details class="menu-telefono d-lg-none"><summary`, `<span class="list-item active" aria-current="page"><span>Tutti i tipi</span>`, `<table class="table atti">`} {
		if !strings.Contains(home, w) {
			t.Errorf("the home page has no %q", w)
		}
	}
	if strings.Index(home, `aria-label="Filtra per tipo di atto"`) > strings.Index(home, `<table`) {
		t.Error("the type filter comes after the list")
	}
}

// cssClasses returns the class names a stylesheet's selectors name: what comes before
// each "{", never a declaration (whose values hold numbers like .5rem and data: URIs).
func cssClasses(css string) map[string]bool {
	css = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(css, "")
	name := regexp.MustCompile(`\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)`)
	out := map[string]bool{}
	for _, rule := range strings.Split(css, "}") {
		parts := strings.Split(rule, "{")
		for _, sel := range parts[:len(parts)-1] {
			for _, m := range name.FindAllStringSubmatch(sel, -1) {
				out[m[1]] = true
			}
		}
	}
	return out
}

// pageClasses returns the distinct class names of a page's elements, as the validator
// collects them.
func pageClasses(t *testing.T, name string, page []byte) []string {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	seen := map[string]bool{}
	for n := range doc.Descendants() {
		for _, a := range n.Attr {
			if a.Key == "class" {
				for _, c := range strings.Fields(a.Val) {
					seen[c] = true
				}
			}
		}
	}
	if len(seen) == 0 {
		t.Fatalf("%s: no class at all", name)
	}
	return slices.Sorted(maps.Keys(seen))
}

// TestBootstrapItaliaSiteTheme: a site that chooses tema: bootstrap-italia may still change
// it file by file with a folder of that name; when its files break, the last good theme is
// Bootstrap Italia with them, not the default one.
func TestBootstrapItaliaSiteTheme(t *testing.T) {
	site := t.TempDir()
	writeFiles(t, site, map[string]string{
		"content/albo.yaml":                "ente: Comune di Prova\nurl: https://albo.prova.it/\narchivio: nessuno\ntema: bootstrap-italia\n",
		"content/a.md":                     "---\ntipo: avviso\noggetto: Zqxalfa\nregistro: 2026/1\ndal: 2026-11-20\nal: 2026-12-04\n---\n",
		"themes/bootstrap-italia/404.html": "{{template \"layout\" .}}\n{{define \"main\"}}<h1>Pagina mancante personalizzata</h1>{{end}}\n",
	})
	live := filepath.Join(site, "public")
	s := NewSession(Options{Source: site, Dest: live})
	defer s.Wait()
	rome, _ := time.LoadLocation("Europe/Rome")
	check := func(step string) {
		t.Helper()
		page, _ := os.ReadFile(filepath.Join(live, "404.html"))
		if !bytes.Contains(page, []byte("Pagina mancante personalizzata")) || !bytes.Contains(page, []byte(biCSS)) {
			t.Errorf("%s: the 404 page is not the site's over Bootstrap Italia:\n%s", step, page)
		}
	}
	if _, err := s.Build(time.Date(2026, 11, 23, 9, 0, 0, 0, rome), nil, true); err != nil {
		t.Fatal(err)
	}
	check("first build")
	writeFiles(t, site, map[string]string{"themes/bootstrap-italia/404.html": "{{template \"layout\" .}}\n{{define \"main\"}}{{.Manca.Del}</h1>{{end}}\n"})
	res, err := s.Build(time.Date(2026, 11, 24, 9, 0, 0, 0, rome), []string{"themes/bootstrap-italia/404.html"}, false)
	if err == nil || res == nil || len(res.Problems.Of("themes/bootstrap-italia")) == 0 {
		t.Fatalf("the broken theme is not reported: %v", err)
	}
	check("broken theme")
}
