// Package impronta computes the fingerprint that seals a published act (SPEC §4): a
// SHA-256 of a canonical form of its front matter, its body and its attachments. Any
// change to what was published changes it; changes to how the YAML is written (quotes,
// comments, key order) and to the keys that record the act's later life do not.
//
// The canonical form, version 2, is the concatenation of:
//
//	"albo-impronta-2\n"
//	for each front matter key but impronta, annullamento, proroga, archivio and
//	oggetto_archivio, in byte order of the keys:
//	    "chiave " + key + " " + JSON(value) + "\n"
//	"testo " + decimal length of the body + "\n" + the body, byte for byte
//	for each attachment, in the order of allegati:
//	    "allegato " + file + " " + decimal size + " " + hex SHA-256 of its bytes + "\n"
//
// JSON(value) writes every single value as a JSON string of its text (so 45 and "45" are
// the same), lists as arrays and nested keys as objects with sorted keys. The body is
// everything after the line that closes the front matter, omissis text included, with
// every CRLF written as LF. Version 1, which seals the acts published before version 2,
// had "albo-impronta-1" as its first line and the body byte for byte.
//
// The seal covers the reserved text, so it is never published: pages, feeds and data show
// instead the public fingerprint (Public), the SHA-256 of the act's public form: the same
// canonical form with "albo-impronta-pubblica-1" as its first line and the body with every
// omissis replaced (||omissis||). The public form is published beside the act's page, so
// that anyone can recompute it; it depends on nothing reserved.
package impronta

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/borgoesempio/albo/generator/msg"
	"go.yaml.in/yaml/v3"
)

// Prefix starts every impronta.
const Prefix = "sha256:"

// Excluded are the keys outside the impronta: they record what happens after publication.
var Excluded = map[string]bool{"impronta": true, "annullamento": true, "proroga": true, "archivio": true, "oggetto_archivio": true, "pubblicita_legale": true}

// Attachment is what the impronta covers of an attachment.
type Attachment struct {
	File   string
	Size   int64
	SHA256 string
}

// Seal is an act's impronta, with a digest of each part so that a change can be named.
type Seal struct {
	Digest string            // "sha256:" + hex, of version 2 of the canonical form
	Parts  map[string]string // "chiave <key>", "testo", "allegato <file>" → hex SHA-256
	v1     []string          // the digests of version 1, also accepted
}

// MarshalBinary writes the seal for the memo of the acts read, the digests of version 1
// included: the parts in order of name, the digest, the version 1 digests, each string
// after its length.
func (s Seal) MarshalBinary() ([]byte, error) {
	b := binary.AppendUvarint(nil, uint64(len(s.Parts)))
	for _, k := range slices.Sorted(maps.Keys(s.Parts)) {
		b = appendString(appendString(b, k), s.Parts[k])
	}
	b = appendString(b, s.Digest)
	for _, d := range s.v1 {
		b = appendString(b, d)
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// UnmarshalBinary reads what MarshalBinary wrote.
func (s *Seal) UnmarshalBinary(b []byte) error {
	bad := errors.New("impronta: a seal that cannot be read")
	next := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return "", false
		}
		v := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return v, true
	}
	count, k := binary.Uvarint(b)
	if k <= 0 || count > uint64(len(b)) {
		return bad
	}
	b = b[k:]
	*s = Seal{}
	if count > 0 {
		s.Parts = make(map[string]string, count)
	}
	for range count {
		name, ok1 := next()
		sum, ok2 := next()
		if !ok1 || !ok2 {
			return bad
		}
		s.Parts[name] = sum
	}
	var ok bool
	if s.Digest, ok = next(); !ok {
		return bad
	}
	for len(b) > 0 {
		d, ok := next()
		if !ok {
			return bad
		}
		s.v1 = append(s.v1, d)
	}
	return nil
}

// Key is the canonical line of one front matter key the seal covers.
type Key struct {
	Name string
	Line []byte // "chiave <key> <JSON of the value>\n"
}

// Keys returns the canonical lines of the front matter keys the seal covers, in byte order
// of the keys, and all of them in one, in the same order.
func Keys(front *yaml.Node) ([]Key, []byte) {
	if front == nil {
		return nil, nil
	}
	type pair struct {
		name  string
		value *yaml.Node
	}
	pairs := make([]pair, 0, len(front.Content)/2)
	size := 0 // of the lines, about: one allocation for a front matter of plain values
	for i := 0; i+1 < len(front.Content); i += 2 {
		if k := front.Content[i].Value; !Excluded[k] {
			pairs = append(pairs, pair{k, front.Content[i+1]})
			size += len("chiave  \"\"\n") + len(k) + len(front.Content[i+1].Value) + 8
		}
	}
	if len(pairs) == 0 {
		return nil, nil
	}
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.name, b.name) })
	keys := make([]Key, len(pairs))
	all := make([]byte, 0, size)
	for i, p := range pairs {
		var v []byte
		if p.value.Kind == yaml.ScalarNode {
			v, _ = json.Marshal(&p.value.Value) // as plain's string, not boxed into an interface first
		} else {
			v, _ = json.Marshal(plain(p.value))
		}
		at := len(all)
		all = append(append(append(append(append(all, "chiave "...), p.name...), ' '), v...), '\n')
		keys[i] = Key{p.name, all[at:len(all):len(all)]} // where all grows into a new array, the lines before stay in the old
	}
	return keys, all
}

// Compute seals an act from the canonical lines of its front matter (Keys), its body and
// its attachments. The seal is version 2 of the canonical form: first line
// "albo-impronta-2", and the body with every CRLF line ending written as LF, so that a
// sealed file converted to Windows line endings (Git for Windows, Notepad) is still the
// act as published. Accepts also takes the seals of version 1 (the body byte for byte),
// of the file as it is or with LF line endings.
func Compute(keys []Key, body []byte, attachments []Attachment) Seal {
	lf := LF(body)
	s := form("albo-impronta-2\n", keys, lf, attachments, true)
	s.v1 = []string{form("albo-impronta-1\n", keys, body, attachments, false).Digest, form("albo-impronta-1\n", keys, lf, attachments, false).Digest}
	return s
}

// Accepts reports whether digest, an act's impronta, seals the act: the digest of version
// 2, or of version 1.
func (s Seal) Accepts(digest string) bool { return digest == s.Digest || slices.Contains(s.v1, digest) }

// LF returns text with every CRLF line ending as LF.
func LF(text []byte) []byte {
	if !bytes.Contains(text, []byte("\r\n")) {
		return text
	}
	return bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
}

// form hashes a canonical form with its first line header, and the parts when asked.
func form(header string, keys []Key, body []byte, attachments []Attachment, parts bool) Seal {
	h := sha256.New()
	s := Seal{}
	if parts {
		s.Parts = map[string]string{}
	}
	part := func(name string, data []byte) {
		h.Write(data)
		if parts {
			sum := sha256.Sum256(data)
			s.Parts[name] = hex.EncodeToString(sum[:])
		}
	}
	h.Write([]byte(header))
	for _, k := range keys {
		part("chiave "+k.Name, k.Line)
	}
	part("testo", append([]byte("testo "+strconv.Itoa(len(body))+"\n"), body...))
	for _, a := range attachments {
		part("allegato "+a.File, attachmentLine(a))
	}
	s.Digest = Prefix + hex.EncodeToString(h.Sum(nil))
	return s
}

// PublicHeader begins the public form of an act; its body, like the seal's, has LF line
// endings.
const PublicHeader = "albo-impronta-pubblica-1\n"

// WriteForm writes to w the public form of an act: its canonical key lines (Keys,
// joined), its body with every omissis replaced, and its attachments.
func WriteForm(w io.Writer, keys, redacted []byte, attachments []Attachment) {
	io.WriteString(w, PublicHeader)
	w.Write(keys)
	var line [32]byte
	w.Write(append(strconv.AppendInt(append(line[:0], "testo "...), int64(len(redacted)), 10), '\n'))
	w.Write(redacted)
	for _, a := range attachments {
		w.Write(attachmentLine(a))
	}
}

// Public returns the public fingerprint of the public form WriteForm writes for the same
// arguments, "sha256:" and its hex SHA-256, without making the form: the build learns
// every act's fingerprint, and only the act's page shows its form.
func Public(keys, redacted []byte, attachments []Attachment) string {
	h := sha256.New()
	WriteForm(h, keys, redacted, attachments)
	var sum [sha256.Size]byte
	var out [len(Prefix) + 2*sha256.Size]byte // one string made, of its final size
	return string(hex.AppendEncode(append(out[:0], Prefix...), h.Sum(sum[:0])))
}

func attachmentLine(a Attachment) []byte {
	return []byte(fmt.Sprintf("allegato %s %d %s\n", a.File, a.Size, a.SHA256))
}

// plain turns a YAML node into strings, lists and maps of them.
func plain(n *yaml.Node) any {
	switch n.Kind {
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			out[i] = plain(c)
		}
		return out
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			out[n.Content[i].Value] = plain(n.Content[i+1])
		}
		return out
	case yaml.AliasNode:
		return plain(n.Alias)
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return plain(n.Content[0])
		}
	}
	return n.Value
}

// Changes names, in plain words, the parts that differ between the seal
// recorded at publication and the current one.
func Changes(recorded, current map[string]string) []string {
	var out []string
	names := map[string]bool{}
	for k := range recorded {
		names[k] = true
	}
	for k := range current {
		names[k] = true
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		r, inR := recorded[k]
		c, inC := current[k]
		change := 0 // 0 changed, 1 added, 2 removed
		switch {
		case !inR:
			change = 1
		case !inC:
			change = 2
		case r == c:
			continue
		}
		out = append(out, describe(k, change))
	}
	return out
}

// describe names a change of a part of the seal: 0 changed, 1 added, 2 removed.
func describe(part string, change int) string {
	switch {
	case part == "testo":
		return msg.T("il testo è cambiato")
	case strings.HasPrefix(part, "chiave "):
		return msg.T([]string{"la chiave %s è cambiata", "la chiave %s è stata aggiunta", "la chiave %s è stata tolta"}[change], strings.TrimPrefix(part, "chiave "))
	case strings.HasPrefix(part, "allegato "):
		return msg.T([]string{"l'allegato %s è cambiato", "l'allegato %s è stato aggiunto", "l'allegato %s è stato tolto"}[change], strings.TrimPrefix(part, "allegato "))
	}
	return part
}
