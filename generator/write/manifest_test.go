package write

import (
	"reflect"
	"testing"
)

func TestManifestRoundTrip(t *testing.T) {
	for _, m := range []manifest{
		{},
		{"index.html": {Size: 1234, MTime: 1795000000123456789, Ino: 42, Sum: [32]byte{1, 2, 3}, Key: "abc"}},
		{"a/b.pdf": {Size: 0, MTime: -1}, "c": {Key: string(make([]byte, 300))}},
	} {
		got, err := decodeManifest(encodeManifest(m))
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("decode(encode(%v)) = %v, %v", m, got, err)
		}
	}
}

func TestManifestRefusesDamage(t *testing.T) {
	b := encodeManifest(manifest{"index.html": {Size: 10, Key: "k"}})
	for _, bad := range [][]byte{nil, []byte("albo manifest 1\n"), b[:len(b)-1], append(append([]byte{}, b...), 0)} {
		if m, err := decodeManifest(bad); err == nil {
			t.Errorf("decodeManifest(%q) = %v, want an error", bad, m)
		}
	}
}

// FuzzDecodeManifest: a manifest on disk may be damaged; reading it must never panic,
// and what it accepts must be what encodeManifest writes.
func FuzzDecodeManifest(f *testing.F) {
	f.Add(encodeManifest(manifest{"index.html": {Size: 10, MTime: 5, Ino: 7, Key: "k"}}))
	f.Add([]byte(manifestMagic + "\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeManifest(b)
		if err != nil {
			return
		}
		again, err := decodeManifest(encodeManifest(m))
		if err != nil || !reflect.DeepEqual(again, m) {
			t.Fatalf("round trip of an accepted manifest: %v, %v", again, err)
		}
	})
}
