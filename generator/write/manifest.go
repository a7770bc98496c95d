package write

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/borgoesempio/albo/generator/internal/atomicfile"
	"github.com/borgoesempio/albo/generator/internal/filestamp"
)

// entry is what the manifest knows of one staged file: enough to tell, with one lstat,
// that the file is still the one albo wrote.
type entry struct {
	Size  int64
	MTime int64 // nanoseconds
	Ino   uint64
	Sum   [32]byte // SHA-256 of the content, for files written without a key (else zero)
	Key   string   // digest of the inputs the file was made from, "" if none
}

func entryOf(info fs.FileInfo, sum [32]byte, key string) entry {
	e := entry{Size: info.Size(), MTime: info.ModTime().UnixNano(), Sum: sum, Key: key}
	if st, ok := filestamp.Of(info); ok {
		e.Ino = st.Ino
	}
	return e
}

func (e entry) matches(info fs.FileInfo) bool {
	f := entryOf(info, e.Sum, e.Key)
	return info.Mode().IsRegular() && f == e
}

// manifest maps the relative path of each file of a staging tree to its entry. It is
// made when a build settles and only read afterwards, except for the marks of the next
// build: that build claims, with no lock, the files it keeps of it.
type manifest struct {
	files map[string]*slot
}

// slot is a file of a manifest: its entry, and whether the build that reads the manifest
// has claimed it for the new site.
type slot struct {
	entry
	claimed atomic.Bool
	gone    bool // removed from its manifest when the tree settled
}

func newManifest(n int) *manifest { return &manifest{files: make(map[string]*slot, n)} }

// all yields every file of m, which may be nil.
func (m *manifest) all(yield func(string, *slot) bool) {
	if m == nil {
		return
	}
	for rel, s := range m.files {
		if !yield(rel, s) {
			return
		}
	}
}

// slot returns the file rel, or nil; m may be nil.
func (m *manifest) slot(rel string) *slot {
	if m == nil {
		return nil
	}
	return m.files[rel]
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
	b = slices.Grow(b, len(m.files)*160)
	b = append(b, manifestMagic...)
	b = binary.AppendUvarint(b, uint64(len(m.files)))
	for rel, e := range m.files {
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
		if m.files[string(rel)] != nil {
			return nil, errManifest
		}
		m.files[string(rel)] = &slot{entry: e}
	}
	if len(b) != 0 {
		return nil, errManifest
	}
	return m, nil
}
