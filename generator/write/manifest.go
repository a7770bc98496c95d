package write

import (
	"encoding/binary"
	"errors"
	"hash/maphash"
	"io/fs"
	"maps"
	"os"
	"sync"
	"syscall"

	"github.com/borgoesempio/albo/generator/internal/atomicfile"
)

// entry is what the manifest knows of one staged file: enough to tell, with one lstat,
// that the file is still the one albo wrote.
type entry struct {
	Size  int64
	MTime int64 // nanoseconds
	Ino   uint64
	Sum   [32]byte // SHA-256 of the content (zero for attachments)
	Key   string   // digest of the inputs the file was made from, "" if none
}

func entryOf(info fs.FileInfo, sum [32]byte, key string) entry {
	e := entry{Size: info.Size(), MTime: info.ModTime().UnixNano(), Sum: sum, Key: key}
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		e.Ino = st.Ino
	}
	return e
}

func (e entry) matches(info fs.FileInfo) bool {
	f := entryOf(info, e.Sum, e.Key)
	return info.Mode().IsRegular() && f == e
}

// manifest maps the relative path of each file of a staging tree to its entry.
type manifest map[string]entry

// growing is the manifest of a tree being written, in shards with a lock each, so that
// the goroutines of a render seldom wait for each other.
type growing struct {
	shards [16]struct {
		sync.Mutex
		m manifest
	}
}

var shardSeed = maphash.MakeSeed()

// newGrowing returns an empty manifest with room for about n files.
func newGrowing(n int) *growing {
	g := new(growing)
	for i := range g.shards {
		g.shards[i].m = make(manifest, n/len(g.shards)+1)
	}
	return g
}

// add records rel with entry e, unless it has one already; it reports whether it did.
func (g *growing) add(rel string, e entry) bool {
	s := &g.shards[maphash.String(shardSeed, rel)%uint64(len(g.shards))]
	s.Lock()
	defer s.Unlock()
	if _, dup := s.m[rel]; dup {
		return false
	}
	s.m[rel] = e
	return true
}

// set records rel with entry e.
func (g *growing) set(rel string, e entry) {
	s := &g.shards[maphash.String(shardSeed, rel)%uint64(len(g.shards))]
	s.Lock()
	s.m[rel] = e
	s.Unlock()
}

// has reports whether rel is recorded; it may not be called while others record.
func (g *growing) has(rel string) bool {
	_, ok := g.shards[maphash.String(shardSeed, rel)%uint64(len(g.shards))].m[rel]
	return ok
}

// merged returns the whole manifest; it may not be called while others record.
func (g *growing) merged() manifest {
	n := 0
	for i := range g.shards {
		n += len(g.shards[i].m)
	}
	m := make(manifest, n)
	for i := range g.shards {
		maps.Copy(m, g.shards[i].m)
	}
	return m
}

func (t *Tree) manifestPath() string { return t.stage + ".manifest" }

// manifestMagic begins a manifest file; another beginning (an older format) is not read.
const manifestMagic = "albo manifest 2\n"

// readManifest returns the manifest at path, or nil when there is none to trust.
func readManifest(path string) manifest {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	m, err := decodeManifest(b)
	if err != nil {
		return nil
	}
	return m
}

// writeManifest stores m at path, atomically.
func writeManifest(path string, m manifest) error {
	return atomicfile.Write(path, encodeManifest(m), 0o644)
}

// encodeManifest writes m as the magic line, the number of entries, and each entry: its
// path and key as lengths and bytes, size, time and inode as varints, and the sum.
func encodeManifest(m manifest) []byte {
	b := make([]byte, 0, len(m)*160)
	b = append(b, manifestMagic...)
	b = binary.AppendUvarint(b, uint64(len(m)))
	for rel, e := range m {
		b = binary.AppendUvarint(b, uint64(len(rel)))
		b = append(b, rel...)
		b = binary.AppendVarint(b, e.Size)
		b = binary.AppendVarint(b, e.MTime)
		b = binary.AppendUvarint(b, e.Ino)
		b = append(b, e.Sum[:]...)
		b = binary.AppendUvarint(b, uint64(len(e.Key)))
		b = append(b, e.Key...)
	}
	return b
}

var errManifest = errors.New("manifest: not in the expected format")

// decodeManifest reads what encodeManifest wrote.
func decodeManifest(b []byte) (manifest, error) {
	if len(b) < len(manifestMagic) || string(b[:len(manifestMagic)]) != manifestMagic {
		return nil, errManifest
	}
	b = b[len(manifestMagic):]
	advance := func(v uint64, n int) uint64 { // past a varint of n bytes, or nowhere
		if n <= 0 {
			b = nil
			return 0
		}
		b = b[n:]
		return v
	}
	uvarint := func() uint64 { return advance(binary.Uvarint(b)) }
	varint := func() int64 {
		v, n := binary.Varint(b)
		return int64(advance(uint64(v), n))
	}
	bytes := func(n uint64) []byte {
		if n > uint64(len(b)) {
			b = nil
			return nil
		}
		s := b[:n]
		b = b[n:]
		return s
	}
	count := uvarint()
	if count > uint64(len(b)) {
		return nil, errManifest
	}
	m := make(manifest, count)
	for range count {
		rel := bytes(uvarint())
		var e entry
		e.Size, e.MTime, e.Ino = varint(), varint(), uvarint()
		sum := bytes(32)
		e.Key = string(bytes(uvarint()))
		if b == nil || len(sum) != 32 {
			return nil, errManifest
		}
		copy(e.Sum[:], sum)
		m[string(rel)] = e
	}
	if len(b) != 0 {
		return nil, errManifest
	}
	return m, nil
}
