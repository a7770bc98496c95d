// Package deploy copies a built albo to object storage (albo deploy): only what changed,
// with the headers albo serve would send that object storage can keep, in an order in
// which no reader follows a link to a file not yet there, and deleting every object that
// is no longer in the built site, so an expired act's page and attachments are gone from
// the bucket when the deploy ends. The store is an interface: S3 (s3.go) in albo, a map in
// the tests of what is decided here.
package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/borgoesempio/albo/generator/internal/parallel"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/render"
	"github.com/borgoesempio/albo/generator/schedule"
)

// Target is where a site goes: a bucket, and a prefix inside it ("" or ending in "/").
type Target struct{ Bucket, Prefix string }

// ParseTarget reads s3://BUCKET or s3://BUCKET/PREFIX.
func ParseTarget(raw string) (Target, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return Target{}, errors.New(msg.T("%q non è un indirizzo di archivio di oggetti: scrivere s3://BUCKET oppure s3://BUCKET/PREFISSO", raw))
	}
	prefix := strings.Trim(u.Path, "/")
	if strings.Contains("/"+prefix+"/", "/../") || strings.Contains("/"+prefix+"/", "/./") || strings.Contains(prefix, "//") {
		return Target{}, errors.New(msg.T("%q: il prefisso non può contenere cartelle vuote, . o ..", raw))
	}
	if prefix != "" {
		prefix += "/"
	}
	return Target{Bucket: u.Host, Prefix: prefix}, nil
}

// String is the target as written on the command line.
func (t Target) String() string { return "s3://" + t.Bucket + "/" + t.Prefix }

// Sub is the target of one site of many: its name below the prefix.
func (t Target) Sub(name string) Target {
	return Target{Bucket: t.Bucket, Prefix: t.Prefix + name + "/"}
}

// File is one file of the built site as it goes on line, with the headers it is stored with.
type File struct {
	Rel  string // path in the site, with slashes
	Path string // on disk
	Size int64
	Head Head
	// SHA256 is of the file's bytes, in hex, kept in the object's metadata: what tells an
	// unchanged object (an ETag is not a digest for multipart or encrypted uploads).
	SHA256 string
}

// Head is what an object is stored with and served with: the headers of albo serve that
// object storage can keep. Its other headers (X-Robots-Tag, the security policy) are the
// CDN's: render.Headers and the README's rules.
type Head struct {
	ContentType, CacheControl, Disposition string
	Expires                                time.Time // zero: none
}

// Object is what the store holds under a key: its size from the listing, and, once asked
// (Store.Stat), the SHA-256 of its metadata and its headers.
type Object struct {
	Key    string
	Size   int64
	SHA256 string // "" when the object has none (not put by albo)
	Head   Head
}

// Store is object storage.
type Store interface {
	// List returns every object whose key starts with prefix (keys and sizes).
	List(ctx context.Context, bucket, prefix string) ([]Object, error)
	// Stat returns an object's metadata and headers.
	Stat(ctx context.Context, bucket, key string) (Object, error)
	// Put stores body under key with the file's digest and headers.
	Put(ctx context.Context, bucket, key string, f File, body []byte) error
	// Delete removes the objects (some may already be gone).
	Delete(ctx context.Context, bucket string, keys []string) error
}

// Files returns the files of the site built in dir for plan, as they go on line, in
// lexical order.
func Files(dir string, plan *schedule.Plan) ([]File, error) {
	ends := render.Ends(plan)
	var files []File
	err := render.OnLine(dir, func(rel, file string) error {
		body, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		files = append(files, describe(rel, file, body, ends))
		return nil
	})
	return files, err
}

// describe is a file with its digest and its headers.
func describe(rel, file string, body []byte, ends map[string]time.Time) File {
	sum := sha256.Sum256(body)
	h := Head{ContentType: render.ContentType(rel), CacheControl: "no-cache"}
	if end := render.KeptUntil(ends, rel); !end.IsZero() {
		// An attachment does not change while its act is published (it is sealed): it may
		// be kept until its act's last day ends. Object storage keeps headers fixed, so the
		// limit is a date (Expires), not a max-age that would count from each request.
		h.CacheControl, h.Expires = "public", end.UTC()
	}
	for _, kv := range render.Headers(rel) {
		if kv[0] == "Content-Disposition" {
			h.Disposition = kv[1]
		}
	}
	return File{Rel: rel, Path: file, Size: int64(len(body)), Head: h, SHA256: hex.EncodeToString(sum[:])}
}

// stage orders the uploads so that a reader never follows a link to a file not yet there:
// attachments and the theme's files first (they link to nothing), then the acts' pages
// (they link to their attachments), then the data, feeds and search parts (they link to
// acts' pages), then every other page and the search's entry file (they link to all).
func stage(rel string) int {
	_, file, isAct := render.ActOf(rel)
	switch {
	case isAct && file != "", strings.HasPrefix(rel, "static/"):
		return 0
	case isAct:
		return 1
	case !strings.HasSuffix(rel, ".html") && path.Base(rel) != "indice.json":
		return 2
	}
	return 3
}

// Options say how to deploy.
type Options struct {
	DryRun   bool
	Parallel int                           // requests at once (at least 1)
	Logf     func(format string, a ...any) // each object put or deleted; nil: none
}

// Report is what a deploy did (or, with DryRun, would do).
type Report struct {
	Target     string `json:"destinazione"`
	DryRun     bool   `json:"prova"`
	Uploaded   int    `json:"caricati"`
	Bytes      int64  `json:"byte_caricati"`
	Kept       int    `json:"invariati"`
	Deleted    int    `json:"cancellati"`
	FilesTotal int    `json:"file"`
}

// Line is the report in one line, in Italian.
func (r *Report) Line() string {
	verb := ""
	if r.DryRun {
		verb = msg.T(" (prova: non è stato cambiato nulla)")
	}
	return msg.T("albo deploy %s: %s (%s), %s, %s%s", r.Target,
		msg.N(r.Uploaded, "%d file caricato", "%d file caricati"), render.HumanSize(r.Bytes),
		msg.N(r.Kept, "%d invariato", "%d invariati"), msg.N(r.Deleted, "%d cancellato", "%d cancellati"), verb)
}

// ErrEmpty is returned for a site with no file: what a failed build leaves, never deployed
// (it would delete the albo from the bucket).
var ErrEmpty = errors.New(msg.T("il sito costruito è vuoto: non si pubblica un sito non riuscito (cancellerebbe l'albo dall'archivio)"))

// Run makes the objects under target the files given: it puts what is missing or
// different (by SHA-256 and headers), stage by stage, then deletes what is left over.
func Run(ctx context.Context, store Store, target Target, files []File, o Options) (*Report, error) {
	if len(files) == 0 {
		return nil, ErrEmpty
	}
	rep := &Report{Target: target.String(), DryRun: o.DryRun, FilesTotal: len(files)}
	objects, err := store.List(ctx, target.Bucket, target.Prefix)
	if err != nil {
		return nil, err
	}
	have := map[string]Object{}
	for _, obj := range objects {
		have[obj.Key] = obj
	}
	// Which files must be put: those with no object, one of another size, or one whose
	// digest or headers differ (asked of the store only when the size is the same).
	put := make([]bool, len(files))
	err = each(ctx, o.Parallel, len(files), func(i int) error {
		f := files[i]
		obj, ok := have[target.Prefix+f.Rel]
		if !ok || obj.Size != f.Size {
			put[i] = true
			return nil
		}
		obj, err := store.Stat(ctx, target.Bucket, obj.Key)
		if err != nil {
			return err
		}
		put[i] = obj.SHA256 != f.SHA256 || !sameHead(obj.Head, f.Head)
		return nil
	})
	if err != nil {
		return nil, err
	}
	logf := o.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	var mu sync.Mutex
	for s := 0; s <= 3; s++ {
		var todo []int
		for i, f := range files {
			if stage(f.Rel) != s {
				continue
			}
			if !put[i] {
				rep.Kept++
				continue
			}
			todo = append(todo, i)
		}
		err := each(ctx, o.Parallel, len(todo), func(j int) error {
			f := files[todo[j]]
			n := f.Size
			if !o.DryRun {
				var err error
				if n, err = upload(ctx, store, target, f); err != nil {
					return err
				}
			}
			mu.Lock()
			rep.Uploaded++
			rep.Bytes += n
			mu.Unlock()
			logf("%s", msg.T("caricato %s", f.Rel))
			return nil
		})
		if err != nil {
			return rep, err
		}
	}
	want := map[string]bool{}
	for _, f := range files {
		want[target.Prefix+f.Rel] = true
	}
	var gone []string
	for _, obj := range objects {
		if !want[obj.Key] {
			gone = append(gone, obj.Key)
		}
	}
	sort.Strings(gone)
	for len(gone) > 0 {
		batch := gone[:min(len(gone), 1000)] // S3 deletes at most 1000 keys a request
		gone = gone[len(batch):]
		if !o.DryRun {
			if err := store.Delete(ctx, target.Bucket, batch); err != nil {
				return rep, err
			}
		}
		for _, k := range batch {
			logf("%s", msg.T("cancellato %s", strings.TrimPrefix(k, target.Prefix)))
		}
		rep.Deleted += len(batch)
	}
	return rep, nil
}

// upload puts one file, read again now: its digest and headers are of the bytes sent,
// even if a rebuild replaced it since it was listed. It returns the bytes sent.
func upload(ctx context.Context, store Store, target Target, f File) (int64, error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(fh)
	fh.Close()
	if err != nil {
		return 0, err
	}
	if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(body)) != f.Size {
		g := describe(f.Rel, f.Path, body, nil)
		g.Head.CacheControl, g.Head.Expires = f.Head.CacheControl, f.Head.Expires
		f = g
	}
	if err := store.Put(ctx, target.Bucket, target.Prefix+f.Rel, f, body); err != nil {
		return 0, err
	}
	return f.Size, nil
}

// sameHead reports whether two sets of headers are the same (Expires to the second).
func sameHead(a, b Head) bool {
	return a.ContentType == b.ContentType && a.CacheControl == b.CacheControl && a.Disposition == b.Disposition &&
		a.Expires.Unix() == b.Expires.Unix() && a.Expires.IsZero() == b.Expires.IsZero()
}

// each calls fn(0..n-1) on at most parallel goroutines; after the first error it calls
// no more (those already running end) and returns that error.
func each(ctx context.Context, workers, n int, fn func(int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	return parallel.ForN(n, workers, func(i int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(i); err != nil {
			cancel()
			return err
		}
		return nil
	})
}
