package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/report"
	"github.com/borgoesempio/albo/generator/schedule"
)

// TestLifecycleGolden builds testdata/ciclo, whose acts are withdrawn before their first
// day, extended by an interruption of service (one also by a proroga) and annulled from a
// date inside the window, on a day before, one inside and one after their windows, and
// compares the pages, open data, feeds, the register and the certificates with
// testdata/golden-ciclo. The withdrawn act appears in no output file at any date.
func TestLifecycleGolden(t *testing.T) {
	const src = "testdata/ciclo"
	want := map[string][]byte{}
	for _, day := range []string{"2026-11-24", "2026-12-05", "2026-12-13"} {
		out := tree(t, build(t, src, day))
		for name, b := range out {
			if bytes.Contains(bytes.ToLower(b), []byte("zqxritirato")) {
				t.Errorf("%s: %s shows the withdrawn act", day, name)
			}
			if strings.HasPrefix(name, "atti/") || name == "index.html" || strings.HasPrefix(name, "dati/atti.") || name == "dati/archivio.csv" || name == "feed.xml" {
				want[day+"/"+name] = b
			}
		}
		site, probs, err := Readable(src)
		if err != nil || len(probs) > 0 {
			t.Fatalf("%v %v", err, probs)
		}
		now, _ := civil.ParseNow(day, site.Config.Location)
		plan := schedule.Schedule(site, now)
		var b bytes.Buffer
		if err := report.WriteCSV(&b, report.Year(plan, 2026)); err != nil {
			t.Fatal(err)
		}
		want[day+"/registro-2026.csv"] = b.Bytes()
		var l bytes.Buffer
		rows, _ := report.List(plan, "", "")
		report.WriteText(&l, rows)
		want[day+"/list.txt"] = l.Bytes()
		for n := 1; n <= 4; n++ {
			r := act.Registro{Anno: 2026, Numero: n}
			if pdf, err := report.Referto(plan, r, report.RefertoOptions{}); err == nil {
				want[day+"/referto-2026-"+strings.TrimPrefix(r.String(), "2026/")+".pdf"] = pdf
			}
		}
	}
	compareGolden(t, filepath.Join("testdata", "golden-ciclo"), want)
	// What the golden files must show, said here so that an update cannot hide it.
	for _, c := range []struct{ file, text string }{
		{"2026-11-24/atti/2026/4.html", "In pubblicazione"},                         // not yet annulled
		{"2026-12-05/atti/2026/4.html", "Atto annullato il 05/12/2026"},             // annulled from its date
		{"2026-12-05/atti/2026/1.html", "prorogato di 2 giorni per interruzione"},   // the interruption
		{"2026-12-05/atti/2026/1.html", "dal 20/11/2026 al 06/12/2026"},             // 04/12 + 2 days
		{"2026-12-05/atti/2026/2.html", "dal 25/11/2026 al 12/12/2026"},             // proroga to 10/12, + 2 days
		{"2026-12-05/dati/atti.json", `"interruzioni":[{"dal":"2026-12-02"`},        // open data
		{"2026-12-05/list.txt", "ritirato prima della pubblicazione il 01/12/2026"}, // the register's list
		{"2026-12-13/registro-2026.csv", "2026/3,ritirato"},
		{"2026-12-13/referto-2026-3.pdf", "%PDF"}, // the certificate of the withdrawn act
	} {
		if !bytes.Contains(want[c.file], []byte(c.text)) {
			t.Errorf("%s lacks %q", c.file, c.text)
		}
	}
	if f := want["2026-11-24/feed.xml"]; bytes.Contains(f, []byte("ANNULLATO")) || bytes.Contains(f, []byte("05 Dec 2026")) {
		t.Error("on 24/11 the feed shows an annulment of 05/12, or dates an item in the future")
	}
	if _, ok := want["2026-12-05/atti/2026/1.html"]; !ok {
		t.Error("act 1/2026 is not online on 05/12, the day after its original last day: the interruption did not extend it")
	}
	if _, ok := want["2026-12-13/atti/2026/2.html"]; ok {
		t.Error("act 2/2026 is still online after its extended last day")
	}
}

// TestWarmEqualsColdAcrossDays builds testdata/ciclo into the same folder day after day,
// through every change of state its acts go through (first day, annulment on its date,
// interruption, extension, last day): each day the site equals a build into an empty
// folder. An act's page, row, search entry and data lines depend on its state of the day,
// not only on its file.
func TestWarmEqualsColdAcrossDays(t *testing.T) {
	const src = "testdata/ciclo"
	warm := filepath.Join(t.TempDir(), "public")
	for d := civil.New(2026, 11, 18); !d.After(civil.New(2026, 12, 16)); d = d.AddDays(1) {
		day := d.String()
		if _, err := Build(Options{Source: src, Dest: warm, Now: day}); err != nil {
			t.Fatal(err)
		}
		a, b := tree(t, warm), tree(t, build(t, src, day))
		if len(a) != len(b) {
			t.Errorf("%s: warm build %d files, cold build %d", day, len(a), len(b))
		}
		for _, k := range sortedKeys(b) {
			if !bytes.Equal(a[k], b[k]) {
				t.Errorf("%s: %s of the warm build differs from the cold one: %s", day, k, firstDiff(b[k], a[k]))
			}
		}
	}
}

// TestWarmEqualsColdWithDatedTheme uses a theme whose shared footer shows the build date
// and whose act page reads it too: a rebuild into the existing site on the next day must
// equal a build into an empty folder.
func TestWarmEqualsColdWithDatedTheme(t *testing.T) {
	for _, theme := range []map[string]string{
		{"parti/piede.html": datedFooter(t)},
		// a layout.html that defines the footer itself, as site themes did before the parts
		// had files of their own: it wins over parti/piede.html
		{"layout.html": readDefault(t, "layout.html") + datedFooter(t)},
		{"atto.html": strings.Replace(readDefault(t, "atto.html"), "<h2>Dati della pubblicazione</h2>", "<p>Pagina aggiornata al {{$.Site.Today}}</p><h2>Dati della pubblicazione</h2>", 1)},
	} {
		site := t.TempDir()
		copyDir(t, filepath.Join("..", "content"), filepath.Join(site, "content"))
		files := map[string]string{"content/albo.yaml": readFile(t, "../content/albo.yaml") + "tema: datato\n"}
		for name, text := range theme {
			files["themes/datato/"+name] = text
		}
		writeFiles(t, site, files)
		warm := filepath.Join(t.TempDir(), "public")
		for _, day := range []string{"2026-11-23", "2026-11-24"} {
			if _, err := Build(Options{Source: site, Dest: warm, Now: day}); err != nil {
				t.Fatal(err)
			}
		}
		a, b := tree(t, warm), tree(t, build(t, site, "2026-11-24"))
		if len(a) != len(b) {
			t.Fatalf("warm build: %d files, cold build: %d", len(a), len(b))
		}
		for k, v := range b {
			if !bytes.Equal(a[k], v) {
				t.Errorf("%s: the warm build differs from the cold one: %s", k, firstDiff(v, a[k]))
			}
		}
		if !strings.Contains(string(a["atti/2026/20.html"]), "24/11/2026") {
			t.Error("the dated theme does not show the day: the test no longer tests anything")
		}
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readDefault(t *testing.T, name string) string {
	return readFile(t, filepath.Join("..", "themes", "default", name))
}

// datedFooter is the default footer, shared by every page, with the build date.
func datedFooter(t *testing.T) string {
	l := readDefault(t, "parti/piede.html")
	out := strings.Replace(l, `<p><strong>{{.Site.Ente}}</strong> · Albo pretorio online</p>`, `<p><strong>{{.Site.Ente}}</strong> · Albo pretorio online, aggiornato al {{.Site.Today}}</p>`, 1)
	if out == l {
		t.Fatal("the default footer changed: update the test")
	}
	return out
}

// TestActPageShowsNoRow: an act's page is made from its row in the lists, made first, but
// shows nothing only the lists have (the row's HTML, its key), even to a site theme that
// asks for them, as for a marriage, which is in no list.
func TestActPageShowsNoRow(t *testing.T) {
	site := t.TempDir()
	copyDir(t, filepath.Join("..", "content"), filepath.Join(site, "content"))
	atto := strings.Replace(readDefault(t, "atto.html"), "<h2>Dati della pubblicazione</h2>", "<p>riga[{{$.Act.Riga}}|{{$.Act.Key}}]</p><h2>Dati della pubblicazione</h2>", 1)
	writeFiles(t, site, map[string]string{
		"content/albo.yaml":      readFile(t, "../content/albo.yaml") + "tema: righe\n",
		"themes/righe/atto.html": atto,
	})
	pages := tree(t, build(t, site, "2026-11-23"))
	page := string(pages["atti/2026/20.html"])
	if i := strings.Index(page, "riga["); i < 0 {
		t.Fatal("the theme's act page is not used: the test no longer tests anything")
	} else if !strings.HasPrefix(page[i:], "riga[|]") {
		t.Errorf("an act's page shows what only its row in the lists has: %.120s", page[i:])
	}
}
