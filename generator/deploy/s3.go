package deploy

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/borgoesempio/albo/generator/msg"
)

// metaDigest is the metadata key (x-amz-meta-sha256) of an object's SHA-256.
const metaDigest = "sha256"

// S3 is a Store of the S3 API: AWS, and every S3-compatible service (the PA clouds',
// MinIO, SeaweedFS, Ceph), through the official AWS SDK for Go v2.
type S3 struct{ c *s3.Client }

// NewS3 returns the store configured as every AWS tool is: region, credentials and
// endpoint from the standard environment variables (AWS_REGION, AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_PROFILE, AWS_ENDPOINT_URL_S3…) and files (~/.aws/config,
// ~/.aws/credentials). endpoint, if given, is an S3-compatible service's address; with a
// service other than AWS, objects are addressed by path (https://HOST/BUCKET/KEY), which
// every such service understands.
func NewS3(ctx context.Context, endpoint string) (*S3, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, errors.New(msg.T("la configurazione AWS non si legge: controllare AWS_PROFILE e i file ~/.aws/config e ~/.aws/credentials"))
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // S3's own default; S3-compatible services accept it
	}
	c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		if o.BaseEndpoint != nil {
			o.UsePathStyle = true
		}
		// Checksums only where the API requires them: the S3-compatible services do not all
		// accept the SDK's newer default of a checksum trailer on every upload.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return &S3{c: c}, nil
}

// List returns the objects under prefix.
func (s *S3) List(ctx context.Context, bucket, prefix string) ([]Object, error) {
	var out []Object
	p := s3.NewListObjectsV2Paginator(s.c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fail(bucket, prefix, err)
		}
		for _, o := range page.Contents {
			out = append(out, Object{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size)})
		}
	}
	return out, nil
}

// Stat returns an object's digest and headers.
func (s *S3) Stat(ctx context.Context, bucket, key string) (Object, error) {
	h, err := s.c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return Object{}, fail(bucket, key, err)
	}
	o := Object{Key: key, Size: aws.ToInt64(h.ContentLength), SHA256: h.Metadata[metaDigest], Head: Head{
		ContentType: aws.ToString(h.ContentType), CacheControl: aws.ToString(h.CacheControl), Disposition: aws.ToString(h.ContentDisposition)}}
	if t, err := http.ParseTime(aws.ToString(h.ExpiresString)); err == nil {
		o.Head.Expires = t
	}
	return o, nil
}

// Put stores one file.
func (s *S3) Put(ctx context.Context, bucket, key string, f File, body []byte) error {
	in := &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))),
		ContentType: aws.String(f.Head.ContentType), CacheControl: aws.String(f.Head.CacheControl),
		Metadata: map[string]string{metaDigest: f.SHA256},
	}
	if f.Head.Disposition != "" {
		in.ContentDisposition = aws.String(f.Head.Disposition)
	}
	if !f.Head.Expires.IsZero() {
		in.Expires = aws.Time(f.Head.Expires)
	}
	if _, err := s.c.PutObject(ctx, in); err != nil {
		return fail(bucket, key, err)
	}
	return nil
}

// Delete removes objects, at most 1000 a call.
func (s *S3) Delete(ctx context.Context, bucket string, keys []string) error {
	ids := make([]types.ObjectIdentifier, len(keys))
	for i, k := range keys {
		ids[i] = types.ObjectIdentifier{Key: aws.String(k)}
	}
	out, err := s.c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
	if err != nil {
		return fail(bucket, keys[0], err)
	}
	if len(out.Errors) > 0 {
		e := out.Errors[0]
		return errors.New(msg.T("s3://%s/%s: non si cancella (%s)", bucket, aws.ToString(e.Key), aws.ToString(e.Code)))
	}
	return nil
}

// fail says in Italian what went wrong with a request about s3://bucket/key, and what to
// do: no text of the SDK reaches a clerk but the service's own error code.
func fail(bucket, key string, err error) error {
	where := "s3://" + bucket + "/" + key
	var api smithy.APIError
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &api):
		switch api.ErrorCode() {
		case "NoSuchBucket":
			return errors.New(msg.T("%s: il bucket %s non esiste; crearlo, o correggere l'indirizzo", where, bucket))
		case "AccessDenied", "Forbidden":
			return errors.New(msg.T("%s: accesso negato; le credenziali non permettono di leggere e scrivere qui", where))
		case "InvalidAccessKeyId", "SignatureDoesNotMatch":
			return errors.New(msg.T("%s: credenziali rifiutate (%s); controllare AWS_ACCESS_KEY_ID e AWS_SECRET_ACCESS_KEY, o il profilo", where, api.ErrorCode()))
		}
		return errors.New(msg.T("%s: il servizio risponde con l'errore %s", where, api.ErrorCode()))
	case strings.Contains(err.Error(), "failed to retrieve credentials") || strings.Contains(err.Error(), "no EC2 IMDS role found"):
		return errors.New(msg.T("%s: mancano le credenziali; impostare AWS_ACCESS_KEY_ID e AWS_SECRET_ACCESS_KEY, o un profilo in ~/.aws/credentials", where))
	case errors.As(err, &ne) && ne.Timeout():
		return errors.New(msg.T("%s: tempo di attesa scaduto", where))
	case errors.As(err, &ne):
		return errors.New(msg.T("%s: il servizio non risponde (connessione non riuscita)", where))
	}
	return errors.New(msg.T("%s: richiesta non riuscita", where))
}

var _ Store = (*S3)(nil)
