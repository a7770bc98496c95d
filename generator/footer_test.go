package generator

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/borgoesempio/albo/themes"
)

// TestFooterLinks: every page of the sample, of every type, in both built-in themes, has in
// its footer the links AgID's validator looks for (Designers Italia Modello Comuni), each
// with its data-element and the address albo.yaml gives, the ente's contacts once, the
// crest in the header and as the icon, and the legal notes page with the licence's text.
var sectionTitleRE = regexp.MustCompile(`<(\w+)[^>]*data-element="legal-notes-section"[^>]*>([^<]*)</(\w+)>`)

func TestFooterLinks(t *testing.T) {
	for _, tema := range []string{"", themes.BootstrapItalia} {
		t.Run("tema="+tema, func(t *testing.T) { footerLinks(t, build(t, sampleWith(t, tema), sampleNow)) })
	}
}

func footerLinks(t *testing.T, dest string) {
	want := map[string]string{
		"privacy-policy-link": "https://www.comune.borgoesempio.it/privacy",
		"legal-notes":         "/note-legali/",
		"accessibility-link":  "https://form.agid.gov.it/view/00000000-0000-0000-0000-000000000000",
		"faq":                 "https://www.comune.borgoesempio.it/faq",
		"report-inefficiency": "mailto:urp@comune.borgoesempio.it",
	}
	link := regexp.MustCompile(`<a href="([^"]*)" data-element="([a-z-]+)">([^<]*)</a>`)
	crest := regexp.MustCompile(`<img class="[a-z]+" src="/stemma.png"`)
	pages := 0
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		pages++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		page, rel := string(b), strings.TrimPrefix(p, dest)
		footer := page[strings.Index(page, "<footer"):]
		got := map[string]string{}
		for _, m := range link.FindAllStringSubmatch(footer, -1) {
			got[m[2]] = m[1]
			if m[2] == "report-inefficiency" && m[3] != "Segnala disservizio" || m[2] == "faq" && !strings.Contains(strings.ToLower(m[3]), "faq") {
				t.Errorf("%s: the label of %s is %q", rel, m[2], m[3])
			}
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: footer link %s = %q, want %q", rel, k, got[k], v)
			}
		}
		for _, w := range []string{"Piano di miglioramento del sito", "PEC: <a href=\"mailto:protocollo@pec.comune.borgoesempio.it\">", "Codice fiscale: 00123456789"} {
			if !strings.Contains(footer, w) {
				t.Errorf("%s: no %q in the footer", rel, w)
			}
		}
		head, header := page[:strings.Index(page, "<body")], page[strings.Index(page, "<body"):strings.Index(page, "</header>")]
		if strings.Count(header, "Comune di Borgo Esempio") != 1 || !crest.MatchString(header) || !strings.Contains(head, `<link rel="icon" href="/stemma.png">`) {
			t.Errorf("%s: the header names the ente %d times, or lacks the crest", rel, strings.Count(header, "Comune di Borgo Esempio"))
		}
		return nil
	})
	if err != nil || pages < 40 {
		t.Fatalf("%d pages: %v", pages, err)
	}
	notes, err := os.ReadFile(filepath.Join(dest, "note-legali", "index.html"))
	// The validator (C.SI.3.4) reads the text of the element marked legal-notes-section as
	// the section's title, and must find exactly "Licenza dei contenuti".
	if m := sectionTitleRE.FindStringSubmatch(string(notes)); err != nil || m == nil || strings.TrimSpace(m[2]) != "Licenza dei contenuti" ||
		!strings.Contains(string(notes), `<p data-element="legal-notes-body">In applicazione del principio open by default`) {
		t.Errorf("legal notes: %v, the element of legal-notes-section: %q", err, m)
	}
	if _, err := os.Stat(filepath.Join(dest, "stemma.png")); err != nil {
		t.Errorf("the crest is not published: %v", err)
	}
	// Titillium Web is shipped with the theme, only the weights the stylesheet uses.
	css, _ := os.ReadFile(filepath.Join(dest, "static", "albo.css"))
	for _, w := range []string{"400", "600", "700"} {
		font := "font/titillium-web-latin-" + w + "-normal.woff2"
		if b, err := os.ReadFile(filepath.Join(dest, "static", filepath.FromSlash(font))); err != nil || len(b) < 1000 || string(b[:4]) != "wOF2" {
			t.Errorf("%s: not served as woff2: %v", font, err)
		}
		if !strings.Contains(string(css), "font-weight:"+w+";font-display:swap;src:url("+font+")") {
			t.Errorf("albo.css does not load %s", font)
		}
	}
	act, _ := os.ReadFile(filepath.Join(dest, "atti", "2026", "35.html"))
	if !strings.Contains(string(act), `<p class="stampa">Pagina dell'albo pretorio online di Comune di Borgo Esempio: https://albo.borgoesempio.it/atti/2026/35.html`) {
		t.Errorf("an act page does not print its address")
	}
}
