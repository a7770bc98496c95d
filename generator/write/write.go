// Package write stores a built site: it brings a staging tree beside the destination up
// to date and swaps it in at the end, so a web server reading the destination never sees
// a half-built or mixed site, and a failed build leaves the previous site as it was.
//
// The staging tree is kept between builds as a copy of the live site made of hard links
// to the same files, described by a manifest. A build keeps each staged file made from
// the same inputs (Keep, by a key the caller gives) or holding the same bytes, and
// rewrites the others (unlinking first, so the live copy is never touched); after the
// swap, in the background, the new staging tree is linked file by file to the new live
// one, everything no longer published is removed from it too, and its manifest written.
// A rebuild in which few acts changed thus creates and deletes few files, which is what
// costs most on disk, and in a session (albo watch) costs no system call for the others.
// In a session the files written from many parts (the open data) are staged as twins,
// files of their own, and patched where they differ instead of written whole (twin.go).
package write

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/borgoesempio/albo/generator/msg"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/borgoesempio/albo/generator/internal/bufpool"
	"github.com/borgoesempio/albo/generator/internal/flock"
	"github.com/borgoesempio/albo/generator/internal/parallel"
	"github.com/borgoesempio/albo/generator/internal/safefile"
)

// Tree is a site being written. WriteFile and CopyFile may be called from several
// goroutines.
type Tree struct {
	dest  string // the destination folder, the live site
	stage string // the staging tree, beside dest
	lock  *Lock
	after func() error // run once the tree is settled, before the lock is released

	dirs sync.Map   // folders known to exist in stage
	mu   sync.Mutex // guards added and changed

	// old describes the staging tree as the last complete build left it (nil when
	// unknown: first build, or a build that did not finish); the files of the new site
	// are the files of old claimed in this build, kept as they were or written again,
	// and the others in added, from the moment they are claimed; the entries of the
	// files written again are in added too. changed lists the files (re)created in this
	// build; next is the manifest of the new site, once settled.
	old     *manifest
	added   map[string]entry
	changed []string
	next    *manifest
	fresh   bool     // the staging tree was emptied at the swap: every file is to be linked
	empty   bool     // the staging tree was made empty by this tree: nothing in it to compare, clear or check
	once    bool     // the process ends after this build (Once)
	later   bool     // the staging tree is left for the next build to link (Once)
	marked  bool     // the staging tree is the top of a hierarchy for the file system (spread)
	nursery *nursery // where its files are made, when they are slow to make in place

	trusted bool         // old is this process's own, unchanged on disk: no lstat needed
	taken   atomic.Int64 // files of old claimed (take)
	// twins are the files written from many parts that the last build left (see twin.go),
	// rewritten those this build writes; once settled, twins are the new tree's.
	twins     map[string]*twin
	rewritten map[string]*rewritten
	stamp     os.FileInfo // the manifest file as Commit left it

	settled chan struct{} // closed when the tree is done with: aborted, failed, or settled after the swap
	err     error         // what went wrong settling, once settled is closed
}

// StageName returns the staging folder of dest: hidden, beside it.
func StageName(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".albo-stage")
}

// Lock holds a destination for one build: builds of the same destination, and the
// state kept beside it, wait for each other.
type Lock struct{ f *os.File }

// LockDest takes the lock of the destination dest, waiting for another build that holds it.
func LockDest(dest string) (*Lock, error) {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	parent, base := filepath.Dir(dest), filepath.Base(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("%s: %w", msg.T("non posso creare %s", parent), err)
	}
	f, err := os.OpenFile(filepath.Join(parent, "."+base+".albo-lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", msg.T("non posso bloccare %s", dest), err)
	}
	if err := flock.Lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", msg.T("non posso bloccare %s", dest), err)
	}
	return &Lock{f: f}, nil
}

// Release releases the lock; a nil or released lock is no error.
func (l *Lock) Release() {
	if l != nil && l.f != nil {
		l.f.Close() // releases the lock
		l.f = nil
	}
}

// Begin starts writing a new site for dest, taking its lock.
func Begin(dest string) (*Tree, error) {
	lock, err := LockDest(dest)
	if err != nil {
		return nil, err
	}
	t, err := BeginAfter(dest, nil, lock)
	if err != nil {
		lock.Release()
	}
	return t, err
}

// BeginAfter is Begin for a build that holds the destination's lock already; the tree
// releases it when done. prev is the tree of the session's previous build, or nil: when
// nobody else has built the destination since, prev's record of the files is trusted as
// it is, and unchanged files cost no system call at all.
func BeginAfter(dest string, prev *Tree, lock *Lock) (*Tree, error) {
	if prev != nil && prev.Wait() != nil {
		prev = nil // its staging tree did not settle: trust nothing of it
	}
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	t := &Tree{dest: dest, stage: StageName(dest), lock: lock, settled: make(chan struct{})}
	_, err = os.Lstat(t.markerPath())
	unsettled := err == nil // a build changed the staging tree and did not settle it
	if info, err := os.Lstat(t.manifestPath()); !unsettled && prev != nil && prev.stamp != nil && err == nil && os.SameFile(info, prev.stamp) &&
		info.ModTime().Equal(prev.stamp.ModTime()) && info.Size() == prev.stamp.Size() {
		t.old, t.trusted, t.twins = prev.next, true, prev.twins
	} else if !unsettled {
		t.old = readManifest(t.manifestPath())
	}
	t.added, t.rewritten = map[string]entry{}, map[string]*rewritten{}
	// From here the staging tree changes: until it is settled, the marker says that no
	// manifest vouches for it. (Removing the manifest instead could wait for the disk:
	// unlinking a file whose pages are being written back waits for the writing.)
	if err := os.WriteFile(t.markerPath(), nil, 0o644); err != nil {
		t.unlock()
		return nil, err
	}
	info, err := os.Lstat(t.stage)
	if err == nil && !info.IsDir() {
		os.Remove(t.stage)
	}
	if errors.Is(err, fs.ErrNotExist) && t.old != nil {
		// A manifest and no staging tree: the first build of the destination left the tree
		// to this one (Once), or it was deleted by hand. Either way the live site has it.
		if err := t.linkLive(); err != nil {
			t.unlock()
			return nil, err
		}
		return t, nil
	}
	if t.empty = errors.Is(err, fs.ErrNotExist) || (err == nil && !info.IsDir()); t.empty {
		t.old, t.trusted, t.twins = nil, false, nil // a manifest without its tree describes nothing
	}
	if err := os.MkdirAll(t.stage, 0o755); err != nil {
		t.unlock()
		return nil, err
	}
	t.spread()
	return t, nil
}

// Once says that the process ends after this build (albo build, not watch or serve). When
// the destination is new, the staging tree is not linked to it after the swap, which the
// command would wait for (10,000 acts: 13,600 links and 1,450 folders, 0.3-0.5 s on disk):
// the manifest is written all the same, and the next build of the destination, if there is
// one, links the tree from the live site while it reads the sources (linkLive). A first
// build in CI or on a new machine often has no next.
func (t *Tree) Once() { t.once = true }

// linkLive makes the staging tree, which the last build left to be made (Once), a copy of
// the live site made of hard links to the files of the manifest. A file no longer in the
// live site (deleted by hand) is not linked: the build finds it missing, and writes it again.
func (t *Tree) linkLive() error {
	if err := os.Mkdir(t.stage, 0o755); err != nil {
		return err
	}
	t.spread()
	rels := make([]string, 0, len(t.old.files))
	for rel := range t.old.files {
		rels = append(rels, rel)
	}
	return parallel.For(len(rels), func(i int) error {
		if err := t.linkNew(rels[i]); !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
}

// claim records rel as part of the new site and returns its cleaned relative form.
func (t *Tree) claim(rel string) (string, error) {
	clean, err := cleanRel(rel)
	if err != nil {
		return "", err
	}
	return clean, t.claimed(clean, entry{})
}

// cleanRel returns the relative path rel in its clean form, refusing one that leaves the
// site.
func cleanRel(rel string) (string, error) {
	clean := filepath.Clean(filepath.FromSlash(rel))
	// IsLocal: not absolute, not rooted or on a drive (Windows: \etc\passwd, C:x), not
	// above the site.
	if clean == "." || !filepath.IsLocal(clean) {
		return "", fmt.Errorf("%s", msg.T("il file %q uscirebbe dal sito", rel))
	}
	return clean, nil
}

// claimed records clean as part of the new site, with entry e until it is written.
func (t *Tree) claimed(clean string, e entry) error {
	if s := t.old.slot(clean); s != nil {
		if !t.take(s) {
			return fmt.Errorf("%s", msg.T("il file %q del sito sarebbe scritto due volte", clean))
		}
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, dup := t.added[clean]; dup {
		return fmt.Errorf("%s", msg.T("il file %q del sito sarebbe scritto due volte", clean))
	}
	t.added[clean] = e
	return nil
}

// inSite reports whether rel is a file of the new site; it may not be called while files
// are claimed.
func (t *Tree) inSite(rel string) bool {
	if s := t.old.slot(rel); s != nil && s.claimed.Load() {
		return true
	}
	_, ok := t.added[rel]
	return ok
}

// place claims rel and returns its path in the staging tree, whose folder it makes, and
// its cleaned relative form.
func (t *Tree) place(rel string) (string, string, error) {
	clean, err := t.claim(rel)
	if err != nil {
		return "", "", err
	}
	p := filepath.Join(t.stage, clean)
	return p, clean, t.mkdir(filepath.Dir(p))
}

// record notes what the file at p (relative path rel) now is; created marks a file
// made in this build, which the live site does not share yet.
func (t *Tree) record(p, rel string, sum [32]byte, key string, created bool) error {
	info, err := os.Lstat(p)
	if err != nil {
		return err
	}
	t.note(rel, entryOf(info, sum, key), created)
	return nil
}

// note records e as the entry of rel in the new manifest; created marks a file made in
// this build, which the live site does not share yet.
func (t *Tree) note(rel string, e entry, created bool) {
	t.mu.Lock()
	t.added[rel] = e
	if created {
		t.changed = append(t.changed, rel)
	}
	t.mu.Unlock()
}

// unchanged returns the manifest's slot of rel if the staged file is still the one the
// manifest describes and was made from key (any key when key is "") or holds sum.
func (t *Tree) unchanged(rel, key string, sum *[32]byte) (*slot, bool) {
	sl := t.old.slot(rel)
	if sl == nil || (key != "" && sl.Key != key) || (sum != nil && sl.Sum != *sum) {
		return nil, false
	}
	if t.trusted {
		return sl, true
	}
	if !sl.matchesFile(filepath.Join(t.stage, rel)) {
		return nil, false
	}
	return sl, true
}

// Keep keeps the staged file rel if it was made from the same key in an earlier build,
// and reports whether it did; otherwise the caller makes it and calls WriteKeyed.
func (t *Tree) Keep(rel, key string) bool { return t.KeepHinted(rel, key, nil) }

// KeepHinted is Keep with a hint: where the last build of the session found rel when it
// kept it. A hint that still holds (the manifest is this process's own and unchanged,
// the file still in it, made from key) keeps the file without looking it up; otherwise
// rel is looked up as by Keep, and the hint filled for the next build. In a rebuild of
// albo watch, 10,000 unchanged act pages were 5 ms of lookups in the manifest.
func (t *Tree) KeepHinted(rel, key string, h *any) bool {
	if t.old == nil || key == "" {
		return false
	}
	if h != nil && t.trusted {
		if last, ok := (*h).(hint); ok && last.m == t.old && last.rel == rel && !last.s.gone && last.s.Key == key {
			return t.take(last.s)
		}
	}
	clean, err := cleanRel(rel)
	if err != nil {
		return false
	}
	// Claimed on the slot found, without looking it up again; the file is there, so is
	// its folder.
	sl, ok := t.unchanged(clean, key, nil)
	if !ok || !t.take(sl) {
		return false
	}
	if h != nil && t.trusted {
		*h = hint{m: t.old, rel: rel, s: sl}
	}
	return true
}

// take claims the slot s of old for the new site, unless it is claimed already.
func (t *Tree) take(s *slot) bool {
	if !s.claimed.CompareAndSwap(false, true) {
		return false
	}
	t.taken.Add(1)
	return true
}

// hint is where KeepHinted found a file: its slot in the manifest m.
type hint struct {
	m   *manifest
	rel string
	s   *slot
}

// mkdir makes dir and its parents in the staging tree, replacing files in the way.
func (t *Tree) mkdir(dir string) error {
	if _, ok := t.dirs.Load(dir); ok || dir == t.stage {
		return nil
	}
	if !t.empty {
		if info, err := os.Lstat(dir); err == nil && info.IsDir() {
			t.dirs.Store(dir, true)
			return nil
		} else if err == nil {
			os.Remove(dir) // a file of an older layout
		}
	}
	if err := t.mkdir(filepath.Dir(dir)); err != nil {
		return err
	}
	if filepath.Dir(dir) == t.stage {
		if err := mkdirTop(dir, t.marked); err != nil {
			return err
		}
	} else if err := t.nursery.mkdir(dir); err != nil {
		return err
	}
	t.dirs.Store(dir, true)
	return nil
}

// clear removes whatever is at p, so a new file can be created there without changing
// the live site's copy of it.
func clear(p string) error {
	err := os.Remove(p)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return os.RemoveAll(p)
	}
	return nil
}

// WriteFile stores data at rel, a slash path relative to the site root.
func (t *Tree) WriteFile(rel string, data []byte) error { return t.WriteKeyed(rel, "", data) }

// WriteKeyed stores at rel the bytes of parts, one after the other (the open data is
// written from its lines, without making the whole file first), and records the key it
// was made from, for Keep. A file written without a key is compared with the staged one
// by its digest, and kept when the same; one with a key was made from new inputs (or Keep
// would have kept it), so its bytes are taken as new without hashing them (the open data
// is megabytes).
func (t *Tree) WriteKeyed(rel, key string, parts ...[]byte) error {
	p, clean, err := t.place(rel)
	if err != nil {
		return err
	}
	var sum [32]byte
	if key == "" {
		h := sha256.New()
		for _, b := range parts {
			h.Write(b)
		}
		h.Sum(sum[:0])
		if sl, ok := t.unchanged(clean, "", &sum); ok {
			t.note(clean, sl.entry, false)
			return nil
		}
	}
	if !t.empty {
		// A file with no manifest to vouch for it, or made from other inputs that give the
		// same bytes (another albo version: every key changes, few pages do), is kept as
		// it is: creating the 13,600 files of 10,000 acts again took 3-10 s on disk.
		if t.old == nil || (key != "" && len(parts) == 1) {
			if e, ok := same(p, parts, sum, key); ok {
				t.note(clean, e, false)
				return nil
			}
		}
		if w := t.patchable(clean, p, parts); w != nil {
			e, err := patch(p, w.parts, parts, sum, key)
			if err != nil {
				return err
			}
			t.note(clean, e, true)
			t.wrote(clean, parts, e)
			return nil
		}
		if err := clear(p); err != nil {
			return err
		}
	}
	e, err := t.nursery.create(p, parts, sum, key)
	if err != nil {
		return err
	}
	t.note(clean, e, true)
	if len(parts) > 1 {
		t.wrote(clean, parts, e)
	}
	return nil
}

// holds reports whether b is exactly the bytes of parts.
func holds(b []byte, parts [][]byte) bool {
	for _, p := range parts {
		if len(b) < len(p) || !bytes.Equal(b[:len(p)], p) {
			return false
		}
		b = b[len(p):]
	}
	return len(b) == 0
}

// readBufs are the buffers same reads files into: a build after an upgrade of albo reads
// back every page it makes again (100,000 acts: 800 MB, which the collector had to clear).
// The open data (megabytes) is read into a buffer of its own.
var readBufs = bufpool.New(1 << 20)

// CopyFile stores at rel a copy of the file src (an attachment) whose content has the
// digest key ("sha256:" and its hex SHA-256). A staged file made from the same content is
// kept: the manifest says so (Keep), or, where it knows nothing of the file, the file has
// that SHA-256; size and modification time prove nothing (cp -p, rsync -t, unzip). Any
// other is replaced by a clone of src where the file system can share its blocks, else
// by a copy.
func (t *Tree) CopyFile(rel, src, key string) error {
	if t.Keep(rel, key) {
		return nil
	}
	p, clean, err := t.place(rel)
	if err != nil {
		return err
	}
	if !t.empty {
		si, err := os.Stat(src)
		if err != nil {
			return err
		}
		if oi, err := os.Lstat(p); err == nil && oi.Mode().IsRegular() && oi.Size() == si.Size() && contentKey(p) == key {
			return t.record(p, clean, [32]byte{}, key, t.old.slot(clean) == nil)
		}
		if err := clear(p); err != nil {
			return err
		}
	}
	e, err := copyFile(t.nursery, p, src, key)
	if err != nil {
		return err
	}
	t.note(clean, e, true)
	return nil
}

// Previous opens rel in the live site, the last build's, for reading, or returns nil when
// it has no such file or it cannot be read. Nothing vouches for its bytes (a hand may have
// changed the file): the caller checks what it takes, and closes it.
func (t *Tree) Previous(rel string) io.ReadSeekCloser {
	clean, err := cleanRel(rel)
	if err != nil {
		return nil
	}
	f, _, err := safefile.Open(filepath.Join(t.dest, clean), "")
	if err != nil {
		return nil
	}
	return previous(f)
}

// Stream starts the file rel, whose bytes are then written to w a piece at a time instead
// of being held whole as parts: a build that takes most lines of the open data from the
// last files (render) reads and writes them a window at a time (100,000 acts: 110 MB it
// no longer holds). end ends the file, made from inputs whose digest is key, or, when
// failed is not nil, gives it up and returns failed, and the build with it. A streamed file
// has no twin (see twin.go): a session writes its files from parts.
func (t *Tree) Stream(rel string) (w io.Writer, end func(key string, failed error) error, err error) {
	p, clean, err := t.place(rel)
	if err != nil {
		return nil, nil, err
	}
	if !t.empty {
		if err := clear(p); err != nil {
			return nil, nil, err
		}
	}
	s, err := t.nursery.stream(p)
	if err != nil {
		return nil, nil, err
	}
	return s, func(key string, failed error) error {
		e, err := s.end(key, failed)
		if err == nil {
			t.note(clean, e, true)
		}
		return err
	}, nil
}

// streaming is a file made a piece at a time (Stream), through a buffer of streamBuffer
// bytes; done closes it, written as err says, puts it in its place and returns its entry
// with key.
type streaming struct {
	*bufio.Writer
	done func(err error, key string) (entry, error)
}

const streamBuffer = 256 << 10

// end writes what is buffered and returns the file's entry, with the key it was made
// from; when failed is not nil, it closes the file and returns failed.
func (s *streaming) end(key string, failed error) (entry, error) {
	err := failed
	if err == nil {
		err = s.Flush()
	}
	e, err := s.done(err, key)
	if failed != nil {
		return entry{}, failed
	}
	return e, err
}

// contentKey is the digest key of the file at p: "sha256:" and the hex SHA-256 of its
// bytes, or "" when it cannot be read.
func contentKey(p string) string {
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// prune removes from the tree at root every file not written in this build, and the
// folders left empty.
func (t *Tree) prune(root string) error {
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			dirs = append(dirs, p)
			return nil
		}
		if !t.inSite(rel) {
			return os.Remove(p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Sort(sort.Reverse(sort.StringSlice(dirs))) // children before parents
	for _, d := range dirs {
		os.Remove(d) // fails, as it should, when not empty
	}
	return nil
}

// Commit swaps the new site in place of the destination, atomically where the system
// allows it (Linux renameat2 RENAME_EXCHANGE, macOS renamex_np RENAME_SWAP; elsewhere two
// renames, see swap). When it returns the new site is live; the staging tree is then made
// a linked copy of it in the background while after runs (the state beside the site is
// saved there), and the next build of the destination waits for both (Wait).
func (t *Tree) Commit(after func() error) error {
	if err := t.WriteFile(Marker, []byte(markerText)); err != nil {
		t.done(err)
		return err
	}
	if err := t.swap(); err != nil {
		t.done(err)
		return err
	}
	go func() {
		// after (the state, beside the site) runs while the staging tree settles: neither
		// reads what the other writes.
		afterErr := make(chan error, 1)
		if after == nil {
			afterErr <- nil
		} else {
			go func() { afterErr <- after() }()
		}
		err := t.settle()
		t.done(errors.Join(err, <-afterErr))
	}()
	return nil
}

// Wait waits until the tree is settled after its Commit (or done with after an Abort or
// a failure), and returns what went wrong settling it.
func (t *Tree) Wait() error {
	<-t.settled
	return t.err
}

// done ends the tree's life: it releases the lock that builds of the destination share.
func (t *Tree) done(err error) {
	t.err = err
	t.unlock()
	close(t.settled)
}

// spread marks the staging tree as the top of a hierarchy, where the file system knows
// the mark (see spread), and readies its nursery.
func (t *Tree) spread() {
	t.marked = spread(t.stage)
	t.nursery = newNursery(t.stage, t.marked)
}

// swap puts the staging tree in place of the destination.
func (t *Tree) swap() error {
	if err := t.nursery.close(); err != nil { // every file is in its place
		return err
	}
	if !t.empty { // else all the staging tree holds is this build's
		if err := t.drop(); err != nil {
			return err
		}
	}
	if _, err := os.Lstat(t.dest); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(t.stage, t.dest); err != nil {
			return err
		}
		if t.once {
			t.later = true // no staging tree: the next build links it (Once)
			return nil
		}
		if err := os.Mkdir(t.stage, 0o755); err != nil {
			return err
		}
		t.spread()
		t.fresh, t.empty = true, true // the new staging tree is empty: link every file
	} else if err := exchange(t.stage, t.dest); err != nil {
		// No atomic exchange here (another system or file system): two renames, and between
		// them, for an instant, no folder at dest (a reader gets "not found", never a mix).
		old := t.stage + "-old"
		if err := os.RemoveAll(old); err != nil {
			return err
		}
		if err := os.Rename(t.dest, old); err != nil {
			return fmt.Errorf("%s: %w", msg.T("non posso sostituire %s", t.dest), err)
		}
		if err := os.Rename(t.stage, t.dest); err != nil {
			_ = os.Rename(old, t.dest)
			return fmt.Errorf("%s: %w", msg.T("non posso sostituire %s", t.dest), err)
		}
		if err := os.Rename(old, t.stage); err != nil {
			return err
		}
	}
	return nil
}

// settle makes the staging tree (the former live site) a linked copy of the new live
// site and writes the manifest that vouches for it.
func (t *Tree) settle() error {
	t.dirs = sync.Map{}
	if !t.later {
		if err := t.relink(); err != nil {
			return err
		}
		if err := t.nursery.close(); err != nil { // folders it made while linking
			return err
		}
		t.settleTwins()
	}
	// The manifest of the new site is old's, brought up to date: the files not claimed
	// go, those written again or new come from added.
	t.next = t.old
	if t.next == nil {
		t.next = newManifest(len(t.added))
	}
	for rel, s := range t.next.files {
		if !s.claimed.Load() {
			delete(t.next.files, rel)
			s.gone = true // a hint to it no longer holds
		}
		s.claimed.Store(false)
	}
	for rel, e := range t.added {
		if s := t.next.files[rel]; s != nil {
			s.entry = e
		} else {
			t.next.files[rel] = &slot{entry: e}
		}
	}
	if err := writeManifest(t.manifestPath(), t.next); err != nil {
		return err
	}
	t.stamp, _ = os.Lstat(t.manifestPath())
	return os.Remove(t.markerPath())
}

// drop removes from the staging tree the files of the previous site that this build did
// not write. With a manifest it knows them; without one it walks the tree.
func (t *Tree) drop() error {
	if t.old == nil {
		return t.prune(t.stage)
	}
	if t.taken.Load() == int64(len(t.old.files)) {
		return nil // every file of the previous site is in this one (albo watch, most often)
	}
	var gone []string
	for rel, s := range t.old.files {
		if !s.claimed.Load() {
			gone = append(gone, rel)
		}
	}
	sort.Strings(gone)
	for _, rel := range gone {
		p := filepath.Join(t.stage, rel)
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for d := filepath.Dir(p); d != t.stage && os.Remove(d) == nil; d = filepath.Dir(d) {
		}
	}
	return nil
}

// relink makes the new staging tree (the former live site) a copy of the new live
// site made of hard links: with a manifest, by dropping what is gone and linking what
// this build created; without one, file by file.
func (t *Tree) relink() error {
	var rels []string
	if t.old != nil && !t.fresh {
		if err := t.drop(); err != nil {
			return err
		}
		rels = t.changed
	} else {
		if err := t.prune(t.stage); err != nil {
			return err
		}
		for rel, s := range t.old.all {
			if s.claimed.Load() {
				rels = append(rels, rel)
			}
		}
		for rel := range t.added {
			if t.old.slot(rel) == nil {
				rels = append(rels, rel)
			}
		}
	}
	return parallel.For(len(rels), func(i int) error { return t.link(rels[i]) })
}

// mkdirOnce makes the folder dir; one that is there already is no error.
func mkdirOnce(dir string) error {
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

func (t *Tree) link(rel string) error {
	if t.fresh { // an empty staging tree: nothing to check or clear
		return t.linkNew(rel)
	}
	live, staged := filepath.Join(t.dest, rel), filepath.Join(t.stage, rel)
	li, err := os.Lstat(live)
	if err != nil {
		return err
	}
	if si, err := os.Lstat(staged); err == nil && os.SameFile(li, si) {
		return nil
	}
	if ok, err := t.patchStaged(rel, staged); ok || err != nil {
		return err
	}
	if err := t.mkdir(filepath.Dir(staged)); err != nil {
		return err
	}
	if err := clear(staged); err != nil {
		return err
	}
	return os.Link(live, staged)
}

// linkNew links the live file rel into the staging tree, where nothing is at its place.
func (t *Tree) linkNew(rel string) error {
	staged := filepath.Join(t.stage, rel)
	if err := t.mkdir(filepath.Dir(staged)); err != nil {
		return err
	}
	return os.Link(filepath.Join(t.dest, rel), staged)
}

// Abort ends a build that failed. The live site is untouched; the staging tree is left
// without a manifest, so the next build compares every file it writes with it.
func (t *Tree) Abort() { t.done(nil) }

func (t *Tree) unlock() {
	t.lock.Release()
	t.lock = nil
}
