package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	goodConfig = "ente: Comune di Prova\ncodice_ipa: c_t001\nurl: https://albo.prova.it/\n"
	goodAct    = "---\ntipo: avviso\noggetto: Un avviso valido\nregistro: 2026/1\ndal: 2026-11-20\n---\nTesto.\n"
)

// aliasBomb is a sealed act whose front matter is a "billion laughs": ten aliases of ten
// aliases, eleven times over.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nimpronta: sha256:" + strings.Repeat("0", 64) + "\n")
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	b.WriteString("---\n")
	return b.String()
}

// brokenSites are sites with one bad input each: every case of SPEC §7 and those that
// used to hang or crash albo.
func brokenSites() map[string]func(t *testing.T, dir string) {
	files := func(fs map[string]string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) { write(t, dir, fs) }
	}
	unix := runtime.GOOS != "windows" && runtime.GOOS != "plan9"
	sites := map[string]func(t *testing.T, dir string){
		"good":                    files(nil),
		"no albo.yaml":            func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "content", "albo.yaml")) },
		"broken albo.yaml":        files(map[string]string{"content/albo.yaml": "ente: [\n"}),
		"albo.yaml typo":          files(map[string]string{"content/albo.yaml": goodConfig + "fuso_orari: Europe/Rome\n"}),
		"albo.yaml alias":         files(map[string]string{"content/albo.yaml": "ente: &e E\nurl: https://x.it/\ncodice_ipa: *e\n"}),
		"broken register":         files(map[string]string{"content/_registro.yaml": "ultimo: [\n"}),
		"register bad dates":      files(map[string]string{"content/_registro.yaml": "ultimo: {2026: 1}\ninterruzioni:\n  - {dal: ieri, al: oggi, motivo: x}\n"}),
		"broken YAML":             files(map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: [non chiuso\nregistro: 2026/2\ndal: 2026-11-20\n---\n"}),
		"typo":                    files(map[string]string{"content/x.md": "---\ntipo: avviso\nogetto: A\nregistro: 2026/2\ndal: 2026-11-20\n---\n"}),
		"tipo miscased":           files(map[string]string{"content/x.md": "---\ntipo: Ordinanza\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\n---\n"}),
		"tipo empty":              files(map[string]string{"content/x.md": "---\ntipo:\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\n---\n"}),
		"impossible date":         files(map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-02-30\n---\n"}),
		"al before dal":           files(map[string]string{"content/x.md": "---\ntipo: bando\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nal: 2026-11-01\n---\n"}),
		"missing attachment":      files(map[string]string{"content/x/index.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nallegati:\n  - file: manca.pdf\n    titolo: T\n---\n"}),
		"attachment leaving":      files(map[string]string{"content/x/index.md": "---\ntipo: avviso\noggetto: A\nallegati:\n  - file: ../../content/albo.yaml\n    titolo: T\n---\n"}),
		"duplicate number":        files(map[string]string{"content/y.md": strings.Replace(goodAct, "Un avviso valido", "Un altro", 1)}),
		"invalid UTF-8":           files(map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: Citt\xe0\nregistro: 2026/2\ndal: 2026-11-20\n---\n"}),
		"empty file":              files(map[string]string{"content/x.md": ""}),
		"over 10 MB":              files(map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\n---\n" + strings.Repeat("testo lungo ", 1<<20)}),
		"omissis not closed":      files(map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\n---\nil sig. ||Mario\n"}),
		"alias bomb, sealed act":  files(map[string]string{"content/x.md": aliasBomb()}),
		"folder named x.md":       func(t *testing.T, dir string) { os.MkdirAll(filepath.Join(dir, "content", "x.md"), 0o755) },
		"registro huge":           files(map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/9223372036854775807\ndal: 2026-11-20\n---\n"}),
		"annulment in the future": files(map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nannullamento: {data: 2027-01-01, motivo: x}\n---\n"}),
		"only drafts": func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "content", "a.md"))
			write(t, dir, map[string]string{"content/b.md": "---\ntipo: avviso\noggetto: Bozza\n---\n"})
		},
	}
	if unix {
		sites["symlinked act outside"] = func(t *testing.T, dir string) {
			outside := filepath.Join(t.TempDir(), "fuori.md")
			os.WriteFile(outside, []byte(goodAct), 0o644)
			os.Symlink(outside, filepath.Join(dir, "content", "x.md"))
		}
		sites["FIFO act"] = func(t *testing.T, dir string) {
			if err := mkfifo(filepath.Join(dir, "content", "x.md"), 0o644); err != nil {
				t.Skip(err)
			}
		}
		sites["FIFO attachment"] = func(t *testing.T, dir string) {
			write(t, dir, map[string]string{"content/x/index.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nallegati:\n  - file: f.pdf\n    titolo: T\n---\n"})
			if err := mkfifo(filepath.Join(dir, "content", "x", "f.pdf"), 0o644); err != nil {
				t.Skip(err)
			}
		}
		sites["FIFO albo.yaml"] = func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "content", "albo.yaml"))
			if err := mkfifo(filepath.Join(dir, "content", "albo.yaml"), 0o644); err != nil {
				t.Skip(err)
			}
		}
	}
	return sites
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNoCommandPanicsOrHangs runs every command over every broken site: each must end,
// in bounded time, with exit status 0, 1 or 2, and with a message when it is not 0, in
// Italian.
func TestNoCommandPanicsOrHangs(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	clock := func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, rome) }
	commands := [][]string{
		{"build", "--now", "2026-11-23"},
		{"check", "--now", "2026-11-23"},
		{"check", "--format", "json", "--strict"},
		{"list"}, {"list", "--format", "json"}, {"list", "--format", "csv", "--stato", "ritirato"},
		{"registro", "2026"}, {"registro", "2026", "--format", "pdf", "-o", "r.pdf"}, {"registro", "2026", "--format", "json"},
		{"referto", "2026/1", "-o", "referto.pdf"},
		{"pubblica", "content/x.md"}, {"pubblica", "content/b.md"},
		{"annulla", "2026/1", "--motivo", "Errore"}, {"annulla", "2026/2", "--motivo", "Errore"},
		{"proroga", "2026/1", "--giorni", "3", "--motivo", "Richiesta"},
		{"interruzione", "--dal", "2026-11-21", "--al", "2026-11-22", "--motivo", "Guasto"},
		{"new", "avviso", "Un nuovo avviso"},
		{"init", "."},
		{"version"},
		{"watch", "--now", "2026-11-23"},
		{"serve", "--now", "2026-11-23", "--addr", "127.0.0.1:0"},
	}
	sem := make(chan bool, 16) // the cases mostly wait (watch and serve run until their time is up)
	var wg sync.WaitGroup
	for name, setup := range brokenSites() {
		for _, args := range commands {
			dir := t.TempDir()
			write(t, dir, map[string]string{"content/albo.yaml": goodConfig, "content/a.md": goodAct})
			setup(t, dir)
			full := append([]string{args[0], "-s", dir}, args[1:]...)
			for i, a := range full {
				if strings.HasSuffix(a, ".pdf") || strings.HasPrefix(a, "content/") {
					full[i] = filepath.Join(dir, a)
				}
			}
			switch args[0] {
			case "version":
				full = args
			case "init":
				full = []string{"init", dir}
			}
			what := fmt.Sprintf("%s: albo %s", name, strings.Join(args, " "))
			wg.Add(1)
			sem <- true
			go func() {
				defer func() { <-sem; wg.Done() }()
				ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond) // watch and serve run until it ends
				defer cancel()
				var stdout, stderr bytes.Buffer
				done := make(chan int, 1)
				go func() {
					defer func() {
						if p := recover(); p != nil {
							t.Errorf("%s panicked: %v", what, p)
							done <- 0
						}
					}()
					done <- execute(ctx, full, &stdout, &stderr, clock)
				}()
				select {
				case code := <-done:
					if code < 0 || code > 2 {
						t.Errorf("%s: exit status %d", what, code)
					}
					if code != 0 && stderr.Len() == 0 && stdout.Len() == 0 {
						t.Errorf("%s: exit status %d and no message", what, code)
					}
					if strings.Contains(stderr.String(), "goroutine ") {
						t.Errorf("%s: a stack trace: %s", what, stderr.String())
					}
					for _, l := range englishIn(stdout.String() + stderr.String()) {
						t.Errorf("%s: English: %s", what, l)
					}
				case <-time.After(60 * time.Second):
					t.Errorf("%s did not end", what)
				}
			}()
		}
	}
	wg.Wait()
}
