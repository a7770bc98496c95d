package impronta

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// Public is the SHA-256 of the public form, byte for byte: what a citizen recomputes from
// the form shown on the act's page.
func TestPublicIsTheFormsDigest(t *testing.T) {
	keys := []byte("oggetto: Lavori di manutenzione\nregistro: 2026/7\n")
	for _, tc := range []struct {
		redacted    string
		attachments []Attachment
	}{
		{"", nil},
		{"## Testo\n\nIl signor «omissis» chiede...\n", nil},
		{"Testo.\n", []Attachment{{File: "atto.pdf", Size: 51234, SHA256: "ab12"}, {File: "planimetria.pdf.p7m", Size: 7, SHA256: "cd34"}}},
	} {
		var form bytes.Buffer
		WriteForm(&form, keys, []byte(tc.redacted), tc.attachments)
		sum := sha256.Sum256(form.Bytes())
		if got, want := Public(keys, []byte(tc.redacted), tc.attachments), Prefix+hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%q: Public = %s, the digest of the form is %s", tc.redacted, got, want)
		}
	}
}
