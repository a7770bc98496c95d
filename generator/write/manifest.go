package write

import (
	"encoding/binary"
	"errors"
	"hash/maphash"
	"io/fs"
	"os"
	"slices"
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

// manifest maps the relative path of each file of a staging tree to its entry. It is
// kept in shards with a lock each, so that the goroutines of a render that record files
// seldom wait for each other.
type manifest struct {
	shards [16]struct {
		sync.Mutex
		m map[string]entry
	}
}

var shardSeed = maphash.MakeSeed()

// newManifest returns an empty manifest with room for about n files.
func newManifest(n int) *manifest {
	m := new(manifest)
	for i := range m.shards {
		m.shards[i].m = make(map[string]entry, n/len(m.shards)+1)
	}
	return m
}

func (m *manifest) shard(rel string) int {
	return int(maphash.String(shardSeed, rel) % uint64(len(m.shards)))
}

// add records rel with entry e, unless it has one already; it reports whether it did.
func (m *manifest) add(rel string, e entry) bool {
	s := &m.shards[m.shard(rel)]
	s.Lock()
	defer s.Unlock()
	if _, dup := s.m[rel]; dup {
		return false
	}
	s.m[rel] = e
	return true
}

// set records rel with entry e.
func (m *manifest) set(rel string, e entry) {
	s := &m.shards[m.shard(rel)]
	s.Lock()
	s.m[rel] = e
	s.Unlock()
}

// get returns the entry of rel; it may not be called while others record.
func (m *manifest) get(rel string) (entry, bool) {
	e, ok := m.shards[m.shard(rel)].m[rel]
	return e, ok
}

// len returns the number of files; it may not be called while others record.
func (m *manifest) len() int {
	n := 0
	for i := range m.shards {
		n += len(m.shards[i].m)
	}
	return n
}

// all yields every file and its entry; it may not be called while others record.
func (m *manifest) all(yield func(string, entry) bool) {
	for i := range m.shards {
		for rel, e := range m.shards[i].m {
			if !yield(rel, e) {
				return
			}
		}
	}
}

func (t *Tree) manifestPath() string { return t.stage + ".manifest" }

// markerPath is the empty file that says the staging tree is being changed: while it
// exists, the manifest does not describe the tree.
func (t *Tree) markerPath() string { return t.stage + ".changing" }

// manifestMagic begins a manifest file; another beginning (an older format) is not read.
const manifestMagic = "albo manifest 2\n"

// readManifest returns the manifest at path, or nil when there is none to trust.
func readManifest(path string) *manifest {
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
func writeManifest(path string, m *manifest) error {
	b, _ := manifestBuffers.Get().(*[]byte)
	if b == nil {
		b = new([]byte)
	}
	defer manifestBuffers.Put(b)
	*b = encodeManifest((*b)[:0], m)
	return atomicfile.Write(path, *b, 0o644)
}

// manifestBuffers keeps the room of the last manifests written: a session writes one
// after every build.
var manifestBuffers sync.Pool

// encodeManifest appends to b the magic line, the number of entries, and each entry: its
// path and key as lengths and bytes, size, time and inode as varints, and the sum.
func encodeManifest(b []byte, m *manifest) []byte {
	b = slices.Grow(b, m.len()*160)
	b = append(b, manifestMagic...)
	b = binary.AppendUvarint(b, uint64(m.len()))
	for rel, e := range m.all {
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
func decodeManifest(b []byte) (*manifest, error) {
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
	m := newManifest(int(count))
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
		if !m.add(string(rel), e) {
			return nil, errManifest
		}
	}
	if len(b) != 0 {
		return nil, errManifest
	}
	return m, nil
}
