package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/check"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/spf13/cobra"
)

// errReported ends a command whose problems it has already printed: exit status 1.
var errReported = errors.New("problems reported")

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

// formatFlag checks a --format value against the ones a command offers.
func formatFlag(f string, allowed ...string) error {
	for _, a := range allowed {
		if f == a {
			return nil
		}
	}
	return usageError{fmt.Errorf("--format %q: use one of %v", f, allowed)}
}

func newCheck(clock func() time.Time) *cobra.Command {
	var (
		source, now, format string
		strict              bool
	)
	cmd := &cobra.Command{
		Use:   "check [--now T] [--strict] [--format text|json]",
		Short: "Check the whole site and print every problem, with file, line and what to do",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := formatFlag(format, "text", "json"); err != nil {
				return err
			}
			cfg, t, err := siteNow(source, now, clock)
			if err != nil {
				return err
			}
			probs, err := check.Run(source, t)
			if err != nil {
				return err
			}
			rep := check.NewReport(probs, schedule.Today(cfg, t).String())
			out := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				for _, p := range probs {
					fmt.Fprintln(out, p.Error())
				}
				fmt.Fprintf(out, "albo check: %d errors, %d warnings\n", rep.Errori, rep.Avvisi)
			}
			if rep.Errori > 0 || (strict && rep.Avvisi > 0) {
				return errReported
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "site folder")
	f.StringVar(&now, "now", "", "check as of this date or time")
	f.StringVar(&format, "format", "text", "text or json")
	f.BoolVar(&strict, "strict", false, "warnings count as errors (exit status 1)")
	return cmd
}
