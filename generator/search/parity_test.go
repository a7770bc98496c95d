package search

import (
	"bufio"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// corpus returns every line of the sample albo and of the municipality's documents in
// shared/seeds (when present beside the repository).
func corpus(t *testing.T) []string {
	t.Helper()
	var lines []string
	read := func(p string) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
	}
	filepath.WalkDir(filepath.Join("..", "..", "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			read(p)
		}
		return nil
	})
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "seeds", "*.txt"))
	for _, s := range seeds {
		read(s)
	}
	// Word forms the Italian stemmer treats specially: pronouns attached to gerunds and
	// infinitives, -amente adverbs, -ità nouns, qu and u/i between vowels, ch/gh endings.
	lines = append(lines, "dandogli mandandole prenderlo portarle finirne cercandomi vederci farsene",
		"rapidamente attivamente lentamente città viabilità pubblicità attività", "quadro acqua aiuola guaio buoi",
		"banche alberghi luoghi amiche laghi", "á é í ó ú ÀÈÌÒÙ qu", "a e io x1 2026 123/2026 45/bis")
	return lines
}

// TestBrowserStemmerParity runs the browser's analysis (themes/default/static/cerca.js)
// under node over every line of the corpus and compares it with Terms, word for word.
func TestBrowserStemmerParity(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is needed to check the browser's stemmer (install nodejs)")
		}
		t.Skip("node not installed: the browser's stemmer is not checked")
	}
	lines := corpus(t)
	input, _ := json.Marshal(lines)
	stopJSON, _ := json.Marshal(StopWords)
	script := `const c = require(process.argv[1]); const stop = {}; ` + string(stopJSON) + `.forEach(w => stop[w] = 1);
let data = ''; process.stdin.on('data', d => data += d); process.stdin.on('end', () => {
  for (const l of JSON.parse(data)) console.log(JSON.stringify(c.terms(l, stop)));
});`
	js, _ := filepath.Abs(filepath.Join("..", "..", "themes", "default", "static", "cerca.js"))
	cmd := exec.Command(node, "-e", script, js)
	cmd.Stdin = strings.NewReader(string(input))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	i, words := 0, 0
	for sc.Scan() {
		var got []string
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		want := Terms(lines[i])
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("line %.120q:\n browser %.300v\n Go      %.300v", lines[i], got, want)
		}
		words += len(want)
		i++
	}
	if i != len(lines) {
		t.Fatalf("node answered %d lines of %d", i, len(lines))
	}
	t.Logf("%d lines, %d words: the browser and Go agree", i, words)
}
