package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// version is set at release time with -ldflags "-X main.version=…"; otherwise the
// module's version from the build information, or this.
var version = "0.2.0-dev"

// Exit statuses (SPEC §6).
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

// usageError marks an error in how albo was called, as opposed to one in the content.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func usage(format string, args ...any) error { return usageError{errors.New(msg.T(format, args...))} }

// errReported ends a command whose problems it has already printed: exit status 1.
var errReported = errors.New("problems reported")

// run executes albo with args and returns the exit status. Errors are printed here only.
func run(args []string, stdout, stderr io.Writer) int {
	clock, err := envClock(os.Getenv("ALBO_NOW"))
	if err != nil {
		fmt.Fprintln(stderr, msg.T("albo: %v", err))
		return exitUsage
	}
	return execute(context.Background(), args, stdout, stderr, clock)
}

// execute runs albo with args until it is done or ctx ends (albo watch and serve), with
// clock as the only source of the current time, and returns the exit status. Every error
// is printed here, once.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer, clock func() time.Time) int {
	root := newRoot(stdout, stderr, clock)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errReported) {
		return exitContent
	}
	var ue usageError
	if errors.As(err, &ue) || cobraUsage(err) {
		fmt.Fprintln(stderr, diag.Printable(msg.T("albo: %s", italianUsage(root, err))))
		fmt.Fprintln(stderr, msg.T("Per l'aiuto: albo --help, oppure albo help COMANDO."))
		return exitUsage
	}
	if probs := diag.Problems(err); len(probs) > 0 {
		fmt.Fprintln(stderr, probs.Error())
		fmt.Fprintln(stderr, msg.N(len(probs), "albo: %d problema; non è stato fatto nulla", "albo: %d problemi; non è stato fatto nulla"))
		return exitContent
	}
	fmt.Fprintln(stderr, diag.Printable(msg.T("albo: %s", msg.Err(err))))
	return exitContent
}

// cobraUsage reports whether err is one of cobra's own errors about how albo was called.
func cobraUsage(err error) bool {
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "required flag", "flag needs an argument", "invalid argument", "bad flag syntax"} {
		if strings.HasPrefix(err.Error(), p) {
			return true
		}
	}
	return false
}

var (
	unknownCommandRE = regexp.MustCompile(`^unknown command "([^"]*)" for "([^"]*)"`)
	unknownFlagRE    = regexp.MustCompile(`^unknown flag: (\S+)`)
	unknownShortRE   = regexp.MustCompile(`^unknown shorthand flag: '(.)'`)
	needsArgRE       = regexp.MustCompile(`^flag needs an argument: '?(\S+?)'?( in .*)?$`)
	invalidArgRE     = regexp.MustCompile(`^invalid argument "([^"]*)" for "([^"]*)" flag`)
	requiredRE       = regexp.MustCompile(`^required flag\(s\) (.*) not set`)
)

// italianUsage returns cobra's own messages (unknown command or option, missing value…)
// in Italian, with a suggestion; albo's own are already Italian.
func italianUsage(root *cobra.Command, err error) string {
	text := err.Error()
	if m := unknownCommandRE.FindStringSubmatch(text); m != nil {
		var names []string
		for _, c := range root.Commands() {
			names = append(names, c.Name())
		}
		if s := diag.Closest(m[1], names); s != "" {
			return msg.T("comando %q sconosciuto: forse intendevi %q?", m[1], s)
		}
		return msg.T("comando %q sconosciuto: i comandi sono %s", m[1], strings.Join(names, ", "))
	}
	if m := unknownFlagRE.FindStringSubmatch(text); m != nil {
		return msg.T("opzione %s sconosciuta", m[1])
	}
	if m := unknownShortRE.FindStringSubmatch(text); m != nil {
		return msg.T("opzione -%s sconosciuta", m[1])
	}
	if m := needsArgRE.FindStringSubmatch(text); m != nil {
		return msg.T("all'opzione %s manca il valore", m[1])
	}
	if m := invalidArgRE.FindStringSubmatch(text); m != nil {
		return msg.T("%q non è un valore valido per %s", m[1], m[2])
	}
	if m := requiredRE.FindStringSubmatch(text); m != nil {
		flags := strings.Split(strings.ReplaceAll(m[1], `"`, ""), ", ")
		for i, f := range flags {
			flags[i] = "--" + f
		}
		return msg.N(len(flags), "manca l'opzione obbligatoria %[2]s", "mancano le opzioni obbligatorie %[2]s", strings.Join(flags, ", "))
	}
	return text
}

// envClock is the source of the current time: the system clock, or the instant in
// ALBO_NOW (RFC 3339, or a date taken as 00:00 in Europe/Rome) for commands that have no
// --now flag, such as referto and registro: to reproduce a past day, and for tests.
func envClock(v string) (func() time.Time, error) {
	if v == "" {
		return time.Now, nil
	}
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		return nil, err
	}
	t, err := civil.ParseNow(v, rome)
	if err != nil {
		return nil, fmt.Errorf("ALBO_NOW: %w", err)
	}
	return func() time.Time { return t }, nil
}

// newRoot builds the command tree. clock is the only source of the current time.
func newRoot(stdout, stderr io.Writer, clock func() time.Time) *cobra.Command {
	root := &cobra.Command{
		Use:   "albo",
		Short: msg.T("albo costruisce l'albo pretorio online di un comune dagli atti scritti in Markdown"),
		Long: msg.T("albo costruisce l'albo pretorio online di un comune dagli atti scritti in Markdown: " +
			"un sito accessibile, con ricerca, feed e dati aperti, che mostra ogni atto dal primo all'ultimo giorno di pubblicazione e poi lo toglie.\n\n" +
			"La giornata in segreteria: albo new, albo pubblica, albo build (o albo watch), albo referto. Tutto è spiegato in: albo help guida"),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{errors.New(italianUsage(root, err))} })
	root.AddCommand(newBuild(clock), newServe(clock), newWatch(clock), newNew(clock), newPubblica(clock), newAnnulla(clock),
		newProroga(clock), newInterruzione(clock), newCheck(clock), newList(clock), newRegistro(clock), newReferto(clock), newVerifica(clock), newDeploy(clock), newInit(clock), newVersion())
	root.SetHelpCommand(newHelp(root))
	templateFuncs.Do(func() { // cobra keeps them in one map for every command of the process
		cobra.AddTemplateFunc("opzioni", flagsItalian)
		cobra.AddTemplateFunc("acapo", func(s string) string { return wrap(s, 92) })
	})
	root.SetUsageTemplate(usageTemplate)
	root.SetHelpTemplate(helpTemplate)
	for _, c := range append(root.Commands(), root) {
		c.Flags().BoolP("help", "h", false, msg.T("mostra questo aiuto"))
		c.DisableFlagsInUseLine = true // the usage lines say the options themselves
	}
	return root
}

// templateFuncs adds the functions of the help's templates once: the tests run commands
// side by side, and cobra's map of them is not guarded.
var templateFuncs sync.Once

const helpTemplate = `{{with (or .Long .Short)}}{{. | trimTrailingWhitespaces | acapo}}

{{end}}{{if or .Runnable .HasSubCommands}}{{.UsageString}}{{end}}`

const usageTemplate = `Uso:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} COMANDO [opzioni]{{end}}{{if .HasExample}}

Esempi:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Comandi:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Opzioni:
{{opzioni .LocalFlags}}{{end}}{{if .HasAvailableSubCommands}}

Per l'aiuto di un comando: {{.CommandPath}} COMANDO --help, oppure {{.CommandPath}} help COMANDO.
Per la guida della segreteria: {{.CommandPath}} help guida.{{end}}
`

// wrap breaks the lines of text at spaces so that none is longer than width.
func wrap(text string, width int) string {
	var b strings.Builder
	for i, para := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		n := 0
		for j, w := range strings.Fields(para) {
			switch {
			case j == 0:
			case n+1+len([]rune(w)) > width:
				b.WriteByte('\n')
				n = 0
			default:
				b.WriteByte(' ')
				n++
			}
			b.WriteString(w)
			n += len([]rune(w))
		}
	}
	return b.String()
}

// flagsItalian lists the options of a command as the help shows them, in Italian
// (pflag's own list says "(default …)").
func flagsItalian(fs *pflag.FlagSet) string {
	type line struct{ name, usage string }
	var lines []line
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name := "    --" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", --" + f.Name
		}
		varname, text := pflag.UnquoteUsage(f)
		if f.Value.Type() != "bool" {
			if varname == "" || varname == "string" || varname == "int" {
				varname = map[string]string{"int": "N"}[f.Value.Type()]
				if varname == "" {
					varname = "VALORE"
				}
			}
			name += " " + strings.ToUpper(varname)
		}
		if d := f.DefValue; d != "" && d != "false" && d != "0" {
			text += msg.T(" (predefinito: %s)", d)
		}
		width = max(width, len(name))
		lines = append(lines, line{name, text})
	})
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "  %-*s   %s\n", width, l.name, l.usage)
	}
	return strings.TrimRight(b.String(), "\n")
}

// Flags shared by several commands, declared once each.

// sourceFlag adds -s, the site folder.
func sourceFlag(f *pflag.FlagSet, source *string) {
	f.StringVarP(source, "source", "s", ".", msg.T("la `cartella` del sito (quella con content/albo.yaml)"))
}

// nowFlag adds --now, the instant a command works as of.
func nowFlag(f *pflag.FlagSet, now *string, what string) {
	f.StringVar(now, "now", "", msg.T("%s alla `data` (2026-11-23) o all'istante RFC 3339 indicati, invece che a oggi", what))
}

// formatFlag adds --format with the formats a command writes, the first by default.
func formatFlag(f *pflag.FlagSet, format *string, formats ...string) {
	f.StringVar(format, "format", formats[0], msg.T("il `formato`: %s", strings.Join(formats, ", ")))
}

// checkFormat refuses a --format that the command does not write.
func checkFormat(format string, formats ...string) error {
	for _, f := range formats {
		if f == format {
			return nil
		}
	}
	return usage("--format %q: scrivi uno fra %s", format, strings.Join(formats, ", "))
}

// checkNow refuses a malformed --now before any work: it is bad usage, not bad content.
func checkNow(s string) error {
	if s == "" {
		return nil
	}
	if _, err := civil.ParseNow(s, time.UTC); err != nil {
		return usageError{err}
	}
	return nil
}

// args checks that a command is given exactly the arguments named (none for none).
func args(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		switch {
		case len(a) == len(names):
			return nil
		case len(names) == 0:
			return usage("%s non vuole argomenti, ma ha %q", cmd.CommandPath(), strings.Join(a, " "))
		case len(a) < len(names):
			return usage("%s vuole %s", cmd.CommandPath(), strings.Join(names[len(a):], " "))
		}
		return usage("%s vuole solo %s: %q è di troppo", cmd.CommandPath(), strings.Join(names, " "), strings.Join(a[len(names):], " "))
	}
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: msg.T("mostra la versione di albo e il commit da cui è costruito"),
		Args:  args(),
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), versionLine())
		},
	}
}

// versionLine is what albo version prints: the version, and, from the build information,
// the commit and its date (and whether the working tree had changes), Go and the system.
func versionLine() string {
	v, commit, when, dirty, goVersion := version, "", "", false, ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		goVersion = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	line := "albo " + v
	if commit != "" {
		if len(commit) > 12 {
			commit = commit[:12]
		}
		line += msg.T(" (commit %s", commit)
		if t, err := time.Parse(time.RFC3339, when); err == nil {
			line += msg.T(" del %s", t.Format("02/01/2006"))
		}
		if dirty {
			line += msg.T(", con modifiche non salvate")
		}
		line += ")"
	}
	if goVersion != "" {
		line += ", " + goVersion
	}
	return line
}
