package main

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newBuild(clock func() time.Time) *cobra.Command {
	var o generator.Options
	cmd := &cobra.Command{
		Use:   "build [-s CARTELLA] [-d CARTELLA] [--now DATA]",
		Short: msg.T("costruisce il sito com'è oggi (o alla data di --now) nella cartella di destinazione"),
		Long: msg.T("Costruisce il sito com'è oggi (o alla data di --now) e lo mette al posto di quello pubblicato in un colpo solo. " +
			"Un file con errori non ferma l'albo: il sito si costruisce con tutto ciò che è valido, un atto pubblicato che si è rotto resta com'era, " +
			"e albo elenca ogni problema (uscita 1 se ci sono errori). Da eseguire ogni notte dopo la mezzanotte, o lasciar fare ad albo watch."),
		Args: args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if sites := generator.Sites(o.Source); sites != nil {
				return buildMany(cmd, o, sites, clock, nil)
			}
			_, err := buildOnce(cmd, o, clock)
			return err
		},
	}
	buildFlags(cmd.Flags(), &o)
	return cmd
}

// buildFlags adds the flags of every command that builds the site.
func buildFlags(f *pflag.FlagSet, o *generator.Options) {
	sourceFlag(f, &o.Source)
	f.StringVarP(&o.Dest, "destination", "d", "public", msg.T("la `cartella` dove costruire il sito (rispetto alla cartella del sito); albo la sostituisce per intero"))
	nowFlag(f, &o.Now, msg.T("costruisce il sito"))
}

// buildHeap is the part of the heap of a build given huge pages (hugeHeap): all the heap
// the memory limit lets a build have, since the size of the site is not known yet when
// the room is made. The room is address space, not memory: a build touches only the heap
// it uses (10,000 acts: 180 MB). 100,000 acts, warm, with 512 MiB (what a cold build of
// 10,000 uses, and more) before: 5.5 s and 9.3 s of CPU, peak 1.44 GB; now 3.7-4.1 s and
// 6.3 s, peak 1.36 GB, a third of the heap no longer touched a 4 KB page at a time.
const buildHeap = memoryCeiling

// buildOnce builds the site as of --now or the clock, and prints the summary.
func buildOnce(cmd *cobra.Command, o generator.Options, clock func() time.Time) (*generator.Result, error) {
	if err := checkNow(o.Now); err != nil {
		return nil, err
	}
	o.Clock = clock()
	o.Sized = sizeMemory // a single build: the memory it needs is known once the site is read, and its memo
	hugeHeap(buildHeap)
	res, err := generator.Build(o)
	if res == nil {
		return nil, err
	}
	fmt.Fprintln(cmd.OutOrStdout(), res.Summary())
	return res, reportBuild(cmd.ErrOrStderr(), res, err)
}

// buildMany builds each site of a folder of sites (-s FOLDER, whose subfolders are sites:
// the comuni of an Unione, of a province, of a provider), as many at once as the machine
// has cores, each into its own -d (relative to it), then does after with it, if given (albo
// deploy: its copy on line); one failing does not stop the others. It prints one summary
// line per site, as the sites come, and each site's problems; exit status 1 when any site
// had errors.
func buildMany(cmd *cobra.Command, o generator.Options, sites []string, clock func() time.Time,
	after func(site string, res *generator.Result) (string, error)) error {
	if err := checkNow(o.Now); err != nil {
		return err
	}
	if filepath.IsAbs(o.Dest) {
		return usage("-d %s: con una cartella di siti, -d è la cartella di destinazione dentro ciascun sito (per esempio public)", o.Dest)
	}
	o.Clock = clock()
	hugeHeap(buildHeap)
	type outcome struct {
		line, problems string
		failed         bool
	}
	outcomes := make([]outcome, len(sites))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range max(1, runtime.NumCPU()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				so := o
				so.Source = sites[i]
				res, err := generator.Build(so)
				var b strings.Builder
				oc := outcome{}
				switch {
				case res == nil:
					oc.line, oc.failed = msg.T("%s: non costruito: %v", sites[i], err), true
				default:
					oc.line = sites[i] + ": " + strings.ReplaceAll(res.Summary(), "\n", "; ")
					oc.failed = reportBuild(&b, res, err) != nil
					if after != nil {
						line, err := after(sites[i], res)
						if err != nil {
							line, oc.failed = msg.T("non pubblicato: %s", msg.Err(err)), true
						}
						oc.line += "; " + line
					}
					oc.problems = b.String()
				}
				mu.Lock()
				outcomes[i] = oc
				fmt.Fprintln(cmd.OutOrStdout(), oc.line)
				mu.Unlock()
			}
		}()
	}
	for i := range sites {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	failed := 0
	for _, oc := range outcomes {
		fmt.Fprint(cmd.ErrOrStderr(), oc.problems)
		if oc.failed {
			failed++
		}
	}
	fmt.Fprintln(cmd.OutOrStdout(), msg.T("albo: %s, %s con errori", msg.N(len(sites), "%d sito", "%d siti"), fmt.Sprint(failed)))
	if failed > 0 {
		return errReported
	}
	return nil
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
	case errs > 0 && warns > 0:
		fmt.Fprintln(w, msg.T("albo: %s e %s; il sito è aggiornato con gli atti validi, gli altri atti pubblicati restano com'erano nell'ultima costruzione riuscita",
			msg.N(errs, "%d errore", "%d errori"), msg.N(warns, "%d avviso", "%d avvisi")))
		return errReported
	case errs > 0:
		fmt.Fprintln(w, msg.T("albo: %s; il sito è aggiornato con gli atti validi, gli altri atti pubblicati restano com'erano nell'ultima costruzione riuscita",
			msg.N(errs, "%d errore", "%d errori")))
		return errReported
	case warns > 0:
		fmt.Fprintln(w, msg.T("albo: %s; il sito è aggiornato", msg.N(warns, "%d avviso", "%d avvisi")))
	}
	if err != nil {
		fmt.Fprintln(w, msg.T("albo: %v", err))
		return errReported
	}
	return nil
}
