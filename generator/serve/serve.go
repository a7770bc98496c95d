// Package serve serves a built albo site over HTTP, as a public administration's web
// server should: never indexed or archived by search engines, never cached past the
// moment a page may change, with the theme's page for what does not exist; and, for staff
// previewing their work, reloads the page after every rebuild and shows build errors over it.
package serve

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/borgoesempio/albo/generator/render"
	"github.com/borgoesempio/albo/generator/schedule"
)

// Server serves the site in a folder. Its zero value is not usable: use New.
type Server struct {
	dir, base string
	live      bool // inject live reload into pages

	mu      sync.Mutex
	expires map[string]time.Time // act folder ("atti/2026/15/") → end of its last day
	now     func() time.Time
	errText string // the last build error, "" when the last build succeeded
	subs    map[chan string]bool
}

// New returns a server of the site in dir, published under the URL path base ("/" or
// "/albo/"). With live set, pages reload after each rebuild.
func New(dir, base string, live bool, now func() time.Time) *Server {
	return &Server{dir: dir, base: base, live: live, now: now, expires: map[string]time.Time{}, subs: map[chan string]bool{}}
}

// Handler serves the site in dir under base, without live reload.
func Handler(dir, base string) http.Handler { return New(dir, base, false, time.Now).Handler() }

// Built tells the server about a new site, built with the problems given (none: ""):
// pages reload and show the problems over them, and attachments may be cached until the
// end of their act's window.
func (s *Server) Built(p *schedule.Plan, problems string) {
	exp := render.Ends(p)
	if problems != "" {
		problems = "albo ha trovato dei problemi: il sito è aggiornato con gli atti validi, gli altri atti pubblicati restano com'erano.\n\n" + problems
	}
	s.mu.Lock()
	s.expires, s.errText = exp, problems
	s.mu.Unlock()
	s.publish("ricarica", "")
}

// Failed tells the server that a rebuild failed: pages show the error over them.
func (s *Server) Failed(err error) {
	text := "albo: la costruzione del sito non è riuscita; il sito pubblicato resta quello precedente.\n\n" + err.Error()
	s.mu.Lock()
	s.errText = text
	s.mu.Unlock()
	s.publish("errore", text)
}

func (s *Server) publish(event, data string) {
	msg := "event: " + event + "\n"
	for _, l := range strings.Split(data, "\n") {
		msg += "data: " + l + "\n"
	}
	msg += "\n"
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.subs {
		select {
		case c <- msg:
		default: // a slow reader misses an event, not the server
		}
	}
}

// PagePolicy and AttachmentPolicy are render's (one place says what every response
// carries, for albo serve and for the _headers file of static hosts).
const (
	PagePolicy       = render.PagePolicy
	AttachmentPolicy = render.AttachmentPolicy
)

// secure sets the headers every response carries: render.Headers of its path.
func secure(h http.Header, p string) {
	for _, kv := range render.Headers(strings.TrimPrefix(p, "/")) {
		h.Set(kv[0], kv[1])
	}
}

// Handler returns the HTTP handler of the site.
func (s *Server) Handler() http.Handler {
	files := http.FileServer(http.Dir(s.dir))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secure(w.Header(), path.Clean("/"+r.URL.Path))
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "metodo non consentito", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		switch {
		case s.live && p == "/_albo/eventi":
			s.events(w, r)
			return
		case s.live && p == "/_albo/ricarica.js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Write([]byte(reloadJS))
			return
		}
		file, ok := s.file(p)
		if !ok || hidden(p) {
			if !hidden(p) && s.gone(p) {
				s.goneAct(w)
				return
			}
			s.notFound(w)
			return
		}
		w.Header().Set("Cache-Control", s.cacheControl(p))
		w.Header().Set("Content-Type", render.ContentType(file))
		if s.live && strings.HasSuffix(file, ".html") {
			s.page(w, r, file)
			return
		}
		files.ServeHTTP(w, r)
	})
	if s.base == "/" {
		return h
	}
	inner := http.StripPrefix(strings.TrimSuffix(s.base, "/"), h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, s.base) || r.URL.Path+"/" == s.base:
			inner.ServeHTTP(w, r)
		case r.URL.Path == "/":
			secure(w.Header(), "/")
			http.Redirect(w, r, (&url.URL{Path: s.base}).EscapedPath(), http.StatusFound)
		default:
			secure(w.Header(), "/")
			s.notFound(w)
		}
	})
}

// hidden reports whether a path names a hidden file (albo's own, such as .albo): never served.
func hidden(p string) bool {
	for _, part := range strings.Split(p, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// file returns the file that serves the URL path p (a folder serves its index.html).
func (s *Server) file(p string) (string, bool) {
	f := filepath.Join(s.dir, filepath.FromSlash(p))
	info, err := os.Stat(f)
	if err != nil {
		return "", false
	}
	if info.IsDir() {
		f = filepath.Join(f, "index.html")
		if _, err := os.Stat(f); err != nil {
			return "", false
		}
	}
	return f, true
}

// cacheControl says how long a response may be kept. An attachment does not change while
// its act is published (it is sealed), so it may be kept until its act's window ends;
// everything else must be checked again each time, since a page changes with any edit
// and at every midnight at which an act starts or ends.
func (s *Server) cacheControl(p string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	end := render.KeptUntil(s.expires, strings.TrimPrefix(p, "/"))
	switch secs := int(end.Sub(s.now()).Seconds()); {
	case end.IsZero():
		return "no-cache"
	case secs > 0:
		return fmt.Sprintf("public, max-age=%d", secs)
	}
	return "no-store"
}

func (s *Server) page(w http.ResponseWriter, r *http.Request, file string) {
	b, err := os.ReadFile(file)
	if err != nil {
		s.notFound(w)
		return
	}
	tag := ReloadTag(s.base)
	if i := bytes.LastIndex(b, []byte("</body>")); i >= 0 {
		b = append(b[:i:i], append(tag, b[i:]...)...)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodHead {
		return
	}
	w.Write(b)
}

// gone reports whether the URL path p (below the base) is of an act whose publication has
// ended: the list the build writes (render.GonePath) names it.
func (s *Server) gone(p string) bool {
	base, _, ok := render.ActOf(strings.TrimPrefix(p, "/"))
	if !ok {
		return false
	}
	list, err := os.ReadFile(filepath.Join(s.dir, render.GonePath))
	if err != nil {
		return false
	}
	return bytes.Contains(list, []byte("\n"+s.base+base+" 1;\n"))
}

// goneAct answers 410 Gone with the page that says the act is no longer published and how
// to see it at the office.
func (s *Server) goneAct(w http.ResponseWriter) {
	s.errorPage(w, http.StatusGone, render.GonePage, "<!doctype html><title>Atto non più in pubblicazione</title><p>La pubblicazione di questo atto è terminata.</p>")
}

// ReloadTag is what albo serve adds to every page, before </body>, for live reload: the
// only byte in which a page it serves differs from the built one (albo verifica knows).
func ReloadTag(base string) []byte {
	return []byte(`<script src="` + base + `_albo/ricarica.js" defer></script>`)
}

func (s *Server) notFound(w http.ResponseWriter) {
	s.errorPage(w, http.StatusNotFound, "404.html", "<!doctype html><title>Pagina non trovata</title><p>Pagina non trovata.</p>")
}

// errorPage answers status with the site's page file, or fallback when it has none.
func (s *Server) errorPage(w http.ResponseWriter, status int, file, fallback string) {
	page, err := os.ReadFile(filepath.Join(s.dir, file))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	if err != nil {
		page = []byte(fallback)
	}
	w.Write(page)
}

// events streams server-sent events: "ricarica" after a rebuild, "errore" with the
// problems after a failed one (and at once, if the last build failed).
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	http.NewResponseController(w).SetWriteDeadline(time.Time{}) // a stream lasts as long as the page
	c := make(chan string, 8)
	s.mu.Lock()
	s.subs[c] = true
	errText := s.errText
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, c)
		s.mu.Unlock()
	}()
	fmt.Fprint(w, ": albo\n\n")
	if errText != "" {
		fmt.Fprint(w, "event: errore\ndata: "+strings.ReplaceAll(errText, "\n", "\ndata: ")+"\n\n")
	}
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-c:
			fmt.Fprint(w, msg)
			fl.Flush()
		}
	}
}

// reloadJS reloads the page after a rebuild and shows a failed build's problems over it.
const reloadJS = `(function () {
  var src = new EventSource(document.currentScript.src.replace(/ricarica\.js$/, "eventi"));
  src.addEventListener("ricarica", function () { location.reload(); });
  src.addEventListener("errore", function (e) {
    var box = document.getElementById("albo-errore");
    if (!box) {
      box = document.createElement("div");
      box.id = "albo-errore";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99;background:#fdeeee;color:#191919;border-top:6px solid #b71c1c;padding:1rem 1.5rem;font:14px/1.5 monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = e.data;
  });
})();
`
