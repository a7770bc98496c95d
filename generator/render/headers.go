package render

import (
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
// root) carries: no indexing (the Garante's rules), no type sniffing, and a policy that
// lets no attachment act in the albo's origin; an attachment a browser would not show
// safely is a download.
func Headers(rel string) [][2]string {
	h := [][2]string{{"X-Robots-Tag", "noindex, noarchive"}, {"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "same-origin"}}
	switch {
	case !IsAttachment(rel):
		return append(h, [2]string{"Content-Security-Policy", PagePolicy})
	case Inline(rel):
		return append(h, [2]string{"Content-Security-Policy", AttachmentPolicy})
	}
	return append(h, [2]string{"Content-Security-Policy", "default-src 'none'; sandbox"}, [2]string{"Content-Disposition", "attachment"})
}

// HeadersPath is the file of headers for static hosts that read one (Netlify, Cloudflare
// Pages): object storage and CDNs without it need the rules of the README.
const HeadersPath = "_headers"

// headersFile is _headers: every file gets the headers of Headers that do not depend on
// its kind and Cache-Control: no-cache (a static host cannot say "until the act's last
// day"), pages get their policy from their own <meta> (a path pattern cannot tell a page
// from an attachment), and each attachment of an act in publication its own rule.
func headersFile(base string, entries []*schedule.Entry) []byte {
	var b strings.Builder
	b.WriteString("# Scritto da albo a ogni costruzione: le intestazioni per i servizi di siti statici che leggono questo file (Netlify, Cloudflare Pages).\n")
	fmt.Fprintf(&b, "%s*\n  X-Robots-Tag: noindex, noarchive\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: same-origin\n  Cache-Control: no-cache\n", base)
	rule := func(e *schedule.Entry, file string) {
		fmt.Fprintf(&b, "%s%s\n", base, attachmentURL(e, file))
		for _, kv := range Headers(attachmentPath(e, file))[3:] {
			fmt.Fprintf(&b, "  %s: %s\n", kv[0], kv[1])
		}
	}
	for _, e := range entries {
		for _, a := range e.Allegati {
			rule(e, a.File)
			if name := ReadableCopy(e, a); name != "" {
				rule(e, name)
			}
		}
	}
	return []byte(b.String())
}
