// Package sample gives tests the repository's sample albo in each built-in theme.
package sample

import (
	"os"
	"path/filepath"
)

// WithTheme returns the sample albo of the repository at repo with its theme chosen by
// tema: repo itself for the default theme (""), else dir, given a copy of repo's content
// with tema added to its albo.yaml.
func WithTheme(repo, dir, tema string) (string, error) {
	if tema == "" {
		return repo, nil
	}
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join(repo, "content"))); err != nil {
		return "", err
	}
	cfg := filepath.Join(dir, "content", "albo.yaml")
	b, err := os.ReadFile(cfg)
	if err == nil {
		err = os.WriteFile(cfg, append(b, "tema: "+tema+"\n"...), 0o644)
	}
	return dir, err
}
