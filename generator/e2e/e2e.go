// Package e2e holds the end-to-end tests of albo in a real browser: the sample albo is
// built, served on loopback and driven with Debian's headless Chromium (chromedp).
package e2e
