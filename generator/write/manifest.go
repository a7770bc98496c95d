package write

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"io/fs"
	"os"
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

func (t *Tree) manifestPath() string { return t.stage + ".manifest" }

// readManifest returns the manifest at path, or nil when there is none to trust.
func readManifest(path string) manifest {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var m manifest
	if gob.NewDecoder(bufio.NewReader(f)).Decode(&m) != nil {
		return nil
	}
	return m
}

// writeManifest stores m at path, atomically.
func writeManifest(path string, m manifest) error {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(m); err != nil {
		return err
	}
	return atomicfile.Write(path, b.Bytes(), 0o644)
}
