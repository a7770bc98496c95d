// Package msg is albo's message catalogue: every text a clerk reads (the help of every
// command and flag, errors, warnings, log lines, documents) goes through it.
//
// A message is written in the code in Italian, albo's language, and that text is its key
// in the catalogue: T looks the key up in the table of the language in use and formats
// the result like fmt.Sprintf; N picks the plural form a number needs by the CLDR rules
// of the language (golang.org/x/text/feature/plural). The Italian table is empty: the key
// is the text. A language is added with a table from every key to its text.
//
// Numbers are formatted as fmt does, never grouped (golang.org/x/text/message would print
// the year 2026 as "2.026"), so register numbers, years and sizes stay as staff write them.
package msg

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

var (
	mu    sync.RWMutex
	lang  = language.Italian
	table map[string]string // key → text in lang; nil for Italian
)

// Use sets the language of the messages, with its table (nil for Italian).
func Use(l language.Tag, t map[string]string) {
	mu.Lock()
	defer mu.Unlock()
	lang, table = l, t
}

// T returns the message key, in the language in use, formatted with args.
func T(key string, args ...any) string {
	text := lookup(key)
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// N returns the form of the message for the count n: one when the language takes the
// singular for n ("1 errore"), many otherwise ("%d errori"); both are keys, and the one
// chosen is formatted with n and args.
func N(n int, one, many string, args ...any) string {
	key := many
	if plural.Cardinal.MatchPlural(langTag(), n, 0, 0, 0, 0) == plural.One {
		key = one
	}
	return T(key, append([]any{n}, args...)...)
}

func lookup(key string) string {
	mu.RLock()
	t := table
	mu.RUnlock()
	if s, ok := t[key]; ok {
		return s
	}
	return key
}

func langTag() language.Tag {
	mu.RLock()
	defer mu.RUnlock()
	return lang
}

// osReasons are the reasons of the operating system's errors staff may meet, in Italian.
var osReasons = []struct {
	err  error
	text string
}{
	{fs.ErrNotExist, "non esiste"},
	{fs.ErrPermission, "permesso negato"},
	{fs.ErrExist, "esiste già"},
	{syscall.EISDIR, "è una cartella"},
	{syscall.ENOTDIR, "non è una cartella"},
	{syscall.ENOSPC, "il disco è pieno"},
	{syscall.EROFS, "il disco è in sola lettura"},
	{syscall.EMFILE, "troppi file aperti"},
	{syscall.EBUSY, "è in uso"},
	{syscall.ELOOP, "è un collegamento, non un file"},
}

// Err returns an error's text with the operating system's part of it in Italian: the
// file it concerns and why ("content/x.md: permesso negato"), whatever wraps it.
func Err(err error) string {
	if err == nil {
		return ""
	}
	text := err.Error()
	for _, r := range osReasons {
		if !errors.Is(err, r.err) {
			continue
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return strings.Replace(text, pe.Error(), pe.Path+": "+T(r.text), 1)
		}
		var le *os.LinkError
		if errors.As(err, &le) {
			return strings.Replace(text, le.Error(), le.New+": "+T(r.text), 1)
		}
		var en syscall.Errno
		if errors.As(err, &en) {
			return strings.Replace(text, en.Error(), T(r.text), 1)
		}
	}
	return text
}
