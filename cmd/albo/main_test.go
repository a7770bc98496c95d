package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	if os.Getenv("ALBO_COME_COMANDO") == "1" { // a child process of a test, as the albo command
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	testscript.Main(m, map[string]func(){
		"albo": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scenarios in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Cmds: map[string]func(*testscript.TestScript, bool, []string){
		"replace":   replace,
		"sleep":     sleep,
		"nowhere":   nowhere,
		"somewhere": somewhere,
		"crlf":      crlf,
		"bom":       bom,
	}})
}

// crlf FILE converts FILE to Windows line endings, as Git for Windows or Notepad do.
func crlf(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: crlf FILE")
	}
	p := ts.MkAbs(args[0])
	b, err := os.ReadFile(p)
	ts.Check(err)
	ts.Check(os.WriteFile(p, []byte(strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n", "\r\n")), 0o644))
}

// bom FILE puts a UTF-8 byte order mark before FILE's text, as some Windows editors do.
func bom(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: bom FILE")
	}
	p := ts.MkAbs(args[0])
	b, err := os.ReadFile(p)
	ts.Check(err)
	ts.Check(os.WriteFile(p, append([]byte("\xef\xbb\xbf"), b...), 0o644))
}

// nowhere WORD DIR fails if any file under DIR contains WORD (case-insensitive): a page,
// an attachment, a feed, the search index, the open data.
func nowhere(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: nowhere WORD DIR")
	}
	if files := containing(ts, args[0], args[1]); len(files) > 0 {
		ts.Fatalf("%q is in %s", args[0], strings.Join(files, ", "))
	}
}

// somewhere WORD DIR fails unless some file under DIR contains WORD (case-insensitive).
func somewhere(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: somewhere WORD DIR")
	}
	if len(containing(ts, args[0], args[1])) == 0 {
		ts.Fatalf("%q is in no file under %s", args[0], args[1])
	}
}

func containing(ts *testscript.TestScript, word, dir string) []string {
	var out []string
	word = strings.ToLower(word)
	err := filepath.WalkDir(ts.MkAbs(dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(strings.ToLower(string(b)), word) {
			rel, _ := filepath.Rel(ts.MkAbs(dir), p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	ts.Check(err)
	return out
}

// sleep DURATION waits, for scenarios that run in real time (albo watch).
func sleep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sleep DURATION")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	time.Sleep(d)
}

// replace FILE OLD NEW replaces every OLD in FILE with NEW, as an editor would.
func replace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	p := ts.MkAbs(args[0])
	b, err := os.ReadFile(p)
	ts.Check(err)
	if !strings.Contains(string(b), args[1]) {
		ts.Fatalf("%s does not contain %q", args[0], args[1])
	}
	ts.Check(os.WriteFile(p, []byte(strings.ReplaceAll(string(b), args[1], args[2])), 0o644))
}
