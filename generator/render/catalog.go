package render

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/schedule"
)

// The open data are described for those who harvest them: a DCAT-AP_IT catalogue
// (dati/catalogo.ttl, the profile dati.gov.it harvests), a Frictionless data package
// (dati/datapackage.json, whose table schemas describe every column of the CSVs), and the
// licence beside the files (dati/LICENZA.txt). One table, columns, describes the columns
// for the data package and for the data page.

// Licence is the licence of the open data: CC BY 4.0, as AgID's guidelines on open data
// recommend for public bodies.
const (
	LicenceName = "CC-BY-4.0"
	LicenceURL  = "https://creativecommons.org/licenses/by/4.0/"
)

// Column is a column of the CSV files: its name, its Frictionless type and format, and what
// it holds.
type Column struct {
	Name, Type, Format, Description string
}

// columns are the columns of the CSV files, by name (csvHeader, csvMoreHeader and the
// three columns of atti.csv only).
var columns = map[string]Column{
	"registro":                   {"registro", "string", "", "numero di registro dell'albo, anno/progressivo (2026/123)"},
	"tipo":                       {"tipo", "string", "", "codice del tipo di atto"},
	"tipo_nome":                  {"tipo_nome", "string", "", "nome del tipo di atto"},
	"oggetto":                    {"oggetto", "string", "", "oggetto dell'atto"},
	"numero":                     {"numero", "string", "", "numero dell'atto nella sua serie"},
	"data":                       {"data", "date", "", "data dell'atto (AAAA-MM-GG)"},
	"ente":                       {"ente", "string", "", "ente che ha adottato l'atto"},
	"ufficio":                    {"ufficio", "string", "", "ufficio o organo che ha adottato l'atto"},
	"responsabile":               {"responsabile", "string", "", "responsabile del procedimento"},
	"dal":                        {"dal", "date", "", "primo giorno di pubblicazione"},
	"al":                         {"al", "date", "", "ultimo giorno di pubblicazione, comprese proroghe e interruzioni"},
	"stato":                      {"stato", "string", "", "stato della pubblicazione"},
	"annullato":                  {"annullato", "boolean", "", "true se l'atto è annullato"},
	"url":                        {"url", "string", "uri", "indirizzo della pagina dell'atto"},
	"allegati_url":               {"allegati_url", "string", "", "indirizzi degli allegati, separati da uno spazio (gli spazi negli indirizzi sono codificati, RFC 3986)"},
	"allegati_sha256":            {"allegati_sha256", "string", "", "impronte SHA-256 degli allegati, nello stesso ordine, separate da uno spazio"},
	"richiedente":                {"richiedente", "string", "", "ente o ufficio che ha chiesto la pubblicazione"},
	"protocollo_numero":          {"protocollo_numero", "string", "", "numero di protocollo della richiesta"},
	"protocollo_data":            {"protocollo_data", "date", "", "data del protocollo della richiesta"},
	"cig":                        {"cig", "string", "", "codice identificativo di gara (ANAC)"},
	"pubblicita_legale":          {"pubblicita_legale", "string", "uri", "scheda della gara nella Banca dati nazionale dei contratti pubblici, o del concorso su inPA"},
	"in_vigore":                  {"in_vigore", "date", "", "regolamenti: giorno di entrata in vigore"},
	"sostituisce":                {"sostituisce", "string", "", "numero di registro dell'atto che questo corregge"},
	"sostituito_da":              {"sostituito_da", "string", "", "numero di registro dell'atto che corregge questo"},
	"annullamento_data":          {"annullamento_data", "date", "", "data dell'annullamento"},
	"annullamento_motivo":        {"annullamento_motivo", "string", "", "motivo dell'annullamento"},
	"annullamento_disposto_da":   {"annullamento_disposto_da", "string", "", "chi ha disposto l'annullamento"},
	"annullamento_provvedimento": {"annullamento_provvedimento", "string", "", "provvedimento di annullamento"},
}

// attiColumns and archivioColumns are the columns of dati/atti.csv and dati/archivio.csv,
// in order.
var (
	attiColumns     = slices.Concat(csvHeader, []string{"url", "allegati_url", "allegati_sha256"}, csvMoreHeader)
	archivioColumns = slices.Concat(csvHeader, csvMoreHeader)
)

// Columns are the columns of dati/atti.csv, for the data page.
func Columns() []Column {
	out := make([]Column, len(attiColumns))
	for i, c := range attiColumns {
		out[i] = columns[c]
	}
	return out
}

// dataPackage is dati/datapackage.json (Frictionless Data Package 1.0, tabular).
func dataPackage(cfg *config.Config, today string, archive bool) ([]byte, error) {
	type field struct {
		Name        string `json:"name"`
		Type        string `json:"type"`
		Format      string `json:"format,omitempty"`
		Description string `json:"description"`
	}
	type schema struct {
		Fields        []field  `json:"fields"`
		MissingValues []string `json:"missingValues"`
		PrimaryKey    string   `json:"primaryKey"`
	}
	type resource struct {
		Name      string `json:"name"`
		Path      string `json:"path"`
		Title     string `json:"title"`
		Profile   string `json:"profile"`
		Format    string `json:"format"`
		MediaType string `json:"mediatype"`
		Encoding  string `json:"encoding"`
		Schema    schema `json:"schema"`
	}
	type licence struct {
		Name  string `json:"name"`
		Path  string `json:"path"`
		Title string `json:"title"`
	}
	table := func(name, file, title string, cols []string) resource {
		r := resource{Name: name, Path: file, Title: title, Profile: "tabular-data-resource", Format: "csv", MediaType: "text/csv", Encoding: "utf-8",
			Schema: schema{MissingValues: []string{""}, PrimaryKey: "registro"}}
		for _, c := range cols {
			col := columns[c]
			r.Schema.Fields = append(r.Schema.Fields, field{col.Name, col.Type, col.Format, col.Description})
		}
		return r
	}
	resources := []resource{table("atti", "atti.csv", "Atti in pubblicazione all'albo pretorio", attiColumns)}
	if archive {
		resources = append(resources, table("archivio", "archivio.csv", "Archivio degli atti la cui pubblicazione è terminata (soli estremi)", archivioColumns))
	}
	b, err := json.MarshalIndent(struct {
		Profile     string     `json:"profile"`
		Name        string     `json:"name"`
		Title       string     `json:"title"`
		Description string     `json:"description"`
		Homepage    string     `json:"homepage"`
		Created     string     `json:"created"`
		Licenses    []licence  `json:"licenses"`
		Resources   []resource `json:"resources"`
	}{
		Profile: "tabular-data-package", Name: strings.ToLower(strings.ReplaceAll(cfg.CodiceIPA, "_", "-")) + "-albo-pretorio",
		Title: "Albo pretorio online - " + cfg.Ente, Description: datasetDescription(cfg),
		Homepage: absURL(cfg, "dati/"), Created: today + "T00:00:00Z",
		Licenses:  []licence{{Name: LicenceName, Path: LicenceURL, Title: "Creative Commons Attribuzione 4.0 Internazionale"}},
		Resources: resources,
	}, "", "  ")
	return append(b, '\n'), err
}

// datasetDescription says what the data are, and what they are not.
func datasetDescription(cfg *config.Config) string {
	return "Gli atti in pubblicazione all'albo pretorio online di " + cfg.Ente + ", un record per atto, aggiornati a ogni pubblicazione. " +
		"Le pubblicazioni di matrimonio, che contengono dati personali, non vi sono incluse; i dati personali degli atti non sono riutilizzabili per altri fini."
}

// turtle escapes a string for a Turtle literal.
var turtle = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`)

// catalogue is dati/catalogo.ttl: a DCAT-AP_IT catalogue of the open data, one dataset per
// CSV file with its JSON or CSV distributions, the licence and the publisher with its IPA
// code.
func catalogue(cfg *config.Config, p *schedule.Plan, archive bool) []byte {
	base := absURL(cfg, "dati/")
	lit := func(s string) string { return `"` + turtle.Replace(s) + `"` }
	var b strings.Builder
	b.WriteString(`@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcatapit: <http://dati.gov.it/onto/dcatapit#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

`)
	today := lit(p.Today.String()) + "^^xsd:date"
	fmt.Fprintf(&b, "<%scatalogo.ttl> a dcatapit:Catalog, dcat:Catalog ;\n  dct:title %s@it ;\n  dct:description %s@it ;\n  dct:publisher <%s#ente> ;\n  dct:modified %s ;\n  dct:issued %s ;\n  dct:language <http://publications.europa.eu/resource/authority/language/ITA> ;\n  foaf:homepage <%s> ;\n  dcat:dataset <%s#atti>",
		base, lit("Dati aperti dell'albo pretorio online - "+cfg.Ente), lit(datasetDescription(cfg)), base, today, today, cfg.URL.String(), base)
	if archive {
		fmt.Fprintf(&b, ", <%s#archivio>", base)
	}
	b.WriteString(" .\n\n")
	fmt.Fprintf(&b, "<%s#ente> a dcatapit:Agent, foaf:Agent ;\n  foaf:name %s ;\n  dct:identifier %s .\n\n", base, lit(cfg.Ente), lit(cfg.CodiceIPA))
	contact := ""
	if cfg.Sede.PEC != "" {
		contact = fmt.Sprintf(" ;\n  vcard:hasEmail <mailto:%s>", cfg.Sede.PEC)
	}
	fmt.Fprintf(&b, "<%s#contatto> a dcatapit:Organization, vcard:Organization ;\n  vcard:fn %s%s .\n\n", base, lit(cfg.Ente), contact)
	dataset := func(id, title string, files ...string) {
		fmt.Fprintf(&b, "<%s#%s> a dcatapit:Dataset, dcat:Dataset ;\n  dct:identifier %s ;\n  dct:title %s@it ;\n  dct:description %s@it ;\n  dct:publisher <%s#ente> ;\n  dct:rightsHolder <%s#ente> ;\n  dct:modified %s ;\n  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ;\n  dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/DAILY> ;\n  dcat:contactPoint <%s#contatto> ;\n  dcat:landingPage <%s> ;\n  dcat:distribution ",
			base, id, lit(cfg.CodiceIPA+":albo-"+id), lit(title), lit(datasetDescription(cfg)), base, base, today, base, base)
		for i, f := range files {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "<%s#%s>", base, strings.ReplaceAll(f, ".", "-"))
		}
		b.WriteString(" .\n\n")
		for _, f := range files {
			format, media := "CSV", "text/csv"
			if strings.HasSuffix(f, ".json") {
				format, media = "JSON", "application/json"
			}
			fmt.Fprintf(&b, "<%s#%s> a dcatapit:Distribution, dcat:Distribution ;\n  dct:title %s@it ;\n  dct:format <http://publications.europa.eu/resource/authority/file-type/%s> ;\n  dcat:mediaType %s ;\n  dcat:accessURL <%s%s> ;\n  dcat:downloadURL <%s%s> ;\n  dct:license <%s> .\n\n",
				base, strings.ReplaceAll(f, ".", "-"), lit(title+" ("+format+")"), format, lit(media), base, f, base, f, LicenceURL)
		}
	}
	dataset("atti", "Atti in pubblicazione all'albo pretorio", "atti.json", "atti.csv")
	if archive {
		dataset("archivio", "Archivio degli atti la cui pubblicazione è terminata", "archivio.csv")
	}
	return []byte(b.String())
}

// licenceText is dati/LICENZA.txt, beside the CSV files.
func licenceText(cfg *config.Config) []byte {
	return []byte("I dati aperti dell'albo pretorio online di " + cfg.Ente + " (atti.json, atti.csv, archivio.csv) sono rilasciati con licenza\n" +
		"Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0): " + LicenceURL + "\n" +
		"Si possono riprodurre, distribuire e modificare per qualsiasi fine, citando la fonte: " + cfg.Ente + ", albo pretorio online.\n\n" +
		"I dati personali eventualmente contenuti negli atti sono pubblicati per finalità di pubblicità legale e non sono\n" +
		"riutilizzabili per altri fini (Garante per la protezione dei dati personali, linee guida del 15 maggio 2014).\n" +
		"Descrizione dei dati: datapackage.json (Frictionless Data) e catalogo.ttl (DCAT-AP_IT).\n")
}
