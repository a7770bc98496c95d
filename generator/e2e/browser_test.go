package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/internal/sample"
	"github.com/borgoesempio/albo/generator/serve"
	"github.com/borgoesempio/albo/themes"
	"github.com/chromedp/chromedp"
)

// chromium returns the browser to drive, or skips the test where there is none (CI
// installs Debian's chromium, and there a missing browser is a failure).
func chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{os.Getenv("ALBO_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium to run the browser tests: install Debian's chromium")
	}
	t.Skip("no Chromium installed: browser tests skipped")
	return ""
}

// themed are the built-in themes the page tests run on: "" is the default one.
var themed = []string{"", themes.BootstrapItalia}

// sampleSite returns the repository's sample albo with its theme chosen by tema.
func sampleSite(t testing.TB, tema string) string {
	t.Helper()
	site, err := sample.WithTheme(filepath.Join("..", ".."), t.TempDir(), tema)
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// shotName is the name of a page's screenshot: the default theme's, or with the theme's
// initials before it (bi-home-375.png).
func shotName(tema, page string, width int) string {
	name := fmt.Sprintf("%s-%d.png", page, width)
	if tema == themes.BootstrapItalia {
		name = "bi-" + name
	}
	return name
}

// buildSample builds the repository's sample albo on 23/11/2026 into dest.
func buildSample(t testing.TB, src, dest string) *generator.Result {
	t.Helper()
	res, err := generator.Build(generator.Options{Source: src, Dest: dest, Now: "2026-11-23"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// site builds the site at src as of now and serves it; it returns the address.
func site(t testing.TB, src, now string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	res, err := generator.Build(generator.Options{Source: src, Dest: dest, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(serve.Handler(dest, res.Plan.Config.BasePath()))
	t.Cleanup(srv.Close)
	return srv.URL
}

// browser starts a headless Chromium as this machine allows it (no sandbox as root, no
// background networking: the machine has no network) and returns its context.
func browser(t testing.TB, width, height int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(width, height),
	)
	// On a machine busy with the other packages' tests Chromium sometimes gives up before it
	// is listening: it is started again, up to three times, each in a fresh profile.
	var err error
	for range 3 {
		actx, cancel := chromedp.NewExecAllocator(context.Background(), append(opts, chromedp.UserDataDir(t.TempDir()))...)
		ctx, cancel2 := chromedp.NewContext(actx)
		if err = chromedp.Do(ctx); err == nil {
			t.Cleanup(cancel)
			t.Cleanup(cancel2)
			return ctx
		}
		cancel2()
		cancel()
	}
	t.Fatalf("starting Chromium: %v", err)
	return nil
}

// run runs a step that gives a value, with a time limit, failing the test on error.
func run[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// do runs steps that give no value, with a time limit, failing the test on error.
func do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls the page until the JavaScript expression is true.
func waitFor(t testing.TB, ctx context.Context, expr string) {
	t.Helper()
	run(t, ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(10*time.Second)))
}
