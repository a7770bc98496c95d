package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// compareGolden compares files (slash path → content) with the golden folder dir, or
// rewrites it with -update. A difference names the file and its first differing line.
func compareGolden(t *testing.T, dir string, want map[string][]byte) {
	t.Helper()
	if *update {
		os.RemoveAll(dir)
		for k, v := range want {
			p := filepath.Join(dir, filepath.FromSlash(k))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, v, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	have := tree(t, dir)
	for _, k := range sortedKeys(want) {
		g, ok := have[k]
		switch {
		case !ok:
			t.Errorf("%s: new output file, not in %s (run go test ./generator -update)", k, dir)
		case !bytes.Equal(g, want[k]):
			t.Errorf("%s differs from %s (run go test ./generator -update and review the diff): %s", k, dir, firstDiff(g, want[k]))
		}
	}
	for k := range have {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: in %s, no longer produced", k, dir)
		}
	}
}

// firstDiff describes the first line where got differs from want.
func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n\twant: " + clip(w) + "\n\tgot:  " + clip(g)
		}
	}
	return "same lines, other bytes"
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
