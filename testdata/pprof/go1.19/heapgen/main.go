// heapgen writes real Go heap profiles (runtime/pprof, profile.proto, gzip) for the
// kube-forensics pprof parser and its `go tool pprof -top` comparison tests.
//
// It allocates through several call shapes that stress a profile reader:
//   - plain functions that keep memory live (inuse_* > 0) and ones that drop it (alloc_* only);
//   - small helpers the compiler inlines (Location.line has several Line entries, leaf first);
//   - direct recursion (a function appears more than once on one stack: cum counts it once);
//   - a wide binary call tree (2^depth distinct stacks) used for flame-graph and benchmark inputs.
//
// Usage (see ../README.md):
//
//	go run . -out DIR [-rate N] [-wide-depth D]
//
// It writes DIR/heap.pb.gz (as /debug/pprof/heap: no default_sample_type, so readers default to
// the last sample type, inuse_space), DIR/allocs.pb.gz (as /debug/pprof/allocs:
// default_sample_type=alloc_space) and, when -wide-depth > 0, DIR/heap-wide.pb.gz.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// Sinks keep allocations reachable so they show up as in-use.
var (
	live     [][]byte
	liveMaps []map[int]string
	liveRecs []*record
	sink     []byte // overwritten: what it held becomes garbage (alloc_* only after GC)
)

type record struct {
	name string
	vals []int64
	next *record
}

// newBuf is small enough for the inliner: its make() frame shows up as an inlined Line.
func newBuf(n int) []byte { return make([]byte, n) }

// keepBuf is inlined too, and calls the inlined newBuf: two inline levels in one Location.
func keepBuf(n int) { live = append(live, newBuf(n)) }

//go:noinline
func allocLiveBuffers(count, size int) {
	for i := 0; i < count; i++ {
		keepBuf(size)
	}
}

//go:noinline
func allocGarbage(count, size int) {
	for i := 0; i < count; i++ {
		sink = make([]byte, size)
	}
}

//go:noinline
func buildMaps(count int) {
	for i := 0; i < count; i++ {
		m := make(map[int]string, 64)
		for j := 0; j < 64; j++ {
			m[j] = fmt.Sprintf("value-%d-%d", i, j)
		}
		liveMaps = append(liveMaps, m)
	}
}

// recurse allocates at every level, so a sample's stack holds recurse many times.
//
//go:noinline
func recurse(depth int, size int) *record {
	r := &record{name: fmt.Sprint("level", depth), vals: make([]int64, size)}
	if depth > 0 {
		r.next = recurse(depth-1, size)
	}
	return r
}

// Mutual recursion: a → b → a … (cum must not double-count either function).
//
//go:noinline
func mutualA(depth int) *record {
	r := &record{vals: make([]int64, 512)}
	if depth > 0 {
		r.next = mutualB(depth - 1)
	}
	return r
}

//go:noinline
func mutualB(depth int) *record {
	r := &record{vals: make([]int64, 1024)}
	if depth > 0 {
		r.next = mutualA(depth - 1)
	}
	return r
}

// wideLeft and wideRight build a binary call tree: every path of left/right choices is a distinct
// stack, so depth d gives 2^d stacks ending in one allocation each.
//
//go:noinline
func wideLeft(depth int, path uint32) {
	wideStep(depth, path)
}

//go:noinline
func wideRight(depth int, path uint32) {
	wideStep(depth, path)
}

//go:noinline
func wideStep(depth int, path uint32) {
	if depth == 0 {
		live = append(live, make([]byte, 64+int(path%7)*32))
		return
	}
	if path&1 == 0 {
		wideLeft(depth-1, path>>1)
	} else {
		wideRight(depth-1, path>>1)
	}
}

func writeProfile(dir, file, name string) {
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// debug=0: gzip-compressed profile.proto, exactly what /debug/pprof/<name> serves.
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	out := flag.String("out", ".", "output directory")
	rate := flag.Int("rate", 4096, "runtime.MemProfileRate (bytes per sample; Go's default is 524288)")
	wideDepth := flag.Int("wide-depth", 0, "if > 0, also write heap-wide.pb.gz with 2^depth distinct stacks")
	flag.Parse()
	// Must be set before the allocations we want to see.
	runtime.MemProfileRate = *rate

	allocLiveBuffers(2000, 4096)
	allocGarbage(5000, 8192)
	buildMaps(200)
	for i := 0; i < 50; i++ {
		liveRecs = append(liveRecs, recurse(12, 256))
		liveRecs = append(liveRecs, mutualA(9))
	}
	// The heap profile reports the state as of the last completed GC cycle.
	runtime.GC()
	writeProfile(*out, "heap.pb.gz", "heap")
	writeProfile(*out, "allocs.pb.gz", "allocs")

	if *wideDepth > 0 {
		runtime.MemProfileRate = 1 // every allocation sampled: one sample per distinct stack
		for p := uint32(0); p < 1<<uint(*wideDepth); p++ {
			wideStep(*wideDepth, p)
		}
		runtime.GC()
		writeProfile(*out, "heap-wide.pb.gz", "heap")
	}
	runtime.KeepAlive(sink)
}
