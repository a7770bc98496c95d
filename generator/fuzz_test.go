package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// FuzzBuild drives the whole path, load → validate → schedule → render → write, with an
// arbitrary act file and an arbitrary end of albo.yaml beside a valid act, built on two
// days into the same folder: a build never panics, every problem names a file, and the
// text of an omissis reaches no output file.
func FuzzBuild(f *testing.F) {
	f.Add("", "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\n---\ntesto ||Zqxsegreto||\n")
	f.Add("tipi:\n  ordinanza-sindacale: {nome: O, giorni: 3}\n", "---\ntipo: ordinanza-sindacale\noggetto: B\nregistro: 2026/3\ndal: 2026-11-21\nproroga: {al: 2026-11-30, motivo: m}\n---\n")
	f.Add("archivio: nessuno\n", "---\ntipo: matrimonio\noggetto: C\nregistro: 2026/4\ndal: 2026-11-01\nannullamento: {data: 2026-10-01, motivo: ritiro}\n---\n")
	f.Add("conteggio: escluso\n", "---\ntipo: bando\noggetto: D\nregistro: 2026/5\ndal: 2026-11-20\nal: 2026-11-19\n---\n")
	f.Add("tema: bootstrap-italia\n", "---\ntipo: avviso\noggetto: G\nregistro: 2026/7\ndal: 2026-11-20\n---\ntesto ||Zqxsegreto||\n")
	f.Add("tema: [\n", "---\ntipo: avviso\noggetto: &a x\nufficio: *a\n---\n")
	f.Add("", "---\ntipo: avviso\noggetto: E\nregistro: 2026/1\ndal: 2026-11-20\n---\nduplicato\n")
	f.Add("", "---\ntipo: delibera-giunta\noggetto: F\nregistro: 2026/6\ndal: 2026-11-22\nnumero: \"1\"\ndata: 2026-11-20\nimmediatamente_eseguibile: true\ndeposito: Ufficio\n---\n| a | b |\n|---|---|\n| ||Zqxsegreto|| | x |\n")
	f.Fuzz(func(t *testing.T, config, text string) {
		site := t.TempDir()
		writeFiles(t, site, map[string]string{
			"content/albo.yaml": goodConfig + config,
			"content/a.md":      goodAct,
			"content/x.md":      text,
		})
		dest := filepath.Join(site, "public")
		for _, day := range []string{"2026-11-23", "2026-12-10"} {
			res, err := buildWithin(t, 20*time.Second, Options{Source: site, Dest: dest, Now: day})
			if res == nil {
				if err == nil {
					t.Fatal("no result and no error")
				}
				continue
			}
			for _, p := range res.Problems {
				if p.Path == "" {
					t.Fatalf("a problem names no file: %v", p)
				}
			}
		}
		if !strings.Contains(text, "||Zqxsegreto||") {
			return
		}
		filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, _ := os.ReadFile(p); bytes.Contains(bytes.ToLower(b), []byte("zqxsegreto")) {
					t.Fatalf("%s contains the text of an omissis", p)
				}
			}
			return nil
		})
	})
}

// buildWithin builds, failing the test if the build does not end within d: the fuzzer
// does not notice an input that hangs.
func buildWithin(t *testing.T, d time.Duration, o Options) (*Result, error) {
	type out struct {
		res *Result
		err error
	}
	c := make(chan out, 1)
	go func() {
		res, err := Build(o)
		c <- out{res, err}
	}()
	select {
	case o := <-c:
		return o.res, o.err
	case <-time.After(d):
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Fatalf("the build did not end in %s:\n%s", d, buf[:n])
	}
	return nil, nil
}
