// Package firmatest makes throwaway certification authorities, signers and signed files
// (CAdES .p7m and PAdES PDFs), for the tests and for the signed attachments of the sample
// albo. Nothing it makes is trusted anywhere but where it is configured.
package firmatest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
	"github.com/digitorus/pkcs7"
)

// Party is a certificate with its key.
type Party struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

var serial = big.NewInt(1000)

func next() *big.Int { serial.Add(serial, big.NewInt(1)); return new(big.Int).Set(serial) }

// CA makes a certification authority valid from notBefore to notAfter.
func CA(name string, notBefore, notAfter time.Time) Party {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{
		SerialNumber: next(), Subject: pkix.Name{CommonName: name, Organization: []string{name}, Country: []string{"IT"}},
		NotBefore: notBefore, NotAfter: notAfter, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
	if err != nil {
		panic(err)
	}
	c, _ := x509.ParseCertificate(der)
	return Party{c, key}
}

// Signer makes a signer's certificate issued by ca, as Italian qualified certificates name
// a person: given name, surname, and the tax code as serial number ("TINIT-…").
func Signer(ca Party, given, surname, taxCode string, notBefore, notAfter time.Time) Party {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	subject := pkix.Name{CommonName: given + " " + surname, SerialNumber: "TINIT-" + taxCode, Country: []string{"IT"},
		ExtraNames: []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{2, 5, 4, 42}, Value: given}, {Type: asn1.ObjectIdentifier{2, 5, 4, 4}, Value: surname}}}
	tpl := &x509.Certificate{
		SerialNumber: next(), Subject: subject, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageContentCommitment | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca.Cert, key.Public(), ca.Key)
	if err != nil {
		panic(err)
	}
	c, _ := x509.ParseCertificate(der)
	return Party{c, key}
}

// PEM is a certificate in PEM, for firme.ancore.
func PEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// P7MAt is P7M with the signing time at: a CMS SignedData written out field by field
// (RFC 5652), as pkcs7 would but for its clock, so that the sample's envelopes carry the
// day their acts were signed.
func P7MAt(content []byte, signer Party, ca Party, at time.Time) []byte {
	type algorithm struct {
		Algorithm asn1.ObjectIdentifier
	}
	type attribute struct {
		Type   asn1.ObjectIdentifier
		Values asn1.RawValue `asn1:"set"`
	}
	type issuerAndSerial struct {
		Issuer asn1.RawValue
		Serial *big.Int
	}
	type signerInfo struct {
		Version   int
		Sid       issuerAndSerial
		Digest    algorithm
		Signed    []attribute `asn1:"tag:0,set"`
		SigAlg    algorithm
		Signature []byte
	}
	type encap struct {
		Type    asn1.ObjectIdentifier
		Content []byte `asn1:"explicit,tag:0"`
	}
	type signedData struct {
		Version      int
		Digests      []algorithm `asn1:"set"`
		Encap        encap
		Certificates []asn1.RawValue `asn1:"tag:0,set"`
		Signers      []signerInfo    `asn1:"set"`
	}
	type contentInfo struct {
		Type    asn1.ObjectIdentifier
		Content signedData `asn1:"explicit,tag:0"`
	}
	value := func(v any) asn1.RawValue {
		b, err := asn1.Marshal(v)
		if err != nil {
			panic(err)
		}
		return asn1.RawValue{FullBytes: b}
	}
	set := func(v any) asn1.RawValue { // a SET OF with one value
		b := value(v).FullBytes
		return asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: b}
	}
	sum := sha256.Sum256(content)
	attrs := []attribute{
		{pkcs7.OIDAttributeContentType, set(pkcs7.OIDData)},
		{pkcs7.OIDAttributeSigningTime, set(at.UTC())},
		{pkcs7.OIDAttributeMessageDigest, set(sum[:])},
	}
	// The signature covers the attributes as a SET OF (tag 17, sorted as DER wants), not
	// as the [0] they are written with: encoded as pkcs7 encodes them to verify.
	var wrapped asn1.RawValue
	if _, err := asn1.Unmarshal(value(struct {
		A []attribute `asn1:"set"`
	}{attrs}).FullBytes, &wrapped); err != nil {
		panic(err)
	}
	signedAttrs := wrapped.Bytes
	digest := sha256.Sum256(signedAttrs)
	sig, err := signer.Key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		panic(err)
	}
	out, err := asn1.Marshal(contentInfo{
		Type: pkcs7.OIDSignedData,
		Content: signedData{
			Version: 1, Digests: []algorithm{{pkcs7.OIDDigestAlgorithmSHA256}},
			Encap:        encap{pkcs7.OIDData, content},
			Certificates: []asn1.RawValue{{FullBytes: signer.Cert.Raw}, {FullBytes: ca.Cert.Raw}},
			Signers: []signerInfo{{
				Version: 1, Sid: issuerAndSerial{asn1.RawValue{FullBytes: signer.Cert.RawIssuer}, signer.Cert.SerialNumber},
				Digest: algorithm{pkcs7.OIDDigestAlgorithmSHA256}, Signed: attrs,
				SigAlg: algorithm{pkcs7.OIDDigestAlgorithmECDSASHA256}, Signature: sig,
			}},
		},
	})
	if err != nil {
		panic(err)
	}
	return out
}

// P7M signs content in a CAdES envelope (DER, the content inside), as `openssl cms -sign
// -binary -nodetach -outform DER` does; the signing time is the machine's clock.
func P7M(content []byte, signer Party, ca Party) []byte {
	sd, err := pkcs7.NewSignedData(content)
	if err != nil {
		panic(err)
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if err := sd.AddSignerChain(signer.Cert, signer.Key, []*x509.Certificate{ca.Cert}, pkcs7.SignerInfoConfig{}); err != nil {
		panic(err)
	}
	out, err := sd.Finish()
	if err != nil {
		panic(err)
	}
	return out
}

// PAdES signs the PDF in with signer, dated at, and returns the signed PDF.
func PAdES(in []byte, signer Party, ca Party, at time.Time) []byte {
	dir, err := os.MkdirTemp("", "firmatest")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "in.pdf")
	os.WriteFile(src, in, 0o644)
	f, _ := os.Open(src)
	defer f.Close()
	info, _ := f.Stat()
	rdr, err := pdf.NewReader(f, info.Size())
	if err != nil {
		panic(err)
	}
	var out bytes.Buffer
	err = sign.Sign(f, &out, rdr, info.Size(), sign.SignData{
		Signature: sign.SignDataSignature{
			Info:     sign.SignDataSignatureInfo{Name: signer.Cert.Subject.CommonName, Location: "Borgo Esempio", Reason: "Firma dell'atto", Date: at},
			CertType: sign.ApprovalSignature, DocMDPPerm: sign.AllowFillingExistingFormFieldsAndSignaturesPerms,
		},
		Signer: signer.Key, DigestAlgorithm: crypto.SHA256, Certificate: signer.Cert,
		CertificateChains: [][]*x509.Certificate{{signer.Cert, ca.Cert}},
	})
	if err != nil {
		panic(err)
	}
	return out.Bytes()
}
