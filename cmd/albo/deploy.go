package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/deploy"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// deployFlags are the flags of albo deploy that albo watch --deploy shares.
type deployFlags struct {
	endpoint string
	parallel int
}

func (d *deployFlags) add(f *pflag.FlagSet) {
	f.StringVar(&d.endpoint, "endpoint", "", msg.T("l'`indirizzo` di un servizio compatibile S3 che non sia AWS (altrimenti AWS_ENDPOINT_URL_S3, o AWS)"))
	f.IntVar(&d.parallel, "parallele", 8, msg.T("quante `richieste` al più insieme all'archivio di oggetti"))
}

// deploySite copies the site a build made to target: the command's last step.
func deploySite(ctx context.Context, store deploy.Store, target deploy.Target, res *generator.Result, o deploy.Options) (*deploy.Report, error) {
	files, err := deploy.Files(res.Dest, res.Plan)
	if err != nil {
		return nil, err
	}
	return deploy.Run(ctx, store, target, files, o)
}

func newDeploy(clock func() time.Time) *cobra.Command {
	var (
		o      generator.Options
		d      deployFlags
		dryRun bool
	)
	cmd := &cobra.Command{
		Use:   "deploy s3://BUCKET/PREFISSO [--dry-run] [--endpoint URL] [-s CARTELLA] [--now DATA]",
		Short: msg.T("costruisce il sito e lo copia in un archivio di oggetti (S3), cancellando ciò che non è più pubblicato"),
		Long: msg.T("Costruisce il sito com'è ora (o alla data di --now), come albo build, e lo copia nell'archivio di oggetti indicato (AWS S3 o un servizio compatibile): " +
			"carica solo i file cambiati (confronta lo SHA-256 tenuto nei metadati dell'oggetto), con Content-Type e Cache-Control come albo serve, " +
			"prima gli allegati, poi le pagine che vi rimandano, e infine cancella ogni oggetto che non è più nel sito: le pagine e gli allegati degli atti scaduti spariscono. " +
			"Un sito che non si costruisce non si pubblica. Regione, credenziali e indirizzo del servizio vengono, come per ogni programma di AWS, dalle sue variabili d'ambiente " +
			"(per esempio AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_S3) e dai file ~/.aws/config e ~/.aws/credentials; --endpoint per un servizio che non è AWS. " +
			"Con -s e una cartella di siti, ogni sito va in PREFISSO/NOME-DEL-SITO/. Da eseguire ogni notte dopo la mezzanotte, o lasciar fare ad albo watch --deploy."),
		Args: args("s3://BUCKET/PREFISSO"),
		RunE: func(cmd *cobra.Command, a []string) error {
			target, err := deploy.ParseTarget(a[0])
			if err != nil {
				return usageError{err}
			}
			store, err := deploy.NewS3(cmd.Context(), d.endpoint)
			if err != nil {
				return err
			}
			opts := deploy.Options{DryRun: dryRun, Parallel: d.parallel}
			if sites := generator.Sites(o.Source); sites != nil {
				return buildMany(cmd, o, sites, clock, func(site string, res *generator.Result) (string, error) {
					rep, err := deploySite(cmd.Context(), store, target.Sub(filepath.Base(site)), res, opts)
					if err != nil {
						return "", err
					}
					return rep.Line(), nil
				})
			}
			res, berr := buildOnce(cmd, o, clock)
			if res == nil {
				return berr
			}
			rep, err := deploySite(cmd.Context(), store, target, res, opts)
			if rep != nil {
				fmt.Fprintln(cmd.OutOrStdout(), rep.Line())
			}
			if err != nil {
				return err
			}
			return berr
		},
	}
	f := cmd.Flags()
	buildFlags(f, &o)
	d.add(f)
	f.BoolVar(&dryRun, "dry-run", false, msg.T("dice che cosa caricherebbe e cancellerebbe, senza cambiare nulla"))
	return cmd
}

// deployer publishes each site albo watch builds to object storage, in the background:
// the latest build only (one that comes while a deploy runs waits for it, and replaces
// any other waiting), retried with backoff while it fails.
type deployer struct {
	latest chan *generator.Result
	done   chan struct{}
}

// startDeployer starts deploying what it is given until ctx ends; logf writes its lines.
// A failed deploy is tried again after firstWait, then after twice as long each time, up
// to 5 minutes.
func startDeployer(ctx context.Context, store deploy.Store, target deploy.Target, o deploy.Options, logf func(string, ...any), firstWait time.Duration) *deployer {
	d := &deployer{latest: make(chan *generator.Result, 1), done: make(chan struct{})}
	go func() {
		defer close(d.done)
		var res *generator.Result
		wait := firstWait
		var retry <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case res = <-d.latest:
				wait, retry = firstWait, nil
			case <-retry:
			}
			if res == nil {
				continue
			}
			rep, err := deploySite(ctx, store, target, res, o)
			switch {
			case errors.Is(err, context.Canceled):
				return
			case err != nil:
				logf("%s", msg.T("albo: pubblicazione non riuscita: %s; si riprova tra %s", msg.Err(err), wait))
				retry = time.After(wait)
				wait = min(2*wait, 5*time.Minute)
			default:
				logf("%s", rep.Line())
				res = nil
			}
		}
	}()
	return d
}

// deploy asks for res to be deployed, in place of any build still waiting. Only albo
// watch's loop calls it, so once the waiting one is taken out there is room.
func (d *deployer) deploy(res *generator.Result) {
	select {
	case <-d.latest:
	default:
	}
	d.latest <- res
}
