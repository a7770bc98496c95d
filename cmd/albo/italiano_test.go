package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// english are words of English that are not Italian words: one of them outside quotes in
// what albo prints means a text was left untranslated.
var english = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the is are was were not cannot can't must should would could will with without from this that
		these those which what when where why how for of to and or but be been being has have had does did do it its by into than
		found required invalid unknown missing expected usage flags flag available commands command error errors warning warnings
		print default please every each only also folder site act acts attachment attachments publication register value values
		key keys use run string already published changed reading written write file's directory such none here there more`) {
		english[w] = true
	}
}

var (
	quotedRE = regexp.MustCompile("\"[^\"]*\"|«[^»]*»|`[^`]*`|'[^' ]*'")
	// Paths, options, addresses, dates and times, file names, and albo's command lines.
	technicalRE = regexp.MustCompile(`(?:\S*/\S*|--?[a-z][a-z-]*|https?:\S+|\S+@\S+|\S+\.(?:md|yaml|pdf|csv|json|txt|html|p7m|xml|zip)\b|\balbo [a-z]+\b)`)
	wordRE      = regexp.MustCompile(`\p{L}+(?:'\p{L}+)?`)
)

// englishIn returns the lines of text with English words outside quoted keys and values.
func englishIn(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		plain := technicalRE.ReplaceAllString(quotedRE.ReplaceAllString(line, " "), " ")
		for _, w := range wordRE.FindAllString(plain, -1) {
			if english[strings.ToLower(w)] {
				out = append(out, strings.TrimSpace(line)+"   ← "+w)
				break
			}
		}
	}
	return out
}

func TestEnglishDetector(t *testing.T) {
	if englishIn(`content/x.md:3: unknown key "ogetto"`) == nil {
		t.Error("the detector misses English")
	}
	if lines := englishIn(`content/x.md:3: chiave "the" sconosciuta; forse intendevi "oggetto"? albo check --format json`); lines != nil {
		t.Errorf("the detector takes quoted values and commands for English: %v", lines)
	}
}

// TestItalianOnly runs the help of every command, every page of the guide, and a corpus of
// mistakes in using albo: nothing albo prints may be in English, outside the quoted keys
// and values. (TestNoCommandPanicsOrHangs checks the same of every command over every
// broken site.)
func TestItalianOnly(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	clock := func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, rome) }
	runAlbo := func(args ...string) string {
		var stdout, stderr bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 800*time.Millisecond)
		defer cancel()
		execute(ctx, args, &stdout, &stderr, clock)
		return stdout.String() + stderr.String()
	}
	check := func(what, out string) {
		t.Helper()
		for _, l := range englishIn(out) {
			t.Errorf("%s: English: %s", what, l)
		}
	}
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		check("albo "+strings.Join(path, " ")+" --help", runAlbo(append(path, "--help")...))
		for _, sub := range c.Commands() {
			walk(sub, append(path, sub.Name()))
		}
	}
	root := newRoot(nil, nil, clock)
	walk(root, nil)
	for _, topic := range topics() {
		check("albo help "+topic, runAlbo("help", topic))
	}
	for _, args := range [][]string{
		{"build", "--bogus"}, {"nonexistent"}, {"bild"}, {"build", "extra"}, {"build", "--now", "ieri"}, {"build", "-x"},
		{"check", "--format", "xml"}, {"list", "--stato", "boh"}, {"registro", "duemila"}, {"referto", "123"},
		{"annulla", "2026/1"}, {"annulla"}, {"proroga", "2026/1", "--motivo", "m"}, {"proroga", "2026/1", "--giorni", "tre"},
		{"interruzione", "--dal", "2026-11-01"}, {"new", "avviso"}, {"help", "nulla"}, {"pubblica", "/non/esiste.md"},
		{"build", "--now"},
	} {
		check("albo "+strings.Join(args, " "), runAlbo(args...))
	}
	// The outputs of every command over every broken site are checked by
	// TestNoCommandPanicsOrHangs, which runs them.
}
