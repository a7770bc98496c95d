// Package act defines an act of the albo as staff write it: the typed front matter and
// body of one Markdown file, with its attachments.
package act

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/firma"
	"github.com/borgoesempio/albo/generator/impronta"
	"github.com/borgoesempio/albo/generator/msg"
)

// Registro is a number of the albo's register: a progressive number within a year.
type Registro struct {
	Anno, Numero int
}

// IsZero reports whether the act has no register number (it is a draft).
func (r Registro) IsZero() bool { return r.Anno == 0 }

// String returns the form staff write, 2026/123.
func (r Registro) String() string {
	var b [24]byte
	return string(r.AppendTo(b[:0]))
}

// AppendTo appends String's form of r to b (nothing for the zero number).
func (r Registro) AppendTo(b []byte) []byte { return r.appendPair(b, r.Anno, r.Numero) }

// appendPair appends first/second to b, or nothing for the zero number: String's form and
// Italian's, written on every page and row of an act.
func (r Registro) appendPair(b []byte, first, second int) []byte {
	if r.IsZero() {
		return b
	}
	b = strconv.AppendInt(b, int64(first), 10)
	return strconv.AppendInt(append(b, '/'), int64(second), 10)
}

// Italian returns the form printed on pages, 123/2026.
func (r Registro) Italian() string {
	var b [24]byte
	return string(r.appendPair(b[:0], r.Numero, r.Anno))
}

// Less orders register numbers by year, then number.
func (r Registro) Less(o Registro) bool { return r.Compare(o) < 0 }

// Compare orders register numbers as Less does, by year then number: -1, 0 or +1.
func (r Registro) Compare(o Registro) int {
	if c := cmp.Compare(r.Anno, o.Anno); c != 0 {
		return c
	}
	return cmp.Compare(r.Numero, o.Numero)
}

// MaxNumero is the highest number of a year's register: far above any albo's year, and
// low enough that no count or scan of the register can overflow or take long.
const MaxNumero = 999999

// ParseRegistro reads "2026/123".
func ParseRegistro(s string) (Registro, error) {
	y, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	anno, err1 := strconv.Atoi(y)
	num, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || anno < 1900 || anno > 9999 || len(y) != 4 {
		return Registro{}, fmt.Errorf("%s", msg.T("%q non è un numero di registro", s))
	}
	if errors.Is(err2, strconv.ErrRange) || err2 == nil && num > MaxNumero {
		return Registro{}, fmt.Errorf("%s", msg.T("%q: il numero supera il massimo di un anno, %d", s, MaxNumero))
	}
	if err2 != nil || num < 1 {
		return Registro{}, fmt.Errorf("%s", msg.T("%q non è un numero di registro", s))
	}
	return Registro{Anno: anno, Numero: num}, nil
}

// Allegato is an attachment: a file in the act's folder.
type Allegato struct {
	File   string // slash path relative to the act's folder, as written
	Titolo string
	Path   string // absolute path of the file on disk (after following links)
	Size   int64
	SHA256 string // hex
	Line   int
	// Firma is what the file's digital signatures say (a .p7m envelope, a signed PDF),
	// verified against the site's trusted authorities; nil for a file without signatures.
	// Its Content is never kept: the readable copy of an envelope is read again from the
	// file when it is published.
	Firma *firma.Result
}

// Annullamento records that a publication was annulled, and, as DPR 445/2000 art. 54
// wants of an annulment, who ordered it and by which decision (both optional).
type Annullamento struct {
	Data          civil.Date
	Motivo        string
	DispostoDa    string // who ordered it: "Il Segretario comunale"
	Provvedimento string // the decision: "Determinazione n. 480 del 25/11/2026"
}

// Protocollo is the protocol number and date of the request for publication.
type Protocollo struct {
	Numero string
	Data   civil.Date
}

// Interruzione is a period in which the albo could not be consulted (server down,
// network cut): every act whose window contains some of its days is published for as
// many days more (SPEC §4). albo interruzione records it in the register.
type Interruzione struct {
	Dal, Al civil.Date // first and last day, inclusive
	Motivo  string
}

// Giorni returns the number of days of the interruption within the window [dal, al].
func (i Interruzione) Giorni(dal, al civil.Date) int {
	lo, hi := i.Dal, i.Al
	if dal.After(lo) {
		lo = dal
	}
	if al.Before(hi) {
		hi = al
	}
	if hi.Before(lo) {
		return 0
	}
	return hi.Sub(lo) + 1
}

// Proroga records an extension of the publication window.
type Proroga struct {
	Al     civil.Date
	Motivo string
}

// Act is one act as loaded from its file. Its body has already lost its omissis text.
type Act struct {
	// The fields that each pass of a build over the acts reads (trust, the last good
	// versions, the state) first, in the same cache line or two: such a pass over 10,000
	// acts is memory waiting more than work.
	Path     string   // slash path relative to the site, e.g. content/2026/x/index.md
	Registro Registro // zero for a draft
	Text     [32]byte // the SHA-256 of the file's text, byte for byte

	Dir string // absolute folder of the act, where its attachments are

	Tipo                     string
	Oggetto                  string
	Dal, Al                  civil.Date
	Giorni                   int
	Numero                   string
	Data                     civil.Date
	Ente                     string
	Ufficio                  string
	Responsabile             string
	ImmediatamenteEseguibile bool
	Deposito                 string
	Allegati                 []Allegato
	Impronta                 string
	Annullamento             *Annullamento
	Proroga                  *Proroga
	Archivio                 *bool // nil: the type's and site's rule
	OggettoArchivio          string
	Sostituisce              Registro    // the act this one corrects, or zero
	Richiedente              string      // the body that asked for the publication
	Protocollo               *Protocollo // the protocol of the request
	Consegna                 civil.Date  // the day the act reached the albo office
	CIG                      string      // bando, esito-gara: the tender's CIG
	PubblicitaLegale         string      // the record of the tender in the BDNCP or of a notice on inPA

	Body     []byte // Markdown, omissis text removed; nil when BodyFrom gives it (see Markdown)
	BodyLine int    // line of the file where the body starts

	// BodyFrom, when set, reads the body again from the act's file, for an act that does
	// not hold it: one recalled from the last build's memo, whose body is read only when a
	// page or a search entry is made of it (100,000 acts: 160 MB neither kept in the memo
	// nor held through a build that makes nothing of them), or one that let go of it
	// (LetGoOfBody).
	BodyFrom func() ([]byte, error)

	Lines []KeyLine // line of each front matter key, for messages

	// Seal is the impronta computed from the file as it is now; it is computed when the
	// file has an impronta to compare it with (or when asked, by albo pubblica and check).
	// It covers the reserved text, and is never published.
	Seal impronta.Seal

	// Keys are the canonical lines of the front matter keys the seal covers, and Public
	// the public fingerprint: the SHA-256 of the act's public form (WritePublicForm), which is
	// published with the act and depends on nothing reserved.
	Keys   []byte
	Public string

	// Digest is the SHA-256 of the file's path and text and of its attachments'
	// contents: what the act's page is made from, besides the site's configuration and
	// theme. No two acts have the same.
	Digest [32]byte

	// Invalid holds the keys whose value could not be read, and the likely intended key
	// of a misspelt one, so that validation does not report the same mistake twice. It
	// is nil for the acts that have none (most of them).
	Invalid map[string]bool
}

// Parts are the attachments as the impronta covers them.
func (a *Act) Parts() []impronta.Attachment {
	parts := make([]impronta.Attachment, len(a.Allegati))
	for i, al := range a.Allegati {
		parts[i] = impronta.Attachment{File: al.File, Size: al.Size, SHA256: al.SHA256}
	}
	return parts
}

// Markdown returns the act's body: Body, or what BodyFrom gives when the act does not
// hold it.
func (a *Act) Markdown() ([]byte, error) {
	if a.Body != nil || a.BodyFrom == nil {
		return a.Body, nil
	}
	return a.BodyFrom()
}

// LetGoOfBody drops the body of an act that BodyFrom can read again: a single build's
// render, once the act's page and search entry are made (100,000 acts: 190 MB of texts
// held to the end of the render).
func (a *Act) LetGoOfBody() {
	if a.BodyFrom != nil {
		a.Body = nil
	}
}

// WritePublicForm writes to w the public form of the act, whose SHA-256 is a.Public; body
// is its body (Markdown).
func (a *Act) WritePublicForm(w io.Writer, body []byte) {
	impronta.WriteForm(w, a.Keys, body, a.Parts())
}

// Valid reports whether every one of keys was read without a problem.
func (a *Act) Valid(keys ...string) bool {
	for _, k := range keys {
		if a.Invalid[k] {
			return false
		}
	}
	return true
}

// KeyLine is the line of a front matter key.
type KeyLine struct {
	Key  string
	Line int
}

// Line returns the line of key in the front matter, or 1 when the key is absent.
func (a *Act) Line(key string) int {
	for _, kl := range a.Lines {
		if kl.Key == key {
			return kl.Line
		}
	}
	return 1
}

// MarkInvalid records that key could not be read.
func (a *Act) MarkInvalid(key string) {
	if a.Invalid == nil {
		a.Invalid = map[string]bool{}
	}
	a.Invalid[key] = true
}

// Draft reports whether the act has no register number yet.
func (a *Act) Draft() bool { return a.Registro.IsZero() }

// ValidCIG reports whether s is written as a CIG, the code ANAC gives every tender: 10
// characters, digits and capital letters.
func ValidCIG(s string) bool {
	if len(s) != 10 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
