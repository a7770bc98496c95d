// Package wire writes and reads the memos albo keeps between builds: numbers as varints,
// bytes and strings after their length. It is explicit (each memo says what it writes,
// field by field) and fast: a memo of 10,000 acts is read in milliseconds, where
// encoding/gob's reflection takes a tenth of a second.
package wire

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
)

// ErrShort is the error of a memo that ends before what it says it holds.
var ErrShort = errors.New("wire: memo truncated or damaged")

// Writer appends to a buffer, which Spill and Flush empty into Out when it is set: a memo
// of many acts is written as it is made, never held whole.
type Writer struct {
	B   []byte
	Out io.Writer
	Err error // the first error of Out
}

// Spill writes the buffer to Out when it holds more than 64 KB.
func (w *Writer) Spill() {
	if len(w.B) > 64<<10 {
		w.Flush()
	}
}

// Flush writes the buffer to Out, and returns the first error Out gave.
func (w *Writer) Flush() error {
	if w.Out != nil && w.Err == nil && len(w.B) > 0 {
		_, w.Err = w.Out.Write(w.B)
		w.B = w.B[:0]
	}
	return w.Err
}

// Uint writes a non-negative number.
func (w *Writer) Uint(n uint64) { w.B = binary.AppendUvarint(w.B, n) }

// Int writes a number.
func (w *Writer) Int(n int64) { w.B = binary.AppendVarint(w.B, n) }

// Bool writes a truth value.
func (w *Writer) Bool(b bool) {
	if b {
		w.B = append(w.B, 1)
	} else {
		w.B = append(w.B, 0)
	}
}

// Bytes writes b after its length.
func (w *Writer) Bytes(b []byte) { w.Uint(uint64(len(b))); w.B = append(w.B, b...) }

// String writes s after its length.
func (w *Writer) String(s string) { w.Uint(uint64(len(s))); w.B = append(w.B, s...) }

// Fixed writes b as it is (a digest: its length is known).
func (w *Writer) Fixed(b []byte) { w.B = append(w.B, b...) }

// Reader reads what a Writer wrote: from B, refilled from a file when it is made by Open.
// After the first error every read gives zero values, and Err says what went wrong.
type Reader struct {
	B   []byte
	Err error

	src  io.ReadCloser // what B is refilled from (Open), or nil
	more int64         // the bytes of src not read into B yet
	buf  []byte        // what B is a window of, when src is set
}

// window is how much of a file a Reader holds at a time: a memo of 100,000 acts (250 MB)
// was read whole before being decoded, and both memos were held at once at the peak of a
// build. A variable for the tests.
var window = 256 << 10

// Open reads the file at path a window at a time. A file that cannot be read reads as
// empty (a memo that is not there remembers nothing). Close closes it.
func Open(path string) *Reader {
	f, err := os.Open(path)
	if err != nil {
		return &Reader{}
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return &Reader{}
	}
	return &Reader{src: f, more: info.Size()}
}

// Close closes the file the Reader reads, if any.
func (r *Reader) Close() error {
	if r.src == nil {
		return nil
	}
	err := r.src.Close()
	r.src, r.more = nil, 0
	return err
}

// Done reports whether all was read without an error.
func (r *Reader) Done() bool { return r.Err == nil && len(r.B) == 0 && r.more == 0 }

// fill makes B hold at least n bytes, reading from the file; it reports whether it does
// (not when fewer remain).
func (r *Reader) fill(n int) bool {
	if len(r.B) >= n {
		return true
	}
	if r.more == 0 {
		return false
	}
	if size := max(n, window); cap(r.buf) < size {
		r.buf = make([]byte, size)
	}
	k := copy(r.buf[:cap(r.buf)], r.B) // what is left, first
	m, err := io.ReadFull(r.src, r.buf[k:k+int(min(int64(cap(r.buf)-k), r.more))])
	r.B, r.more = r.buf[:k+m], r.more-int64(m)
	if err != nil {
		r.more = 0 // shorter than it was: what was read is all there is
	}
	return len(r.B) >= n
}

// Prefix reads the bytes of p, and reports whether they are p.
func (r *Reader) Prefix(p string) bool {
	if !r.fill(len(p)) || string(r.B[:len(p)]) != p {
		return false
	}
	r.B = r.B[len(p):]
	return true
}

func (r *Reader) fail() { r.Err, r.B, r.more = ErrShort, nil, 0 }

// Uint reads a non-negative number.
func (r *Reader) Uint() uint64 { return varint(r, binary.Uvarint) }

// varint reads one number with decode, which gives the number and the bytes it took.
func varint[T uint64 | int64](r *Reader, decode func([]byte) (T, int)) T {
	r.fill(binary.MaxVarintLen64)
	n, k := decode(r.B)
	if k <= 0 {
		r.fail()
		return 0
	}
	r.B = r.B[k:]
	return n
}

// Len reads a count of items that each take at least one byte: never more than remain.
func (r *Reader) Len() int {
	n := r.Uint()
	if n > uint64(len(r.B))+uint64(r.more) {
		r.fail()
		return 0
	}
	return int(n)
}

// Int reads a number.
func (r *Reader) Int() int64 { return varint(r, binary.Varint) }

// Int32 reads a number that must fit in 32 bits.
func (r *Reader) Int32() int32 {
	n := r.Int()
	if n < math.MinInt32 || n > math.MaxInt32 {
		r.fail()
		return 0
	}
	return int32(n)
}

// Bool reads a truth value.
func (r *Reader) Bool() bool {
	if !r.fill(1) {
		r.fail()
		return false
	}
	b := r.B[0] != 0
	r.B = r.B[1:]
	return b
}

// Bytes reads bytes (a copy: the memo's buffer may go).
func (r *Reader) Bytes() []byte {
	if b := r.next(r.Len()); len(b) > 0 {
		return append([]byte(nil), b...)
	}
	return nil
}

// String reads a string.
func (r *Reader) String() string { return string(r.next(r.Len())) }

// Interned reads a string as String does, but gives the one seen holds for the same bytes,
// and keeps a new one there while seen has fewer than most: values read again and again
// (the names of front matter keys, an act's type and office) are then made once. A warm
// build of 100,000 acts decoded 900,000 copies of the same twenty key names.
func (r *Reader) Interned(seen map[string]string, most int) string {
	b := r.next(r.Len())
	if r.Err != nil {
		return ""
	}
	s, ok := seen[string(b)] // no string made for the look-up
	if !ok {
		s = string(b)
		if len(seen) < most {
			seen[s] = s
		}
	}
	return s
}

// next reads the next n bytes, which hold until the next read: nil after an error, or
// when fewer remain (the file grew shorter while read), which is one.
func (r *Reader) next(n int) []byte {
	if r.Err != nil {
		return nil
	}
	if !r.fill(n) {
		r.fail()
		return nil
	}
	b := r.B[:n]
	r.B = r.B[n:]
	return b
}

// Fixed reads len(b) bytes into b.
func (r *Reader) Fixed(b []byte) { copy(b, r.next(len(b))) }
