package serve_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/render"
	"github.com/borgoesempio/albo/generator/serve"
)

func write(t *testing.T, root, rel, s string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fixture builds a small site with an attachment and serves it live.
func fixture(t *testing.T) (site string, s *generator.Session, srv *serve.Server, url string, now time.Time) {
	t.Helper()
	site = t.TempDir()
	write(t, site, "content/albo.yaml", "ente: Comune di Prova\nurl: https://albo.prova.it/\n")
	write(t, site, "content/2026/a/index.md", "---\ntipo: avviso\noggetto: Avviso con allegato\nregistro: 2026/1\ndal: 2026-11-20\nal: 2026-11-30\nallegati:\n  - file: testo.pdf\n    titolo: Testo\n  - file: dati.xml\n    titolo: Dati\n---\nTesto.\n")
	write(t, site, "content/2026/a/testo.pdf", "%PDF-1.4 prova")
	write(t, site, "content/2026/a/dati.xml", `<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>`)
	rome, _ := time.LoadLocation("Europe/Rome")
	now = time.Date(2026, 11, 23, 12, 0, 0, 0, rome)
	s = generator.NewSession(generator.Options{Source: site})
	t.Cleanup(func() { s.Wait() })
	res, err := s.Build(now, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	srv = serve.New(res.Dest, "/", true, func() time.Time { return now })
	srv.Built(res.Plan, "")
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return site, s, srv, hs.URL, now
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestHeaders(t *testing.T) {
	_, _, _, url, _ := fixture(t)
	tests := []struct {
		path, status, cache, body string
	}{
		{"/", "200", "no-cache", "Avviso con allegato"},
		{"/atti/2026/1.html", "200", "no-cache", "_albo/ricarica.js"},
		// The attachment may be kept until the end of 30/11/2026, 180 hours after 23/11 12:00.
		{"/atti/2026/1/testo.pdf", "200", "public, max-age=648000", "%PDF-1.4 prova"},
		{"/feed.xml", "200", "no-cache", "<rss"},
		{"/atti/2026/2.html", "404", "no-cache", "Pagina non trovata"},
		{"/../../etc/passwd", "404", "no-cache", "Pagina non trovata"},
	}
	for _, tt := range tests {
		resp, body := get(t, url+tt.path)
		if got := resp.Status[:3]; got != tt.status {
			t.Errorf("%s: status %s, want %s", tt.path, got, tt.status)
		}
		if got := resp.Header.Get("X-Robots-Tag"); got != "noindex, noarchive" {
			t.Errorf("%s: X-Robots-Tag %q", tt.path, got)
		}
		if got := resp.Header.Get("Cache-Control"); got != tt.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tt.path, got, tt.cache)
		}
		if !strings.Contains(body, tt.body) {
			t.Errorf("%s: body lacks %q", tt.path, tt.body)
		}
	}
	resp, err := http.Post(url+"/", "text/plain", nil)
	if err != nil || resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("X-Robots-Tag") == "" {
		t.Errorf("POST: %v %v", resp, err)
	}
}

// TestReloadAfterEdit edits an act, rebuilds, and reads the reload event; then breaks it
// and reads the error event.
func TestReloadAfterEdit(t *testing.T) {
	site, s, srv, url, now := fixture(t)
	resp, err := http.Get(url + "/_albo/eventi")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	want := func(prefix string) {
		t.Helper()
		for {
			select {
			case l := <-lines:
				if strings.HasPrefix(l, prefix) {
					return
				}
			case <-time.After(3 * time.Second):
				t.Fatalf("no %q", prefix)
			}
		}
	}
	want(": albo")
	write(t, site, "content/2026/a/index.md", "---\ntipo: avviso\noggetto: Avviso corretto\nregistro: 2026/1\ndal: 2026-11-20\nal: 2026-11-30\nallegati:\n  - file: testo.pdf\n    titolo: Testo\n---\nTesto.\n")
	res, err := s.Build(now, []string{"content/2026/a/index.md"}, false)
	if err != nil {
		t.Fatal(err)
	}
	srv.Built(res.Plan, "")
	want("event: ricarica")
	if _, body := get(t, url+"/atti/2026/1.html"); !strings.Contains(body, "Avviso corretto") {
		t.Error("the page was not rebuilt")
	}
	write(t, site, "content/2026/b.md", "---\nogetto: x\nregistro: 2026/2\n---\n")
	res, err = s.Build(now, []string{"content/2026/b.md"}, false)
	if err == nil || res == nil {
		t.Fatalf("a broken published act: result %v, error %v; want the site built from the rest, and the error", res, err)
	}
	srv.Built(res.Plan, res.Problems.Error())
	want("event: ricarica")
	events, err := (&http.Client{Timeout: 3 * time.Second}).Get(url + "/_albo/eventi") // a reloaded page is shown the problems at once
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	sc := bufio.NewScanner(events.Body)
	seen := false
	for sc.Scan() && !seen {
		seen = strings.HasPrefix(sc.Text(), "data: content/2026/b.md:2: chiave \"ogetto\" sconosciuta")
	}
	if !seen {
		t.Error("the problems of the last build are not shown over the pages")
	}
	srv.Failed(errors.New("content/albo.yaml: ente is required"))
	want("event: errore")
	want("data: content/albo.yaml: ente is required")
	if _, body := get(t, url+"/atti/2026/1.html"); !strings.Contains(body, "Avviso corretto") {
		t.Error("a failed build took the last good site offline")
	}
}

// TestBasePath serves a site published under /albo/: its pages there, the root sent to
// it, anything else the theme's 404 with the headers.
func TestBasePath(t *testing.T) {
	site := t.TempDir()
	write(t, site, "index.html", "<html><body>albo</body></html>")
	write(t, site, "404.html", "<html><body>Pagina non trovata</body></html>")
	hs := httptest.NewServer(serve.Handler(site, "/albo/"))
	defer hs.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]int{"/albo/": 200, "/": 302, "/altro": 404, "/albo/nulla": 404} {
		resp, err := client.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want || resp.Header.Get("X-Robots-Tag") != "noindex, noarchive" {
			t.Errorf("%s: %d %q, want %d with X-Robots-Tag", path, resp.StatusCode, resp.Header.Get("X-Robots-Tag"), want)
		}
	}
}

// TestEncodedNames serves attachments named with spaces, accents, '%', '#' and '?' at the
// percent-encoded addresses the pages, feeds and data give.
func TestEncodedNames(t *testing.T) {
	site := t.TempDir()
	names := map[string]string{
		"atti/2026/1/perizia 100%.pdf":  "atti/2026/1/perizia%20100%25.pdf",
		"atti/2026/1/nota#1 città?.pdf": "atti/2026/1/nota%231%20citt%C3%A0%3F.pdf",
		"atti/2026/1/a b+c&d=e.pdf":     "atti/2026/1/a%20b+c&d=e.pdf",
	}
	for name := range names {
		write(t, site, name, "%PDF-1.4 "+name)
	}
	hs := httptest.NewServer(serve.Handler(site, "/albo/"))
	defer hs.Close()
	for name, addr := range names {
		resp, body := get(t, hs.URL+"/albo/"+addr)
		if resp.StatusCode != 200 || body != "%PDF-1.4 "+name {
			t.Errorf("%s: %d %q, want %q", addr, resp.StatusCode, body, name)
		}
	}
}

func TestNoLiveReloadInPlainHandler(t *testing.T) {
	site := t.TempDir()
	write(t, site, "index.html", "<html><body>x</body></html>")
	hs := httptest.NewServer(serve.Handler(site, "/"))
	defer hs.Close()
	if _, body := get(t, hs.URL+"/"); strings.Contains(body, "ricarica") {
		t.Error("live reload injected without serve")
	}
	if resp, _ := get(t, hs.URL+"/_albo/eventi"); resp.StatusCode != 404 {
		t.Error("events served without live reload")
	}
}

// TestSecurityHeaders: every response says nosniff and carries a content security
// policy; an attachment a browser could render as a page is a download; albo's hidden
// files are never served; and the cache lifetime follows the server's clock, not the
// machine's (albo serve --now).
func TestSecurityHeaders(t *testing.T) {
	_, _, _, url, now := fixture(t)
	for _, c := range []struct {
		path, csp, disposition string
		status                 int
	}{
		{"/", serve.PagePolicy, "", 200},
		{"/atti/2026/1.html", serve.PagePolicy, "", 200},
		{"/static/albo.css", serve.PagePolicy, "", 200},
		{"/atti/2026/1/testo.pdf", serve.AttachmentPolicy, "", 200},
		{"/atti/2026/1/dati.xml", "default-src 'none'; sandbox", "attachment", 200},
		{"/nulla", serve.PagePolicy, "", 404},
		{"/.albo", serve.PagePolicy, "", 404},
	} {
		resp, _ := get(t, url+c.path)
		h := resp.Header
		if resp.StatusCode != c.status || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != c.csp ||
			h.Get("Content-Disposition") != c.disposition || h.Get("X-Robots-Tag") != "noindex, noarchive" {
			t.Errorf("%s: %d, nosniff %q, CSP %q, disposition %q", c.path, resp.StatusCode, h.Get("X-Content-Type-Options"),
				h.Get("Content-Security-Policy"), h.Get("Content-Disposition"))
		}
	}
	resp, _ := get(t, url+"/atti/2026/1/testo.pdf")
	end := time.Date(2026, 12, 1, 0, 0, 0, 0, now.Location()) // after the last day, 30/11
	if want := "public, max-age=" + fmt.Sprint(int(end.Sub(now).Seconds())); resp.Header.Get("Cache-Control") != want {
		t.Errorf("Cache-Control %q, want %q (from the server's clock)", resp.Header.Get("Cache-Control"), want)
	}
}

// TestGone: once an act's publication has ended, its page and attachments answer 410 Gone
// with the page that says how to see it at the office; an address that never was an act
// answers 404; the files for nginx and Apache name the act.
func TestGone(t *testing.T) {
	site, s, srv, url, now := fixture(t)
	later := now.AddDate(0, 0, 10) // after 30/11
	res, err := s.Build(later, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	srv.Built(res.Plan, "")
	for path, want := range map[string]int{"/atti/2026/1.html": 410, "/atti/2026/1/testo.pdf": 410, "/atti/2026/2.html": 404, "/atti/2026/1x.html": 404, "/": 200} {
		resp, body := get(t, url+path)
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
		if want == 410 && !strings.Contains(body, "Si può chiedere di consultarlo") {
			t.Errorf("%s: the 410 page does not say how to see the act", path)
		}
	}
	dest := filepath.Join(site, "public")
	for file, want := range map[string]string{".albo-scaduti.map": "\n/atti/2026/1 1;\n", ".htaccess": "RedirectMatch gone ^/atti/2026/1(\\.html|/.*)$"} {
		b, err := os.ReadFile(filepath.Join(dest, file))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s: %v %q", file, err, b)
		}
	}
	if resp, _ := get(t, url+"/.albo-scaduti.map"); resp.StatusCode != 404 {
		t.Errorf("the list is served: %d", resp.StatusCode)
	}
}

// TestContentTypes: every file of the sample albo is served with the type of
// render.ContentType, the one table albo deploy also stores: never the system's, never
// sniffed (nosniff makes the browser believe it).
func TestContentTypes(t *testing.T) {
	res, err := generator.Build(generator.Options{Source: filepath.Join("..", ".."), Dest: filepath.Join(t.TempDir(), "public"), Now: "2026-11-23"})
	if err != nil {
		t.Fatal(err)
	}
	// A machine whose own table says otherwise (as a Windows PC's registry may).
	for _, ext := range []string{".ttl", ".csv", ".woff2", ".p7m"} {
		if err := mime.AddExtensionType(ext, "application/x-di-questo-computer"); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(serve.Handler(res.Dest, "/"))
	defer srv.Close()
	seen := map[string]bool{}
	err = render.OnLine(res.Dest, func(rel, _ string) error {
		resp, err := http.Head(srv.URL + "/" + rel)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if got, want := resp.Header.Get("Content-Type"), render.ContentType(rel); got != want {
			t.Errorf("%s: Content-Type %q, want %q", rel, got, want)
		}
		seen[filepath.Ext(rel)] = true
		return nil
	})
	if err != nil || !seen[".ttl"] || !seen[".woff2"] || !seen[".p7m"] || !seen[".csv"] {
		t.Fatalf("%v; extensions seen %v", err, seen)
	}
}
