package render

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/borgoesempio/albo/generator/schedule"
)

// PagePolicy is the Content-Security-Policy of the albo's pages and of its own files:
// only its own scripts, styles and images; no plug-ins, no other base, forms only to itself.
const PagePolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"

// AttachmentPolicy is the Content-Security-Policy of attachments shown in the browser
// (PDF, images, text): nothing of theirs runs, but a PDF viewer may show them.
const AttachmentPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"

// Headers are the headers every response of the file rel (a slash path under the site
// root) carries: the common ones, then those of its kind.
func Headers(rel string) [][2]string { return append(commonHeaders(), kindHeaders(rel)...) }

// commonHeaders are the headers of every file: no indexing (the Garante's rules), no type
// sniffing, no referrer outside the albo.
func commonHeaders() [][2]string {
	return [][2]string{{"X-Robots-Tag", "noindex, noarchive"}, {"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "same-origin"}}
}

// kindHeaders are the headers that depend on what the file is: a policy that lets no
// attachment act in the albo's origin, and a download for an attachment a browser would
// not show safely.
func kindHeaders(rel string) [][2]string {
	switch {
	case !IsAttachment(rel):
		return [][2]string{{"Content-Security-Policy", PagePolicy}}
	case Inline(rel):
		return [][2]string{{"Content-Security-Policy", AttachmentPolicy}}
	}
	return [][2]string{{"Content-Security-Policy", "default-src 'none'; sandbox"}, {"Content-Disposition", "attachment"}}
}

// HeadersPath is the file of headers for static hosts that read one (Netlify, Cloudflare
// Pages): object storage and CDNs without it need the rules of the README.
const HeadersPath = "_headers"

// headersFile is _headers: every file gets the headers of Headers that do not depend on
// its kind and Cache-Control: no-cache (a static host cannot say "until the act's last
// day"), pages get their policy from their own <meta> (a path pattern cannot tell a page
// from an attachment), and each attachment of an act in publication its own rule. The
// rules of an act are made once per session (see kept), in mades[i] for entries[i].
func (r *Renderer) headersFile(base string, entries []*schedule.Entry, mades []*made) []byte {
	var b bytes.Buffer
	b.WriteString("# Scritto da albo a ogni costruzione: le intestazioni per i servizi di siti statici che leggono questo file (Netlify, Cloudflare Pages).\n")
	fmt.Fprintf(&b, "%s*\n", base)
	for _, kv := range append(commonHeaders(), [2]string{"Cache-Control", "no-cache"}) {
		fmt.Fprintf(&b, "  %s: %s\n", kv[0], kv[1])
	}
	for i, e := range entries {
		if len(e.Allegati) == 0 {
			continue
		}
		m := mades[i]
		rules, _ := kept(r, &m.headers, func() (*string, error) {
			var b strings.Builder
			for _, file := range AttachmentNames(e) {
				fmt.Fprintf(&b, "%s%s\n", base, attachmentURL(e, file))
				for _, kv := range kindHeaders(AttachmentPath(e, file)) {
					fmt.Fprintf(&b, "  %s: %s\n", kv[0], kv[1])
				}
			}
			s := b.String()
			return &s, nil
		})
		b.WriteString(*rules)
	}
	return b.Bytes()
}
