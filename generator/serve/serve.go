// Package serve serves a built albo site over HTTP, as a public administration's web
// server should: never indexed or archived by search engines, never cached past the
// day, with the theme's page for what does not exist.
package serve

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Handler serves the site in dir, published under the URL path base ("/" or "/albo/").
func Handler(dir, base string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Robots-Tag", "noindex, noarchive")
		// Acts disappear at midnight: a browser or proxy must ask again every time.
		w.Header().Set("Cache-Control", "no-cache")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "metodo non consentito", http.StatusMethodNotAllowed)
			return
		}
		if !exists(dir, r.URL.Path) {
			notFound(w, dir)
			return
		}
		files.ServeHTTP(w, r)
	})
	if base == "/" {
		return h
	}
	return http.StripPrefix(strings.TrimSuffix(base, "/"), h)
}

// exists reports whether the site has a file for the URL path p (a folder counts when
// it has an index.html).
func exists(dir, p string) bool {
	clean := filepath.FromSlash(path.Clean("/" + p))
	info, err := os.Stat(filepath.Join(dir, clean))
	if err != nil {
		return false
	}
	if info.IsDir() {
		_, err = os.Stat(filepath.Join(dir, clean, "index.html"))
		return err == nil
	}
	return true
}

func notFound(w http.ResponseWriter, dir string) {
	page, err := os.ReadFile(filepath.Join(dir, "404.html"))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	if err != nil {
		page = []byte("<!doctype html><title>Pagina non trovata</title><p>Pagina non trovata.</p>")
	}
	w.Write(page)
}
