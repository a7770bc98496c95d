package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/publish"
	"github.com/borgoesempio/albo/generator/report"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/spf13/cobra"
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
				fmt.Fprintln(w, "albo: gli atti dei file con errori non sono in questo elenco: correggili e ripeti il comando")
				left = errReported
				break
			}
		}
	}
	return schedule.Schedule(site, t), left, nil
}

// writeOut writes data to the file named by -o, or to standard output.
func writeOut(cmd *cobra.Command, file string, write func(io.Writer) error) error {
	if file == "" || file == "-" {
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

func newList(clock func() time.Time) *cobra.Command {
	var source, now, stato, tipo, format string
	cmd := &cobra.Command{
		Use:   "list [--now T] [--stato S] [--tipo T] [--format text|json|csv]",
		Short: "List the acts with their states and computed dates",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := formatFlag(format, "text", "json", "csv"); err != nil {
				return err
			}
			p, left, err := plan(cmd, source, now, clock)
			if err != nil {
				return err
			}
			rows, err := report.List(p, stato, tipo)
			if err != nil {
				return usageError{err}
			}
			switch format {
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
	f.StringVarP(&source, "source", "s", ".", "site folder")
	f.StringVar(&now, "now", "", "states as of this date or time")
	f.StringVar(&stato, "stato", "", "only acts in this state: bozza, programmato, in-pubblicazione, scaduto, annullato")
	f.StringVar(&tipo, "tipo", "", "only acts of this type")
	f.StringVar(&format, "format", "text", "text, json or csv")
	return cmd
}

func newRegistro(clock func() time.Time) *cobra.Command {
	var source, format, out string
	cmd := &cobra.Command{
		Use:   "registro ANNO [--format csv|json|pdf] [-o FILE]",
		Short: "The register of publications of a year",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			anno, err := strconv.Atoi(a[0])
			if err != nil || anno < 1900 || anno > 9999 {
				return usageError{fmt.Errorf("%q is not a year", a[0])}
			}
			if err := formatFlag(format, "csv", "json", "pdf"); err != nil {
				return err
			}
			p, left, err := plan(cmd, source, "", clock)
			if err != nil {
				return err
			}
			rows := report.Year(p, anno)
			return cmp.Or(writeOut(cmd, out, func(w io.Writer) error {
				switch format {
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
	f.StringVarP(&source, "source", "s", ".", "site folder")
	f.StringVar(&format, "format", "csv", "csv, json or pdf")
	f.StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return cmd
}

func newReferto(clock func() time.Time) *cobra.Command {
	var source, out string
	cmd := &cobra.Command{
		Use:   "referto REGISTRO [-o FILE]",
		Short: "The PDF certificate of publication of an act whose window has closed",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			r, err := publish.ParseRegistro(a[0])
			if err != nil {
				return usageError{err}
			}
			p, _, err := plan(cmd, source, "", clock)
			if err != nil {
				return err
			}
			b, err := report.Referto(p, r)
			if err != nil {
				return err
			}
			if out == "" {
				out = fmt.Sprintf("referto-%d-%d.pdf", r.Anno, r.Numero)
			}
			if err := writeOut(cmd, out, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
				return err
			}
			if out != "-" {
				fmt.Fprintf(cmd.OutOrStdout(), "referto di %s scritto in %s\n", r, out)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "site folder")
	f.StringVarP(&out, "output", "o", "", "file to write (default referto-ANNO-N.pdf; - for standard output)")
	return cmd
}
