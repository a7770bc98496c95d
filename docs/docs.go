// Package docs holds albo's guide for the secretariat, in Italian: the same pages are
// read in the repository (docs/guida/) and, embedded in the program, with albo help
// ARGOMENTO.
package docs

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed guida/*.md
var pages embed.FS

// Topics returns the names of the guide's pages, sorted: albo help NAME shows one.
func Topics() []string {
	entries, _ := fs.ReadDir(pages, "guida")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".md"))
	}
	sort.Strings(out)
	return out
}

// Page returns the text of the guide's page name.
func Page(name string) (string, bool) {
	b, err := pages.ReadFile("guida/" + name + ".md")
	return string(b), err == nil
}
