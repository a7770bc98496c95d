package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/borgoesempio/albo/themes"
	"github.com/chromedp/chromedp"
)

// pageTypes are the pages of the sample albo on 23/11/2026, one of each kind.
var pageTypes = []struct{ name, path, ready string }{
	{"home", "/", ""},
	{"atto", "/atti/2026/15.html", ""},           // with an attachment
	{"atto-annullato", "/atti/2026/26.html", ""}, // the ANNULLATO banner
	{"atto-deposito", "/atti/2026/28.html", ""},  // the notice of deposit of art. 21
	{"tipo", "/tipi/ordinanza/", ""},
	{"matrimoni", "/matrimoni/", ""},
	{"matrimonio", "/matrimoni/2026/24.html", ""},
	{"archivio", "/archivio/", ""},
	{"dati", "/dati/", ""},
	{"cerca", "/cerca/?q=ordinanza", `document.querySelectorAll("#risultati li").length > 0`},
	{"404", "/non-esiste/", ""},
	{"note-legali", "/note-legali/", ""},
	{"archivio-cerca", "/archivio/cerca/?q=mercato", `document.querySelectorAll("#risultati li").length > 0`},
}

// tools returns the folder of the npm packages of the browser tests (.ci/e2e), or skips.
func tools(t *testing.T, pkg string) string {
	t.Helper()
	dir, _ := filepath.Abs(filepath.Join("..", "..", ".ci", "e2e", "node_modules", pkg))
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed: run npm ci in .ci/e2e", pkg)
		}
		t.Skipf("%s not installed (npm ci in .ci/e2e): skipped", pkg)
	}
	return dir
}

// screenshots is where the suite leaves pictures of every page for people to look at.
func screenshots(t *testing.T) string {
	dir, _ := filepath.Abs(filepath.Join("..", "..", "screenshots"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestAccessibility runs axe-core with the WCAG 2.0 and 2.1 A and AA rules on every page
// type of both built-in themes at a phone's and a desktop's width, and takes a screenshot
// of each.
func TestAccessibility(t *testing.T) {
	axe, err := os.ReadFile(filepath.Join(tools(t, "axe-core"), "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	shots := screenshots(t)
	for _, tema := range themed {
		url := site(t, sampleSite(t, tema), "2026-11-23")
		for _, width := range []int{375, 1280} {
			ctx := browser(t, max(width, 800), 900)
			do(t, ctx, chromedp.EmulateViewport(int64(width), 900)) // a window cannot be narrower than 500 px
			for _, pt := range pageTypes {
				t.Run(fmt.Sprintf("%s%s-%d", tema, pt.name, width), func(t *testing.T) {
					do(t, ctx, chromedp.Navigate(url+pt.path))
					if pt.ready != "" {
						waitFor(t, ctx, pt.ready)
					}
					png := run(t, ctx, chromedp.FullScreenshot(100))
					os.WriteFile(filepath.Join(shots, shotName(tema, pt.name, width)), png, 0o644)
					run(t, ctx, chromedp.Evaluate[bool](string(axe)+"; true"))
					violations := run(t, ctx, chromedp.Evaluate[[]string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
						.then(r => r.violations.map(v => v.id + ": " + v.help + " — " + v.nodes.map(n => n.target.join(" ")).join(", ")))`, chromedp.EvalAwaitPromise))
					for _, v := range violations {
						t.Errorf("axe: %s", v)
					}
				})
			}
		}
	}
}

// TestKeyboard goes through pages with the Tab key only: every link, button and field is
// reached, in order, and shows where the focus is.
func TestKeyboard(t *testing.T) {
	for _, tema := range themed {
		keyboard(t, tema, site(t, sampleSite(t, tema), "2026-11-23"))
	}
}

func keyboard(t *testing.T, tema, url string) {
	ctx := browser(t, 1280, 900)
	for _, path := range []string{"/", "/atti/2026/15.html", "/cerca/", "/archivio/"} {
		t.Run(tema+path, func(t *testing.T) {
			do(t, ctx, chromedp.Navigate(url+path))
			if path == "/cerca/" {
				waitFor(t, ctx, `document.getElementById("tipo").options.length > 1`)
			}
			controls := `[...document.querySelectorAll("a[href], button, input, select, textarea")]
				.filter(e => !e.disabled && e.offsetParent !== null && getComputedStyle(e).visibility !== "hidden")`
			want := run(t, ctx, chromedp.Evaluate[int](controls+`.length`))
			for i := 0; i < 2*want+10; i++ { // a date field takes three stops
				do(t, ctx, chromedp.KeyEvent("\t"))
				f := run(t, ctx, chromedp.Evaluate[map[string]string](`(() => {
					const e = document.activeElement, s = getComputedStyle(e);
					e.dataset.raggiunto = "1";
					return {id: e.tagName + " " + (e.id || e.getAttribute("href") || e.textContent.trim().slice(0, 40)),
						outline: s.outlineStyle + " " + s.outlineWidth, shadow: s.boxShadow};
				})()`))
				if strings.HasPrefix(f["id"], "BODY") {
					continue
				}
				if (strings.HasPrefix(f["outline"], "none") || strings.HasSuffix(f["outline"], " 0px")) && f["shadow"] == "none" {
					t.Errorf("%s: focus not visible (outline %s, box-shadow %s)", f["id"], f["outline"], f["shadow"])
				}
			}
			missed := run(t, ctx, chromedp.Evaluate[[]string](controls+`.filter(e => !e.dataset.raggiunto).map(e => e.outerHTML.slice(0, 80))`))
			if len(missed) > 0 {
				t.Errorf("Tab never reached %d of %d controls: %q", len(missed), want, missed)
			}
		})
	}
}

// TestZoom200 shows each page type at 200% zoom on a 1280-pixel screen (640 CSS pixels):
// nothing is cut, nothing needs scrolling sideways.
func TestZoom200(t *testing.T) {
	ctx := browser(t, 1280, 900)
	do(t, ctx, chromedp.EmulateViewport(640, 900))
	for _, tema := range themed {
		url := site(t, sampleSite(t, tema), "2026-11-23")
		for _, pt := range pageTypes {
			do(t, ctx, chromedp.Navigate(url+pt.path))
			if pt.ready != "" {
				waitFor(t, ctx, pt.ready)
			}
			over := run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			if over > 0 {
				t.Errorf("%s%s at 200%%: %d pixels wider than the window", tema, pt.name, over)
			}
		}
	}
}

// TestValidHTML checks every page of the sample albo, in both built-in themes, with the Nu
// HTML Checker.
func TestValidHTML(t *testing.T) {
	jar := filepath.Join(tools(t, "vnu-jar"), "build", "dist", "vnu.jar")
	java, err := exec.LookPath("java")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("java is needed by the Nu HTML Checker")
		}
		t.Skip("no java: HTML not checked")
	}
	var pages []string
	for _, tema := range themed {
		dest := filepath.Join(t.TempDir(), "public")
		buildSample(t, sampleSite(t, tema), dest)
		filepath.Walk(dest, func(p string, info os.FileInfo, err error) error {
			if err == nil && strings.HasSuffix(p, ".html") {
				pages = append(pages, p)
			}
			return nil
		})
	}
	out, err := exec.Command(java, append([]string{"-jar", jar, "--errors-only"}, pages...)...).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("Nu HTML Checker on %d pages: %v\n%s", len(pages), err, out)
	}
	t.Logf("%d pages checked: no error", len(pages))
}

// TestPhoneMenu: on a phone, Bootstrap Italia's menu is closed behind a "Menu" button and
// opens from the keyboard with no script on the page (a details element); on a desktop the
// navbar shows and the button does not.
func TestPhoneMenu(t *testing.T) {
	url := site(t, sampleSite(t, themes.BootstrapItalia), "2026-11-23")
	ctx := browser(t, 800, 900)
	do(t, ctx, chromedp.EmulateViewport(375, 900), chromedp.Navigate(url+"/"))
	if n := run(t, ctx, chromedp.Evaluate[int](`document.scripts.length`)); n != 0 {
		t.Fatalf("the home page has %d scripts: the menu must work without", n)
	}
	shown := `[...document.querySelectorAll(".it-header-navbar-wrapper a.nav-link")].filter(a => a.checkVisibility()).map(a => a.textContent.trim())`
	if got := run(t, ctx, chromedp.Evaluate[[]string](shown)); len(got) != 0 {
		t.Errorf("the closed phone menu shows %q", got)
	}
	do(t, ctx, chromedp.Focus(".menu-telefono summary"), chromedp.KeyEvent("\r"))
	if got := run(t, ctx, chromedp.Evaluate[[]string](shown)); len(got) != 5 || got[0] != "Atti in pubblicazione" {
		t.Errorf("the opened phone menu shows %q", got)
	}
	do(t, ctx, chromedp.EmulateViewport(1280, 900))
	if got := run(t, ctx, chromedp.Evaluate[[]string](shown)); len(got) != 5 {
		t.Errorf("the desktop navbar shows %q", got)
	}
	if run(t, ctx, chromedp.Evaluate[bool](`document.querySelector(".menu-telefono summary").checkVisibility()`)) {
		t.Error("the phone menu's button shows on a desktop")
	}
}
