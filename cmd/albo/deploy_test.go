package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/borgoesempio/albo/generator"
	"github.com/borgoesempio/albo/generator/deploy"
	"github.com/borgoesempio/albo/generator/render"
)

// s3Endpoint is the S3 server the deploy tests use: ALBO_TEST_S3 (.ci/run starts
// SeaweedFS on loopback and sets it, with the credentials of an identity in the
// standard AWS variables). Without it the tests are skipped, except in CI.
func s3Endpoint(t *testing.T) string {
	t.Helper()
	ep := os.Getenv("ALBO_TEST_S3")
	if ep == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI without ALBO_TEST_S3: .ci/run starts an S3 server (.ci/seaweedfs) for the deploy tests")
		}
		t.Skip("ALBO_TEST_S3 not set: no S3 server to deploy to (.ci/seaweedfs start)")
	}
	return ep
}

// s3Client is a client of the test server, configured as albo's is (from the environment).
func s3Client(t *testing.T, endpoint string) *s3.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint, o.UsePathStyle = aws.String(endpoint), true
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
}

// s3Site returns the test server and a client of it, a new bucket there, and a copy of
// the sample albo to deploy.
func s3Site(t *testing.T) (endpoint string, c *s3.Client, bucket, site string) {
	t.Helper()
	endpoint = s3Endpoint(t)
	c = s3Client(t, endpoint)
	bucket = fmt.Sprintf("albo-prova-%d", time.Now().UnixNano())
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	site = t.TempDir()
	if err := os.CopyFS(filepath.Join(site, "content"), os.DirFS(filepath.Join("..", "..", "content"))); err != nil {
		t.Fatal(err)
	}
	return endpoint, c, bucket, site
}

// sameAsBuilt fails unless the bucket's objects under prefix are the files of the site
// built in dest, byte for byte, and nothing else.
func sameAsBuilt(t *testing.T, c *s3.Client, bucket, prefix, dest string) {
	t.Helper()
	ctx := context.Background()
	want := map[string][]byte{}
	if err := render.OnLine(dest, func(rel, file string) error {
		b, err := os.ReadFile(file)
		want[prefix+rel] = b
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got := keys(t, c, bucket, prefix)
	for k, b := range want {
		if !got[k] {
			t.Errorf("s3://%s/%s: missing", bucket, k)
			continue
		}
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(out.Body)
		out.Body.Close()
		if !bytes.Equal(body, b) {
			t.Errorf("s3://%s/%s: differs from the built file", bucket, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("s3://%s/%s: in the bucket, not in the built site", bucket, k)
		}
	}
}

// TestDeployS3 deploys the sample albo with the albo command to a real S3 server: the
// first deploy; a deploy two days later, after an act expired, one appeared and one was
// annulled; a dry run, which changes nothing; deploys killed at random moments and run
// again. After each the bucket listing is the built tree, byte for byte.
func TestDeployS3(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no kill -9 here")
	}
	endpoint, c, bucket, site := s3Site(t)
	ctx := context.Background()
	dest := filepath.Join(site, "public")
	deployAt := func(now string, args ...string) string {
		t.Helper()
		cmd := albo(append([]string{"deploy", "s3://" + bucket + "/borgo", "--endpoint", endpoint, "-s", site, "--now", now}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("albo deploy --now %s %v: %v\n%s", now, args, err, out)
		}
		return string(out)
	}

	start := time.Now()
	out := deployAt("2026-11-23")
	span := time.Since(start) // a whole deploy into nothing
	if !strings.Contains(out, "0 invariati, 0 cancellati") {
		t.Errorf("first deploy:\n%s", out)
	}
	sameAsBuilt(t, c, bucket, "borgo/", dest)

	// The headers object storage keeps: an attachment until its act's last day ends.
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("borgo/atti/2026/14/bando-istruttore-tecnico.pdf")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head.CacheControl) != "public" || aws.ToString(head.ContentType) != "application/pdf" || len(head.Metadata["sha256"]) != 64 {
		t.Errorf("the attachment of 14/2026: Cache-Control %q, Content-Type %q, metadata %v", aws.ToString(head.CacheControl), aws.ToString(head.ContentType), head.Metadata)
	}
	if exp, err := http.ParseTime(aws.ToString(head.ExpiresString)); err != nil || !exp.Equal(time.Date(2026, 12, 8, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("the attachment of 14/2026 (last day 08/12): Expires %q", aws.ToString(head.ExpiresString))
	}

	// Two days later: 15/2026 expired on 24/11 (its page and attachment must go), 38/2026
	// starts on 25/11, 36/2026 annulled on 25/11.
	annul := albo("annulla", "-s", site, "36/2026", "--motivo", "Errore materiale nella data di scadenza", "--data", "2026-11-25")
	annul.Env = append(annul.Env, "ALBO_NOW=2026-11-25T09:00:00+01:00")
	if out, err := annul.CombinedOutput(); err != nil {
		t.Fatalf("albo annulla: %v\n%s", err, out)
	}
	dry := deployAt("2026-11-25", "--dry-run")
	if !strings.Contains(dry, "prova: non è stato cambiato nulla") {
		t.Errorf("dry run:\n%s", dry)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("borgo/atti/2026/15.html")}); err != nil {
		t.Errorf("the dry run deleted 15/2026: %v", err)
	}
	out = deployAt("2026-11-25")
	if line := lastLine(out); line != lastLine(strings.Replace(dry, " (prova: non è stato cambiato nulla)", "", 1)) {
		t.Errorf("the deploy did not do what its dry run said:\n%s\n%s", dry, out)
	}
	sameAsBuilt(t, c, bucket, "borgo/", dest)
	for _, k := range []string{"borgo/atti/2026/15.html", "borgo/atti/2026/15/ordinanza-64-2026.pdf"} {
		if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)}); err == nil {
			t.Errorf("%s: still in the bucket after its act expired", k)
		}
	}
	page, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("borgo/atti/2026/36.html")})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !bytes.Contains(body, []byte("ANNULLAT")) {
		t.Errorf("36/2026's page in the bucket does not say it is annulled")
	}

	// Killed at random moments, each time into a new prefix, then run again.
	r := rand.New(rand.NewSource(1))
	partial := 0
	for i := range 4 {
		prefix := fmt.Sprintf("ucciso-%d", i)
		cmd := albo("deploy", "s3://"+bucket+"/"+prefix, "--endpoint", endpoint, "-s", site, "--now", "2026-11-25", "--parallele", "2")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The kill lands once the uploads have begun, at a random moment of them.
		for deadline := time.Now().Add(span + 10*time.Second); count(t, c, bucket, prefix+"/") == 0 && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(time.Duration(r.Intn(200)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		n := count(t, c, bucket, prefix+"/")
		total := 0
		render.OnLine(dest, func(string, string) error { total++; return nil })
		if n > 0 && n < total {
			partial++
		}
		t.Logf("killed deploy %d: %d objects of %d in the bucket", i, n, total)
		out, err := albo("deploy", "s3://"+bucket+"/"+prefix, "--endpoint", endpoint, "-s", site, "--now", "2026-11-25").CombinedOutput()
		if err != nil {
			t.Fatalf("albo deploy after a kill: %v\n%s", err, out)
		}
		sameAsBuilt(t, c, bucket, prefix+"/", dest)
	}
	t.Logf("%d of 4 kills left a partial deploy", partial)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// keys are the keys of the objects under prefix.
func keys(t *testing.T, c *s3.Client, bucket, prefix string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		pg, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range pg.Contents {
			out[aws.ToString(o.Key)] = true
		}
	}
	return out
}

// count is the number of objects under prefix.
func count(t *testing.T, c *s3.Client, bucket, prefix string) int {
	return len(keys(t, c, bucket, prefix))
}

// flakyStore is object storage that refuses the first fails requests to list.
type flakyStore struct {
	mu    sync.Mutex
	fails int
	puts  int
}

func (f *flakyStore) List(context.Context, string, string) ([]deploy.Object, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return nil, errors.New("s3://albi/borgo/: il servizio non risponde (connessione non riuscita)")
	}
	return nil, nil
}
func (f *flakyStore) Stat(context.Context, string, string) (deploy.Object, error) {
	return deploy.Object{}, nil
}
func (f *flakyStore) Put(context.Context, string, string, deploy.File, []byte) error {
	f.mu.Lock()
	f.puts++
	f.mu.Unlock()
	return nil
}
func (f *flakyStore) Delete(context.Context, string, []string) error { return nil }

// TestDeployerRetries: albo watch --deploy logs a failed deploy and tries it again, each
// time waiting twice as long, until it succeeds.
func TestDeployerRetries(t *testing.T) {
	res, err := generator.Build(generator.Options{Source: filepath.Join("..", ".."), Dest: filepath.Join(t.TempDir(), "public"), Now: "2026-11-23"})
	if err != nil {
		t.Fatal(err)
	}
	store := &flakyStore{fails: 3}
	target, _ := deploy.ParseTarget("s3://albi/borgo")
	lines := make(chan string, 10)
	ctx, cancel := context.WithCancel(context.Background())
	d := startDeployer(ctx, store, target, deploy.Options{Parallel: 2}, func(format string, a ...any) { lines <- fmt.Sprintf(format, a...) }, 10*time.Millisecond)
	d.deploy(res)
	var got []string
	for len(got) < 4 {
		select {
		case l := <-lines:
			got = append(got, l)
		case <-time.After(10 * time.Second):
			t.Fatalf("no deploy after 10 s; lines: %q", got)
		}
	}
	cancel()
	<-d.done
	for i, wait := range []string{"10ms", "20ms", "40ms"} {
		if !strings.Contains(got[i], "pubblicazione non riuscita: s3://albi/borgo/: il servizio non risponde") || !strings.HasSuffix(got[i], "si riprova tra "+wait) {
			t.Errorf("attempt %d: %q", i+1, got[i])
		}
	}
	if !strings.HasPrefix(got[3], "albo deploy s3://albi/borgo/: ") || store.puts == 0 {
		t.Errorf("after the failures: %q, %d uploads", got[3], store.puts)
	}
}

// TestWatchDeployS3: albo watch --deploy, started ten seconds before the midnight at
// which 15/2026 expires and 38/2026 begins, deploys its first build and, unprompted, the
// midnight one: the expired act leaves the bucket, the new one enters it. (Three seconds
// were too few on a busy machine: the midnight build was swapped in while the first was
// still being uploaded, which then failed and was retried as the midnight one, as it
// should, and the test waited for a second deploy line that never came.)
func TestWatchDeployS3(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM here")
	}
	endpoint, c, bucket, site := s3Site(t)
	ctx := context.Background()
	cmd := albo("watch", "-s", site, "--deploy", "s3://"+bucket+"/borgo", "--endpoint", endpoint)
	cmd.Env = append(cmd.Env, "ALBO_NOW=2026-11-24T23:59:50+01:00")
	var buf bytes.Buffer
	out := &lockedWriter{w: &buf}
	cmd.Stdout, cmd.Stderr = out, out
	// The midnight deploy has ended when a deploy succeeded after the midnight build and
	// after the last failure, and it is the second success, or one that follows a failure
	// (a failed deploy is retried with the newest build: the first, superseded, never
	// says it ended).
	midnightDeployed := func() bool {
		out.mu.Lock()
		defer out.mu.Unlock()
		log := buf.String()
		midnight := strings.Index(log, "inizio o fine di una pubblicazione")
		ok, failed := strings.LastIndex(log, "albo deploy s3://"), strings.LastIndex(log, "pubblicazione non riuscita")
		return midnight >= 0 && ok > midnight && ok > failed && (strings.Count(log, "albo deploy s3://") >= 2 || failed >= 0)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		t.Logf("albo watch:\n%s", buf.String())
	}()
	has := func(key string) bool {
		_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("borgo/" + key)})
		return err == nil
	}
	waitUntil := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(60 * time.Second); !ok(); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("after 60 s: not %s", what)
			}
		}
	}
	waitUntil("deployed on 24/11 (15/2026 on line, 38/2026 not)", func() bool { return has("atti/2026/15.html") && !has("atti/2026/38.html") })
	waitUntil("deployed at midnight (38/2026 on line, 15/2026 gone)", func() bool { return has("atti/2026/38.html") && !has("atti/2026/15.html") })
	waitUntil("the midnight deploy ended", midnightDeployed)
	sameAsBuilt(t, c, bucket, "borgo/", filepath.Join(site, "public"))
}
