// Package firma verifies, offline, the digital signatures of an act's attachments: CAdES
// envelopes (.p7m, DER or base64) and PDFs with signature fields (PAdES). For each signer
// it says whether the signature is intact over the content, who signed (name and tax code
// from the certificate), when, which authority issued the certificate and whether it was
// valid then, and, when the site names its trusted certification authorities
// (firme.ancore), whether the certificate leads to one of them. Revocation (CRL, OCSP)
// needs the network: it is never claimed.
package firma

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/msg"
	"github.com/digitorus/pkcs7"
)

// Formats of a signed file.
const (
	CAdES = "CAdES" // a .p7m envelope holding the signed content
	PAdES = "PAdES" // a PDF with signature fields
)

// Trust says whether a signer's certificate leads to a trusted certification authority.
type Trust int

const (
	NoAnchors Trust = iota // the site names no authority: not verified
	Trusted                // the chain leads to an authority of firme.ancore
	Untrusted              // it does not
)

// Signer is one signature of a file.
type Signer struct {
	Intact         bool   // the signature is intact over the signed content
	Problem        string // why it is not, or why it could not be verified
	Name           string // the signer, as the certificate names them
	TaxCode        string // the signer's tax code (codice fiscale), from the certificate's serial number attribute
	Time           time.Time
	Issuer         string // the authority that issued the certificate
	NotBefore      time.Time
	NotAfter       time.Time
	ValidAtSigning bool // the certificate was valid at the signing time (or now, when the signature has no time)
	Trust          Trust
	TrustProblem   string // why the chain does not lead to an authority of firme.ancore
}

// Result is what the signatures of a file say.
type Result struct {
	Format  string
	Signers []Signer
	Problem string // the file could not be read as a signed file at all
	Content []byte // CAdES: the signed content; nil for PAdES
}

// Intact reports whether the file has signatures and every one is intact.
func (r *Result) Intact() bool {
	if r == nil || r.Problem != "" || len(r.Signers) == 0 {
		return false
	}
	for _, s := range r.Signers {
		if !s.Intact {
			return false
		}
	}
	return true
}

// IsEnvelope reports whether a file of this name is a CAdES envelope (.p7m).
func IsEnvelope(name string) bool { return strings.EqualFold(path.Ext(name), ".p7m") }

// ContentName is the name of the signed content of an envelope: its name without .p7m
// (delibera.pdf.p7m → delibera.pdf).
func ContentName(name string) string { return name[:len(name)-len(path.Ext(name))] }

// Anchors reads a PEM bundle of trusted certification authorities.
func Anchors(bundle []byte) (*x509.CertPool, int, error) {
	pool := x509.NewCertPool()
	n := 0
	for {
		var b *pem.Block
		b, bundle = pem.Decode(bundle)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, 0, err
		}
		pool.AddCert(c)
		n++
	}
	if n == 0 {
		return nil, 0, errors.New(msg.T("nessun certificato PEM"))
	}
	return pool, n, nil
}

// Verify reads the signatures of the file name with bytes data, against anchors (nil:
// none configured). It returns nil for a file that is not signed (a PDF without
// signature fields, any other type).
// The result depends on nothing else: a signature that does not say when it was made is
// not judged valid at signing, and its chain is checked while its certificate was valid.
func Verify(name string, data []byte, anchors *x509.CertPool) (res *Result) {
	format := ""
	defer func() {
		if recover() != nil { // a hostile file must not stop the albo
			res = &Result{Format: format, Problem: msg.T("il file firmato non si può leggere")}
		}
	}()
	switch {
	case IsEnvelope(name):
		format = CAdES
		res = &Result{Format: CAdES}
		verifyEnvelope(res, data, anchors)
	case strings.EqualFold(path.Ext(name), ".pdf") && bytes.Contains(data, []byte("/ByteRange")):
		format = PAdES
		res = &Result{Format: PAdES}
		verifyPDF(res, data, anchors)
	}
	return res
}

// der returns the DER (or BER) bytes of an envelope written as DER, base64 or PEM.
func der(data []byte) ([]byte, bool) {
	if len(data) > 0 && data[0] == 0x30 {
		return data, true
	}
	if b, _ := pem.Decode(data); b != nil {
		return b.Bytes, true
	}
	clean := bytes.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, data)
	out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(out, clean)
	if err != nil || n == 0 || out[0] != 0x30 {
		return nil, false
	}
	return out[:n], true
}

func verifyEnvelope(res *Result, data []byte, anchors *x509.CertPool) {
	raw, ok := der(data)
	if !ok {
		res.Problem = msg.T("non è una busta CAdES: il file .p7m non è in formato DER né base64")
		return
	}
	p7, err := pkcs7.Parse(raw)
	if err != nil {
		res.Problem = msg.T("la busta CAdES non si può leggere: non è una struttura CMS valida")
		return
	}
	if len(p7.Content) == 0 {
		res.Problem = msg.T("la busta non contiene il documento firmato (firma staccata)")
		return
	}
	res.Content = p7.Content
	res.Signers = signers(p7, anchors, time.Time{})
}

// byteRange finds a PDF signature: the four numbers of /ByteRange and the signature's
// bytes, which lie in the gap the byte range leaves.
var byteRange = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// pdfDate is the signing time a PDF signature dictionary may hold, /M (D:YYYYMMDDHHmmSS…).
var pdfDate = regexp.MustCompile(`/M\s*\(D:(\d{14})([Z+\-])?(\d{2})?'?(\d{2})?'?\)`)

func verifyPDF(res *Result, data []byte, anchors *x509.CertPool) {
	for _, m := range byteRange.FindAllSubmatchIndex(data, 8) {
		var n [4]int
		for i := range n {
			v, err := strconv.Atoi(string(data[m[2+2*i]:m[3+2*i]]))
			if err != nil {
				v = -1
			}
			n[i] = v
		}
		a, b, c, d := n[0], n[1], n[2], n[3]
		if a != 0 || b < 0 || c < a+b || d < 0 || c+d > len(data) {
			res.Signers = append(res.Signers, Signer{Problem: msg.T("l'intervallo firmato del PDF non è valido")})
			continue
		}
		gap := string(bytes.Trim(data[b:c], "<> \r\n\t"))
		sig, err := hex.DecodeString(gap + strings.Repeat("0", len(gap)%2))
		if err != nil {
			res.Signers = append(res.Signers, Signer{Problem: msg.T("la firma del PDF non si può leggere")})
			continue
		}
		p7, err := pkcs7.Parse(trimDER(sig))
		if err != nil {
			res.Signers = append(res.Signers, Signer{Problem: msg.T("la firma del PDF non si può leggere: non è una struttura CMS valida")})
			continue
		}
		p7.Content = append(append([]byte{}, data[:b]...), data[c:c+d]...)
		var when time.Time
		if t := pdfDate.FindSubmatch(dictionary(data, m[0])); t != nil {
			when = parsePDFDate(t)
		}
		res.Signers = append(res.Signers, signers(p7, anchors, when)...)
	}
}

// trimDER cuts the padding after a DER value (the signature's placeholder is padded with
// zeros).
func trimDER(b []byte) []byte {
	var v asn1.RawValue
	if rest, err := asn1.Unmarshal(b, &v); err == nil {
		return b[:len(b)-len(rest)]
	}
	return b
}

// dictionary returns the bytes around a signature's /ByteRange, where its dictionary is.
func dictionary(data []byte, at int) []byte {
	lo := bytes.LastIndex(data[:at], []byte("obj"))
	if lo < 0 || at-lo > 64<<10 {
		lo = max(0, at-4096)
	}
	hi := bytes.Index(data[at:], []byte("endobj"))
	if hi < 0 || hi > 64<<10 {
		hi = min(len(data)-at, 4096)
	}
	return data[lo : at+hi]
}

func parsePDFDate(m [][]byte) time.Time {
	t, err := time.Parse("20060102150405", string(m[1]))
	if err != nil {
		return time.Time{}
	}
	if len(m[2]) > 0 && m[2][0] != 'Z' && len(m[3]) > 0 {
		h, _ := strconv.Atoi(string(m[3]))
		mm, _ := strconv.Atoi(string(m[4]))
		off := time.Duration(h)*time.Hour + time.Duration(mm)*time.Minute
		if m[2][0] == '+' {
			off = -off
		}
		t = t.Add(off)
	}
	return t.UTC()
}

// signers verifies each signer of p7 on its own; when gives the signing time if the
// signature itself has none (PAdES: the dictionary's /M).
func signers(p7 *pkcs7.PKCS7, anchors *x509.CertPool, when time.Time) []Signer {
	var out []Signer
	for i := range p7.Signers {
		one := *p7
		one.Signers = p7.Signers[i : i+1]
		cert := one.GetOnlySigner()
		if cert == nil {
			out = append(out, Signer{Problem: msg.T("manca il certificato di chi ha firmato")})
			continue
		}
		s := Signer{Name: name(cert), TaxCode: taxCode(cert), Issuer: issuer(cert), NotBefore: cert.NotBefore, NotAfter: cert.NotAfter, Time: when}
		var t time.Time
		if s.Time.IsZero() && i == 0 && one.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &t) == nil {
			s.Time = t.UTC() // a PDF's /M comes first: PAdES puts the signing time there
		}
		err := one.Verify()
		if err != nil && strings.Contains(err.Error(), "outside of certificate validity") {
			// The certificate had expired (or not begun) when it signed: is the signature
			// intact all the same? Verify again with a copy whose validity covers it.
			one.Certificates = widened(one.Certificates)
			err = one.Verify()
		}
		s.Intact = err == nil
		if err != nil {
			s.Problem = problem(err)
		}
		at := s.Time
		s.ValidAtSigning = !at.IsZero() && !at.Before(cert.NotBefore) && !at.After(cert.NotAfter)
		if at.IsZero() {
			at = cert.NotBefore.Add(time.Second) // no time: the chain as it was when the certificate was valid
		}
		if anchors != nil {
			s.Trust, s.TrustProblem = Trusted, ""
			inter := x509.NewCertPool()
			for _, c := range p7.Certificates {
				if c != cert {
					inter.AddCert(c)
				}
			}
			if _, err := cert.Verify(x509.VerifyOptions{Roots: anchors, Intermediates: inter, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
				s.Trust, s.TrustProblem = Untrusted, trustProblem(err)
			}
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		out = append(out, Signer{Problem: msg.T("la busta non ha firme")})
	}
	return out
}

// widened returns copies of certs valid at every time, for checking only the signature.
func widened(certs []*x509.Certificate) []*x509.Certificate {
	out := make([]*x509.Certificate, len(certs))
	for i, c := range certs {
		w := *c
		w.NotBefore, w.NotAfter = time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		out[i] = &w
	}
	return out
}

func problem(err error) string {
	var mismatch *pkcs7.MessageDigestMismatchError
	if errors.As(err, &mismatch) || strings.Contains(err.Error(), "verification error") {
		return msg.T("il documento è stato modificato dopo la firma")
	}
	return msg.T("la firma non corrisponde al documento")
}

func trustProblem(err error) string {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &unknown):
		return msg.T("l'emittente non è tra le autorità di certificazione configurate")
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return msg.T("un certificato della catena non era valido alla data della firma")
	case errors.As(err, &invalid):
		return msg.T("la catena del certificato non è valida (un certificato non può emetterne altri, o non è per la firma)")
	}
	return msg.T("la catena del certificato non si può verificare")
}

var (
	oidGivenName = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidSurname   = asn1.ObjectIdentifier{2, 5, 4, 4}
)

// name is the signer's name: given name and surname where the certificate has them (as
// Italian qualified certificates do), else its common name.
func name(c *x509.Certificate) string {
	var given, sur string
	for _, a := range c.Subject.Names {
		switch {
		case a.Type.Equal(oidGivenName):
			given = fmt.Sprint(a.Value)
		case a.Type.Equal(oidSurname):
			sur = fmt.Sprint(a.Value)
		}
	}
	if given != "" && sur != "" {
		return strings.ToUpper(given + " " + sur)
	}
	return strings.ToUpper(c.Subject.CommonName)
}

// taxCode is the tax code of an Italian certificate's serial number attribute
// ("TINIT-RSSMRA80A01H501U", or the code alone).
func taxCode(c *x509.Certificate) string {
	s := strings.TrimSpace(c.Subject.SerialNumber)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "TINIT-"), "IT:")
	if len(s) == 16 {
		return strings.ToUpper(s)
	}
	return ""
}

func issuer(c *x509.Certificate) string {
	if len(c.Issuer.Organization) > 0 {
		return c.Issuer.Organization[0]
	}
	return c.Issuer.CommonName
}

// Content returns the signed content of a CAdES envelope (DER, BER, base64 or PEM).
func Content(data []byte) (content []byte, err error) {
	defer func() {
		if recover() != nil {
			content, err = nil, errors.New(msg.T("la busta CAdES non si può leggere"))
		}
	}()
	raw, ok := der(data)
	if !ok {
		return nil, errors.New(msg.T("non è una busta CAdES"))
	}
	p7, err := pkcs7.Parse(raw)
	if err != nil {
		return nil, errors.New(msg.T("la busta CAdES non si può leggere: non è una struttura CMS valida"))
	}
	if len(p7.Content) == 0 {
		return nil, errors.New(msg.T("la busta non contiene il documento firmato"))
	}
	return p7.Content, nil
}

// Describe says in plain Italian what a signature is, as pages, the open data and the
// certificate of publication show it; dates are local dates in loc. The signer's tax code
// is personal data the albo does not need to publish: only the certificate of
// publication, which the office keeps, gives it (see TaxCode).
func (s Signer) Describe(loc *time.Location) string {
	if s.Name == "" {
		return "Firma digitale non verificabile: " + s.Problem
	}
	var b strings.Builder
	b.WriteString("Firmato digitalmente da " + s.Name)
	if !s.Time.IsZero() {
		b.WriteString(" il " + s.Time.In(loc).Format("02/01/2006"))
	} else {
		b.WriteString(", senza data della firma")
	}
	if s.Intact {
		b.WriteString(" — firma integra")
	} else {
		b.WriteString(" — firma NON integra: " + s.Problem)
	}
	b.WriteString("; certificato emesso da " + s.Issuer + ", valido dal " + s.NotBefore.In(loc).Format("02/01/2006") + " al " + s.NotAfter.In(loc).Format("02/01/2006"))
	switch {
	case s.Time.IsZero():
	case s.ValidAtSigning:
		b.WriteString(", valido alla data della firma")
	default:
		b.WriteString(", NON valido alla data della firma")
	}
	switch s.Trust {
	case Trusted:
		b.WriteString("; verificato rispetto alle autorità di certificazione configurate")
	case Untrusted:
		b.WriteString("; non verificato rispetto alle autorità di certificazione configurate: " + s.TrustProblem)
	default:
		b.WriteString("; non verificato rispetto ad autorità di certificazione: l'albo non ne ha configurate")
	}
	return b.String() + "."
}

// Revocation is what albo says of revocation, which it cannot check offline.
const Revocation = "La revoca dei certificati non è verificata: richiede la rete."
