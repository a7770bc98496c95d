package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/schedule"
)

// A citizen following an old link to an act whose publication has ended deserves to be
// told so, with 410 Gone, and how to see the act at the office (seed 003 art. 17-18), not
// the generic 404. The build writes the page (scaduto.html) and the list of those acts, for
// albo serve and for the web server in front of the site:
//   - GonePath, an nginx map ("/atti/2026/5 1;"), which albo serve reads too;
//   - .htaccess, which Apache reads by itself where AllowOverride allows it.
// The lists hold register numbers only, nothing of the acts.

// GonePath is the list of the acts whose publication has ended, in the output folder.
const GonePath = ".albo-scaduti.map"

// GonePage is the page answered, with 410, for them.
const GonePage = "scaduto.html"

func (r *Renderer) gone(cfg *config.Config, site *SiteView, p *schedule.Plan, out Sink) error {
	var bases []string
	for _, e := range p.Entries {
		if e.State == schedule.Scaduto {
			bases = append(bases, cfg.BasePath()+actPath(e, ""))
		}
	}
	sort.Strings(bases)
	var m, ht strings.Builder
	m.WriteString("# Scritto da albo a ogni costruzione: gli atti la cui pubblicazione è terminata (per nginx: vedi README).\n")
	fmt.Fprintf(&ht, "# Scritto da albo a ogni costruzione: gli atti la cui pubblicazione è terminata rispondono 410 Gone.\nErrorDocument 404 %s404.html\nErrorDocument 410 %s%s\n", cfg.BasePath(), cfg.BasePath(), GonePage)
	for _, b := range bases {
		fmt.Fprintf(&m, "%s 1;\n", b)
		fmt.Fprintf(&ht, "RedirectMatch gone ^%s(\\.html|/.*)$\n", b)
	}
	if err := out.WriteFile(GonePath, []byte(m.String())); err != nil {
		return err
	}
	if err := out.WriteFile(".htaccess", []byte(ht.String())); err != nil {
		return err
	}
	return r.page(out, GonePage, "scaduto", &Page{Site: site, Title: "Atto non più in pubblicazione"})
}
