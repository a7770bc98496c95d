package generator

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// hostileSite is a site whose attachments are named with spaces, accents, '%', '#', '?',
// '+', '&', '=' and a subfolder, and whose subjects, offices, titles and reasons of
// annulment and extension carry markup.
const hostileSite = "testdata/ostile"

// siteURL is the address hostileSite is published at (its albo.yaml).
var siteURL = must(url.Parse("https://albo.prova.it/albo/"))

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// uriChars are the characters RFC 3986 allows in a URI: any other must be percent-encoded.
var uriChars = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$`)

// resolves checks that ref, found in the output file from, is a well-formed address and,
// when it points into the site, that it names a file of the output (a folder by its
// index.html) and, with a fragment, an element of that page.
func resolves(t *testing.T, files map[string][]byte, from, ref string) {
	t.Helper()
	if !uriChars.MatchString(ref) || strings.Contains(ref, "%") && !regexp.MustCompile(`^([^%]|%[0-9A-Fa-f]{2})*$`).MatchString(ref) {
		t.Errorf("%s: %q is not a well-formed URI (RFC 3986)", from, ref)
		return
	}
	page := &url.URL{Scheme: siteURL.Scheme, Host: siteURL.Host, Path: siteURL.Path + from}
	u, err := page.Parse(ref)
	if err != nil {
		t.Errorf("%s: %q does not parse: %v", from, ref, err)
		return
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host != siteURL.Host {
		return // another site, or urn:
	}
	if !strings.HasPrefix(u.Path, siteURL.Path) {
		t.Errorf("%s: %q leads outside the albo (%s)", from, ref, u.Path)
		return
	}
	rel := strings.TrimPrefix(u.Path, siteURL.Path)
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	body, ok := files[rel]
	if !ok {
		t.Errorf("%s: %q leads to %q, which is not in the output", from, ref, rel)
		return
	}
	if u.Fragment != "" && !bytes.Contains(body, []byte(`id="`+u.Fragment+`"`)) {
		t.Errorf("%s: %q: %s has no element with id %q", from, ref, rel, u.Fragment)
	}
}

// TestHostileNamesResolve builds the hostile site and follows every link of every page,
// every address of every feed and every address of the open data.
func TestHostileNamesResolve(t *testing.T) {
	files := tree(t, build(t, hostileSite, "2026-12-01"))
	if _, ok := files["atti/2026/1/città àèìòù.pdf"]; !ok {
		t.Fatalf("the attachment with accents is not published: %v", sortedKeys(files))
	}
	links := 0
	for _, name := range sortedKeys(files) {
		b := files[name]
		switch path.Ext(name) {
		case ".html":
			doc, err := html.Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for n := range doc.Descendants() {
				for _, a := range n.Attr {
					if a.Key == "href" || a.Key == "src" || a.Key == "action" {
						resolves(t, files, name, a.Val)
						links++
					}
				}
			}
		case ".xml":
			links += feedLinks(t, files, name, b)
		case ".json":
			if name == "feed.json" || strings.HasPrefix(name, "dati/") {
				var v any
				if err := json.Unmarshal(b, &v); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				links += jsonLinks(t, files, name, v)
			}
		case ".csv":
			links += csvLinks(t, files, name, b)
		}
	}
	t.Logf("%d addresses followed", links)
	if links < 100 {
		t.Errorf("only %d addresses followed", links)
	}
	for _, want := range []string{
		"Delibera%20GC%2045%20firmata.pdf", "perizia%20100%25.pdf", "nota%231.pdf", "domanda%3F.pdf",
		"citt%C3%A0%20%C3%A0%C3%A8%C3%AC%C3%B2%C3%B9.pdf", "allegati/a%20b+c&d=e.pdf",
	} {
		for _, f := range []string{"atti/2026/1.html", "feed.json", "dati/atti.json", "dati/atti.csv", "atom.xml"} {
			if !strings.Contains(html.UnescapeString(strings.ReplaceAll(string(files[f]), `\u0026`, "&")), want) {
				t.Errorf("%s lacks the address %s", f, want)
			}
		}
	}
}

// feedLinks checks the addresses of an RSS or Atom feed; that the text of every RSS
// item's description and Atom title or summary, once the XML is read, has no '<' left for a reader
// to take as markup (Atom's by type "html"); and that RSS writes '&', '<', '>' as the RSS
// Profile asks (hexadecimal references).
func feedLinks(t *testing.T, files map[string][]byte, name string, b []byte) int {
	t.Helper()
	n := 0
	if bytes.Contains(b, []byte("<rss")) {
		for _, ref := range []string{"&amp;", "&lt;", "&gt;"} {
			if bytes.Contains(b, []byte(ref)) {
				t.Errorf("%s: %s instead of a hexadecimal reference", name, ref)
			}
		}
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var in []string
	typ := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			in = append(in, tok.Name.Local)
			typ = ""
			for _, a := range tok.Attr {
				if a.Name.Local == "type" {
					typ = a.Value
				}
				if a.Name.Local == "href" || a.Name.Local == "url" {
					resolves(t, files, name, a.Value)
					n++
				}
			}
		case xml.EndElement:
			in = in[:len(in)-1]
		case xml.CharData:
			switch {
			case len(in) > 0 && in[len(in)-1] == "link" && slices.Contains(in, "channel"):
				resolves(t, files, name, strings.TrimSpace(string(tok)))
				n++
			case len(in) > 0 && in[len(in)-1] == "description" && slices.Contains(in, "item") && strings.Contains(string(tok), "<"):
				t.Errorf("%s: a description a reader takes as HTML: %q", name, tok)
			case len(in) > 0 && slices.Contains([]string{"title", "summary"}, in[len(in)-1]) && in[0] == "feed" &&
				(typ != "html" || strings.Contains(string(tok), "<")):
				t.Errorf("%s: %s of type %q a reader takes as markup: %q", name, in[len(in)-1], typ, tok)
			}
		}
	}
}

// jsonLinks checks every string of a JSON document that is an address of the site.
func jsonLinks(t *testing.T, files map[string][]byte, name string, v any) int {
	t.Helper()
	n := 0
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range v {
				if !yield(k) {
					return
				}
			}
		}) {
			n += jsonLinks(t, files, name, v[k])
		}
	case []any:
		for _, x := range v {
			n += jsonLinks(t, files, name, x)
		}
	case string:
		if strings.HasPrefix(v, "http") {
			resolves(t, files, name, v)
			n++
		}
	}
	return n
}

// csvLinks checks the columns url and allegati_url (addresses separated by spaces: with
// every address encoded, a space is never part of one).
func csvLinks(t *testing.T, files map[string][]byte, name string, b []byte) int {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	n := 0
	for _, row := range rows[1:] {
		for i, col := range rows[0] {
			if col == "url" || col == "allegati_url" {
				for _, u := range strings.Fields(row[i]) {
					resolves(t, files, name, u)
					n++
				}
			}
		}
	}
	return n
}
