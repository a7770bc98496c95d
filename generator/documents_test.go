package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/report"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/ledongthuc/pdf"
)

// TestRegolamentoInForce: the sample's regolamento (2026/43, published from 16/11 for 15
// days, one more for the interruption of that day) says it is in force from 02/12/2026 on
// its page, in the lists, in the open data, in the register and in its certificate.
func TestRegolamentoInForce(t *testing.T) {
	dest := build(t, "..", sampleNow)
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for rel, want := range map[string]string{
		"atti/2026/43.html":           "In vigore dal 02/12/2026",
		"index.html":                  "in vigore dal 02/12/2026",
		"tipi/regolamento/index.html": "in vigore dal 02/12/2026",
		"dati/atti.json":              `"registro":"2026/43"`,
	} {
		if !strings.Contains(read(rel), want) {
			t.Errorf("%s: no %q", rel, want)
		}
	}
	for _, line := range strings.Split(read("dati/atti.json"), "\n") {
		if strings.Contains(line, `"registro":"2026/43"`) && !strings.Contains(line, `"in_vigore":"2026-12-02"`) {
			t.Errorf("atti.json: 2026/43 without in_vigore: %s", line)
		}
	}
	site, err := load.Load("..")
	if err != nil {
		t.Fatal(err)
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	plan := schedule.Schedule(site, time.Date(2026, 12, 15, 10, 0, 0, 0, rome))
	var csv bytes.Buffer
	report.WriteCSV(&csv, report.Year(plan, 2026))
	if !strings.Contains(csv.String(), "2026/43,scaduto,regolamento") || !strings.Contains(csv.String(), ",2026-12-02,") {
		t.Errorf("the register does not give 2026/43's entry into force")
	}
	b, err := report.Referto(plan, act.Registro{Anno: 2026, Numero: 43}, report.RefertoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	text, err := r.Page(1).GetPlainText(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "in vigore dal 02/12/2026") {
		t.Errorf("the certificate does not say from when the regolamento is in force:\n%s", text)
	}
}

// TestCorrectionLinks: the sample's correction 2026/35 and the act it corrects, 2026/26,
// link each other's pages, and the open data says so both ways.
func TestCorrectionLinks(t *testing.T) {
	dest := build(t, "..", sampleNow)
	for rel, want := range map[string]string{
		"atti/2026/26.html": `È sostituito dall'atto <a href="/atti/2026/35.html">n. 35/2026 del registro</a>`,
		"atti/2026/35.html": `Questo atto sostituisce l'atto <a href="/atti/2026/26.html">n. 26/2026 del registro</a>`,
		"dati/atti.json":    `"sostituito_da":"2026/35"`,
	} {
		b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("%s: no %q", rel, want)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dest, "dati", "atti.json"))
	if !strings.Contains(string(b), `"sostituisce":"2026/26"`) {
		t.Errorf("atti.json: 2026/35 does not say it replaces 2026/26")
	}
}
