package render

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestWindow reads spans of a file three windows long, in the file's order and not: each
// gives the file's bytes there, those past the end or with no sense give none, and a span
// that a damaged memo makes huge allocates no more than the file.
func TestWindow(t *testing.T) {
	file := make([]byte, 3*windowSize+123)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range file {
		file[i] = byte(rnd.Uint32())
	}
	size := int64(len(file))
	w := openWindow(liveFile{bytes.NewReader(file)})
	defer w.close()
	for _, c := range []struct {
		s  span
		ok bool
	}{
		{span{0, 10}, true},
		{span{10, 200}, true},
		{span{windowSize - 5, 10}, true}, // across the end of the first window
		{span{windowSize + 7, windowSize}, true},
		{span{3, 4}, true}, // back to the start
		{span{size - 1, 1}, true},
		{span{0, size}, true}, // longer than a window
		{span{size, 0}, true},
		{span{5, 0}, true},
		{span{size - 1, 2}, false},
		{span{size + 1, 0}, false},
		{span{-1, 3}, false},
		{span{4, -1}, false},
		{span{0, 1 << 46}, false},
		{span{1 << 46, 1 << 46}, false},
	} {
		got, ok := w.of(c.s)
		if ok != c.ok || (ok && !bytes.Equal(got, file[c.s.off:c.s.end()])) {
			t.Errorf("of(%v) = %d bytes, %v; want %v", c.s, len(got), ok, c.ok)
		}
		if int64(cap(w.room)) > size {
			t.Fatalf("of(%v): a window of %d bytes for a file of %d", c.s, cap(w.room), size)
		}
	}
	// Lines in no order: the file is read four times over at most, and then each line
	// alone.
	var c counted
	c.liveFile = liveFile{bytes.NewReader(file)}
	shuffled := openWindow(&c)
	for i := range 4000 {
		s := span{int64(rnd.IntN(int(size) - 1000)), int64(rnd.IntN(1000))}
		if got, ok := shuffled.of(s); !ok || !bytes.Equal(got, file[s.off:s.end()]) {
			t.Fatalf("line %d in no order, %v: %d bytes, %v", i, s, len(got), ok)
		}
	}
	if c.n > 5*size+4000*1000 {
		t.Errorf("4,000 lines in no order read %d bytes of a file of %d", c.n, size)
	}
	small := openWindow(liveFile{bytes.NewReader(file[:100])})
	if got, ok := small.of(span{90, 10}); !ok || !bytes.Equal(got, file[90:100]) || cap(small.room) > 10 {
		t.Errorf("a file of 100 bytes: %d bytes, %v, a window of %d bytes", len(got), ok, cap(small.room))
	}
	none := openWindow(nil)
	if _, ok := none.of(span{0, 1}); ok {
		t.Errorf("no file: a span held")
	}
	if _, ok := none.of(span{0, 0}); !ok {
		t.Errorf("no file: the empty span at its start not held (an archive row has no JSON line)")
	}
}

// counted counts the bytes read from a file.
type counted struct {
	liveFile
	n int64
}

func (c *counted) Read(b []byte) (int, error) {
	n, err := c.liveFile.Read(b)
	c.n += int64(n)
	return n, err
}
