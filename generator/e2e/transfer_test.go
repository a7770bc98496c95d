package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// benchCorpus returns the 10,000-act albo of shared/bench/gen.py, generating it once in
// the temporary folder, or skips when the generator is not beside the repository.
func benchCorpus(b *testing.B) string {
	b.Helper()
	gen, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "bench", "gen.py"))
	if _, err := os.Stat(gen); err != nil {
		b.Skip("shared/bench/gen.py not found")
	}
	dir := filepath.Join(os.TempDir(), "albo-bench-10000")
	if _, err := os.Stat(filepath.Join(dir, "albo", "content", "albo.yaml")); err != nil {
		if out, err := exec.Command("python3", gen, "10000", dir).CombinedOutput(); err != nil {
			b.Fatalf("gen.py: %v\n%s", err, out)
		}
	}
	return filepath.Join(dir, "albo")
}

// BenchmarkSearchTransfer reports what the browser fetches for one query on the
// 10,000-act corpus, in a new profile: bytes as transferred and requests. SPEC §8 allows
// 50 KB "in all (script, index parts, results)" for a one-word query: everything the page
// fetches counts but its look, which every page of the site shares and which is reported
// apart (the stylesheet, the Titillium Web fonts and the icon: B-pagina).
func BenchmarkSearchTransfer(b *testing.B) {
	url := site(b, benchCorpus(b), "2026-11-23")
	queries := []string{"manutenzione", "scuola", "viabilità", "contributi", "fognatura", "cimitero", "2026/123", "123/2026"}
	var worst float64
	for b.Loop() {
		for _, q := range queries {
			ctx := browser(b, 1280, 900) // a new profile: nothing in the cache
			do(b, ctx, chromedp.Navigate(url+"/cerca/?q="+q))
			waitFor(b, ctx, `document.getElementById("stato").textContent.length > 0 && document.querySelectorAll("#risultati li").length > 0`)
			m := run(b, ctx, chromedp.Evaluate[map[string]float64](`(() => {
				let bytes = 0, requests = 0, look = 0;
				for (const r of performance.getEntriesByType("resource")) {
					const path = new URL(r.name).pathname;
					if (path.endsWith(".css") || path.startsWith("/static/font/") || path.endsWith("/favicon.svg")) {
						look += r.transferSize;
						continue;
					}
					bytes += r.transferSize; requests++;
				}
				return {bytes, requests, look, results: +document.getElementById("stato").textContent.split(" ")[0] || 1};
			})()`))
			b.Logf("%-14s %6.0f bytes in %2.0f requests (%.0f results); the page's look %6.0f bytes", q, m["bytes"], m["requests"], m["results"], m["look"])
			if m["bytes"] > worst {
				worst = m["bytes"]
			}
			b.ReportMetric(m["bytes"], "B/"+sanitize(q))
			b.ReportMetric(m["requests"], "req/"+sanitize(q))
			b.ReportMetric(m["look"], "B-pagina/"+sanitize(q))
		}
	}
	b.ReportMetric(worst, "worst-B/query")
	if worst > 50<<10 {
		b.Errorf("a query transferred %.0f bytes, over the 50 KB of SPEC §8", worst)
	}
}

func sanitize(q string) string {
	out := []rune{}
	for _, r := range q {
		if r == '/' {
			r = '-'
		}
		out = append(out, r)
	}
	return fmt.Sprint(string(out))
}
