package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/gorilla/feeds"
)

// Feed paths (SPEC §5, fixed).
const (
	RSSPath  = "feed.xml"
	AtomPath = "atom.xml"
	JSONPath = "feed.json"
)

// FeedItems is the number of acts a feed carries at most: the newest in publication. A
// reader that polls even once a month misses none, and a feed stays small to fetch; the
// complete list of the acts in publication is the open data (dati/atti.json).
const FeedItems = 200

// newest returns at most FeedItems of entries, which are newest first.
func newest(entries []*schedule.Entry) []*schedule.Entry {
	return entries[:min(len(entries), FeedItems)]
}

// Guid is the stable identifier of an act in feeds: urn:albo:<codice_ipa>:<anno>:<n>. It is
// not a permalink: the act's page disappears when its publication ends.
func Guid(cfg *config.Config, e *schedule.Entry) string {
	return fmt.Sprintf("urn:albo:%s:%d:%d", cfg.CodiceIPA, e.Registro.Anno, e.Registro.Numero)
}

// feedTitle is an item's title: ANNULLATO if so, the type, the act's number and the subject.
func feedTitle(e *schedule.Entry) string {
	var b strings.Builder
	if e.Annullato != nil {
		b.WriteString("ANNULLATO - ")
	}
	b.WriteString(e.Type.Nome)
	if e.Numero != "" {
		b.WriteString(" n. " + e.Numero)
	}
	b.WriteString(": " + e.Oggetto)
	return b.String()
}

// feedSummary describes an act from its metadata only: never its text.
func feedSummary(cfg *config.Config, e *schedule.Entry) string {
	parts := []string{"Registro " + e.Registro.Italian() + "."}
	act := e.Type.Nome
	if e.Numero != "" {
		act += " n. " + e.Numero
	}
	if !e.Data.IsZero() {
		act += " del " + e.Data.Italian()
	}
	if e.Ente != "" && e.Ente != cfg.Ente {
		act += ", " + e.Ente
	}
	if e.Ufficio != "" {
		act += ", " + e.Ufficio
	}
	parts = append(parts, act+".")
	parts = append(parts, fmt.Sprintf("In pubblicazione dal %s al %s.", e.Dal.Italian(), e.Al.Italian()))
	if e.Proroga != nil {
		parts = append(parts, fmt.Sprintf("Pubblicazione prorogata: %s.", e.Proroga.Motivo))
	}
	for _, i := range e.Interruzioni {
		parts = append(parts, fmt.Sprintf("Pubblicazione prorogata di %s per interruzione del servizio dal %s al %s: %s.", giorni(i.Giorni), i.Dal.Italian(), i.Al.Italian(), i.Motivo))
	}
	if n := e.Annullato; n != nil {
		parts = append(parts, fmt.Sprintf("Atto annullato il %s: %s.", n.Data.Italian(), n.Motivo))
	}
	if e.Deposito != "" {
		parts = append(parts, "Atto depositato presso: "+e.Deposito+".")
	}
	if n := len(e.Allegati); n == 1 {
		parts = append(parts, "1 allegato.")
	} else if n > 1 {
		parts = append(parts, fmt.Sprintf("%d allegati.", n))
	}
	return strings.Join(parts, " ")
}

// giorni writes a number of days: 1 giorno, 3 giorni.
func giorni(n int) string {
	if n == 1 {
		return "1 giorno"
	}
	return strconv.Itoa(n) + " giorni"
}

// feedDates are an item's first publication and last change: 00:00 of dal, and of the
// annulment if later.
func feedDates(cfg *config.Config, e *schedule.Entry) (published, updated time.Time) {
	published = e.Dal.Start(cfg.Location)
	updated = published
	if n := e.Annullato; n != nil && n.Data.After(e.Dal) {
		updated = n.Data.Start(cfg.Location)
	}
	return
}

// gorillaFeed is the feed of entries as gorilla/feeds models it.
func gorillaFeed(cfg *config.Config, title string, entries []*schedule.Entry) *feeds.Feed {
	f := &feeds.Feed{
		Title:       title,
		Link:        &feeds.Link{Href: cfg.URL.String()},
		Description: "Atti in pubblicazione all'albo pretorio online - " + cfg.Ente,
		Author:      &feeds.Author{Name: cfg.Ente},
		Id:          "urn:albo:" + cfg.CodiceIPA,
	}
	for _, e := range entries {
		pub, upd := feedDates(cfg, e)
		if upd.After(f.Updated) {
			f.Updated = upd
		}
		it := &feeds.Item{
			Title:       feedTitle(e),
			Link:        &feeds.Link{Href: absURL(cfg, ActPage(e))},
			Description: feedSummary(cfg, e),
			Id:          Guid(cfg, e),
			IsPermaLink: "false",
			Created:     pub,
			Updated:     upd,
		}
		if len(e.Allegati) > 0 {
			a := e.Allegati[0] // RSS allows one enclosure: the first attachment
			it.Enclosure = &feeds.Enclosure{Url: absURL(cfg, attachmentURL(e, a.File)), Type: MediaType(a.File), Length: strconv.FormatInt(a.Size, 10)}
		}
		f.Items = append(f.Items, it)
	}
	f.Created = f.Updated
	return f
}

// rss is an RSS 2.0 document: gorilla's channel and items, plus what it lacks (the
// atom:link to itself, the language) and without item authors that are not e-mail
// addresses.
type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string        `xml:"title"`
	Link          string        `xml:"link"`
	Self          selfLink      `xml:"atom:link"`
	Description   string        `xml:"description"`
	Language      string        `xml:"language"`
	PubDate       string        `xml:"pubDate,omitempty"`
	LastBuildDate string        `xml:"lastBuildDate,omitempty"`
	Generator     string        `xml:"generator"`
	Docs          string        `xml:"docs"`
	Categories    []rssCategory `xml:"category"`
	Items         []rssItem     `xml:"item"`
}

// rssItem is gorilla's item with the categories of the AlboPOP specification
// (ondata/albopopTwoDotZero), which aggregators of albi read.
type rssItem struct {
	*feeds.RssItem
	Categories []rssCategory `xml:"category"`
}

// rssCategory is an RSS category in an AlboPOP domain.
type rssCategory struct {
	Domain string `xml:"domain,attr"`
	Value  string `xml:",chardata"`
}

// albopop is the domain of an AlboPOP category: channel-category-name, item-category-uid…
func albopop(kind, name, value string) rssCategory {
	return rssCategory{Domain: "http://albopop.it/specs#" + kind + "-category-" + name, Value: value}
}

// channelCategories say which body the feed is of: AlboPOP's type and name (required), and
// country and municipality.
func channelCategories(cfg *config.Config) []rssCategory {
	tipo := "Ente"
	for _, t := range []string{"Comune", "Città", "Unione", "Provincia", "Regione"} {
		if strings.HasPrefix(cfg.Ente, t+" ") {
			tipo = t
		}
	}
	out := []rssCategory{albopop("channel", "country", "Italia")}
	if tipo == "Comune" || tipo == "Città" {
		out = append(out, albopop("channel", "municipality", cfg.Luogo()))
	}
	return append(out, albopop("channel", "type", tipo), albopop("channel", "name", cfg.Ente))
}

// itemCategories are an act's AlboPOP categories: its register number, type, first and
// last day of publication, date, executability and office.
func itemCategories(cfg *config.Config, e *schedule.Entry) []rssCategory {
	out := []rssCategory{
		albopop("item", "uid", e.Registro.String()),
		albopop("item", "type", e.Type.Nome),
		albopop("item", "pubStart", e.Dal.Start(cfg.Location).Format(time.RFC1123Z)),
		albopop("item", "pubEnd", e.Al.AddDays(1).Start(cfg.Location).Add(-time.Second).Format(time.RFC1123Z)),
	}
	if !e.Data.IsZero() {
		out = append(out, albopop("item", "relStart", e.Data.Start(cfg.Location).Format(time.RFC1123Z)))
	}
	if !e.Esecutiva.IsZero() {
		out = append(out, albopop("item", "exeStart", e.Esecutiva.Start(cfg.Location).Format(time.RFC1123Z)))
	}
	if e.Ufficio != "" {
		out = append(out, albopop("item", "unit", e.Ufficio))
	}
	return out
}

// feedPage is the page a feed published at rel is the feed of: the home page, or the
// page of its type (tipi/ordinanza/feed.xml → tipi/ordinanza/).
func feedPage(cfg *config.Config, rel string) string {
	if dir := path.Dir(rel); dir != "." {
		return absURL(cfg, dir+"/")
	}
	return cfg.URL.String()
}

type selfLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

func marshalXML(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// htmlText escapes plain text as HTML text: what an RSS description and an Atom text
// construct of type "html" hold, so that the clerk's text reaches a reader as text,
// whatever it contains.
var htmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// hexRefs writes the XML escapes of '&', '<' and '>' as hexadecimal character references,
// as the RSS Best Practices Profile asks of plain text: the same characters to an XML
// parser, and the form most aggregators read right.
var hexRefs = strings.NewReplacer("&amp;", "&#x26;", "&lt;", "&#x3C;", "&gt;", "&#x3E;")

// RSS renders an RSS 2.0 feed published at rel. Titles and the channel's description are
// plain text; an item's description is HTML, escaped from the text.
func RSS(cfg *config.Config, title, rel string, entries []*schedule.Entry) ([]byte, error) {
	f := gorillaFeed(cfg, title, entries)
	ch := (&feeds.Rss{Feed: f}).RssFeed()
	items := make([]rssItem, len(ch.Items))
	for i, it := range ch.Items {
		it.Author = "" // RSS wants an e-mail address here; the ente is in the description
		it.Description = htmlText.Replace(it.Description)
		items[i] = rssItem{RssItem: it, Categories: itemCategories(cfg, entries[i])}
	}
	pub := ""
	if !f.Updated.IsZero() {
		pub = f.Updated.Format(time.RFC1123Z)
	}
	b, err := marshalXML(rss{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: rssChannel{
		Title: f.Title, Link: feedPage(cfg, rel), Description: f.Description, Language: "it-it", PubDate: pub, LastBuildDate: pub,
		Self:      selfLink{Href: absURL(cfg, rel), Rel: "self", Type: "application/rss+xml"},
		Generator: "albo", Docs: "https://www.rssboard.org/rss-specification", Categories: channelCategories(cfg), Items: items,
	}})
	return []byte(hexRefs.Replace(string(b))), err
}

// atom is an Atom 1.0 document, with links to itself and the site.
type atom struct {
	XMLName xml.Name          `xml:"feed"`
	Xmlns   string            `xml:"xmlns,attr"`
	Lang    string            `xml:"xml:lang,attr"`
	Title   atomText          `xml:"title"`
	Id      string            `xml:"id"`
	Updated string            `xml:"updated"`
	Links   []feeds.AtomLink  `xml:"link"`
	Author  *feeds.AtomAuthor `xml:"author"`
	Entries []atomEntry       `xml:"entry"`
}

// atomEntry is gorilla's entry with its title and summary as text constructs of type
// "html": text escaped once more, that no reader can take as markup.
type atomEntry struct {
	Title     atomText         `xml:"title"`
	Updated   string           `xml:"updated"`
	Id        string           `xml:"id"`
	Published string           `xml:"published"`
	Links     []feeds.AtomLink `xml:"link"`
	Summary   atomText         `xml:"summary"`
}

// atomText is an Atom text construct (RFC 4287 §3.1).
type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// escapedText is plain text as an Atom text construct of type "html".
func escapedText(s string) atomText { return atomText{"html", htmlText.Replace(s)} }

// Atom renders the Atom 1.0 feed of the albo.
func Atom(cfg *config.Config, title string, entries []*schedule.Entry, today time.Time) ([]byte, error) {
	f := gorillaFeed(cfg, title, entries)
	af := (&feeds.Atom{Feed: f}).AtomFeed()
	out := make([]atomEntry, len(af.Entries))
	for i, en := range af.Entries {
		e := entries[i]
		pub, _ := feedDates(cfg, e)
		out[i] = atomEntry{Title: escapedText(en.Title), Updated: en.Updated, Id: en.Id, Published: pub.Format(time.RFC3339),
			Links: en.Links, Summary: escapedText(f.Items[i].Description)}
		for _, a := range e.Allegati[min(1, len(e.Allegati)):] { // gorilla links the first one
			out[i].Links = append(out[i].Links, feeds.AtomLink{Href: absURL(cfg, attachmentURL(e, a.File)), Rel: "enclosure", Type: MediaType(a.File), Length: strconv.FormatInt(a.Size, 10)})
		}
	}
	updated := f.Updated
	if updated.IsZero() {
		updated = today
	}
	return marshalXML(atom{
		Xmlns: "http://www.w3.org/2005/Atom", Lang: "it", Title: escapedText(f.Title), Id: f.Id, Updated: updated.Format(time.RFC3339),
		Links: []feeds.AtomLink{
			{Href: absURL(cfg, AtomPath), Rel: "self", Type: "application/atom+xml"},
			{Href: cfg.URL.String(), Rel: "alternate", Type: "text/html"},
		},
		Author:  af.Author,
		Entries: out,
	})
}

// jsonFeed is a JSON Feed 1.1 document: gorilla's, with the feed's own address and
// language, and items that carry content_text and every attachment with its size.
type jsonFeed struct {
	*feeds.JSONFeed
	Items []jsonItem `json:"items"`
}

type jsonItem struct {
	*feeds.JSONItem
	Attachments []jsonAttachment `json:"attachments,omitempty"`
}

type jsonAttachment struct {
	URL      string `json:"url"`
	MIMEType string `json:"mime_type"`
	Title    string `json:"title"`
	Size     int64  `json:"size_in_bytes"`
}

// JSONFeed renders the JSON Feed 1.1 of the albo.
func JSONFeed(cfg *config.Config, title string, entries []*schedule.Entry) ([]byte, error) {
	f := gorillaFeed(cfg, title, entries)
	jf := (&feeds.JSON{Feed: f}).JSONFeed()
	jf.FeedUrl = absURL(cfg, JSONPath)
	jf.Language = "it-IT"
	jf.Author = nil // deprecated in 1.1: authors only
	out := jsonFeed{JSONFeed: jf, Items: make([]jsonItem, len(jf.Items))}
	for i, it := range jf.Items {
		e := entries[i]
		it.ContentText = it.Summary // 1.1 requires content_html or content_text
		it.Author = nil
		it.Authors = []*feeds.JSONAuthor{{Name: cfg.Ente}}
		if e.Ente != "" {
			it.Authors[0].Name = e.Ente
		}
		it.Image = ""
		ji := jsonItem{JSONItem: it}
		for _, a := range e.Allegati {
			ji.Attachments = append(ji.Attachments, jsonAttachment{absURL(cfg, attachmentURL(e, a.File)), MediaType(a.File), a.Titolo, a.Size})
		}
		out.Items[i] = ji
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// feedFiles writes the albo's feeds and one RSS feed per type with feed on. Marriage
// banns are never in a feed.
func (r *Renderer) feedFiles(p *schedule.Plan, atti []*schedule.Entry, out Sink) error {
	cfg := p.Config
	var in []*schedule.Entry
	for _, e := range atti {
		if e.Type.Feed && !e.Type.Marriage() {
			in = append(in, e)
		}
	}
	title := "Albo pretorio - " + cfg.Ente
	byType := map[*config.Type][]*schedule.Entry{} // by the entry's own pointer, as the lists
	for _, e := range in {
		byType[e.Type] = append(byType[e.Type], e)
	}
	in = newest(in)
	key := func(fields string, entries []*schedule.Entry) string {
		return r.inputsKey(title+"\x00"+fields, entries)
	}
	err := keyed(out, RSSPath, key(RSSPath, in), func(*bytes.Buffer) ([]byte, error) { return RSS(cfg, title, RSSPath, in) })
	if err != nil {
		return err
	}
	err = keyed(out, AtomPath, key(AtomPath+"\x00"+p.Today.String(), in), func(*bytes.Buffer) ([]byte, error) {
		return Atom(cfg, title, in, p.Today.Start(cfg.Location))
	})
	if err != nil {
		return err
	}
	if err := keyed(out, JSONPath, key(JSONPath, in), func(*bytes.Buffer) ([]byte, error) { return JSONFeed(cfg, title, in) }); err != nil {
		return err
	}
	for _, k := range cfg.TypeKeys() {
		t := cfg.Tipi[k]
		if !t.Feed || t.Marriage() {
			continue
		}
		rel := "tipi/" + k + "/feed.xml"
		entries := newest(byType[t])
		err := keyed(out, rel, key(rel, entries), func(*bytes.Buffer) ([]byte, error) {
			return RSS(cfg, t.Nome+" - Albo pretorio - "+cfg.Ente, rel, entries)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
