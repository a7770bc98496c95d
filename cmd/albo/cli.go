package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// version is set at release time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// Exit statuses (SPEC §6).
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

// usageError marks an error in how albo was called, as opposed to one in the content.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// run executes albo with args and returns the exit status. Errors are printed here only.
func run(args []string, stdout, stderr io.Writer) int {
	clock, err := envClock(os.Getenv("ALBO_NOW"))
	if err != nil {
		fmt.Fprintf(stderr, "albo: %v\n", err)
		return exitUsage
	}
	return execute(context.Background(), args, stdout, stderr, clock)
}

// execute runs albo with args until it is done or ctx ends (albo watch and serve), with
// clock as the only source of the current time, and returns the exit status.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer, clock func() time.Time) int {
	root := newRoot(stdout, stderr, clock)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errReported) {
		return exitContent
	}
	var ue usageError
	if errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command") || strings.HasPrefix(err.Error(), "unknown flag") ||
		strings.HasPrefix(err.Error(), "required flag") {
		fmt.Fprintf(stderr, "albo: %v\nRun 'albo --help' for usage.\n", err)
		return exitUsage
	}
	if probs := diag.Problems(err); len(probs) > 0 {
		fmt.Fprintln(stderr, probs.Error())
		if len(probs) > 1 {
			fmt.Fprintf(stderr, "albo: %d problems; nothing was published\n", len(probs))
		} else {
			fmt.Fprintln(stderr, "albo: nothing was published")
		}
		return exitContent
	}
	fmt.Fprintf(stderr, "albo: %v\n", err)
	return exitContent
}

// envClock is the source of the current time: the system clock, or the instant in
// ALBO_NOW (RFC 3339, or a date taken as 00:00 in Europe/Rome) for commands that have no
// --now flag, such as referto and registro: to reproduce a past day, and for tests.
func envClock(v string) (func() time.Time, error) {
	if v == "" {
		return time.Now, nil
	}
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		return nil, err
	}
	t, err := civil.ParseNow(v, rome)
	if err != nil {
		return nil, fmt.Errorf("ALBO_NOW: %w", err)
	}
	return func() time.Time { return t }, nil
}

// newRoot builds the command tree. clock is the only source of the current time.
func newRoot(stdout, stderr io.Writer, clock func() time.Time) *cobra.Command {
	root := &cobra.Command{
		Use:           "albo",
		Short:         "albo builds the albo pretorio online of a comune from Markdown acts",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newBuild(clock), newServe(clock), newWatch(clock), newNew(clock), newPubblica(clock), newAnnulla(clock),
		newProroga(clock), newInterruzione(clock), newCheck(clock), newList(clock), newRegistro(clock), newReferto(clock), newInit(clock), newVersion())
	return root
}

// args returns a cobra argument check whose failure is a usage error.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return usageError{err}
		}
		return nil
	}
}

func newBuild(clock func() time.Time) *cobra.Command {
	var o generator.Options
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the site for today (or --now) into the destination folder",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := buildOnce(cmd, o, clock)
			return err
		},
	}
	f := cmd.Flags()
	buildFlags(f, &o)
	return cmd
}

// buildOnce builds the site as of --now or the clock, and prints the summary.
func buildOnce(cmd *cobra.Command, o generator.Options, clock func() time.Time) (*generator.Result, error) {
	if err := checkNow(o.Now); err != nil {
		return nil, err
	}
	o.Clock = clock()
	res, err := generator.Build(o)
	if res == nil {
		return nil, err
	}
	fmt.Fprintln(cmd.OutOrStdout(), res.Summary())
	return res, reportBuild(cmd.ErrOrStderr(), res, err)
}

// reportBuild prints the problems of a build that swapped a site in, and says whether it
// ends with exit status 1 (errReported): when there were errors, or the build could not
// bring up to date what it keeps beside the site (err without errors).
func reportBuild(w io.Writer, res *generator.Result, err error) error {
	for _, p := range res.Problems {
		fmt.Fprintln(w, p.Error())
	}
	errs, warns := len(res.Errors()), res.Warnings()
	switch {
	case errs > 0:
		count := plural(errs, "errore", "errori")
		if warns > 0 {
			count += " e " + plural(warns, "avviso", "avvisi")
		}
		fmt.Fprintf(w, "albo: %s; il sito è aggiornato con gli atti validi, gli altri atti pubblicati restano com'erano nell'ultima costruzione riuscita\n", count)
		return errReported
	case warns > 0:
		fmt.Fprintf(w, "albo: %s; il sito è aggiornato\n", plural(warns, "avviso", "avvisi"))
	}
	if err != nil {
		fmt.Fprintf(w, "albo: %v\n", err)
		return errReported
	}
	return nil
}

// plural writes a count with its noun: 1 errore, 2 errori, 0 avvisi.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// buildFlags adds the flags of every command that builds the site.
func buildFlags(f *pflag.FlagSet, o *generator.Options) {
	f.StringVarP(&o.Source, "source", "s", ".", "site folder (with content/albo.yaml)")
	f.StringVarP(&o.Dest, "destination", "d", "public", "output folder, relative to the site folder")
	f.StringVar(&o.Now, "now", "", "build as of this date (2026-11-23) or time (RFC 3339)")
}

// checkNow refuses a malformed --now before any work: it is bad usage, not bad content.
func checkNow(s string) error {
	if s == "" {
		return nil
	}
	if _, err := civil.ParseNow(s, time.UTC); err != nil {
		return usageError{err}
	}
	return nil
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of albo",
		Args:  args(cobra.NoArgs),
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "albo", version)
		},
	}
}
