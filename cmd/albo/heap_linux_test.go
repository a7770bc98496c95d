package main

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// TestHugeHeap: in a new process, as at the start of albo build, what is allocated after
// hugeHeap has huge pages, where the kernel gives them to those who ask (THP "always" or
// "madvise").
func TestHugeHeap(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skip("no transparent huge pages here")
	}
	if os.Getenv("ALBO_TEST_HUGEHEAP") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHugeHeap$", "-test.v")
		cmd.Env = append(os.Environ(), "ALBO_TEST_HUGEHEAP=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	before := hugeKB(t)
	hugeHeap(64 << 20)
	b := make([]byte, 32<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	if after := hugeKB(t); after-before < 16<<10 {
		t.Errorf("AnonHugePages %d kB, then %d kB: the heap has no huge pages", before, after)
	}
}

// hugeKB is the process's memory in transparent huge pages.
func hugeKB(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		t.Skip(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "AnonHugePages:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Skip("no AnonHugePages in smaps_rollup")
	return 0
}
