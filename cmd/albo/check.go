package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/check"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/spf13/cobra"
)

// siteNow loads the site configuration and resolves --now (or the clock) in its zone.
func siteNow(source, now string, clock func() time.Time) (*config.Config, time.Time, error) {
	if err := checkNow(now); err != nil {
		return nil, time.Time{}, err
	}
	cfg, err := config.Load(source)
	if err != nil {
		return nil, time.Time{}, err
	}
	t, err := generator.Now(cfg, now, clock())
	return cfg, t, err
}

// writeReport writes a command's report: as indented JSON with --format json, else as
// text, by text.
func writeReport(out io.Writer, format string, rep any, text func(io.Writer)) error {
	if format != "json" {
		text(out)
		return nil
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// checkOptions are the options of albo check.
type checkOptions struct {
	source, now, format string
	strict              bool
}

func newCheck(clock func() time.Time) *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check [--now DATA] [--strict] [--format text|json]",
		Short: msg.T("controlla tutto il sito ed elenca ogni problema, con file, riga e cosa fare"),
		Long: msg.T("Controlla tutto il sito ed elenca ogni problema insieme, con file, riga e cosa fare: gli errori (anche delle bozze) " +
			"e gli avvisi: numeri di registro saltati, atti senza impronta, pubblicazioni in ritardo sui termini, dati personali nei testi e negli allegati. " +
			"Esce con 1 se trova errori (o avvisi, con --strict)."),
		Args: args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(o.format, "text", "json"); err != nil {
				return err
			}
			cfg, t, err := siteNow(o.source, o.now, clock)
			if err != nil {
				return err
			}
			probs, err := check.Run(o.source, t)
			if err != nil {
				return err
			}
			rep := check.NewReport(probs, schedule.Today(cfg, t).String())
			err = writeReport(cmd.OutOrStdout(), o.format, rep, func(out io.Writer) {
				for _, p := range probs {
					fmt.Fprintln(out, p.Error())
				}
				fmt.Fprintln(out, msg.T("albo check: %s, %s", msg.N(rep.Errori, "%d errore", "%d errori"), msg.N(rep.Avvisi, "%d avviso", "%d avvisi")))
			})
			if err != nil {
				return err
			}
			if rep.Errori > 0 || (o.strict && rep.Avvisi > 0) {
				return errReported
			}
			return nil
		},
	}
	f := cmd.Flags()
	sourceFlag(f, &o.source)
	nowFlag(f, &o.now, msg.T("controlla il sito"))
	formatFlag(f, &o.format, "text", "json")
	f.BoolVar(&o.strict, "strict", false, msg.T("anche gli avvisi contano come errori (uscita 1)"))
	return cmd
}
