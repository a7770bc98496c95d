package verify

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzKept: whatever a server sends as Cache-Control and Expires, reading how long the
// response may be kept never fails, a response that must not be kept is never said to
// be kept, and a max-age wins over Expires.
func FuzzKept(f *testing.F) {
	for _, s := range [][2]string{{"public, max-age=31536000", ""}, {"public", "Fri, 31 Dec 2027 23:00:00 GMT"}, {"no-cache", "Fri, 31 Dec 2027 23:00:00 GMT"},
		{"s-maxage=5, max-age=99999999999999999999", "x"}, {"max-age=99999999999999999999", ""}, {"", "Thu, 01 Jan 1970 00:00:00 GMT"}} {
		f.Add(s[0], s[1])
	}
	now := time.Date(2026, 11, 23, 0, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, cc, expires string) {
		h := http.Header{}
		h.Set("Cache-Control", cc)
		h.Set("Expires", expires)
		until, ok := kept(h, now)
		lower := strings.ToLower(cc)
		if ok && (strings.Contains(lower, "no-store") || strings.Contains(lower, "no-cache")) {
			t.Fatalf("Cache-Control %q forbids keeping, yet kept until %v", cc, until)
		}
		if maxAgeRE.MatchString(lower) && !strings.Contains(lower, "no-") && (!ok || until.Before(now)) {
			t.Fatalf("Cache-Control %q keeps the response, yet kept %v %v", cc, until, ok)
		}
		if d, mok := maxAge(cc); mok && (!ok || !until.Equal(now.Add(d))) {
			t.Fatalf("Cache-Control %q: max-age %v, kept %v %v", cc, d, until, ok)
		}
	})
}
