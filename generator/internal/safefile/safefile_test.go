package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("testo"), 0o644)
	os.WriteFile(filepath.Join(outside, "b.md"), []byte("fuori"), 0o644)
	os.Symlink(filepath.Join(outside, "b.md"), filepath.Join(dir, "fuori.md"))
	os.Symlink(filepath.Join(dir, "a.md"), filepath.Join(dir, "dentro.md"))
	os.Mkdir(filepath.Join(dir, "cartella.md"), 0o755)
	if b, _, err := ReadFile(filepath.Join(dir, "a.md"), dir, 0); err != nil || string(b) != "testo" {
		t.Errorf("a regular file: %q, %v", b, err)
	}
	if b, _, err := ReadFile(filepath.Join(dir, "dentro.md"), dir, 0); err != nil || string(b) != "testo" {
		t.Errorf("a link inside the folder: %q, %v", b, err)
	}
	if _, _, err := ReadFile(filepath.Join(dir, "fuori.md"), dir, 0); !errors.Is(err, ErrOutside) {
		t.Errorf("a link out of the folder: %v", err)
	}
	if _, _, err := ReadFile(filepath.Join(dir, "cartella.md"), dir, 0); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a folder: %v", err)
	}
	if _, n, err := ReadFile(filepath.Join(dir, "a.md"), dir, 3); !errors.Is(err, ErrTooBig) || n != 5 {
		t.Errorf("over the limit: %d, %v", n, err)
	}
}
