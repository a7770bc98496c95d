package wire

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unsafe"
)

// written is a memo whose values cross the reader's windows: small ones on the edges,
// and ones larger than a window.
func written() ([]byte, [][]byte) {
	var values [][]byte
	for i := range 3000 {
		n := (i * 97) % 700
		if i%500 == 7 {
			n = window + 3*i // larger than a window
		}
		values = append(values, bytes.Repeat([]byte{byte(i)}, n))
	}
	w := &Writer{B: []byte("magia\n")}
	w.Uint(uint64(len(values)))
	for i, v := range values {
		w.Bytes(v)
		w.Int(-int64(i))
		w.Bool(i%2 == 0)
		w.Fixed([]byte{1, 2, 3})
	}
	return w.B, values
}

// readBack reads what written wrote, and fails t on the first value that differs.
func readBack(t *testing.T, r *Reader, values [][]byte) {
	t.Helper()
	if !r.Prefix("magia\n") {
		t.Fatal("the prefix is not read")
	}
	if n := r.Len(); n != len(values) {
		t.Fatalf("Len = %d, want %d", n, len(values))
	}
	for i, v := range values {
		var fixed [3]byte
		b, n, even := r.Bytes(), r.Int(), r.Bool()
		if r.Fixed(fixed[:]); !bytes.Equal(b, v) || n != -int64(i) || even != (i%2 == 0) || fixed != [3]byte{1, 2, 3} {
			t.Fatalf("value %d read back wrong (%d bytes, want %d; %d; %v; %v): %v", i, len(b), len(v), n, even, fixed, r.Err)
		}
	}
	if !r.Done() {
		t.Fatalf("not done after the last value: %v", r.Err)
	}
}

// TestOpenReadsWindows: a file read a window at a time gives what the whole of it in
// memory gives, values across the windows' edges and larger than a window included.
func TestOpenReadsWindows(t *testing.T) {
	b, values := written()
	if len(b) < 4*window {
		t.Fatalf("the memo is %d bytes: too few windows", len(b))
	}
	readBack(t, &Reader{B: b}, values)
	path := filepath.Join(t.TempDir(), "memo")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	r := Open(path)
	readBack(t, r, values)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestOpenShort: a file cut anywhere, or missing, reads as damaged or empty, never as a
// memo, and never panics.
func TestOpenShort(t *testing.T) {
	b, _ := written()
	dir := t.TempDir()
	for _, n := range []int{0, 3, 6, 7, window - 1, window, window + 1, 2*window + 5, len(b) - 1} {
		path := filepath.Join(dir, "memo")
		if err := os.WriteFile(path, b[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		r := Open(path)
		if r.Prefix("magia\n") {
			for k := r.Len(); k > 0; k-- {
				r.Bytes()
				r.Int()
				r.Bool()
				r.Fixed(make([]byte, 3))
			}
		}
		if r.Done() && n > 0 {
			t.Errorf("a memo cut at %d of %d bytes reads as whole", n, len(b))
		}
		r.Close()
	}
	// Cut while read (not by albo, which replaces a memo whole).
	path := filepath.Join(dir, "memo")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	r := Open(path)
	defer r.Close()
	r.Prefix("magia\n")
	if err := os.Truncate(path, int64(len(b)/2)); err != nil {
		t.Fatal(err)
	}
	for k := r.Len(); k > 0; k-- {
		r.Bytes()
		r.Int()
		r.Bool()
		r.Fixed(make([]byte, 3))
	}
	if r.Done() {
		t.Error("a memo cut while read reads as whole")
	}
	if r := Open(filepath.Join(dir, "none")); r.Prefix("magia\n") || r.Len() != 0 {
		t.Error("a missing file reads as something")
	}
}

// FuzzOpen reads the same bytes, in memory and from a file a few bytes at a time, by the
// same reads (ops says which): every read gives the same, and neither panics.
func FuzzOpen(f *testing.F) {
	b, _ := written()
	f.Add([]byte{0, 3, 1, 2, 5, 4, 4}, b[:200])
	f.Add([]byte{6, 6, 6, 3}, []byte{0x80, 0x80, 0x01, 5, 'a', 'b'})
	small := window
	f.Cleanup(func() { window = small })
	f.Fuzz(func(t *testing.T, ops, data []byte) {
		window = 7
		path := filepath.Join(t.TempDir(), "memo")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		mem, file := &Reader{B: data}, Open(path)
		defer file.Close()
		for i, op := range ops {
			var got, want any
			switch op % 7 {
			case 0:
				got, want = file.Uint(), mem.Uint()
			case 1:
				got, want = file.Int(), mem.Int()
			case 2:
				got, want = file.Bool(), mem.Bool()
			case 3:
				got, want = string(file.Bytes()), string(mem.Bytes())
			case 4:
				got, want = file.String(), mem.String()
			case 5:
				g, w := make([]byte, op/7%40), make([]byte, op/7%40)
				file.Fixed(g)
				mem.Fixed(w)
				got, want = string(g), string(w)
			case 6:
				got, want = file.Len(), mem.Len()
			}
			if got != want || (file.Err == nil) != (mem.Err == nil) || file.Done() != mem.Done() {
				t.Fatalf("read %d (op %d): from the file %v (%v, done %v), in memory %v (%v, done %v)", i, op%7, got, file.Err, file.Done(), want, mem.Err, mem.Done())
			}
		}
	})
}

// TestInterned: a value read again is the string seen holds, not a new one; seen keeps at
// most what it is given room for; a value cut short fails as String does.
func TestInterned(t *testing.T) {
	w := &Writer{}
	for _, s := range []string{"tipo", "oggetto", "tipo", "oggetto", "dal"} {
		w.String(s)
	}
	data := func(s string) *byte { return unsafe.StringData(s) }
	r := &Reader{B: w.B}
	seen := map[string]string{}
	var got []string
	for range 5 {
		got = append(got, r.Interned(seen, 2))
	}
	if r.Err != nil || len(r.B) != 0 || got[0] != "tipo" || got[1] != "oggetto" || got[4] != "dal" {
		t.Fatalf("read %q, %v, %d bytes left", got, r.Err, len(r.B))
	}
	if data(got[0]) != data(got[2]) || data(got[1]) != data(got[3]) {
		t.Error("a value read again is a new string")
	}
	if len(seen) != 2 {
		t.Errorf("seen holds %d values, room for 2", len(seen))
	}
	r = &Reader{B: w.B[:3]} // "tipo" cut short
	if s := r.Interned(seen, 2); s != "" || r.Err != ErrShort {
		t.Errorf("a value cut short: %q, %v", s, r.Err)
	}
}
