package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/report"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// plan reads the site and decides the states of the acts it can read at --now (or the
// clock), for a report. The problems of the files it leaves out are printed on the
// command's standard error; left is errReported when some of them are errors, for the
// command to end with exit status 1 after writing the report.
func plan(cmd *cobra.Command, source, now string, clock func() time.Time) (p *schedule.Plan, left error, err error) {
	if err := checkNow(now); err != nil {
		return nil, nil, err
	}
	site, probs, err := generator.Readable(source)
	if err != nil {
		return nil, nil, err
	}
	t, err := generator.Now(site.Config, now, clock())
	if err != nil {
		return nil, nil, err
	}
	if len(probs) > 0 {
		w := cmd.ErrOrStderr()
		for _, p := range probs {
			fmt.Fprintln(w, p.Error())
		}
		for _, p := range probs {
			if p.IsError() {
				fmt.Fprintln(w, msg.T("albo: gli atti dei file con errori non sono in questo elenco: correggili e ripeti il comando"))
				left = errReported
				break
			}
		}
	}
	return schedule.Schedule(site, t), left, nil
}

// terminal reports whether w is a terminal: a PDF is not written there.
func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// writeOut writes data to the file named by -o, or to standard output; a PDF (binary)
// is refused on a terminal.
func writeOut(cmd *cobra.Command, file string, binary bool, write func(io.Writer) error) error {
	if file == "" || file == "-" {
		if binary && terminal(cmd.OutOrStdout()) {
			return usage("un PDF non si scrive sullo schermo: indica il file con -o, per esempio -o registro-2026.pdf")
		}
		return write(cmd.OutOrStdout())
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// listOptions are the options of albo list.
type listOptions struct {
	source, now, stato, tipo, format string
}

func newList(clock func() time.Time) *cobra.Command {
	var o listOptions
	cmd := &cobra.Command{
		Use:   "list [--now DATA] [--stato STATO] [--tipo TIPO] [--format text|json|csv]",
		Short: msg.T("elenca gli atti con il loro stato e le date calcolate"),
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(o.format, "text", "json", "csv"); err != nil {
				return err
			}
			p, left, err := plan(cmd, o.source, o.now, clock)
			if err != nil {
				return err
			}
			rows, err := report.List(p, o.stato, o.tipo)
			if err != nil {
				return usageError{err}
			}
			switch o.format {
			case "json":
				err = report.WriteJSON(cmd.OutOrStdout(), rows)
			case "csv":
				err = report.WriteCSV(cmd.OutOrStdout(), rows)
			default:
				err = report.WriteText(cmd.OutOrStdout(), rows)
			}
			return cmp.Or(err, left)
		},
	}
	f := cmd.Flags()
	sourceFlag(f, &o.source)
	nowFlag(f, &o.now, msg.T("calcola gli stati"))
	f.StringVar(&o.stato, "stato", "", msg.T("solo gli atti in questo `stato`: bozza, programmato, in-pubblicazione, scaduto, annullato, ritirato"))
	f.StringVar(&o.tipo, "tipo", "", msg.T("solo gli atti di questo `tipo`"))
	formatFlag(f, &o.format, "text", "json", "csv")
	return cmd
}

// registroOptions are the options of albo registro.
type registroOptions struct {
	source, format, out string
}

func newRegistro(clock func() time.Time) *cobra.Command {
	var o registroOptions
	cmd := &cobra.Command{
		Use:     "registro ANNO [--format csv|json|pdf] [-o FILE]",
		Short:   msg.T("il registro delle pubblicazioni di un anno"),
		Example: "  albo registro 2026 --format pdf -o registro-2026.pdf",
		Args:    args("ANNO"),
		RunE: func(cmd *cobra.Command, a []string) error {
			anno, err := strconv.Atoi(a[0])
			if err != nil || anno < 1900 || anno > 9999 {
				return usage("%q non è un anno", a[0])
			}
			if err := checkFormat(o.format, "csv", "json", "pdf"); err != nil {
				return err
			}
			p, left, err := plan(cmd, o.source, "", clock)
			if err != nil {
				return err
			}
			rows := report.Year(p, anno)
			return cmp.Or(writeOut(cmd, o.out, o.format == "pdf", func(w io.Writer) error {
				switch o.format {
				case "json":
					return report.WriteJSON(w, rows)
				case "pdf":
					b, err := report.RegisterPDF(p, anno, rows)
					if err == nil {
						_, err = w.Write(b)
					}
					return err
				}
				return report.WriteCSV(w, rows)
			}), left)
		},
	}
	f := cmd.Flags()
	sourceFlag(f, &o.source)
	formatFlag(f, &o.format, "csv", "json", "pdf")
	f.StringVarP(&o.out, "output", "o", "", msg.T("scrive nel `file` indicato invece che sull'uscita standard"))
	return cmd
}

func newReferto(clock func() time.Time) *cobra.Command {
	var source, out string
	var o report.RefertoOptions
	cmd := &cobra.Command{
		Use:   "referto REGISTRO [-o FILE] [--osservazioni TESTO]",
		Short: msg.T("il referto di pubblicazione (PDF) di un atto la cui pubblicazione è finita"),
		Args:  args("REGISTRO"),
		RunE: func(cmd *cobra.Command, a []string) error {
			r, err := registro(a[0])
			if err != nil {
				return err
			}
			p, _, err := plan(cmd, source, "", clock)
			if err != nil {
				return err
			}
			b, err := report.Referto(p, r, o)
			if err != nil {
				return err
			}
			if out == "" {
				out = fmt.Sprintf("referto-%d-%d.pdf", r.Anno, r.Numero)
			}
			if err := writeOut(cmd, out, true, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
				return err
			}
			if out != "-" {
				fmt.Fprintln(cmd.OutOrStdout(), msg.T("referto di %s scritto in %s", r.Italian(), out))
			}
			return nil
		},
	}
	f := cmd.Flags()
	sourceFlag(f, &source)
	f.StringVarP(&out, "output", "o", "", msg.T("il `file` da scrivere (predefinito referto-ANNO-N.pdf; - per l'uscita standard)"))
	f.StringVar(&o.Osservazioni, "osservazioni", "", msg.T("il `testo` delle opposizioni o osservazioni pervenute durante la pubblicazione; senza, il referto attesta che non ne sono pervenute"))
	return cmd
}
