// Package verify audits a deployed albo over HTTP against the site built for the same
// instant and the register (albo verifica): every file that should be on line is, with
// the same SHA-256; no page or attachment of an act that is not in publication (expired,
// withdrawn, scheduled) answers 200; every response says noindex; no Cache-Control lets a
// response be kept past the next change of the albo. It is meant for a cron right after
// midnight, and for auditors; its requests are bounded in number at once and per second.
package verify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/render"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/serve"
)

// Options bound the audit's requests.
type Options struct {
	Parallel  int           // requests at once (at least 1)
	PerSecond int           // requests a second (0: no limit)
	Timeout   time.Duration // of each request
	Client    *http.Client  // nil: a client with Timeout
}

// Finding is one thing wrong with the deployed site.
type Finding struct {
	URL     string `json:"url"`
	Problem string `json:"problema"`
}

// Report is what an audit found. Its JSON field names are a stable format.
type Report struct {
	Versione  int       `json:"versione"` // 1
	Sito      string    `json:"sito"`
	Istante   string    `json:"istante"` // RFC 3339: the instant the site was built for
	Richieste int       `json:"richieste"`
	Problemi  []Finding `json:"problemi"`
}

// Run audits the site deployed at base (its published URL) against the site built for
// plan in built (the output folder of a build at the same instant).
func Run(ctx context.Context, base string, built string, plan *schedule.Plan, o Options) (*Report, error) {
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	if _, err := url.Parse(base); err != nil {
		return nil, err
	}
	client := o.Client
	if client == nil {
		client = &http.Client{Timeout: o.Timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	want := map[string]string{} // path → SHA-256 of the file that should be on line
	err := render.OnLine(built, func(rel, file string) error {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		want[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		return nil, err
	}
	// What must not answer: every page and attachment of an act not in publication. The
	// pages an expired act keeps (the archive lists metadata) are not its own.
	var gone []string
	for _, e := range plan.Entries {
		if e.Draft() || e.State == schedule.InPubblicazione {
			continue
		}
		gone = append(gone, render.ActPage(e))
		for _, name := range render.AttachmentNames(e) {
			gone = append(gone, render.AttachmentPath(e, name))
		}
	}
	reloadBase := plan.Config.BasePath()
	rep := &Report{Versione: 1, Sito: base, Istante: plan.Now.Format(time.RFC3339), Problemi: []Finding{}}
	var mu sync.Mutex
	add := func(u, format string, args ...any) {
		mu.Lock()
		rep.Problemi = append(rep.Problemi, Finding{URL: u, Problem: msg.T(format, args...)})
		mu.Unlock()
	}
	ends := render.Ends(plan)
	limit := func(rel string) time.Time { // how long a response may be kept
		if end := render.KeptUntil(ends, rel); !end.IsZero() {
			return end
		}
		return plan.Next // zero when nothing is due to change
	}
	type job struct {
		rel  string
		sum  string
		gone bool
	}
	var jobs []job
	paths := make([]string, 0, len(want))
	for rel := range want {
		paths = append(paths, rel)
	}
	sort.Strings(paths)
	for _, rel := range paths {
		jobs = append(jobs, job{rel: rel, sum: want[rel]})
	}
	for _, rel := range gone {
		jobs = append(jobs, job{rel: rel, gone: true})
	}
	parallel := max(1, o.Parallel)
	var tick <-chan time.Time
	if o.PerSecond > 0 {
		t := time.NewTicker(time.Second / time.Duration(o.PerSecond))
		defer t.Stop()
		tick = t.C
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, j := range jobs {
		if tick != nil {
			select {
			case <-tick:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		sem <- struct{}{}
		wg.Add(1)
		rep.Richieste++
		go func() {
			defer func() { <-sem; wg.Done() }()
			u := base + escape(j.rel)
			if j.rel == "index.html" || strings.HasSuffix(j.rel, "/index.html") { // a folder's page is asked for by the folder
				u = base + escape(strings.TrimSuffix(j.rel, "index.html"))
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				add(u, "indirizzo non valido")
				return
			}
			resp, err := client.Do(req)
			if err != nil {
				add(u, "non risponde: %s", unreachable(err))
				return
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<30))
			if strings.HasSuffix(j.rel, ".html") { // albo serve's live reload, if that is what serves it
				body = bytes.Replace(body, serve.ReloadTag(reloadBase), nil, 1)
			}
			h := sha256.Sum256(body)
			switch {
			case j.gone && resp.StatusCode == http.StatusOK:
				add(u, "risponde 200, ma l'atto non è in pubblicazione: va tolto dal sito")
				return
			case j.gone:
				return
			case resp.StatusCode != http.StatusOK:
				add(u, "risponde %d invece di 200: il file manca sul sito", resp.StatusCode)
				return
			case err != nil:
				add(u, "la risposta si interrompe: %s", unreachable(err))
				return
			case hex.EncodeToString(h[:]) != j.sum:
				add(u, "il contenuto è diverso da quello dell'albo costruito per ora (SHA-256)")
			}
			if !strings.Contains(resp.Header.Get("X-Robots-Tag"), "noindex") && !strings.HasSuffix(j.rel, ".html") {
				add(u, "manca X-Robots-Tag: noindex, noarchive (un motore di ricerca lo indicizzerebbe)")
			}
			if end := limit(j.rel); !end.IsZero() {
				if until, ok := kept(resp.Header, plan.Now); ok && until.After(end) {
					add(u, "Cache-Control o Expires lo lasciano tenere fino al %s, oltre il %s", until.In(plan.Config.Location).Format("02/01/2006 15:04"), end.In(plan.Config.Location).Format("02/01/2006 15:04"))
				}
			}
		}()
	}
	wg.Wait()
	sort.Slice(rep.Problemi, func(a, b int) bool { return rep.Problemi[a].URL < rep.Problemi[b].URL })
	return rep, nil
}

// unreachable says in Italian why a request got no answer.
func unreachable(err error) string {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		return msg.T("il nome del sito non si risolve")
	case errors.Is(err, syscall.ECONNREFUSED):
		return msg.T("il server rifiuta la connessione")
	case errors.As(err, &ne) && ne.Timeout():
		return msg.T("tempo di attesa scaduto")
	}
	return msg.T("connessione non riuscita")
}

// escape writes a site path as an address, each segment percent-encoded.
func escape(rel string) string {
	segs := strings.Split(rel, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

var maxAgeRE = regexp.MustCompile(`(?:^|[,\s])(?:s-maxage|max-age)=(\d+)`)

// maxAge is how long a Cache-Control lets a response be kept; ok is false when it says
// nothing of it (or forbids keeping).
func maxAge(cc string) (time.Duration, bool) {
	cc = strings.ToLower(cc)
	if strings.Contains(cc, "no-store") || strings.Contains(cc, "no-cache") {
		return 0, false
	}
	var longest time.Duration
	ok := false
	for _, m := range maxAgeRE.FindAllStringSubmatch(cc, -1) {
		// RFC 9111 §1.2.2: a number of seconds too large to hold is 2^31.
		n, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || n > 1<<31 {
			n = 1 << 31
		}
		ok = true
		longest = max(longest, time.Duration(n)*time.Second)
	}
	return longest, ok
}

// kept is until when a response received at now may be kept: by its Cache-Control's
// max-age, or else by its Expires (what object storage can set); ok is false when it may
// not be kept or says nothing of it.
func kept(h http.Header, now time.Time) (time.Time, bool) {
	cc := h.Get("Cache-Control")
	if keep, ok := maxAge(cc); ok {
		return now.Add(keep), true
	}
	if strings.Contains(strings.ToLower(cc), "no-") {
		return time.Time{}, false
	}
	if t, err := http.ParseTime(h.Get("Expires")); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// Text writes the report for a terminal.
func (r *Report) Text(w io.Writer) {
	for _, f := range r.Problemi {
		fmt.Fprintf(w, "%s: %s\n", f.URL, f.Problem)
	}
	fmt.Fprintln(w, msg.T("albo verifica %s: %s, %s", r.Sito, msg.N(r.Richieste, "%d richiesta", "%d richieste"), msg.N(len(r.Problemi), "%d problema", "%d problemi")))
}
