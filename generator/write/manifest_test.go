package write

import (
	"reflect"
	"testing"
)

// manifestOf makes a manifest of files, and plain turns one back into a map.
func manifestOf(files map[string]entry) *manifest {
	m := newManifest(len(files))
	for rel, e := range files {
		m.files[rel] = &slot{entry: e}
	}
	return m
}

func plain(m *manifest) map[string]entry {
	out := map[string]entry{}
	for rel, s := range m.all {
		out[rel] = s.entry
	}
	return out
}

func TestManifestRoundTrip(t *testing.T) {
	for _, files := range []map[string]entry{
		{},
		{"index.html": {Size: 1234, MTime: 1795000000123456789, Ino: 42, Sum: [32]byte{1, 2, 3}, Key: "abc"}},
		{"a/b.pdf": {Size: 0, MTime: -1}, "c": {Key: string(make([]byte, 300))}},
	} {
		got, err := decodeManifest(encodeManifest(nil, manifestOf(files)))
		if err != nil || !reflect.DeepEqual(plain(got), files) {
			t.Errorf("decode(encode(%v)) = %v, %v", files, got, err)
		}
	}
}

func TestManifestRefusesDamage(t *testing.T) {
	b := encodeManifest(nil, manifestOf(map[string]entry{"index.html": {Size: 10, Key: "k"}}))
	for _, bad := range [][]byte{nil, []byte("albo manifest 1\n"), b[:len(b)-1], append(append([]byte{}, b...), 0)} {
		if m, err := decodeManifest(bad); err == nil {
			t.Errorf("decodeManifest(%q) = %v, want an error", bad, plain(m))
		}
	}
}

// FuzzDecodeManifest: a manifest on disk may be damaged; reading it must never panic,
// and what it accepts must be what encodeManifest writes.
func FuzzDecodeManifest(f *testing.F) {
	f.Add(encodeManifest(nil, manifestOf(map[string]entry{"index.html": {Size: 10, MTime: 5, Ino: 7, Key: "k"}})))
	f.Add([]byte(manifestMagic + "\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeManifest(b)
		if err != nil {
			return
		}
		again, err := decodeManifest(encodeManifest(nil, m))
		if err != nil || !reflect.DeepEqual(plain(again), plain(m)) {
			t.Fatalf("round trip of an accepted manifest: %v, %v", again, err)
		}
	})
}
