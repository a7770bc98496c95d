package tmplexec

import (
	"bytes"
	"strings"
	"text/template/parse"
)

// escaper writes s, of content type t, escaped for its context into w; false: html/template
// must do it (an HTML value in an attribute, whose tags it strips).
type escaper func(w *bytes.Buffer, s string, t content) bool

// escaperOf returns the escaper a command of an escaped pipeline calls, or nil: the
// escapers html/template puts in the albo's themes (HTML text and attributes, RCDATA
// (title), URLs and their parts). The others leave the template to html/template.
func escaperOf(cmd *parse.CommandNode) escaper {
	if len(cmd.Args) != 1 {
		return nil
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	if !ok {
		return nil
	}
	switch id.Ident {
	case "_html_template_htmlescaper":
		return func(w *bytes.Buffer, s string, t content) bool {
			if t == html {
				w.WriteString(s)
			} else {
				replace(w, s, &htmlTable)
			}
			return true
		}
	case "_html_template_attrescaper":
		return func(w *bytes.Buffer, s string, t content) bool {
			if t == html {
				return false // its tags stripped: html/template's
			}
			replace(w, s, &htmlTable)
			return true
		}
	case "_html_template_rcdataescaper":
		return func(w *bytes.Buffer, s string, t content) bool {
			if t == html {
				replace(w, s, &htmlNormTable)
			} else {
				replace(w, s, &htmlTable)
			}
			return true
		}
	case "_html_template_urlfilter":
		return func(w *bytes.Buffer, s string, t content) bool {
			if t == url || safeURL(s) {
				w.WriteString(s)
			} else {
				w.WriteString("#ZgotmplZ")
			}
			return true
		}
	case "_html_template_urlnormalizer":
		return func(w *bytes.Buffer, s string, _ content) bool {
			processURL(w, s, true)
			return true
		}
	case "_html_template_urlescaper":
		return func(w *bytes.Buffer, s string, t content) bool {
			processURL(w, s, t == url)
			return true
		}
	}
	return nil
}

// htmlTable and htmlNormTable are html/template's replacements in HTML (its
// htmlReplacementTable and htmlNormReplacementTable), by byte: they replace only ASCII
// characters, which are never part of another character in UTF-8.
var htmlTable, htmlNormTable = func() (a, b [128]string) {
	for c, r := range map[byte]string{0: "\uFFFD", '"': "&#34;", '&': "&amp;", '\'': "&#39;", '+': "&#43;", '<': "&lt;", '>': "&gt;"} {
		a[c] = r
		if c != '&' {
			b[c] = r
		}
	}
	return
}()

// replace writes s into w with the bytes of table replaced.
func replace(w *bytes.Buffer, s string, table *[128]string) {
	written := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 128 && table[c] != "" {
			w.WriteString(s[written:i])
			w.WriteString(table[c])
			written = i + 1
		}
	}
	w.WriteString(s[written:])
}

// safeURL is html/template's isSafeURL: no scheme, or http, https or mailto.
func safeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}

// processURL is html/template's urlProcessor: it percent-encodes what may not be in a
// URL; normalizing (norm), it leaves the URL's reserved characters and valid escapes, else
// (a part of a URL: urlEscaper) it encodes them too.
func processURL(w *bytes.Buffer, s string, norm bool) {
	const hex = "0123456789abcdef"
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte("-._~", c) >= 0, 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case norm && strings.IndexByte("!#$&*+,/:;=?@[]", c) >= 0:
			continue
		case norm && c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		w.WriteString(s[written:i])
		w.Write([]byte{'%', hex[c>>4], hex[c&15]})
		written = i + 1
	}
	w.WriteString(s[written:])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
