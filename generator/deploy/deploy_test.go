package deploy_test

import (
	"bytes"
	"context"
	"errors"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/deploy"
	"github.com/borgoesempio/albo/generator/render"
)

// memStore is object storage in memory: it records every change in order, and fails
// every Put after failAfter of them (0: never), as a deploy cut off would.
type memStore struct {
	mu        sync.Mutex
	objects   map[string]deploy.Object
	bodies    map[string][]byte
	log       []string // "put KEY" and "delete KEY", in order
	puts      int
	failAfter int
}

func newStore() *memStore {
	return &memStore{objects: map[string]deploy.Object{}, bodies: map[string][]byte{}}
}

func (m *memStore) List(_ context.Context, bucket, prefix string) ([]deploy.Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []deploy.Object
	for k, o := range m.objects {
		if strings.HasPrefix(k, bucket+"/"+prefix) {
			out = append(out, deploy.Object{Key: strings.TrimPrefix(k, bucket+"/"), Size: o.Size})
		}
	}
	return out, nil
}

func (m *memStore) Stat(_ context.Context, bucket, key string) (deploy.Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.objects[bucket+"/"+key], nil
}

func (m *memStore) Put(_ context.Context, bucket, key string, f deploy.File, body []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failAfter > 0 && m.puts >= m.failAfter {
		return errors.New("connessione interrotta")
	}
	m.puts++
	m.objects[bucket+"/"+key] = deploy.Object{Key: key, Size: int64(len(body)), SHA256: f.SHA256, Head: f.Head}
	m.bodies[bucket+"/"+key] = bytes.Clone(body)
	m.log = append(m.log, "put "+key)
	return nil
}

func (m *memStore) Delete(_ context.Context, bucket string, keys []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		delete(m.objects, bucket+"/"+k)
		delete(m.bodies, bucket+"/"+k)
		m.log = append(m.log, "delete "+k)
	}
	return nil
}

// equal fails unless the objects under the target are the built tree, byte for byte.
func (m *memStore) equal(t *testing.T, target deploy.Target, dest string) {
	t.Helper()
	want := map[string][]byte{}
	render.OnLine(dest, func(rel, file string) error {
		b, err := os.ReadFile(file)
		want[target.Bucket+"/"+target.Prefix+rel] = b
		return err
	})
	for k, b := range want {
		if got, ok := m.bodies[k]; !ok {
			t.Errorf("%s: missing from the bucket", k)
		} else if !bytes.Equal(got, b) {
			t.Errorf("%s: differs from the built file", k)
		}
	}
	for k := range m.bodies {
		if _, ok := want[k]; !ok && strings.HasPrefix(k, target.Bucket+"/"+target.Prefix) {
			t.Errorf("%s: in the bucket, not in the built site", k)
		}
	}
}

func build(t *testing.T, src, dest, now string) *generator.Result {
	t.Helper()
	res, err := generator.Build(generator.Options{Source: src, Dest: dest, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func files(t *testing.T, res *generator.Result) []deploy.File {
	t.Helper()
	f, err := deploy.Files(res.Dest, res.Plan)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestDeploy deploys the sample albo on 23/11, again unchanged, on 26/11 (acts 15, 16,
// 17 and 24 expired, 38 published), as a dry run, and cut off halfway then run again:
// after each real deploy the bucket holds the built tree and nothing else under its
// prefix, and what is outside the prefix is never touched.
func TestDeploy(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join("..", "..")
	dest := filepath.Join(t.TempDir(), "public")
	target, _ := deploy.ParseTarget("s3://albi/borgo-esempio")
	store := newStore()
	store.objects["albi/altro-comune/index.html"] = deploy.Object{Key: "altro-comune/index.html", Size: 3}
	store.bodies["albi/altro-comune/index.html"] = []byte("...")

	day1 := build(t, src, dest, "2026-11-23")
	rep, err := deploy.Run(ctx, store, target, files(t, day1), deploy.Options{Parallel: 4})
	if err != nil {
		t.Fatal(err)
	}
	store.equal(t, target, dest)
	if rep.Uploaded != rep.FilesTotal || rep.Kept != 0 || rep.Deleted != 0 || rep.Bytes == 0 {
		t.Errorf("first deploy: %+v", rep)
	}
	checkOrder(t, store)

	store.log = nil
	rep, err = deploy.Run(ctx, store, target, files(t, day1), deploy.Options{Parallel: 4})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Uploaded != 0 || rep.Kept != rep.FilesTotal || rep.Deleted != 0 || len(store.log) != 0 {
		t.Errorf("the same site again: %+v, changes %v", rep, store.log)
	}

	day2 := build(t, src, dest, "2026-11-26")
	dry, err := deploy.Run(ctx, store, target, files(t, day2), deploy.Options{DryRun: true, Parallel: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(store.log) != 0 || dry.Uploaded == 0 || dry.Deleted == 0 || !strings.Contains(dry.Line(), "prova") {
		t.Errorf("dry run: %+v, changes %v", dry, store.log)
	}
	rep, err = deploy.Run(ctx, store, target, files(t, day2), deploy.Options{Parallel: 4, Logf: func(string, ...any) {}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Uploaded != dry.Uploaded || rep.Deleted != dry.Deleted || rep.Kept != dry.Kept {
		t.Errorf("the deploy did not do what its dry run said: %+v, dry run %+v", rep, dry)
	}
	store.equal(t, target, dest)
	checkOrder(t, store)
	for _, gone := range []string{"borgo-esempio/atti/2026/15.html", "borgo-esempio/atti/2026/15/ordinanza-64-2026.pdf", "borgo-esempio/matrimoni/2026/24.html"} {
		if !contains(store.log, "delete "+gone) {
			t.Errorf("expired on 26/11: %s was not deleted", gone)
		}
	}
	if !contains(store.log, "put borgo-esempio/atti/2026/38.html") {
		t.Errorf("published on 25/11: 38/2026 was not uploaded")
	}
	if store.bodies["albi/altro-comune/index.html"] == nil {
		t.Errorf("an object outside the prefix was deleted")
	}

	// Headers: an attachment of an act in publication may be kept until its last day
	// ends, and no longer; a page must be asked again.
	pdf := store.objects["albi/borgo-esempio/atti/2026/14/bando-istruttore-tecnico.pdf"]
	end := time.Date(2026, 12, 9, 0, 0, 0, 0, day2.Plan.Config.Location)
	if pdf.Head.CacheControl != "public" || !pdf.Head.Expires.Equal(end) || pdf.Head.ContentType != "application/pdf" {
		t.Errorf("the attachment of 14/2026 (last day 08/12): %+v", pdf.Head)
	}
	if page := store.objects["albi/borgo-esempio/index.html"]; page.Head.CacheControl != "no-cache" || !page.Head.Expires.IsZero() || page.Head.ContentType != "text/html; charset=utf-8" {
		t.Errorf("the home page: %+v", page.Head)
	}

	// Cut off after a few uploads, then run again: the bucket ends as the built tree.
	day3 := build(t, src, dest, "2026-12-03")
	store.failAfter = store.puts + 3
	if _, err := deploy.Run(ctx, store, target, files(t, day3), deploy.Options{Parallel: 2}); err == nil {
		t.Fatal("a deploy whose uploads fail reported no error")
	}
	store.failAfter = 0
	if _, err := deploy.Run(ctx, store, target, files(t, day3), deploy.Options{Parallel: 2}); err != nil {
		t.Fatal(err)
	}
	store.equal(t, target, dest)
}

// checkOrder fails when a reader could have followed a link to a file not yet there:
// a page put before a file it links to (href or src, put in the same deploy), or any
// deletion before the last upload.
func checkOrder(t *testing.T, store *memStore) {
	t.Helper()
	putAt := map[string]int{}
	for i, l := range store.log {
		if key, ok := strings.CutPrefix(l, "put "); ok {
			putAt[key] = i
		}
	}
	deleting := false
	for i, l := range store.log {
		op, key, _ := strings.Cut(l, " ")
		if op == "delete" {
			deleting = true
			continue
		}
		if deleting {
			t.Errorf("%s put after a deletion", key)
		}
		page, err := url.Parse("https://albo.example/" + key)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range linkRE.FindAllSubmatch(store.bodies["albi/"+key], -1) {
			ref, err := page.Parse(html.UnescapeString(string(m[1])))
			if err != nil || ref.Host != page.Host {
				continue
			}
			target := strings.TrimPrefix(ref.Path, "/")
			if strings.HasSuffix(target, "/") {
				target += "index.html"
			}
			if at, ok := putAt[target]; ok && at > i {
				t.Errorf("%s was put before %s, which it links to", key, target)
			}
		}
	}
}

var linkRE = regexp.MustCompile(`(?:href|src)="([^"#?]+)`)

func contains(list []string, s string) bool {
	sort.Strings(list)
	i := sort.SearchStrings(list, s)
	return i < len(list) && list[i] == s
}

// TestHeadersChange: a file whose bytes are the same but whose headers are not (an act
// extended: its attachments may be kept longer) is put again; nothing else is.
func TestHeadersChange(t *testing.T) {
	ctx := context.Background()
	res := build(t, filepath.Join("..", ".."), filepath.Join(t.TempDir(), "public"), "2026-11-23")
	target, _ := deploy.ParseTarget("s3://albi/borgo")
	store := newStore()
	fs := files(t, res)
	if _, err := deploy.Run(ctx, store, target, fs, deploy.Options{Parallel: 2}); err != nil {
		t.Fatal(err)
	}
	store.log = nil
	for i := range fs {
		if fs[i].Rel == "atti/2026/14/bando-istruttore-tecnico.pdf" {
			fs[i].Head.Expires = fs[i].Head.Expires.AddDate(0, 0, 10)
		}
	}
	rep, err := deploy.Run(ctx, store, target, fs, deploy.Options{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Uploaded != 1 || len(store.log) != 1 || store.log[0] != "put borgo/atti/2026/14/bando-istruttore-tecnico.pdf" {
		t.Errorf("after a change of Expires only: %+v, %v", rep, store.log)
	}
}

// TestRefuseEmpty: a site with no file (what a failed build leaves) is never deployed,
// since deploying it would delete the albo.
func TestRefuseEmpty(t *testing.T) {
	store := newStore()
	store.bodies["albi/x/index.html"] = []byte("x")
	store.objects["albi/x/index.html"] = deploy.Object{Key: "x/index.html", Size: 1}
	target, _ := deploy.ParseTarget("s3://albi/x/")
	if _, err := deploy.Run(context.Background(), store, target, nil, deploy.Options{}); !errors.Is(err, deploy.ErrEmpty) {
		t.Fatalf("an empty site: %v", err)
	}
	if len(store.log) != 0 {
		t.Fatalf("an empty site changed the bucket: %v", store.log)
	}
}

func TestParseTarget(t *testing.T) {
	for _, c := range []struct{ in, bucket, prefix string }{
		{"s3://albi", "albi", ""},
		{"s3://albi/", "albi", ""},
		{"s3://albi/borgo", "albi", "borgo/"},
		{"s3://albi/provincia/borgo/", "albi", "provincia/borgo/"},
		{"https://albi/borgo", "", ""},
		{"s3:///borgo", "", ""},
		{"s3://albi/../borgo", "", ""},
		{"s3://albi/a//b", "", ""},
		{"s3://albi/borgo?x=1", "", ""},
	} {
		got, err := deploy.ParseTarget(c.in)
		if (err != nil) != (c.bucket == "") || got.Bucket != c.bucket || got.Prefix != c.prefix {
			t.Errorf("ParseTarget(%q) = %+v, %v", c.in, got, err)
		}
	}
}

// FuzzParseTarget: any address either is refused or gives a bucket and a prefix that
// name no folder above the prefix and that String writes back to the same target.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"s3://albi", "s3://albi/borgo/", "s3://albi/a/../b", "https://x", "s3://a/%2e%2e/b", "s3://a/b//c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := deploy.ParseTarget(raw)
		if err != nil {
			return
		}
		if got.Bucket == "" || strings.HasPrefix(got.Prefix, "/") || (got.Prefix != "" && !strings.HasSuffix(got.Prefix, "/")) ||
			strings.Contains("/"+got.Prefix, "/../") || strings.Contains(got.Prefix, "//") {
			t.Fatalf("ParseTarget(%q) = %+v", raw, got)
		}
		again, err := deploy.ParseTarget(got.String())
		if err != nil || again != got {
			t.Fatalf("ParseTarget(%q) = %+v, and its String %q gives %+v, %v", raw, got, got.String(), again, err)
		}
	})
}
