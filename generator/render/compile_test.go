package render

import (
	"bytes"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator/internal/overlay"
	samplesite "github.com/borgoesempio/albo/generator/internal/sample"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/schedule"
)

// TestCompiledPages: in each built-in theme, every file of the sample albo is the same made
// by the compiled programs as by html/template, and no page or part of it needed
// html/template.
func TestCompiledPages(t *testing.T) {
	for _, tema := range []string{"", "bootstrap-italia"} {
		t.Run("tema "+tema, func(t *testing.T) {
			dir, err := samplesite.WithTheme(filepath.Join("..", ".."), t.TempDir(), tema)
			if err != nil {
				t.Fatal(err)
			}
			site, err := load.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			rome, _ := time.LoadLocation("Europe/Rome")
			p := schedule.Schedule(site, time.Date(2026, 11, 23, 10, 0, 0, 0, rome))
			render := func(compiled bool) (*Renderer, map[string][]byte) {
				r, err := New(overlay.FS(tema, nil))
				if err != nil {
					t.Fatal(err)
				}
				if !compiled {
					r.progs = nil
				}
				out := memSink{mu: &sync.Mutex{}, files: map[string][]byte{}}
				if err := r.Render(p, out); err != nil {
					t.Fatal(err)
				}
				return r, out.files
			}
			r, got := render(true)
			_, want := render(false)
			if len(r.progs) != len(pageNames)+3 {
				t.Errorf("%d pages and parts compiled, want %d", len(r.progs), len(pageNames)+3)
			}
			if n := r.fallbacks.Load(); n > 0 {
				t.Errorf("%d pages or parts made by html/template", n)
			}
			for name, w := range want {
				if !bytes.Equal(got[name], w) {
					t.Errorf("%s differs from html/template's", name)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d files, html/template %d", len(got), len(want))
			}
		})
	}
}
