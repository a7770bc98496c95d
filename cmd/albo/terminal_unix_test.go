//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// TestPDFNotOnTerminal: registro and referto in PDF refuse a terminal as standard output,
// and write to a file or a pipe.
func TestPDFNotOnTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	site := filepath.Join("..", "..")
	for _, args := range [][]string{
		{"registro", "2026", "--format", "pdf", "-s", site},
		{"referto", "7/2026", "-s", site, "-o", "-"},
	} {
		var stderr bytes.Buffer
		if code := run(args, tty, &stderr); code != 2 || !strings.Contains(stderr.String(), "un PDF non si scrive sullo schermo") {
			t.Errorf("%v on a terminal: exit %d, %q", args, code, stderr.String())
		}
		out, err := os.CreateTemp(t.TempDir(), "pdf")
		if err != nil {
			t.Fatal(err)
		}
		stderr.Reset()
		if code := run(args, out, &stderr); code != 0 {
			t.Errorf("%v to a file: exit %d, %s", args, code, stderr.String())
		}
		out.Close()
		if b, _ := os.ReadFile(out.Name()); !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%v to a file: no PDF written", args)
		}
	}
}
