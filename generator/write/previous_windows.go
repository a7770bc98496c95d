package write

import (
	"bytes"
	"io"
	"os"
)

// previous is the live file f that Previous opened, as a build on Windows can use it: read
// whole, and closed. Go opens files there without FILE_SHARE_DELETE, and no name of a file
// so opened can be removed while it is: the staged copy of the same file, a hard link to
// it, is removed before the new one is written (Stream), which would fail. So the open
// data's last files are read before, as they were before they were streamed.
func previous(f *os.File) io.ReadSeekCloser {
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil
	}
	return held{bytes.NewReader(b)}
}

// held is a file's bytes, read whole.
type held struct{ *bytes.Reader }

func (held) Close() error { return nil }
