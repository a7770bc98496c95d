package docs

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// publiccode is what the test reads of publiccode.yml: the keys the standard requires
// (publiccode.yml 0.5, docs/standard/schema.core.rst and schema.it.rst) and those whose
// values it restricts.
type publiccode struct {
	Version           string   `yaml:"publiccodeYmlVersion"`
	Name              string   `yaml:"name"`
	URL               string   `yaml:"url"`
	Platforms         []string `yaml:"platforms"`
	Categories        []string `yaml:"categories"`
	DevelopmentStatus string   `yaml:"developmentStatus"`
	SoftwareType      string   `yaml:"softwareType"`
	Audience          struct {
		Countries []string `yaml:"countries"`
		Scope     []string `yaml:"scope"`
	} `yaml:"intendedAudience"`
	Description map[string]struct {
		Short    string   `yaml:"shortDescription"`
		Long     string   `yaml:"longDescription"`
		Features []string `yaml:"features"`
	} `yaml:"description"`
	Legal struct {
		License string `yaml:"license"`
	} `yaml:"legal"`
	Maintenance struct {
		Type        string              `yaml:"type"`
		Contractors []map[string]string `yaml:"contractors"`
		Contacts    []struct {
			Name string `yaml:"name"`
		} `yaml:"contacts"`
	} `yaml:"maintenance"`
	Localisation struct {
		Ready     *bool    `yaml:"localisationReady"`
		Languages []string `yaml:"availableLanguages"`
	} `yaml:"localisation"`
	IT struct {
		CountryExtensionVersion string `yaml:"countryExtensionVersion"`
	} `yaml:"IT"`
}

// The controlled vocabularies of the standard that the file uses.
var (
	categories = strings.Fields(`accounting agile-project-management applicant-tracking application-development
		appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence
		business-process-management cad call-center-management cloud-management collaboration communications
		compliance-management contact-management content-management crm customer-service-and-support
		data-analytics data-collection data-visualization design design-system digital-asset-management
		digital-citizenship document-management donor-management e-commerce e-signature educational-content
		email-management email-marketing employee-management enterprise-project-management
		enterprise-social-networking erp event-management facility-management feedback-and-reviews-management
		financial-reporting fleet-management fundraising gamification geographic-information-systems
		grant-management graphic-design help-desk hr ide identity-management instant-messaging
		integrated-library-system inventory-management it-asset-management it-development it-management
		it-security it-service-management knowledge-management learning-management-system marketing
		mind-mapping mobile-marketing mobile-payment network-management office online-booking
		online-community payment-gateway payroll predictive-analysis procurement productivity-suite
		project-collaboration project-management property-management real-estate-management
		regulations-and-directives remote-support resource-management sales-management seo service-desk
		social-media-management survey talent-management task-management taxes-management test-management
		time-management time-tracking translation video-conferencing video-editing visitor-management voip
		warehouse-management web-collaboration web-conferencing website-builder whistleblowing
		workflow-management other`)
	scopes = strings.Fields(`agriculture culture defence education emergency-services employment energy
		environment finance-and-economic-development foreign-affairs government healthcare infrastructures
		justice local-authorities manufacturing research science-and-technology security society sport
		tourism transportation welfare`)
	platforms     = []string{"web", "windows", "mac", "linux", "ios", "android"}
	statuses      = []string{"concept", "development", "beta", "stable", "obsolete"}
	softwareTypes = []string{"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
		"standalone/backend", "standalone/other", "addon", "library", "configurationFiles"}
	maintenance = []string{"internal", "contract", "community", "none"}
)

// TestPubliccode checks publiccode.yml against the rules of the standard: every mandatory
// key, the lengths of the descriptions, the allowed values; and that it speaks of this
// repository (its module path) under the licence of docs/LICENCE.txt.
func TestPubliccode(t *testing.T) {
	b, err := os.ReadFile("../publiccode.yml")
	if err != nil {
		t.Fatal(err)
	}
	var p publiccode
	if err := yaml.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	check := func(ok bool, format string, args ...any) {
		t.Helper()
		if !ok {
			t.Errorf(format, args...)
		}
	}
	check(regexp.MustCompile(`^0(\.\d+)?$`).MatchString(p.Version), "publiccodeYmlVersion %q", p.Version)
	check(p.Name == "albo", "name %q", p.Name)
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	module := strings.TrimPrefix(strings.SplitN(string(gomod), "\n", 2)[0], "module ")
	check(p.URL == "https://"+module, "url %q is not the repository of module %s", p.URL, module)
	check(len(p.Platforms) > 0, "no platforms")
	for _, v := range p.Platforms {
		check(slices.Contains(platforms, v), "platform %q not in the standard's list", v)
	}
	for _, v := range p.Categories {
		check(slices.Contains(categories, v), "category %q not in the standard's list", v)
	}
	for _, v := range p.Audience.Scope {
		check(slices.Contains(scopes, v), "scope %q not in the standard's list", v)
	}
	for _, v := range p.Audience.Countries {
		check(regexp.MustCompile(`^[A-Z]{2}$`).MatchString(v), "country %q is not ISO 3166-1 alpha-2", v)
	}
	check(slices.Contains(statuses, p.DevelopmentStatus), "developmentStatus %q", p.DevelopmentStatus)
	check(slices.Contains(softwareTypes, p.SoftwareType), "softwareType %q", p.SoftwareType)
	it, ok := p.Description["it"]
	check(ok, "no description in Italian")
	check(it.Short != "" && utf8.RuneCountInString(it.Short) <= 150, "shortDescription of %d characters (1-150)", utf8.RuneCountInString(it.Short))
	n := utf8.RuneCountInString(it.Long)
	check(n >= 150 && n <= 10000, "longDescription of %d characters (150-10000)", n)
	check(len(it.Features) > 0, "no features")
	check(p.Legal.License == "EUPL-1.2", "licence %q", p.Legal.License)
	licence, err := os.ReadFile("LICENCE.txt")
	check(err == nil && strings.Contains(string(licence), "EUROPEAN UNION PUBLIC LICENCE v. 1.2"), "docs/LICENCE.txt is not the EUPL 1.2")
	m := p.Maintenance
	check(slices.Contains(maintenance, m.Type), "maintenance type %q", m.Type)
	check((m.Type == "contract") == (len(m.Contractors) > 0), "contractors are for (and only for) maintenance type contract")
	if m.Type == "internal" || m.Type == "community" {
		check(len(m.Contacts) > 0, "maintenance %s needs contacts", m.Type)
	}
	for _, c := range m.Contacts {
		check(c.Name != "", "a contact without name")
	}
	check(p.Localisation.Ready != nil, "no localisationReady")
	check(slices.Contains(p.Localisation.Languages, "it"), "availableLanguages %v lacks it", p.Localisation.Languages)
	check(p.IT.CountryExtensionVersion == "1.0", "IT.countryExtensionVersion %q, must be 1.0", p.IT.CountryExtensionVersion)
}
