package write

import (
	"bytes"
	"os"
	"path/filepath"
)

// A file written from many parts (the open data: a line for each act) is staged, in a
// session, as a twin of the live file: a file of its own rather than a link to it, whose
// bytes the tree remembers. The next build that writes it again changes in place only the
// bytes that differ; after the swap the former live file, staged now, is brought to the
// same bytes the same way. An act's edited text changes its public fingerprint: 64 bytes
// of the 10 MB of atti.json of 10,000 acts, which albo watch wrote whole at each save.
//
// A twin is changed only when it is what the tree recorded of it (size, modification
// time, inode); any doubt, and the file is written whole and linked, as any other. The
// live file is never written: a staged twin is patched before the swap, the former live
// one after it.

// twin is what a tree knows of a file it wrote from many parts, for the next build.
type twin struct {
	parts  [][]byte // the bytes both files hold
	live   entry    // the live file
	staged entry    // the staged file: the live one (linked) until the first patch
}

// apart reports whether the staged file is a file of its own, not a link to the live one.
// Without inode numbers (some systems) it never is.
func (w *twin) apart() bool {
	return w.staged.Ino != 0 && w.live.Ino != 0 && w.staged.Ino != w.live.Ino
}

// rewritten is a file this build wrote from many parts: before is its twin from the last
// build (nil if none), parts what it holds now, live its entry as it goes live, and staged
// that of the former live file once settle has patched it.
type rewritten struct {
	before  *twin
	parts   [][]byte
	live    entry
	staged  entry
	patched bool
}

// patchable returns the twin of the staged file p (relative path clean) when it can be
// changed in place to hold parts: parts are many (a file of one is never a twin), and the
// staged file is a file of its own, as this tree's predecessor left it.
func (t *Tree) patchable(clean, p string, parts [][]byte) *twin {
	if len(parts) < 2 {
		return nil
	}
	w := t.twins[clean]
	if w == nil || !w.apart() {
		return nil
	}
	if info, err := os.Lstat(p); err != nil || !w.staged.matches(info) {
		return nil
	}
	return w
}

// wrote records that clean was written from parts, with entry e; for the next build of
// the process, so not when it ends after this one (Once): a single build of 100,000 acts
// held its 130 MB of open data to the end for nothing.
func (t *Tree) wrote(clean string, parts [][]byte, e entry) {
	if t.once {
		return
	}
	t.mu.Lock()
	t.rewritten[clean] = &rewritten{before: t.twins[clean], parts: parts, live: e}
	t.mu.Unlock()
}

// patchStaged brings the former live file at staged, after the swap, to the bytes this
// build wrote at rel, and reports whether it did; when it did not (no twin, or the file
// is not the one recorded), the caller links it.
func (t *Tree) patchStaged(rel, staged string) (bool, error) {
	r := t.rewritten[rel]
	if r == nil || r.before == nil || r.before.live.Ino == 0 || r.before.live.Ino == r.live.Ino {
		return false, nil
	}
	if info, err := os.Lstat(staged); err != nil || !r.before.live.matches(info) {
		return false, nil
	}
	e, err := patch(staged, r.before.parts, r.parts, r.live.Sum, r.live.Key)
	if err != nil {
		return false, err
	}
	r.staged, r.patched = e, true
	return true, nil
}

// settleTwins works out the twins of the settled tree, for the next build, and puts in
// added the entry of each staged file that is no longer the live one. Files written in
// this build are twins of what they were written from; those kept have swapped places
// with their twin; those gone are forgotten.
func (t *Tree) settleTwins() {
	next := make(map[string]*twin, len(t.rewritten))
	for rel, r := range t.rewritten {
		w := &twin{parts: r.parts, live: r.live, staged: r.live}
		if r.patched {
			w.staged = r.staged
			t.added[rel] = r.staged
		}
		next[rel] = w
	}
	for rel, w := range t.twins {
		if _, written := t.added[rel]; written || !t.inSite(rel) {
			continue // written again (whole, or not from parts), or gone
		}
		// Kept: the staged file went live, the live one is staged now.
		kept := &twin{parts: w.parts, live: w.staged, staged: w.staged}
		if w.apart() && !t.fresh {
			if info, err := os.Lstat(filepath.Join(t.stage, rel)); err == nil && w.live.matches(info) {
				kept.staged = w.live
				t.added[rel] = w.live
			} else if t.link(rel) != nil {
				continue // the next build writes it whole
			}
		}
		next[rel] = kept
	}
	t.twins = next
}

// patch changes the file p, which holds the bytes of from, to hold those of to, and
// returns its entry: it writes to's bytes from the first that differs (up to the last,
// when the sizes are the same) and cuts what is left over.
func patch(p string, from, to [][]byte, sum [32]byte, key string) (entry, error) {
	size := total(to)
	start := commonPrefix(from, to)
	end := size
	if total(from) == size {
		end = max(start, size-commonSuffix(from, to))
	}
	return rewrite(p, start, span(to, start, end), size, sum, key)
}

func total(parts [][]byte) int64 {
	var n int64
	for _, b := range parts {
		n += int64(len(b))
	}
	return n
}

// span returns the bytes of parts from offset start to offset end, as parts.
func span(parts [][]byte, start, end int64) [][]byte {
	var out [][]byte
	var off int64
	for _, b := range parts {
		lo, hi := off, off+int64(len(b))
		off = hi
		if hi <= start || lo >= end {
			continue
		}
		out = append(out, b[max(start, lo)-lo:min(end, hi)-lo])
	}
	return out
}

// commonPrefix is the number of bytes a and b, each the bytes of its parts one after the
// other, start with in common. Parts that are the same slice compare at once.
func commonPrefix(a, b [][]byte) int64 {
	var n int64
	var x, y []byte
	i, j := 0, 0
	for {
		for len(x) == 0 {
			if i == len(a) {
				return n
			}
			x, i = a[i], i+1
		}
		for len(y) == 0 {
			if j == len(b) {
				return n
			}
			y, j = b[j], j+1
		}
		k := min(len(x), len(y))
		if !bytes.Equal(x[:k], y[:k]) {
			m := 0
			for x[m] == y[m] {
				m++
			}
			return n + int64(m)
		}
		n += int64(k)
		x, y = x[k:], y[k:]
	}
}

// commonSuffix is the number of bytes a and b end with in common.
func commonSuffix(a, b [][]byte) int64 {
	var n int64
	var x, y []byte
	i, j := len(a), len(b)
	for {
		for len(x) == 0 {
			if i == 0 {
				return n
			}
			i--
			x = a[i]
		}
		for len(y) == 0 {
			if j == 0 {
				return n
			}
			j--
			y = b[j]
		}
		k := min(len(x), len(y))
		xs, ys := x[len(x)-k:], y[len(y)-k:]
		if !bytes.Equal(xs, ys) {
			m := 0
			for xs[k-1-m] == ys[k-1-m] {
				m++
			}
			return n + int64(m)
		}
		n += int64(k)
		x, y = x[:len(x)-k], y[:len(y)-k]
	}
}
