package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/civil"
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
		return d, usageError{fmt.Errorf("--%s: %w", name, err)}
	}
	return d, nil
}

func newNew(clock func() time.Time) *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "new TIPO \"OGGETTO\"",
		Short: "Create a draft act of a type and print its path",
		Args:  args(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			p, err := publish.New(source, a[0], a[1], clock())
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), p)
			return nil
		},
	}
	cmd.Flags().StringVarP(&source, "source", "s", ".", "site folder")
	return cmd
}

func newPubblica(clock func() time.Time) *cobra.Command {
	var source, dal string
	cmd := &cobra.Command{
		Use:   "pubblica FILE",
		Short: "Publish a draft: next register number, dal and al, impronta",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			d, err := dateFlag("dal", dal)
			if err != nil {
				return err
			}
			p, err := publish.Pubblica(source, a[0], d, clock())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: pubblicato con registro %s, dal %s al %s\nimpronta %s\n",
				p.Path, p.Registro, p.Dal.Italian(), p.Al.Italian(), p.Impronta)
			return nil
		},
	}
	cmd.Flags().StringVarP(&source, "source", "s", ".", "site folder")
	cmd.Flags().StringVar(&dal, "dal", "", "first day of publication (default: today)")
	return cmd
}

func newAnnulla(clock func() time.Time) *cobra.Command {
	var source, motivo, data string
	cmd := &cobra.Command{
		Use:   "annulla REGISTRO --motivo TEXT [--data DATE]",
		Short: "Annul a publication: it stays on the albo, marked ANNULLATO, until its last day",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			r, err := publish.ParseRegistro(a[0])
			if err != nil {
				return usageError{err}
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
				fmt.Fprintf(cmd.OutOrStdout(), "%s: registro %s ritirato prima della pubblicazione: non comparirà mai sul sito\n", p, r.Italian())
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: registro %s annullato\n", p, r)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "site folder")
	f.StringVar(&motivo, "motivo", "", "the reason, shown on the act's page (required)")
	f.StringVar(&data, "data", "", "date of the annulment (default: today)")
	cmd.MarkFlagRequired("motivo")
	return cmd
}

func newProroga(clock func() time.Time) *cobra.Command {
	var (
		source, motivo, al string
		giorni             int
	)
	cmd := &cobra.Command{
		Use:   "proroga REGISTRO (--al DATE|--giorni N) --motivo TEXT",
		Short: "Extend a publication",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			r, err := publish.ParseRegistro(a[0])
			if err != nil {
				return usageError{err}
			}
			d, err := dateFlag("al", al)
			if err != nil {
				return err
			}
			if (al == "") == (giorni == 0) {
				return usageError{fmt.Errorf("give either --al DATE or --giorni N")}
			}
			p, err := publish.Proroga(source, r, d, giorni, motivo, clock())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: registro %s prorogato\n", p, r)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "site folder")
	f.StringVar(&motivo, "motivo", "", "the reason, shown on the act's page (required)")
	f.StringVar(&al, "al", "", "new last day of publication")
	f.IntVar(&giorni, "giorni", 0, "days to add to the last day")
	cmd.MarkFlagRequired("motivo")
	return cmd
}

func newInterruzione(clock func() time.Time) *cobra.Command {
	var source, dal, al, motivo string
	cmd := &cobra.Command{
		Use:   "interruzione --dal DATA --al DATA --motivo TESTO",
		Short: "Registra un'interruzione del servizio: gli atti in pubblicazione in quei giorni restano pubblicati altrettanti giorni in più",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
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
			fmt.Fprintf(out, "interruzione del servizio dal %s al %s registrata in content/_registro.yaml\n", d.Italian(), a.Italian())
			switch len(touched) {
			case 0:
				fmt.Fprintln(out, "nessun atto era in pubblicazione in quei giorni")
			case 1:
				fmt.Fprintf(out, "prorogato 1 atto: %s\n", touched[0].Italian())
			default:
				regs := make([]string, len(touched))
				for i, r := range touched {
					regs[i] = r.Italian()
				}
				fmt.Fprintf(out, "prorogati %d atti: %s\n", len(touched), strings.Join(regs, ", "))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "cartella del sito")
	f.StringVar(&dal, "dal", "", "primo giorno dell'interruzione (AAAA-MM-GG)")
	f.StringVar(&al, "al", "", "ultimo giorno dell'interruzione (AAAA-MM-GG)")
	f.StringVar(&motivo, "motivo", "", "il motivo, riportato sulle pagine e nel referto (obbligatorio)")
	cmd.MarkFlagRequired("dal")
	cmd.MarkFlagRequired("al")
	cmd.MarkFlagRequired("motivo")
	return cmd
}

func newInit(clock func() time.Time) *cobra.Command {
	return &cobra.Command{
		Use:   "init DIR",
		Short: "Create a new site with a starter configuration and one example act",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			files, err := publish.Init(a[0], clock())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, f := range files {
				fmt.Fprintf(out, "creato %s\n", f)
			}
			fmt.Fprintf(out, "Completa %s/content/albo.yaml, poi: cd %s && albo serve\n", a[0], a[0])
			return nil
		},
	}
}
