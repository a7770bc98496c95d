package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/borgoesempio/albo/generator"
)

// opendata builds the sample albo and returns its output folder.
func opendata(t *testing.T) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := generator.Build(generator.Options{Source: filepath.Join("..", ".."), Dest: dest, Now: "2026-11-23"}); err != nil {
		t.Fatal(err)
	}
	return dest
}

// TestDataPackage validates dati/datapackage.json with Frictionless's own JavaScript
// library (datapackage-js): the package against its profile, and every row of every CSV
// read and cast against its table schema (names, dates, booleans, addresses).
func TestDataPackage(t *testing.T) {
	dp := tools(t, "datapackage")
	dest := opendata(t)
	script := `const {Package} = require(process.argv[1]);
(async () => {
  const pkg = await Package.load(process.argv[2]);
  if (!pkg.valid) { console.log("INVALID " + pkg.errors.map(e => e.message).join("; ")); process.exit(1); }
  for (const r of pkg.resources) {
    const rows = await r.read({keyed: true, cast: true});
    console.log(r.name + " " + rows.length + " rows " + r.headers.length + " columns");
  }
})().catch(e => { console.log("ERROR " + e.message + " " + (e.errors || []).slice(0, 5).map(x => x.message).join("; ")); process.exit(1); });`
	out, err := exec.Command("node", "-e", script, dp, filepath.Join(dest, "dati", "datapackage.json")).CombinedOutput()
	if err != nil {
		t.Fatalf("datapackage-js: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "atti 27 rows 28 columns") || !strings.Contains(string(out), "archivio ") {
		t.Errorf("datapackage-js read: %s", out)
	}
	t.Logf("%s", out)
}

// TestCatalogue parses dati/catalogo.ttl with rdflib (Debian's python3-rdflib) and finds in
// it a DCAT-AP_IT catalogue listing every dataset, each with its distributions and licence.
func TestCatalogue(t *testing.T) {
	python := "" // the first Python with rdflib: the one on PATH, or Debian's
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import rdflib").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("python3-rdflib is not installed")
		}
		t.Skip("python3-rdflib not installed: skipped")
	}
	dest := opendata(t)
	script := `import sys, rdflib
from rdflib.namespace import RDF, DCAT, DCTERMS
g = rdflib.Graph(); g.parse(sys.argv[1], format="turtle")
cat = next(g.subjects(RDF.type, DCAT.Catalog))
listed = set(g.objects(cat, DCAT.dataset))
typed = set(g.subjects(RDF.type, DCAT.Dataset))
assert listed == typed and len(typed) == 2, (listed, typed)
for d in typed:
    dists = list(g.objects(d, DCAT.distribution))
    assert dists, d
    for x in dists:
        assert (x, DCTERMS.license, rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")) in g, x
        assert list(g.objects(x, DCAT.downloadURL)), x
pub = next(g.objects(cat, DCTERMS.publisher))
print(len(g), "triples", len(typed), "datasets", g.value(pub, DCTERMS.identifier))`
	out, err := exec.Command(python, "-c", script, filepath.Join(dest, "dati", "catalogo.ttl")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "2 datasets c_x123") {
		t.Fatalf("rdflib: %v\n%s", err, out)
	}
}
