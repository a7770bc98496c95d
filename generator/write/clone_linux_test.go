package write

import (
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// TestCopyFdBuffered: what the kernel cannot copy from (a pipe here, as another file
// system is) is copied whole through the pooled buffer.
func TestCopyFdBuffered(t *testing.T) {
	data := make([]byte, 300<<10)
	rand.New(rand.NewSource(1)).Read(data)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	go func() { pw.Write(data); pw.Close() }()
	p := filepath.Join(t.TempDir(), "copy")
	out, err := syscall.Open(p, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	err = copyFd(out, int(pr.Fd()), 0)
	syscall.Close(out)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); !slices.Equal(got, data) {
		t.Errorf("%d bytes copied, or other ones", len(got))
	}
}

// TestCopyFileNotRegular: an attachment replaced by a FIFO or a link after it was read is
// refused at once, not waited on or followed.
func TestCopyFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	link := filepath.Join(dir, "link")
	os.WriteFile(filepath.Join(dir, "real"), []byte("x"), 0o644)
	os.Symlink(filepath.Join(dir, "real"), link)
	for _, src := range []string{fifo, link, dir} {
		done := make(chan error, 1)
		go func() {
			_, err := copyFile(nil, filepath.Join(dir, "copy-"+filepath.Base(src)), src, "")
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s: copied", filepath.Base(src))
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: copyFile still waiting after 5 s", filepath.Base(src))
		}
	}
}
