package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/borgoesempio/albo/docs"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/spf13/cobra"
)

// newHelp is albo help: the help of a command, or a page of the guide for the secretariat.
func newHelp(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMANDO|ARGOMENTO]",
		Short: msg.T("mostra l'aiuto di un comando, o una pagina della guida: %s", strings.Join(topics(), ", ")),
		RunE: func(cmd *cobra.Command, a []string) error {
			out := cmd.OutOrStdout()
			if len(a) == 0 {
				return root.Help()
			}
			if c, _, err := root.Find(a); err == nil && c != root {
				return c.Help()
			}
			if text, ok := topic(a[0]); ok {
				fmt.Fprint(out, text)
				return nil
			}
			return usage("%q non è un comando né una pagina della guida: le pagine sono %s", a[0], strings.Join(topics(), ", "))
		},
	}
}

// topics are the pages of albo help: the guide's, and the table of types.
func topics() []string { return append(docs.Topics(), "tipi") }

// topic returns a page of the guide as a terminal shows it.
func topic(name string) (string, bool) {
	if name == "tipi" {
		return typesPage(), true
	}
	text, ok := docs.Page(name)
	return plainText(text), ok
}

var (
	linkRE = regexp.MustCompile(`\[([^\]]+)\]\([^)]+\)`)
	boldRE = regexp.MustCompile(`\*\*([^*]+)\*\*`)
)

// plainText turns the guide's Markdown into text for a terminal: no link targets, no
// bold marks, headings kept.
func plainText(md string) string {
	md = linkRE.ReplaceAllString(md, "$1")
	md = boldRE.ReplaceAllString(md, "$1")
	return md
}

// typesPage is albo help tipi: the built-in types and their rules, from the one table that
// knows them (generator/config).
func typesPage() string {
	var b strings.Builder
	b.WriteString(msg.T("# I tipi di atto\n\nOgni atto ha un tipo (la chiave tipo). I tipi di albo e le loro regole:\n\n"))
	for _, t := range config.Builtins {
		r := t.Type.Regole
		giorni := msg.N(t.Type.Giorni, "%d giorno", "%d giorni")
		switch r.Durata {
		case config.DurataScadenza:
			giorni = msg.T("fino alla scadenza (al è obbligatorio)")
		case config.DurataRichiesta:
			giorni = msg.T("al o giorni, come chiede l'ente")
		}
		fmt.Fprintf(&b, "- %s: %s, %s", t.Key, t.Type.Nome, giorni)
		if t.Type.Sezione == config.SezioneMatrimoni {
			b.WriteString(msg.T(", nella sezione dei matrimoni, escluso il primo giorno"))
		}
		if len(r.Requisiti) > 0 {
			b.WriteString(msg.T("; per pubblicarlo servono %s", strings.Join(r.Requisiti, ", ")))
		}
		if r.Deliberazione {
			b.WriteString(msg.T("; è una deliberazione (esecutività)"))
		}
		if r.InVigore {
			b.WriteString(msg.T("; entra in vigore il giorno dopo la fine della pubblicazione"))
		}
		b.WriteString("\n")
	}
	b.WriteString(msg.T("\nUn sito aggiunge o cambia i tipi sotto tipi: in content/albo.yaml (nome, giorni, sezione, conteggio, feed, archivio). " +
		"Un tipo aggiunto segue le regole dei tipi di albo con la stessa prima parola (ordinanza-sindacale quelle di ordinanza), " +
		"quelle dei matrimoni se è nella loro sezione, altrimenti le più severe: per pubblicarlo servono numero, data e ufficio.\n"))
	return b.String()
}
