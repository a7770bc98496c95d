package main

import (
	"os"
	"path/filepath"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/verify"
	"github.com/spf13/cobra"
)

// verificaOptions are the options of albo verifica.
type verificaOptions struct {
	source, now, format string
	parallel, perSecond int
	timeout             time.Duration
}

func newVerifica(clock func() time.Time) *cobra.Command {
	var o verificaOptions
	cmd := &cobra.Command{
		Use:   "verifica URL [--now DATA] [--format text|json] [--parallele N] [--al-secondo N]",
		Short: msg.T("controlla l'albo pubblicato all'indirizzo dato: niente manca, niente resta oltre il suo tempo, intestazioni giuste"),
		Long: msg.T("Costruisce l'albo com'è ora (o alla data di --now) e lo confronta, via HTTP, con quello pubblicato all'indirizzo dato: " +
			"ogni file che deve esserci c'è, con lo stesso SHA-256; nessuna pagina o allegato di un atto scaduto, ritirato o programmato risponde 200; " +
			"ogni file che non è una pagina ha X-Robots-Tag: noindex; nessun Cache-Control dura oltre il prossimo cambiamento dell'albo. " +
			"Esce con 1 se trova problemi. Da eseguire da cron subito dopo la mezzanotte, e per chi controlla l'albo."),
		Args: args("URL"),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := checkFormat(o.format, "text", "json"); err != nil {
				return err
			}
			if err := checkNow(o.now); err != nil {
				return err
			}
			tmp, err := os.MkdirTemp("", "albo-verifica-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			res, err := generator.Build(generator.Options{Source: o.source, Dest: filepath.Join(tmp, "public"), Now: o.now, Clock: clock()})
			if res == nil {
				return err
			}
			rep, err := verify.Run(cmd.Context(), a[0], res.Dest, res.Plan, verify.Options{Parallel: o.parallel, PerSecond: o.perSecond, Timeout: o.timeout})
			if err != nil {
				return err
			}
			if err := writeReport(cmd.OutOrStdout(), o.format, rep, rep.Text); err != nil {
				return err
			}
			if len(rep.Problemi) > 0 {
				return errReported
			}
			return nil
		},
	}
	f := cmd.Flags()
	sourceFlag(f, &o.source)
	nowFlag(f, &o.now, msg.T("verifica l'albo"))
	formatFlag(f, &o.format, "text", "json")
	f.IntVar(&o.parallel, "parallele", 4, msg.T("quante `richieste` al più insieme"))
	f.IntVar(&o.perSecond, "al-secondo", 20, msg.T("quante `richieste` al più al secondo (0: nessun limite)"))
	f.DurationVar(&o.timeout, "attesa", 30*time.Second, msg.T("quanto `tempo` aspettare ogni risposta"))
	return cmd
}
