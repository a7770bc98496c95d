// Package publish does the clerical work of the albo's register on act files: it creates
// drafts, assigns register numbers and seals acts at publication, records annulments and
// extensions, and refuses what the law forbids. Every change is made in place on the front
// matter, leaving the rest of the file as its author wrote it.
package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/check"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/frontmatter"
	"github.com/borgoesempio/albo/generator/internal/atomicfile"
	"github.com/borgoesempio/albo/generator/internal/filestamp"
	"github.com/borgoesempio/albo/generator/internal/safefile"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/markdown"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/register"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/validate"
)

// Refusal is an operation the law or the register does not allow; its message says why
// and what to do instead.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

func refuse(format string, args ...any) error { return &Refusal{Msg: msg.T(format, args...)} }

// Published describes an act just published.
type Published struct {
	Path     string // slash path relative to the site
	Registro act.Registro
	Dal, Al  civil.Date
	Impronta string
	// Accettati are the warnings published with --forza, as the register records them.
	Accettati []string
}

// Options tune albo pubblica.
type Options struct {
	Dal   civil.Date // the first day of publication; zero: today
	Forza bool       // publish despite warnings, which the register records (errors never)
}

// Pubblica publishes the draft at file (a path, absolute or relative to the working
// folder, inside the site at root): it assigns the next register number of the year of
// dal, sets dal and al, and seals the act with its impronta. Before it seals anything it
// checks the act as albo check would, and refuses, with every problem at once, an act
// with errors, without a key its type requires, still with the example text of albo new,
// or in a file albo would not read; warnings (personal data, a late publication) refuse
// it too, unless o.Forza, and then the register records them.
func Pubblica(root, file string, o Options, now time.Time) (*Published, error) {
	cfg, rel, err := siteFile(root, file)
	if err != nil {
		return nil, err
	}
	today := civil.In(now, cfg.Location)
	dal := o.Dal
	if dal.IsZero() {
		dal = today
	}
	if dal.Before(today) {
		return nil, refuse("dal %s è nel passato: la pubblicazione comincia oggi o più tardi", dal.Italian())
	}
	unlock, err := register.Lock(root)
	if err != nil {
		return nil, err
	}
	defer unlock()
	abs := filepath.Join(root, filepath.FromSlash(rel))
	src, _, err := safefile.ReadFile(abs, "", load.MaxActSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	site := &load.Site{Root: root, Config: cfg}
	a, probs := load.ParseAct(root, rel, src, cfg.Ancore)
	if a == nil {
		return nil, probs.Err()
	}
	if !a.Draft() {
		return nil, refuse("%s è già pubblicato come %s: per una correzione crea un nuovo atto e annulla questo", rel, a.Registro.Italian())
	}
	probs = append(probs, validate.Act(site, a)...)
	t := cfg.Tipi[a.Tipo]
	al := a.Al
	if t != nil {
		for _, k := range t.Regole.Requisiti {
			if !filled(a, k) {
				probs = append(probs, diag.At(rel, a.Line(k), "compilalo, poi pubblica", "per pubblicare un atto di tipo %s serve %s", t.Nome, k))
			}
		}
		if al.IsZero() {
			var ok bool
			if al, ok = t.LastDay(dal, a.Giorni); !ok {
				probs = append(probs, diag.At(rel, a.Line("tipo"), "aggiungilo all'intestazione, poi pubblica", "un atto di tipo %s non ha una durata predefinita: serve %s", t.Nome, t.DurationNeeded()))
			}
		}
		if !al.IsZero() && al.Before(dal) {
			probs = append(probs, diag.At(rel, a.Line("al"), "", "al (%s) precede dal (%s)", al.Italian(), dal.Italian()))
		}
	}
	if strings.TrimSpace(string(a.Body)) == strings.TrimSpace(strings.ReplaceAll(esempio, "Mario Rossi", markdown.OmissisWord)) {
		probs = append(probs, diag.At(rel, a.BodyLine, "scrivi il testo dell'atto al posto di quello d'esempio", "il testo è ancora quello d'esempio scritto da albo new"))
	}
	var warnings diag.List
	for _, p := range check.Act(cfg, a, dal) {
		switch {
		case p.IsError(): // a signature that is not intact: never forced
			probs = append(probs, p)
		case p.Level == diag.Informazione: // not PDF/A, …: for albo check, refusing nothing
		default:
			p.Level = diag.Avviso // refused all the same, unless forced
			warnings = append(warnings, p)
		}
	}
	errs := probs.Err()
	if errs != nil || (len(warnings) > 0 && !o.Forza) {
		all := append(probs, warnings...)
		if errs == nil {
			all = append(all, diag.Info("forza", rel, 0, "", "se hai controllato gli avvisi e l'atto va pubblicato così, ripeti con --forza: il registro annoterà che li hai accettati"))
		}
		return nil, all.Err()
	}
	var accepted []string
	for _, w := range warnings {
		accepted = append(accepted, w.Error())
	}
	reg, err := registerOf(root)
	if err != nil {
		return nil, err
	}
	num, err := nextNumber(root, reg, dal.Year())
	if err != nil {
		return nil, err
	}
	if num > act.MaxNumero {
		return nil, refuse("il registro del %d è arrivato al numero %d, oltre il massimo di %d: controlla content/_registro.yaml (ultimo)", dal.Year(), num-1, act.MaxNumero)
	}
	r := act.Registro{Anno: dal.Year(), Numero: num}
	edits := []edit{
		set("registro", frontmatter.Text(r.String()), "oggetto"),
		set("dal", frontmatter.Text(dal.String()), "registro"),
		set("al", frontmatter.Text(al.String()), "dal"),
		del("giorni"),
		del("impronta"),
	}
	out, err := apply(src, edits)
	if err != nil {
		return nil, err
	}
	sealed, err := checked(site, rel, out)
	if err != nil {
		return nil, err
	}
	if out, err = frontmatter.Set(out, "impronta", frontmatter.Text(sealed.Seal.Digest), ""); err != nil {
		return nil, err
	}
	// The register first, with the publication under way; then the act; then the register
	// again. A kill at any instant leaves what the next command settles (registerOf): the
	// draft and the register as it was, or the act published and the register with it.
	prima, dopo := sha256.Sum256(src), sha256.Sum256(out)
	pending := &register.InCorso{Registro: r.String(), File: rel, Prima: hex.EncodeToString(prima[:]), Dopo: hex.EncodeToString(dopo[:]), Ultimo: reg.Ultimo[r.Anno]}
	if info, err := os.Stat(abs); err == nil {
		if st, ok := filestamp.Of(info); ok {
			pending.Bozza, pending.Dev, pending.Ino, pending.Size, pending.MTime, pending.CTime = true, st.Dev, st.Ino, st.Size, st.MTime, st.CTime
		}
	}
	reg.InCorso = pending
	reg.Ultimo[r.Anno] = r.Numero
	reg.Sigilli[r.String()] = register.Seal{File: rel, Pubblicato: dal.String(), Impronta: sealed.Seal.Digest, Parti: sealed.Seal.Parts, Avvisi: accepted}
	if err := reg.Write(root); err != nil {
		return nil, err
	}
	interrupt("registro")
	if err := atomicfile.Write(abs, out, 0o644); err != nil {
		return nil, err
	}
	interrupt("atto")
	reg.InCorso = nil
	if err := reg.Write(root); err != nil {
		return nil, fmt.Errorf("%s: %w", msg.T("%s è pubblicato come %s, ma il registro non si è potuto aggiornare", rel, r.Italian()), err)
	}
	return &Published{Path: rel, Registro: r, Dal: dal, Al: al, Impronta: sealed.Seal.Digest, Accettati: accepted}, nil
}

// interrupt is called between the writes of a publication: tests stop it there.
var interrupt = func(step string) {}

// registerOf reads the register of the site at root, under its lock, and settles a
// publication that was interrupted: completed when its file is the act as published;
// undone when the file is the draft, untouched since (the number was never in a file);
// otherwise the number stays used, so that it can never be given twice (the draft put
// back after the act was published, by hand or with git).
func registerOf(root string) (*register.Register, error) {
	reg, err := register.Read(root)
	if err != nil || reg.InCorso == nil {
		return reg, err
	}
	p := reg.InCorso
	abs := filepath.Join(root, filepath.FromSlash(p.File))
	b, _, rerr := safefile.ReadFile(abs, "", load.MaxActSize)
	sum := sha256.Sum256(b)
	switch hex.EncodeToString(sum[:]) {
	case p.Dopo:
		// Published: the register already says so.
	case p.Prima:
		untouched := false
		if info, err := os.Stat(abs); err == nil && p.Bozza && rerr == nil {
			st, ok := filestamp.Of(info)
			untouched = ok && st == filestamp.Stamp{Dev: p.Dev, Ino: p.Ino, Size: p.Size, MTime: p.MTime, CTime: p.CTime}
		}
		if r, err := act.ParseRegistro(p.Registro); err == nil && untouched {
			reg.Ultimo[r.Anno] = p.Ultimo
		}
		delete(reg.Sigilli, p.Registro) // no act is sealed under the number
	}
	reg.InCorso = nil
	return reg, reg.Write(root)
}

func filled(a *act.Act, key string) bool {
	switch key {
	case "numero":
		return a.Numero != ""
	case "data":
		return !a.Data.IsZero()
	case "ufficio":
		return a.Ufficio != ""
	case "deposito":
		return a.Deposito != ""
	case "ente":
		return a.Ente != ""
	}
	return true
}

// nextNumber returns the next register number of year: one more than the highest ever
// assigned, whether or not its act still exists.
func nextNumber(root string, reg *register.Register, year int) (int, error) {
	site, err := load.Load(root)
	if site == nil {
		return 0, err
	}
	max := reg.Ultimo[year]
	for _, a := range site.Acts {
		if a.Registro.Anno == year && a.Registro.Numero > max {
			max = a.Registro.Numero
		}
	}
	return max + 1, nil
}

// Annulla records the annulment of the published act r, on day data (zero: today). An act
// whose first day has not come is withdrawn instead: it never reaches the site, and its
// number stays used (SPEC §4). It reports whether the act was withdrawn.
func Annulla(root string, r act.Registro, motivo string, data civil.Date, now time.Time) (string, bool, error) {
	motivo = strings.TrimSpace(motivo)
	if motivo == "" {
		return "", false, refuse("un annullamento richiede il motivo: --motivo \"...\"")
	}
	withdrawn := false
	p, err := change(root, r, now, func(e *schedule.Entry, today civil.Date) ([]edit, error) {
		switch {
		case e.Ritiro != nil:
			return nil, refuse("%s è già stato ritirato il %s", r.Italian(), e.Ritiro.Data.Italian())
		case e.Annullamento != nil:
			return nil, refuse("%s è già stato annullato il %s", r.Italian(), e.Annullamento.Data.Italian())
		case e.State == schedule.Scaduto:
			return nil, refuse("la pubblicazione di %s è terminata il %s: un atto la cui pubblicazione è chiusa non si annulla né si ritira; se serve, pubblica un nuovo atto che lo dica",
				r.Italian(), e.Al.Italian())
		}
		if data.IsZero() {
			data = today
		}
		if data.After(today) {
			return nil, refuse("la data dell'annullamento, %s, è nel futuro: si annulla oggi o con una data passata", data.Italian())
		}
		if e.State == schedule.Programmato {
			withdrawn = true // before the first day: a withdrawal, whatever its date
		} else if data.Before(e.Dal) {
			return nil, refuse("l'annullamento (%s) non può precedere l'inizio della pubblicazione (%s)", data.Italian(), e.Dal.Italian())
		}
		return []edit{set("annullamento", frontmatter.Map(frontmatter.Field{Key: "data", Value: data.String()}, frontmatter.Field{Key: "motivo", Value: motivo}), "")}, nil
	})
	return p, withdrawn, err
}

// Interruzione records in the register an interruption of service from dal to al: every
// act whose window contains some of its days is published for as many days more. It
// refuses an interruption that ends in the future, that is backwards, or that overlaps one
// already recorded, and returns the acts it extends, by register number.
func Interruzione(root string, dal, al civil.Date, motivo string, now time.Time) ([]act.Registro, error) {
	motivo = strings.TrimSpace(motivo)
	if motivo == "" {
		return nil, refuse("un'interruzione del servizio richiede il motivo: --motivo \"...\"")
	}
	cfg, err := config.Load(root)
	if err != nil {
		return nil, err
	}
	today := civil.In(now, cfg.Location)
	switch {
	case al.Before(dal):
		return nil, refuse("l'interruzione finisce il %s, prima di cominciare il %s: controlla le date", al.Italian(), dal.Italian())
	case al.After(today):
		return nil, refuse("l'interruzione finisce il %s, dopo oggi (%s): si registra quando il servizio è tornato disponibile", al.Italian(), today.Italian())
	}
	unlock, err := register.Lock(root)
	if err != nil {
		return nil, err
	}
	defer unlock()
	reg, err := registerOf(root)
	if err != nil {
		return nil, err
	}
	periods, err := reg.Periods()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", register.Path, err)
	}
	for _, p := range periods {
		if !p.Al.Before(dal) && !al.Before(p.Dal) {
			return nil, refuse("l'interruzione dal %s al %s si sovrappone a quella già registrata dal %s al %s (%s)",
				dal.Italian(), al.Italian(), p.Dal.Italian(), p.Al.Italian(), p.Motivo)
		}
	}
	reg.Interruzioni = append(reg.Interruzioni, register.Interruzione{Dal: dal.String(), Al: al.String(), Motivo: motivo, Registrata: today.String()})
	sort.SliceStable(reg.Interruzioni, func(i, j int) bool { return reg.Interruzioni[i].Dal < reg.Interruzioni[j].Dal })
	if err := reg.Write(root); err != nil {
		return nil, err
	}
	site, _ := load.Load(root)
	if site == nil {
		return nil, nil
	}
	var touched []act.Registro
	for _, a := range site.Acts {
		t := cfg.Tipi[a.Tipo]
		if a.Draft() || t == nil || a.Dal.IsZero() {
			continue
		}
		_, _, _, ext := schedule.Window(t, a, site.Interruzioni)
		for _, x := range ext {
			if x.Dal == dal {
				touched = append(touched, a.Registro)
			}
		}
	}
	sort.Slice(touched, func(i, j int) bool { return touched[i].Less(touched[j]) })
	return touched, nil
}

// Proroga extends the publication of the act r to al, or by giorni days when al is zero.
func Proroga(root string, r act.Registro, al civil.Date, giorni int, motivo string, now time.Time) (string, error) {
	motivo = strings.TrimSpace(motivo)
	if motivo == "" {
		return "", refuse("una proroga richiede il motivo: --motivo \"...\"")
	}
	return change(root, r, now, func(e *schedule.Entry, today civil.Date) ([]edit, error) {
		if e.State == schedule.Scaduto {
			return nil, refuse("la pubblicazione di %s è terminata il %s: non si proroga; pubblica di nuovo l'atto come nuovo atto", r.Italian(), e.Al.Italian())
		}
		if al.IsZero() {
			if giorni < 1 {
				return nil, refuse("indica il nuovo ultimo giorno (--al) o i giorni da aggiungere (--giorni)")
			}
			al = e.Al.AddDays(giorni)
		}
		if !al.After(e.Al) {
			return nil, refuse("il nuovo ultimo giorno, %s, non prolunga la pubblicazione, che finisce il %s", al.Italian(), e.Al.Italian())
		}
		return []edit{set("proroga", frontmatter.Map(frontmatter.Field{Key: "al", Value: al.String()}, frontmatter.Field{Key: "motivo", Value: motivo}), "")}, nil
	})
}

// change edits the act with register number r, under the register's lock, after decide
// has checked it against the law at now.
func change(root string, r act.Registro, now time.Time, decide func(*schedule.Entry, civil.Date) ([]edit, error)) (string, error) {
	unlock, err := register.Lock(root)
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := registerOf(root); err != nil { // an interrupted publication first
		return "", err
	}
	site, err := load.Load(root)
	if site == nil {
		return "", err
	}
	var a *act.Act
	for _, x := range site.Acts {
		if x.Registro == r {
			a = x
		}
	}
	if a == nil {
		return "", refuse("nessun atto ha il numero di registro %s", r.Italian())
	}
	if probs := append(diag.Problems(err).Of(a.Path), validate.Act(site, a)...); len(probs) > 0 {
		return "", probs.Err()
	}
	plan := schedule.Schedule(&load.Site{Root: site.Root, Config: site.Config, Acts: []*act.Act{a}}, now)
	edits, err := decide(plan.Entries[0], plan.Today)
	if err != nil {
		return "", err
	}
	abs := filepath.Join(site.Root, filepath.FromSlash(a.Path))
	src, _, err := safefile.ReadFile(abs, "", load.MaxActSize)
	if err != nil {
		return "", fmt.Errorf("%s: %w", a.Path, err)
	}
	out, err := apply(src, edits)
	if err != nil {
		return "", err
	}
	if _, err := checked(site, a.Path, out); err != nil {
		return "", err
	}
	return a.Path, atomicfile.Write(abs, out, 0o644)
}

// checked reads src as the act file rel of site, with its impronta, and applies the rules
// to it: the act, or every problem found.
func checked(site *load.Site, rel string, src []byte) (*act.Act, error) {
	a, probs := load.ParseAct(site.Root, rel, src, site.Config.Ancore)
	if a != nil && len(probs) == 0 {
		probs = validate.Act(site, a)
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

// edit is one change to a front matter.
type edit func([]byte) ([]byte, error)

func set(key string, v frontmatter.Value, after string) edit {
	return func(src []byte) ([]byte, error) { return frontmatter.Set(src, key, v, after) }
}

func del(key string) edit {
	return func(src []byte) ([]byte, error) { return frontmatter.Delete(src, key) }
}

func apply(src []byte, edits []edit) ([]byte, error) {
	var err error
	for _, e := range edits {
		if src, err = e(src); err != nil {
			return nil, err
		}
	}
	return src, nil
}

// siteFile reads the site's configuration and returns file as a slash path relative to
// root, refusing a file that is not an act of the site.
func siteFile(root, file string) (*config.Config, string, error) {
	cfg, err := config.Load(root)
	if err != nil {
		return nil, "", err
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, "", err
	}
	absFile, err := filepath.Abs(file)
	if err != nil {
		return nil, "", err
	}
	rel, err := filepath.Rel(absRoot, absFile)
	if err != nil || !strings.HasPrefix(rel, "content"+string(filepath.Separator)) {
		return nil, "", refuse("%s non è un atto del sito in %s (un file .md dentro content/)", file, root)
	}
	if _, err := os.Stat(absFile); err != nil {
		return nil, "", refuse("%s: il file non c'è", file)
	}
	rel = filepath.ToSlash(rel)
	if !strings.HasSuffix(rel, ".md") {
		return nil, "", refuse("%s: albo legge come atti solo i file che finiscono in .md (minuscolo): rinominalo %s", rel, load.RightName(path.Base(rel)))
	}
	for _, part := range strings.Split(path.Dir(rel), "/") {
		if strings.HasPrefix(part, "_") || strings.HasPrefix(part, ".") {
			return nil, "", refuse("%s è nella cartella %s, che albo ignora (il nome comincia con %q): pubblicato lì non comparirebbe mai sul sito; spostalo fuori da quella cartella", rel, part, part[:1])
		}
	}
	if name := path.Base(rel); strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
		return nil, "", refuse("%s ha un nome che albo ignora (comincia con %q): rinominalo", rel, name[:1])
	}
	return cfg, rel, nil
}

// ParseRegistro reads a register number as staff type it: 2026/41 or 41/2026.
func ParseRegistro(s string) (act.Registro, error) {
	if r, err := act.ParseRegistro(s); err == nil {
		return r, nil
	}
	if n, y, ok := strings.Cut(s, "/"); ok {
		if r, err := act.ParseRegistro(y + "/" + n); err == nil {
			return r, nil
		}
	}
	return act.Registro{}, errors.New(msg.T("%q non è un numero di registro: scrivilo 41/2026 o 2026/41", s))
}
