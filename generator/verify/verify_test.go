package verify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/serve"
	"github.com/borgoesempio/albo/generator/verify"
)

func build(t *testing.T, now string) *generator.Result {
	t.Helper()
	res, err := generator.Build(generator.Options{Source: filepath.Join("..", ".."), Dest: filepath.Join(t.TempDir(), "public"), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func problems(rep *verify.Report) string {
	var b strings.Builder
	for _, p := range rep.Problemi {
		b.WriteString(p.URL + ": " + p.Problem + "\n")
	}
	return b.String()
}

// TestVerify audits the sample albo deployed three ways: as albo serve serves it (no
// problem); a deployment left as it was on 5 November (expired acts still answering,
// files changed and missing); and a plain file server that sends no X-Robots-Tag and lets
// everything be cached for a year.
func TestVerify(t *testing.T) {
	now := build(t, "2026-11-23")
	good := httptest.NewServer(serve.Handler(now.Dest, "/"))
	defer good.Close()
	rep, err := verify.Run(context.Background(), good.URL, now.Dest, now.Plan, verify.Options{Parallel: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problemi) != 0 || rep.Richieste < 100 {
		t.Fatalf("the albo as albo serve serves it: %d requests, problems:\n%s", rep.Richieste, problems(rep))
	}

	live := serve.New(now.Dest, "/", true, time.Now)
	live.Built(now.Plan, "")
	preview := httptest.NewServer(live.Handler())
	defer preview.Close()
	if rep, err := verify.Run(context.Background(), preview.URL, now.Dest, now.Plan, verify.Options{Parallel: 4}); err != nil || len(rep.Problemi) != 0 {
		t.Fatalf("albo serve with live reload: %v\n%s", err, problems(rep))
	}

	stale := build(t, "2026-11-05") // 9/2026 and 10/2026 were in publication, and expired since
	old := httptest.NewServer(serve.Handler(stale.Dest, "/"))
	defer old.Close()
	rep, err = verify.Run(context.Background(), old.URL, now.Dest, now.Plan, verify.Options{Parallel: 4, PerSecond: 500})
	if err != nil {
		t.Fatal(err)
	}
	all := problems(rep)
	for _, want := range []string{
		"risponde 200, ma l'atto non è in pubblicazione",
		"risponde 404 invece di 200: il file manca sul sito",
		"il contenuto è diverso da quello dell'albo costruito per ora",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("a deployment of 05/11 audited on 23/11: no %q in\n%s", want, all)
		}
	}

	// The attachments of an act no longer in publication must not answer either: the
	// marriage banns 7/2026 were published with a signed file and its readable copy.
	banns := build(t, "2026-10-25")
	older := httptest.NewServer(serve.Handler(banns.Dest, "/"))
	defer older.Close()
	rep, err = verify.Run(context.Background(), older.URL, now.Dest, now.Plan, verify.Options{Parallel: 4})
	if err != nil {
		t.Fatal(err)
	}
	all = problems(rep)
	for _, file := range []string{"pubblicazione.pdf.p7m", "pubblicazione.pdf"} {
		if want := "/matrimoni/2026/7/" + file + ": risponde 200, ma l'atto non è in pubblicazione"; !strings.Contains(all, want) {
			t.Errorf("a deployment of 25/10 audited on 23/11: no %q in\n%s", want, all)
		}
	}

	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=31536000")
		if strings.HasSuffix(r.URL.Path, ".pdf") { // as object storage says it: no max-age, a date
			w.Header().Set("Cache-Control", "public")
			w.Header().Set("Expires", "Fri, 31 Dec 2027 23:00:00 GMT")
		}
		http.FileServer(http.Dir(now.Dest)).ServeHTTP(w, r)
	}))
	defer plain.Close()
	rep, err = verify.Run(context.Background(), plain.URL, now.Dest, now.Plan, verify.Options{Parallel: 4})
	if err != nil {
		t.Fatal(err)
	}
	all = problems(rep)
	for _, want := range []string{
		"/atti/2026/15/ordinanza-64-2026.pdf: manca X-Robots-Tag: noindex, noarchive",
		"/atti/2026/15/ordinanza-64-2026.pdf: Cache-Control o Expires lo lasciano tenere fino al 01/01/2028 00:00",
		"/: Cache-Control o Expires lo lasciano tenere",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("a plain file server: no %q in\n%s", want, all)
		}
	}
}
