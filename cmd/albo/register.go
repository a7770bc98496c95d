package main

import (
	"fmt"
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
			p, err := publish.Annulla(source, r, motivo, d, clock())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: registro %s annullato\n", p, r)
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
