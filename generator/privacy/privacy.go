// Package privacy finds personal data left in the published text of acts: Italian tax
// codes (validated by their check character), numeric tax codes and VAT numbers (check
// digit), IBANs (mod 97), e-mail addresses, phone numbers and health terms. A value the
// site allows (privacy.consentiti: the ente's own codes and contacts) is not reported.
package privacy

import (
	"math/big"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Kinds of personal data.
const (
	CodiceFiscale = "codice fiscale"
	PartitaIVA    = "codice fiscale numerico o partita IVA"
	IBAN          = "IBAN"
	Email         = "indirizzo e-mail"
	Telefono      = "numero di telefono"
	Sanitario     = "dato sanitario"
)

// DefaultHealthTerms are the beginnings of words that reveal health (each matches the
// words that start with it), used when privacy.sanitari is not set.
var DefaultHealthTerms = []string{"diagnos", "patolog", "malatti", "disabil", "invalidit", "handicap", "ricoverat",
	"tossicodipenden", "sieropositiv", "hiv", "aids", "oncolog", "tumor", "psichiatr", "cartella clinica", "gravidanz",
	"terapi", "certificato medico", "legge 104"}

// HealthWords are whole words that reveal health, looked for beside the beginnings: a
// medicine is health data, a pharmacy is not ("turni delle farmacie").
var HealthWords = []string{"farmaco", "farmaci"}

// Match is one piece of personal data found in a text.
type Match struct {
	Kind   string
	Value  string
	Offset int // byte offset in the text
}

// Scanner finds personal data; build it once with the site's settings.
type Scanner struct {
	allowed map[string]bool
	health  *regexp.Regexp
}

// NewScanner returns a scanner that allows the values in consentiti and reports the
// health terms given (DefaultHealthTerms when nil).
func NewScanner(consentiti, healthTerms []string) *Scanner {
	s := &Scanner{allowed: map[string]bool{}}
	for _, c := range consentiti {
		s.allowed[normal(c)] = true
	}
	if healthTerms == nil {
		healthTerms = DefaultHealthTerms
	}
	var alts []string
	for _, t := range healthTerms {
		if t = strings.TrimSpace(fold(t)); t != "" {
			alts = append(alts, regexp.QuoteMeta(t))
		}
	}
	var words []string
	for _, w := range HealthWords {
		words = append(words, regexp.QuoteMeta(w))
	}
	switch {
	case len(alts) > 0:
		s.health = regexp.MustCompile(`(?i)\b(?:(?:` + strings.Join(alts, "|") + `)\pL*|(?:` + strings.Join(words, "|") + `)\b)`)
	default:
		s.health = regexp.MustCompile(`(?i)\b(?:` + strings.Join(words, "|") + `)\b`)
	}
	return s
}

// normal is a value as compared with the allowed ones: upper case, no spaces or separators.
func normal(v string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '/' || r == '+' {
			return -1
		}
		return unicode.ToUpper(r)
	}, v)
}

// fold lowers a text and drops its accents.
func fold(s string) string {
	out, _, _ := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), strings.ToLower(s))
	return out
}

// folded is a text lowered and without accents, with the place in the original text of
// each of its bytes, so that a match in it can be shown as written.
func folded(text string) (string, []int) {
	var b strings.Builder
	at := make([]int, 0, len(text)+1)
	for i, r := range text {
		f := fold(string(r))
		b.WriteString(f)
		for range len(f) {
			at = append(at, i)
		}
	}
	at = append(at, len(text))
	return b.String(), at
}

var (
	cfRE = regexp.MustCompile(`(?i)\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b`)
	// cfSpacedRE is a tax code as people write it on forms, in groups: RSS MRA 85T10 A562S.
	cfSpacedRE = regexp.MustCompile(`(?i)\b[A-Z]{3} ?[A-Z]{3} ?[0-9LMNPQRSTUV]{2} ?[ABCDEHLMPRST] ?[0-9LMNPQRSTUV]{2} ?[A-Z] ?[0-9LMNPQRSTUV]{3} ?[A-Z]\b`)
	pivaRE     = regexp.MustCompile(`\b\d{11}\b`)
	ibanRE     = regexp.MustCompile(`(?i)\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b`)
	emailRE    = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	phoneRE    = regexp.MustCompile(`(?:\+39[ .]?|\b0039[ .]?|\b)[03]\d(?:[ .\-/]?\d){5,10}\b`)
)

// Scan returns the personal data in text, in order of appearance.
func (s *Scanner) Scan(text string) []Match {
	var out []Match
	add := func(kind string, loc []int) {
		v := text[loc[0]:loc[1]]
		if !s.allowed[normal(v)] {
			out = append(out, Match{Kind: kind, Value: v, Offset: loc[0]})
		}
	}
	taken := func(loc []int) bool {
		for _, m := range out {
			if loc[0] < m.Offset+len(m.Value) && m.Offset < loc[1] {
				return true
			}
		}
		return false
	}
	for _, loc := range ibanRE.FindAllStringIndex(text, -1) {
		if ValidIBAN(text[loc[0]:loc[1]]) {
			add(IBAN, loc)
		}
	}
	for _, loc := range cfSpacedRE.FindAllStringIndex(text, -1) {
		if ValidCodiceFiscale(strings.ReplaceAll(text[loc[0]:loc[1]], " ", "")) && !taken(loc) {
			add(CodiceFiscale, loc)
		}
	}
	for _, loc := range pivaRE.FindAllStringIndex(text, -1) {
		if ValidPartitaIVA(text[loc[0]:loc[1]]) && !taken(loc) {
			add(PartitaIVA, loc)
		}
	}
	for _, loc := range emailRE.FindAllStringIndex(text, -1) {
		add(Email, loc)
	}
	for _, loc := range phoneRE.FindAllStringIndex(text, -1) {
		if ValidPhone(text[loc[0]:loc[1]]) && !taken(loc) {
			add(Telefono, loc)
		}
	}
	if s.health != nil {
		f, at := folded(text)
		for _, loc := range s.health.FindAllStringIndex(f, -1) {
			start, end := at[loc[0]], at[loc[1]]
			if end == start { // a match that ends inside the folding of one character
				continue
			}
			add(Sanitario, []int{start, end})
		}
	}
	sortMatches(out)
	return out
}

func sortMatches(m []Match) {
	for i := 1; i < len(m); i++ {
		for j := i; j > 0 && m[j].Offset < m[j-1].Offset; j-- {
			m[j], m[j-1] = m[j-1], m[j]
		}
	}
}

// ValidCodiceFiscale reports whether s is a personal tax code with a correct check
// character (omocodia letters allowed).
func ValidCodiceFiscale(s string) bool {
	s = strings.ToUpper(s)
	if len(s) != 16 || !cfRE.MatchString(s) {
		return false
	}
	odd := [36]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
		1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23} // A-Z
	sum := 0
	for i := 0; i < 15; i++ {
		c := s[i]
		idx := int(c - '0')
		if c >= 'A' {
			idx = int(c-'A') + 10
		}
		if i%2 == 0 {
			sum += odd[idx]
		} else if c >= 'A' {
			sum += int(c - 'A')
		} else {
			sum += int(c - '0')
		}
	}
	return s[15] == byte('A'+sum%26)
}

// ValidPartitaIVA reports whether s is an 11-digit numeric tax code or VAT number with a
// correct check digit.
func ValidPartitaIVA(s string) bool {
	if len(s) != 11 || strings.Trim(s, "0") == "" {
		return false
	}
	sum := 0
	for i := 0; i < 11; i++ {
		d := int(s[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// ValidIBAN reports whether s (spaces allowed) is an IBAN whose check digits are right.
func ValidIBAN(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	var digits strings.Builder
	for _, r := range s[4:] + s[:4] {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			digits.WriteString(big.NewInt(int64(r - 'A' + 10)).String())
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// ValidPhone reports whether s looks like an Italian phone number: a mobile number of
// ten digits starting with 3, or a landline number of 9 to 11 digits starting with 0,
// with or without +39.
func ValidPhone(s string) bool {
	var d strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			d.WriteRune(r)
		}
	}
	n := d.String()
	if strings.HasPrefix(s, "+39") || strings.HasPrefix(s, "0039") {
		n = strings.TrimPrefix(strings.TrimPrefix(n, "00"), "39")
	}
	switch {
	case strings.HasPrefix(n, "3"):
		return len(n) == 10
	case strings.HasPrefix(n, "0"):
		return len(n) >= 9 && len(n) <= 11
	}
	return false
}
