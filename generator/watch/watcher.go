// Package watch keeps a site built while staff work and time passes: it watches the
// site's files (inotify through fsnotify, or polling where there are no events), and
// rebuilds after every change and at every boundary of a publication window.
package watch

import (
	"errors"
	"fmt"
	"github.com/borgoesempio/albo/generator/msg"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/borgoesempio/albo/generator/internal/filestamp"
	"github.com/borgoesempio/albo/generator/register"
	"github.com/fsnotify/fsnotify"
)

// Batch is what changed since the last batch: paths relative to the site (slash form),
// or everything when Rescan is set (after an event queue overflow).
type Batch struct {
	Paths  []string
	Rescan bool
}

// Watched are the folders of a site whose changes change the site.
var Watched = []string{"content", "themes"}

// Registers are files whose names say albo ignores them but whose changes change the site:
// the register, where albo interruzione records the interruptions of service.
var Registers = []string{register.Path}

// Ignored reports whether a change to a file with this name can be ignored: files albo
// never reads (names starting with '.' or '_'), and editors' temporary, swap and backup
// files (vim, Emacs, VS Code, IntelliJ, downloads in progress).
func Ignored(name string) bool {
	switch {
	case name == "", strings.HasPrefix(name, "."), strings.HasPrefix(name, "_"), strings.HasPrefix(name, "#"),
		strings.HasSuffix(name, "~"), name == "4913":
		return true
	}
	for _, suffix := range []string{".swp", ".swx", ".swo", ".tmp", ".bak", ".crdownload", ".part", "___jb_tmp___", "___jb_old___"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// ignoredPath reports whether any element of a relative path is ignored.
func ignoredPath(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if Ignored(part) {
			return true
		}
	}
	return false
}

// Watcher sends batches of changes, each about Debounce after the last event of a burst.
type Watcher struct {
	C    <-chan Batch
	Mode string // "inotify" or "poll"

	root     string
	debounce time.Duration
	out      chan Batch
	done     chan struct{}
	once     sync.Once
	fsw      *fsnotify.Watcher
	poll     time.Duration
	logf     func(format string, args ...any)
}

// Options tune a watcher.
type Options struct {
	Poll     bool          // poll instead of waiting for events (network shares)
	Interval time.Duration // polling interval; default 1 s
	Debounce time.Duration // quiet time that ends a burst; default 100 ms
	Logf     func(format string, args ...any)
}

// New watches the site at root.
func New(root string, o Options) (*Watcher, error) {
	if o.Debounce == 0 {
		o.Debounce = 100 * time.Millisecond
	}
	if o.Interval == 0 {
		o.Interval = time.Second
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	w := &Watcher{root: root, debounce: o.Debounce, out: make(chan Batch, 1), done: make(chan struct{}), poll: o.Interval, logf: o.Logf}
	w.C = w.out
	if !o.Poll {
		err := w.startNotify()
		if err == nil {
			w.Mode = "inotify"
			return w, nil
		}
		if !limits(err) {
			return nil, err
		}
		o.Logf("%s", msg.T("albo: il sistema non può sorvegliare altre cartelle (%v): controllo le modifiche ogni %s; per tornare agli eventi alza fs.inotify.max_user_watches", err, o.Interval))
	}
	w.Mode = "poll"
	first := w.snapshot() // before returning: a change made right after New is seen
	go w.runPoll(first)
	return w, nil
}

// limits reports whether err says the inotify limits are exhausted.
func limits(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}

// Close stops the watcher.
func (w *Watcher) Close() error {
	w.once.Do(func() { close(w.done) })
	if w.fsw != nil {
		return w.fsw.Close()
	}
	return nil
}

func (w *Watcher) startNotify() error {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	w.fsw = fsw
	if err := fsw.Add(w.root); err != nil { // to see content/ or themes/ appear
		fsw.Close()
		return err
	}
	for _, top := range Watched {
		if _, err := w.addTree(filepath.Join(w.root, top)); err != nil {
			fsw.Close()
			return err
		}
	}
	go w.runNotify()
	return nil
}

// addTree watches dir and every folder below it, and returns the files it holds, so that
// files created before the watch began are not missed.
func (w *Watcher) addTree(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if p != dir && Ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return w.fsw.Add(p)
		}
		files = append(files, p)
		return nil
	})
	return files, err
}

func (w *Watcher) rel(p string) (string, bool) {
	r, err := filepath.Rel(w.root, p)
	if err != nil || r == "." || strings.HasPrefix(r, "..") {
		return "", false
	}
	r = filepath.ToSlash(r)
	top, _, _ := strings.Cut(r, "/")
	watched := false
	for _, t := range Watched {
		watched = watched || top == t
	}
	return r, watched && (!ignoredPath(r) || slices.Contains(Registers, r))
}

func (w *Watcher) runNotify() {
	pending := map[string]bool{}
	rescan := false
	var timer *time.Timer
	var fire <-chan time.Time
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod {
				continue
			}
			rel, ok := w.rel(ev.Name)
			if !ok {
				continue
			}
			pending[rel] = true
			if ev.Op.Has(fsnotify.Create) {
				if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
					files, err := w.addTree(ev.Name)
					if err != nil {
						w.logf("%s", msg.T("albo: non posso sorvegliare %s: %v", rel, err))
						if limits(err) {
							rescan = true
						}
					}
					for _, f := range files {
						if r, ok := w.rel(f); ok {
							pending[r] = true
						}
					}
				}
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.logf("%s", msg.T("albo: troppe modifiche insieme per la coda degli eventi del sistema: rileggo tutto il sito"))
			} else {
				w.logf("%s", msg.T("albo: sorvegliando le modifiche: %s", msg.Err(err)))
			}
			rescan = true
		case <-fire:
			b := Batch{Rescan: rescan}
			for p := range pending {
				b.Paths = append(b.Paths, p)
			}
			sort.Strings(b.Paths)
			pending, rescan, fire = map[string]bool{}, false, nil
			select {
			case w.out <- b:
			case <-w.done:
				return
			}
			continue
		}
		if timer == nil {
			timer = time.NewTimer(w.debounce)
		} else {
			timer.Reset(w.debounce)
		}
		fire = timer.C
	}
}

// stamp is what polling compares: a file's size, modification and change times, inode.
type stamp struct {
	size       int64
	mod, ctime time.Time
	ino        uint64
	dir        bool
}

func stampOf(info fs.FileInfo) stamp {
	s := stamp{size: info.Size(), mod: info.ModTime(), dir: info.IsDir()}
	if st, ok := filestamp.Of(info); ok {
		s.ino, s.ctime = st.Ino, time.Unix(0, st.CTime)
	}
	return s
}

func (w *Watcher) snapshot() map[string]stamp {
	snap := map[string]stamp{}
	for _, top := range Watched {
		filepath.WalkDir(filepath.Join(w.root, top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			rel, ok := w.rel(p)
			if !ok {
				if d.IsDir() && p != filepath.Join(w.root, top) {
					return filepath.SkipDir
				}
				return nil
			}
			if info, err := d.Info(); err == nil {
				snap[rel] = stampOf(info)
			}
			return nil
		})
	}
	return snap
}

func (w *Watcher) runPoll(prev map[string]stamp) {
	tick := time.NewTicker(w.poll)
	defer tick.Stop()
	for {
		select {
		case <-w.done:
			return
		case <-tick.C:
		}
		cur := w.snapshot()
		var b Batch
		for p, s := range cur {
			if old, ok := prev[p]; !ok || (!s.dir && old != s) {
				b.Paths = append(b.Paths, p)
			}
		}
		for p := range prev {
			if _, ok := cur[p]; !ok {
				b.Paths = append(b.Paths, p)
			}
		}
		prev = cur
		if len(b.Paths) == 0 {
			continue
		}
		sort.Strings(b.Paths)
		select {
		case w.out <- b:
		case <-w.done:
			return
		}
	}
}

// String describes the watcher for the log.
func (w *Watcher) String() string {
	if w.Mode == "poll" {
		return fmt.Sprintf("polling every %s", w.poll)
	}
	return msg.T("sorveglio le modifiche")
}
