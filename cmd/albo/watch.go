package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/deploy"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/serve"
	"github.com/borgoesempio/albo/generator/watch"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// watchFlags are the flags of watch and serve.
type watchFlags struct {
	o    generator.Options
	poll bool
}

func (f *watchFlags) add(fs *pflag.FlagSet) {
	buildFlags(fs, &f.o)
	fs.BoolVar(&f.poll, "poll", false, msg.T("controlla le modifiche ogni secondo invece di aspettare gli eventi del sistema (per le cartelle di rete)"))
}

// keepBuilt builds the site, then rebuilds it after every change and at every boundary,
// until SIGINT or SIGTERM. ready is told of the first build, with the clock of the
// session (running from --now); built and failed are told of each build.
func keepBuilt(cmd *cobra.Command, f watchFlags, clock func() time.Time, ready func(res *generator.Result, now func() time.Time) error,
	built func(*generator.Result), failed func(error)) error {
	if err := checkNow(f.o.Now); err != nil {
		return err
	}
	cfg, _, err := generator.Config(f.o.Source, f.o.Dest) // the site's, or the last good one
	if cfg == nil {
		return err
	}
	start, err := generator.Now(cfg, f.o.Now, clock())
	if err != nil {
		return err
	}
	start = start.In(cfg.Location)
	out := cmd.OutOrStdout()
	logf := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }
	w, err := watch.New(f.o.Source, watch.Options{Poll: f.poll, Logf: logf})
	if err != nil {
		return err
	}
	defer w.Close()
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	wclock := watch.RealClock(start)
	session := generator.NewSession(f.o)
	defer session.Wait()
	first := true
	var firstErr error
	build := func(now time.Time, b watch.Batch) (*watch.Outcome, error) {
		res, err := session.Build(now, b.Paths, b.Rescan)
		if res == nil {
			if first {
				firstErr = err
			}
			return nil, err
		}
		if first {
			first = false
			if rerr := ready(res, wclock.Now); rerr != nil {
				firstErr = rerr
			}
		}
		atti, matr, _, _ := res.Count()
		return &watch.Outcome{Published: atti + matr, Next: res.Plan.Next, Errors: len(res.Errors())}, res.Problems.Err()
	}
	logf("%s", msg.T("albo: %s in %s", w, f.o.Source))
	watch.Loop(ctx, w.C, wclock, build, func(e watch.Event) {
		fmt.Fprintln(out, e.Line())
		if e.Outcome == nil {
			failed(e.Err)
		} else if res := session.Last(); res != nil {
			built(res)
		}
		if firstErr != nil {
			stop() // the first build failed: nothing to keep built
		}
	})
	return firstErr
}

func newWatch(clock func() time.Time) *cobra.Command {
	var (
		f      watchFlags
		d      deployFlags
		online string
	)
	cmd := &cobra.Command{
		Use:   "watch [--now DATA] [--poll] [--deploy s3://BUCKET/PREFISSO]",
		Short: msg.T("costruisce il sito, poi di nuovo a ogni modifica e a ogni mezzanotte in cui un atto comincia o finisce"),
		Long: msg.T("Costruisce il sito, poi di nuovo dopo ogni modifica a content/ o al tema, e a ogni mezzanotte in cui un atto comincia o finisce, " +
			"anche se nessuno tocca nulla: per un sito servito da nginx o da un altro server web. Scrive una riga per ogni costruzione; Ctrl+C per terminare. " +
			"--now fissa l'istante da cui parte l'orologio, che poi va avanti in tempo reale. " +
			"Con --deploy, ogni costruzione, anche quella di mezzanotte, è pubblicata nell'archivio di oggetti come da albo deploy; " +
			"una pubblicazione non riuscita si riprova, aspettando sempre di più (fino a 5 minuti), finché riesce o arriva una costruzione più nuova."),
		Args: args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			built := func(*generator.Result) {}
			if online != "" {
				target, err := deploy.ParseTarget(online)
				if err != nil {
					return usage("--deploy: %s", err)
				}
				store, err := deploy.NewS3(cmd.Context(), d.endpoint)
				if err != nil {
					return err
				}
				ctx, cancel := context.WithCancel(cmd.Context())
				out := &lockedWriter{w: cmd.OutOrStdout()} // the deploys write their lines beside the builds'
				cmd.SetOut(out)
				dep := startDeployer(ctx, store, target, deploy.Options{Parallel: d.parallel}, func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }, time.Second)
				defer func() { cancel(); <-dep.done }()
				built = dep.deploy
			}
			return keepBuilt(cmd, f, clock, func(*generator.Result, func() time.Time) error { return nil }, built, func(error) {})
		},
	}
	f.add(cmd.Flags())
	cmd.Flags().StringVar(&online, "deploy", "", msg.T("pubblica ogni costruzione nell'archivio di oggetti a questo `indirizzo` (s3://BUCKET/PREFISSO), come albo deploy"))
	d.add(cmd.Flags())
	return cmd
}

func newServe(clock func() time.Time) *cobra.Command {
	var (
		f    watchFlags
		addr string
	)
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:1313] [--now DATA] [--poll]",
		Short: msg.T("costruisce il sito e lo mostra nel browser, ricostruendolo a ogni modifica e ricaricando le pagine"),
		Long: msg.T("Come albo watch, e in più serve il sito su http://127.0.0.1:1313/: le pagine si ricaricano da sole dopo ogni costruzione " +
			"e mostrano i problemi trovati. Per vedere il lavoro prima di pubblicarlo; Ctrl+C per terminare."),
		Args: args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var srv *serve.Server
			var httpSrv *http.Server
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usage("--addr %s: %v", addr, err)
			}
			defer ln.Close()
			serveErr := make(chan error, 1)
			ready := func(res *generator.Result, now func() time.Time) error {
				base := res.Plan.Config.BasePath()
				srv = serve.New(res.Dest, res.Plan.Config.URL.Path, true, now)
				httpSrv = &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
					WriteTimeout: 2 * time.Minute, IdleTimeout: time.Minute}
				go func() { serveErr <- httpSrv.Serve(ln) }()
				fmt.Fprintln(cmd.OutOrStdout(), msg.T("albo: l'albo è su http://%s%s (Ctrl+C per terminare)", ln.Addr(), base))
				return nil
			}
			err = keepBuilt(cmd, f, clock, ready,
				func(res *generator.Result) {
					problems := ""
					if err := res.Problems.Err(); err != nil {
						problems = err.Error()
					}
					srv.Built(res.Plan, problems)
				},
				func(err error) {
					if srv != nil {
						srv.Failed(err)
					}
				})
			if httpSrv != nil {
				shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				httpSrv.Shutdown(shutdown)
				if serr := <-serveErr; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
					err = serr
				}
			}
			return err
		},
	}
	f.add(cmd.Flags())
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:1313", msg.T("l'`indirizzo` su cui ascoltare; quello predefinito si raggiunge solo da questo computer"))
	return cmd
}

// lockedWriter lets two goroutines write whole lines to one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
