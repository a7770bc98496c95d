package render

import (
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/schedule"
)

// OnLine calls fn, in lexical order, for every file of the built site in dir that goes on
// line, with its path relative to the site (slashes) and on disk: everything but albo's
// own files (names starting with ".") and the host's header rules (HeadersPath). albo
// verifica checks these and albo deploy copies these.
func OnLine(dir string, fn func(rel, file string) error) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && strings.HasPrefix(path.Base(rel), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(path.Base(rel), ".") || rel == HeadersPath {
			return nil
		}
		return fn(rel, p)
	})
}

// Ends returns, for the folder of every act in publication ("atti/2026/15/"), the end of
// its last day: its attachments (sealed while it is published) may be kept until then,
// and no longer.
func Ends(p *schedule.Plan) map[string]time.Time {
	ends := map[string]time.Time{}
	for _, e := range p.Entries {
		if e.State == schedule.InPubblicazione {
			ends[actPath(e, "/")] = e.Al.AddDays(1).Start(p.Config.Location)
		}
	}
	return ends
}

// KeptUntil is how long the file rel may be kept by a browser or a cache, given Ends:
// an attachment of an act in publication until the end of its act's last day; anything
// else not at all without asking again (zero), since a page changes with any edit and at
// every midnight at which an act starts or ends.
func KeptUntil(ends map[string]time.Time, rel string) time.Time {
	if base, file, ok := ActOf(rel); ok && file != "" {
		return ends[base+"/"]
	}
	return time.Time{}
}
