package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/publish"
	"github.com/spf13/cobra"
)

// dateFlag parses an optional date flag; a malformed one is bad usage.
func dateFlag(name, s string) (civil.Date, error) {
	if s == "" {
		return civil.Date{}, nil
	}
	d, err := civil.Parse(s)
	if err != nil {
		return d, usage("--%s: %v", name, err)
	}
	return d, nil
}

// registro parses a register number as staff type it: 41/2026 or 2026/41.
func registro(s string) (act.Registro, error) {
	r, err := publish.ParseRegistro(s)
	if err != nil {
		return r, usageError{err}
	}
	return r, nil
}

// required refuses an empty option.
func required(name, value string) error {
	if strings.TrimSpace(value) == "" {
		return usage("manca l'opzione obbligatoria --%s", name)
	}
	return nil
}

func newNew(clock func() time.Time) *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "new TIPO \"OGGETTO\"",
		Short: msg.T("crea la bozza di un atto del tipo indicato e ne scrive il percorso"),
		Long: msg.T("Crea in content/ANNO/ la bozza di un atto del tipo indicato, con le chiavi che il tipo richiede, ognuna con un commento che dice cosa scrivere. " +
			"La bozza non compare sul sito: si pubblica con albo pubblica. I tipi sono in: albo help tipi"),
		Example: `  albo new delibera-giunta "Approvazione del piano neve 2026/2027"`,
		Args:    args("TIPO", "OGGETTO"),
		RunE: func(cmd *cobra.Command, a []string) error {
			p, err := publish.New(source, a[0], a[1], clock())
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), p)
			return nil
		},
	}
	sourceFlag(cmd.Flags(), &source)
	return cmd
}

// pubblicaOptions are the options of albo pubblica.
type pubblicaOptions struct {
	source, dal string
	forza       bool
}

func newPubblica(clock func() time.Time) *cobra.Command {
	var o pubblicaOptions
	cmd := &cobra.Command{
		Use:   "pubblica FILE [--dal DATA] [--forza]",
		Short: msg.T("pubblica una bozza: numero di registro, primo e ultimo giorno, impronta"),
		Long: msg.T("Pubblica una bozza: le assegna il prossimo numero del registro dell'anno, scrive dal (oggi, o --dal) e al, e la sigilla con l'impronta. " +
			"Prima controlla l'atto come albo check e rifiuta, elencando ogni problema insieme: gli errori, le chiavi che il tipo richiede e mancano, " +
			"il testo d'esempio di albo new lasciato com'è, un file che albo non leggerebbe, e gli avvisi (dati personali, pubblicazione in ritardo). " +
			"Un avviso controllato si accetta con --forza: il registro lo annota. Un errore non si forza."),
		Example: "  albo pubblica content/2026/approvazione-del-piano-neve.md\n  albo pubblica content/2026/avviso-ztl.md --dal 2026-12-01",
		Args:    args("FILE"),
		RunE: func(cmd *cobra.Command, a []string) error {
			d, err := dateFlag("dal", o.dal)
			if err != nil {
				return err
			}
			p, err := publish.Pubblica(o.source, a[0], publish.Options{Dal: d, Forza: o.forza}, clock())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintln(out, msg.T("%s: pubblicato con registro %s, dal %s al %s", p.Path, p.Registro.String(), p.Dal.Italian(), p.Al.Italian()))
			fmt.Fprintln(out, msg.T("impronta %s", p.Impronta))
			for _, w := range p.Accettati {
				fmt.Fprintln(out, msg.T("avviso accettato con --forza e annotato nel registro: %s", w))
			}
			return nil
		},
	}
	f := cmd.Flags()
	sourceFlag(f, &o.source)
	f.StringVar(&o.dal, "dal", "", msg.T("il primo giorno di pubblicazione, `AAAA-MM-GG` (predefinito: oggi)"))
	f.BoolVar(&o.forza, "forza", false, msg.T("pubblica nonostante gli avvisi, dopo averli controllati (non gli errori); il registro annota gli avvisi accettati"))
	return cmd
}

func newAnnulla(clock func() time.Time) *cobra.Command {
	var source, motivo, data string
	cmd := &cobra.Command{
		Use:   "annulla REGISTRO --motivo TESTO [--data DATA]",
		Short: msg.T("annulla una pubblicazione (resta sull'albo, ANNULLATA, fino all'ultimo giorno) o ritira un atto non ancora pubblicato"),
		Long: msg.T("Annulla la pubblicazione dell'atto: resta sull'albo fino al suo ultimo giorno, segnata ANNULLATA con la data e il motivo, dalla data dell'annullamento. " +
			"Su un atto il cui primo giorno non è ancora arrivato è un ritiro: l'atto non compare mai sul sito e il numero resta assegnato. " +
			"Un atto la cui pubblicazione è finita non si annulla."),
		Example: `  albo annulla 41/2026 --motivo "Errore materiale nell'oggetto: sostituito dal 42/2026"`,
		Args:    args("REGISTRO"),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := required("motivo", motivo); err != nil {
				return err
			}
			r, err := registro(a[0])
			if err != nil {
				return err
			}
			d, err := dateFlag("data", data)
			if err != nil {
				return err
			}
			p, withdrawn, err := publish.Annulla(source, r, motivo, d, clock())
			if err != nil {
				return err
			}
			if withdrawn {
				fmt.Fprintln(cmd.OutOrStdout(), msg.T("%s: registro %s ritirato prima della pubblicazione: non comparirà mai sul sito", p, r.Italian()))
			} else {
				fmt.Fprintln(cmd.OutOrStdout(), msg.T("%s: registro %s annullato", p, r.Italian()))
			}
			return nil
		},
	}
	f := cmd.Flags()
	sourceFlag(f, &source)
	f.StringVar(&motivo, "motivo", "", msg.T("il `motivo`, riportato sulla pagina dell'atto e nel referto (obbligatorio)"))
	f.StringVar(&data, "data", "", msg.T("la data dell'annullamento, `AAAA-MM-GG` (predefinito: oggi)"))
	return cmd
}

func newProroga(clock func() time.Time) *cobra.Command {
	var (
		source, motivo, al string
		giorni             int
	)
	cmd := &cobra.Command{
		Use:     "proroga REGISTRO (--al DATA|--giorni N) --motivo TESTO",
		Short:   msg.T("proroga una pubblicazione fino a una data o di alcuni giorni"),
		Example: `  albo proroga 41/2026 --giorni 5 --motivo "Richiesta dell'ufficio proponente"`,
		Args:    args("REGISTRO"),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := required("motivo", motivo); err != nil {
				return err
			}
			r, err := registro(a[0])
			if err != nil {
				return err
			}
			d, err := dateFlag("al", al)
			if err != nil {
				return err
			}
			if (al == "") == (giorni == 0) {
				return usage("indica --al DATA oppure --giorni N, uno dei due")
			}
			p, err := publish.Proroga(source, r, d, giorni, motivo, clock())
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), msg.T("%s: registro %s prorogato", p, r.Italian()))
			return nil
		},
	}
	f := cmd.Flags()
	sourceFlag(f, &source)
	f.StringVar(&motivo, "motivo", "", msg.T("il `motivo`, riportato sulla pagina dell'atto e nel referto (obbligatorio)"))
	f.StringVar(&al, "al", "", msg.T("il nuovo ultimo giorno di pubblicazione, `AAAA-MM-GG`"))
	f.IntVar(&giorni, "giorni", 0, msg.T("i `giorni` da aggiungere all'ultimo giorno"))
	return cmd
}

func newInterruzione(clock func() time.Time) *cobra.Command {
	var source, dal, al, motivo string
	cmd := &cobra.Command{
		Use:   "interruzione --dal DATA --al DATA --motivo TESTO",
		Short: msg.T("registra un'interruzione del servizio: gli atti in pubblicazione in quei giorni restano pubblicati altrettanti giorni in più"),
		Long: msg.T("Registra in content/_registro.yaml i giorni in cui l'albo non è stato consultabile (server spento, rete interrotta). " +
			"Ogni atto che era in pubblicazione in quei giorni resta pubblicato altrettanti giorni in più; la pagina, i feed, i dati aperti, l'elenco e il referto lo dicono. " +
			"Si registra a servizio tornato: un'interruzione che finisce dopo oggi, o che si sovrappone a un'altra, è rifiutata."),
		Example: `  albo interruzione --dal 2026-12-01 --al 2026-12-02 --motivo "Guasto del server dell'albo"`,
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, f := range [][2]string{{"dal", dal}, {"al", al}, {"motivo", motivo}} {
				if err := required(f[0], f[1]); err != nil {
					return err
				}
			}
			d, err := dateFlag("dal", dal)
			if err != nil {
				return err
			}
			a, err := dateFlag("al", al)
			if err != nil {
				return err
			}
			touched, err := publish.Interruzione(source, d, a, motivo, clock())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintln(out, msg.T("interruzione del servizio dal %s al %s registrata in content/_registro.yaml", d.Italian(), a.Italian()))
			if len(touched) == 0 {
				fmt.Fprintln(out, msg.T("nessun atto era in pubblicazione in quei giorni"))
				return nil
			}
			regs := make([]string, len(touched))
			for i, r := range touched {
				regs[i] = r.Italian()
			}
			fmt.Fprintln(out, msg.N(len(touched), "prorogato %d atto: %s", "prorogati %d atti: %s", strings.Join(regs, ", ")))
			return nil
		},
	}
	f := cmd.Flags()
	sourceFlag(f, &source)
	f.StringVar(&dal, "dal", "", msg.T("il primo giorno dell'interruzione, `AAAA-MM-GG`"))
	f.StringVar(&al, "al", "", msg.T("l'ultimo giorno dell'interruzione, `AAAA-MM-GG`"))
	f.StringVar(&motivo, "motivo", "", msg.T("il `motivo`, riportato sulle pagine e nel referto (obbligatorio)"))
	return cmd
}

func newInit(clock func() time.Time) *cobra.Command {
	return &cobra.Command{
		Use:   "init CARTELLA",
		Short: msg.T("crea un nuovo sito con una configurazione di partenza e un atto d'esempio (una bozza)"),
		Long: msg.T("Crea un nuovo sito nella cartella indicata (nuova o vuota: non sovrascrive nessun file): content/albo.yaml da completare, " +
			".gitignore e .gitattributes per tenere il sito in git, e una bozza d'esempio che non compare sul sito finché non si pubblica."),
		Args: args("CARTELLA"),
		RunE: func(cmd *cobra.Command, a []string) error {
			files, err := publish.Init(a[0], clock())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, f := range files {
				fmt.Fprintln(out, msg.T("creato %s", f))
			}
			fmt.Fprintln(out, msg.T("Completa %s/content/albo.yaml (ente, url), poi: cd %s && albo serve", a[0], a[0]))
			return nil
		},
	}
}
