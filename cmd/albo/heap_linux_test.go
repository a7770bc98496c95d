package main

import (
	"os"
	"os/exec"
	"runtime"
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
	if n := hugeHeap(64 << 20); n != 64<<20 {
		t.Fatalf("hugeHeap made room for %d bytes at the start of a process, want %d", n, 64<<20)
	}
	b := make([]byte, 32<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	if after := hugeKB(t); after-before < 16<<10 {
		t.Errorf("AnonHugePages %d kB, then %d kB: the heap has no huge pages", before, after)
	}
}

// TestNoRoomAfterCollection: once the collector has run, hugeHeap makes no room, which
// the runtime could have to clear whole.
func TestNoRoomAfterCollection(t *testing.T) {
	runtime.GC()
	if n := hugeHeap(64 << 20); n != 0 {
		t.Errorf("hugeHeap made room for %d bytes after a collection", n)
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

// TestRoomFor: hugeHeap allocates nothing under a limit on the address space, and at most
// a quarter of the machine's memory.
func TestRoomFor(t *testing.T) {
	if os.Getenv("ALBO_TEST_ROOMFOR") == "" {
		mem := 0 // MemTotal, kB
		if b, err := os.ReadFile("/proc/meminfo"); err == nil {
			for _, l := range strings.Split(string(b), "\n") {
				if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemTotal:" {
					mem, _ = strconv.Atoi(f[1])
				}
			}
		}
		if n := roomFor(1 << 40); n <= 0 || mem > 0 && n > mem<<10/4 {
			t.Errorf("roomFor(1 TiB) = %d, want a quarter of the memory (%d kB)", n, mem)
		}
		cmd := exec.Command("sh", "-c", "ulimit -v 4000000 && exec \"$0\" -test.run=^TestRoomFor$", os.Args[0])
		cmd.Env = append(os.Environ(), "ALBO_TEST_ROOMFOR=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	if n := roomFor(512 << 20); n != 0 {
		t.Errorf("under ulimit -v: roomFor = %d, want 0", n)
	}
}
