// Package register keeps the albo's register of publications beside the acts, in
// content/_registro.yaml: the highest number ever assigned in each year (numbers are never
// reused, even after an act is deleted) and, for each sealed act, the digests of the parts
// of its impronta, so that a change after publication can be named. A lock file makes the
// assignment of numbers safe when several people publish at once.
package register

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/borgoesempio/albo/generator/msg"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/internal/atomicfile"
	"github.com/borgoesempio/albo/generator/internal/flock"
	"github.com/borgoesempio/albo/generator/internal/safefile"
	"github.com/borgoesempio/albo/generator/internal/yamlx"
	"go.yaml.in/yaml/v3"
)

// Path is the register file, relative to the site. Its name starts with '_', so albo
// never reads it as an act.
const Path = "content/_registro.yaml"

// Seal is what the register keeps of a sealed act.
type Seal struct {
	File       string            `yaml:"file"`
	Pubblicato string            `yaml:"pubblicato"` // dal, ISO
	Impronta   string            `yaml:"impronta"`
	Parti      map[string]string `yaml:"parti"`
	Avvisi     []string          `yaml:"avvisi_accettati,omitempty"` // warnings published with --forza
}

// Register is the content of the register file.
type Register struct {
	Ultimo       map[int]int     `yaml:"ultimo"`             // year → highest number ever assigned
	InCorso      *InCorso        `yaml:"in_corso,omitempty"` // a publication under way
	Interruzioni []Interruzione  `yaml:"interruzioni"`       // interruptions of service, by first day
	Sigilli      map[string]Seal `yaml:"sigilli"`            // "2026/41" → seal
}

// InCorso is a publication under way: albo pubblica writes it with the new number before
// it writes the act file, and clears it after. A publication interrupted (a kill, a power
// cut) is settled by the next command that writes the register (see publish): completed
// if the file is the act as published, undone if it is the draft, untouched since.
type InCorso struct {
	Registro string `yaml:"registro"`
	File     string `yaml:"file"`
	Prima    string `yaml:"prima"`  // SHA-256 of the draft
	Dopo     string `yaml:"dopo"`   // SHA-256 of the act as published
	Ultimo   int    `yaml:"ultimo"` // the year's highest number before
	// The draft file as it was (filestamp.Stamp); Bozza is false where the system gives
	// no stamp, and then an interrupted publication is never undone.
	Bozza bool   `yaml:"bozza"`
	Dev   uint64 `yaml:"dev,omitempty"`
	Ino   uint64 `yaml:"ino,omitempty"`
	Size  int64  `yaml:"size,omitempty"`
	MTime int64  `yaml:"mtime,omitempty"`
	CTime int64  `yaml:"ctime,omitempty"`
}

// Interruzione is an interruption of service as the register keeps it (SPEC §4): the
// days on which the albo could not be consulted, inclusive, and why.
type Interruzione struct {
	Dal        string `yaml:"dal"` // ISO dates
	Al         string `yaml:"al"`
	Motivo     string `yaml:"motivo"`
	Registrata string `yaml:"registrata"` // the day it was recorded
}

// Periods returns the interruptions as dates, by first day, or the problem of the first
// that cannot be read (a hand edit).
func (r *Register) Periods() ([]act.Interruzione, error) {
	out := make([]act.Interruzione, 0, len(r.Interruzioni))
	for i, x := range r.Interruzioni {
		dal, err1 := civil.Parse(x.Dal)
		al, err2 := civil.Parse(x.Al)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("%s: %w", msg.T("interruzioni, voce %d", i+1), err)
		}
		if al.Before(dal) {
			return nil, errors.New(msg.T("interruzioni, voce %d: al (%s) precede dal (%s)", i+1, al.Italian(), dal.Italian()))
		}
		out = append(out, act.Interruzione{Dal: dal, Al: al, Motivo: x.Motivo})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Dal.Before(out[j].Dal) })
	return out, nil
}

// Read reads the register of the site at root; a missing file is an empty register.
func Read(root string) (*Register, error) {
	r, _, err := ReadSource(root)
	return r, err
}

// ReadSource reads the register of the site at root and returns it with its text (nil
// when there is no register file yet).
func ReadSource(root string) (*Register, []byte, error) {
	src, _, err := safefile.ReadFile(filepath.Join(root, filepath.FromSlash(Path)), "", 16<<20)
	if os.IsNotExist(err) {
		r, _ := Parse(nil)
		return r, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	r, err := Parse(src)
	return r, src, err
}

// Parse reads the text of a register file.
func Parse(src []byte) (*Register, error) {
	r := &Register{Ultimo: map[int]int{}, Sigilli: map[string]Seal{}}
	if err := yaml.Unmarshal(src, r); err != nil {
		return nil, errors.New(msg.T("il registro non si legge: %s", yamlx.Describe(err)))
	}
	if r.Ultimo == nil {
		r.Ultimo = map[int]int{}
	}
	if r.Sigilli == nil {
		r.Sigilli = map[string]Seal{}
	}
	return r, nil
}

// Write stores the register atomically.
func (r *Register) Write(root string) error {
	var b bytes.Buffer
	b.WriteString("# Registro delle pubblicazioni dell'albo: lo tiene albo (pubblica, annulla, proroga).\n")
	b.WriteString("# Non modificarlo a mano: ultimo è il numero più alto mai assegnato in ogni anno.\n")
	years := make([]int, 0, len(r.Ultimo))
	for y := range r.Ultimo {
		years = append(years, y)
	}
	sort.Ints(years)
	b.WriteString("ultimo:\n")
	for _, y := range years {
		fmt.Fprintf(&b, "  %d: %d\n", y, r.Ultimo[y])
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(struct {
		InCorso      *InCorso        `yaml:"in_corso,omitempty"`
		Interruzioni []Interruzione  `yaml:"interruzioni,omitempty"`
		Sigilli      map[string]Seal `yaml:"sigilli"`
	}{r.InCorso, r.Interruzioni, r.Sigilli}); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(root, Path), b.Bytes(), 0o644)
}

// Lock takes the register's lock for the site at root, waiting for another albo that
// holds it. Call the returned function to release it.
func Lock(root string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(root, "content", ".registro.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", msg.T("non posso bloccare il registro"), err)
	}
	if err := flock.Lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", msg.T("non posso bloccare il registro"), err)
	}
	return func() { f.Close() }, nil
}

// Key is the register's key for an act: "2026/41".
func Key(anno, numero int) string { return strconv.Itoa(anno) + "/" + strconv.Itoa(numero) }
