package state

import (
	"encoding/binary"
	"errors"
	"sort"

	"github.com/borgoesempio/albo/generator/act"
)

var errIndex = errors.New("state: the index is not in the expected format")

// encode appends the index to b: its fields as lengths and bytes, numbers as varints, in
// a fixed order (the theme's files sorted), so that the same state gives the same bytes.
func (x *index) encode(b []byte) []byte {
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	num := func(n int64) { b = binary.AppendVarint(b, n) }
	str(x.PackName)
	num(x.Pack)
	str(x.Config)
	str(x.Theme)
	names := make([]string, 0, len(x.ThemeFiles))
	for k := range x.ThemeFiles {
		names = append(names, k)
	}
	sort.Strings(names)
	num(int64(len(names)))
	for _, k := range names {
		str(k)
		str(x.ThemeFiles[k])
	}
	str(x.Register)
	if x.HasConfig {
		num(1)
	} else {
		num(0)
	}
	paths := make([]string, 0, len(x.Hashes))
	for k := range x.Hashes {
		paths = append(paths, k)
	}
	sort.Strings(paths)
	num(int64(len(paths)))
	for _, p := range paths {
		h := x.Hashes[p]
		str(p)
		num(int64(h.Dev))
		num(int64(h.Ino))
		num(h.Size)
		num(h.MTime)
		num(h.CTime)
		str(h.Sum)
	}
	num(int64(len(x.Acts)))
	for _, r := range x.Acts {
		num(int64(r.Registro.Anno))
		num(int64(r.Registro.Numero))
		str(r.Path)
		b = append(b, r.Text[:]...)
		num(r.Off)
		num(r.Len)
		num(int64(len(r.Files)))
		for _, f := range r.Files {
			str(f.Name)
			str(f.SHA256)
			num(f.Size)
		}
	}
	return b
}

// decode reads what encode wrote.
func decode(b []byte) (index, error) {
	var x index
	bad := false
	num := func() int64 {
		v, n := binary.Varint(b)
		if n <= 0 {
			bad, b = true, nil
			return 0
		}
		b = b[n:]
		return v
	}
	str := func() string {
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) {
			bad, b = true, nil
			return ""
		}
		s := string(b[n : n+int(l)])
		b = b[n+int(l):]
		return s
	}
	count := func() int {
		n := num()
		if n < 0 || n > int64(len(b)) {
			bad, b = true, nil
			return 0
		}
		return int(n)
	}
	x.PackName, x.Pack, x.Config, x.Theme = str(), num(), str(), str()
	x.ThemeFiles = map[string]string{}
	for range count() {
		k := str()
		x.ThemeFiles[k] = str()
	}
	x.Register, x.HasConfig = str(), num() == 1
	x.Hashes = map[string]hashed{}
	for range count() {
		p := str()
		var h hashed
		h.Dev, h.Ino, h.Size, h.MTime, h.CTime = uint64(num()), uint64(num()), num(), num(), num()
		h.Sum = str()
		x.Hashes[p] = h
	}
	x.Acts = make([]Record, count())
	for i := range x.Acts {
		r := &x.Acts[i]
		r.Registro = act.Registro{Anno: int(num()), Numero: int(num())}
		r.Path = str()
		if len(b) < 32 {
			return x, errIndex
		}
		copy(r.Text[:], b)
		b = b[32:]
		r.Off, r.Len = num(), num()
		for range count() {
			r.Files = append(r.Files, File{Name: str(), SHA256: str(), Size: num()})
		}
	}
	if bad || len(b) != 0 {
		return index{}, errIndex
	}
	return x, nil
}
