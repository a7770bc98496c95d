package write

import (
	"errors"
	"github.com/borgoesempio/albo/generator/msg"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Marker is the file albo writes in every site it builds: a folder that holds it was
// written by albo, and albo may replace it whole.
const Marker = ".albo"

// markerText is what the marker says to whoever opens it.
const markerText = "Questa cartella è scritta da albo: ogni costruzione la sostituisce per intero.\n" +
	"Non metterci altri file: non resterebbero.\n"

// Resolve checks that dest can be the output folder of a build, and returns the folder
// to build: dest itself, or the folder a symbolic link dest points to (the site is then
// swapped there, behind the link, which stays as it is). albo writes only into a folder
// that is missing, empty, or written by albo (it holds the marker, or a staging tree of
// albo is beside it); anything else, and a regular file, is refused and left untouched.
func Resolve(dest string) (string, error) {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return "", err
	}
	info, err := os.Lstat(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return dest, nil
	}
	if err != nil {
		return "", err
	}
	if info.Mode()&os.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(dest)
		if err != nil {
			return "", errors.New(msg.T("la destinazione %s è un collegamento a una cartella che non c'è (%v): crea la cartella, o correggi il collegamento", dest, err))
		}
		if info, err = os.Stat(real); err != nil {
			return "", err
		}
		dest = real
	}
	if !info.IsDir() {
		return "", errors.New(msg.T("la destinazione %s è un file, non una cartella: albo non lo tocca; scegli una cartella (-d), per esempio public", dest))
	}
	if albos(dest) {
		return dest, nil
	}
	entries, err := os.ReadDir(dest)
	if err != nil {
		return "", err
	}
	if len(entries) == 0 {
		return dest, nil
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	sort.Strings(names)
	shown := names
	if len(shown) > 5 {
		shown = append(shown[:5:5], msg.T("e altri %d", len(names)-5))
	}
	return "", errors.New(msg.T("la cartella %s non è vuota e non l'ha scritta albo (contiene %s): albo sostituisce per intero la cartella in cui costruisce il sito, e cancellerebbe questi file; scegli una cartella vuota o nuova (-d)",
		dest, strings.Join(shown, ", ")))
}

// albos reports whether the folder dest was written by albo: it holds the marker, or (a
// site built by an albo older than the marker) a staging tree and its manifest are beside it.
func albos(dest string) bool {
	if info, err := os.Lstat(filepath.Join(dest, Marker)); err == nil && info.Mode().IsRegular() {
		return true
	}
	_, err := os.Lstat(StageName(dest) + ".manifest")
	return err == nil
}
