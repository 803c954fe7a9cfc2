// dumpgen makes real Go goroutine dumps for kube-forensics parser tests. Every state, header part
// and frame shape that the tests rely on comes from the Go runtime itself, not from hand-written
// text. See ../README.md for how each file in the parent folder was produced.
//
//	dumpgen -mode timeline -out DIR   ~130 s: two debug=2 and debug=1 dumps, 60 s apart
//	dumpgen -mode ancestors -out DIR  run with GODEBUG=tracebackancestors=3
//	dumpgen -mode crash               run with GOTRACEBACK=system (or =all with
//	                                  GODEBUG=asyncpreemptoff=1); the crash goes to stderr
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"k8s.io/apiserver/pkg/registry/generic/registry"
)

var forever = make(chan struct{}) // never closed: everything below blocks on it or similar

// leakDeleteCollection runs the stand-in DeleteCollection n times with a failing Delete, so that
// each call leaves one distributor goroutine in `chan send`.
func leakDeleteCollection(n int) {
	s := &registry.Store{DeleteFunc: func(string) error { return registry.ErrTimeout }}
	items := make([]string, 300)
	for i := 0; i < n; i++ {
		_ = s.DeleteCollection(items)
	}
}

// pollLoop is a wait.Until-like background loop: `select` on a ticker and a stop channel.
func pollLoop(stop <-chan struct{}) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-stop:
			return
		}
	}
}

// queueWorker is a workqueue-like consumer: `chan receive`.
func queueWorker(q <-chan int) {
	for range q {
	}
}

// recv is small enough to be inlined, so the dump shows an inlined frame: `main.recv(...)` and a
// file line without `+0x`.
func recv(ch <-chan struct{}) { <-ch }

func inlinedWaiter() { recv(forever) }

// recurse blocks at depth n, deeper than the runtime's 100-frame limit in Go <= 1.20, so the dump
// ends the stack with `...additional frames elided...`.
func recurse(n int) int {
	if n == 0 {
		<-forever
		return 0
	}
	return recurse(n-1) + 1
}

// panicking blocks inside a deferred call while panicking, so the stack has a `panic(...)` frame.
func panicking() {
	defer func() {
		<-forever
		_ = recover()
	}()
	panic("dumpgen: deliberate panic")
}

func lockedWaiter() {
	runtime.LockOSThread()
	<-forever
}

func startBackground(wg *sync.WaitGroup) {
	stop := make(chan struct{})
	for i := 0; i < 40; i++ {
		go pollLoop(stop)
	}
	q := make(chan int)
	for i := 0; i < 20; i++ {
		go queueWorker(q)
	}
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	for i := 0; i < 10; i++ {
		go func() {
			mu.Lock()
			cond.Wait()
			mu.Unlock()
		}()
	}
	var held sync.Mutex
	held.Lock()
	go func() { held.Lock() }()
	var rw sync.RWMutex
	rw.Lock()
	go func() { rw.RLock() }()
	wg.Add(1)
	go func() { wg.Wait() }()
	go func() { time.Sleep(time.Hour) }()
	go func() { select {} }()
	go func() {
		var nilch chan int
		<-nilch
	}()
	go lockedWaiter()
	go inlinedWaiter()
	go recurse(120)
	go panicking()
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		go func() { _, _ = ln.Accept() }()
	}
	// pprof labels are inherited by goroutines created inside Do; debug=1 prints them.
	pprof.Do(context.Background(), pprof.Labels("component", "labelled", "shard", "7"), func(context.Context) {
		for i := 0; i < 3; i++ {
			go recv(forever)
		}
	})
}

// gcSoon lets new goroutines park, then runs a GC so that their wait time starts being counted.
func gcSoon() {
	time.Sleep(100 * time.Millisecond)
	runtime.GC()
}

func writeDumps(dir, prefix string) {
	for _, debug := range []int{2, 1} {
		name := filepath.Join(dir, fmt.Sprintf("%s-debug%d.txt", prefix, debug))
		f, err := os.Create(name)
		if err != nil {
			panic(err)
		}
		if err := pprof.Lookup("goroutine").WriteTo(f, debug); err != nil {
			panic(err)
		}
		if err := f.Close(); err != nil {
			panic(err)
		}
	}
}

func main() {
	mode := flag.String("mode", "timeline", "timeline | ancestors | crash")
	out := flag.String("out", ".", "output directory")
	flag.Parse()

	var wg sync.WaitGroup
	startBackground(&wg)
	switch *mode {
	case "timeline":
		// Leaks at t=0, 65 s, 125 s; dumps at t=70 s, 130 s. `N minutes` (traceback.go) counts from
		// gp.waitsince, which only a GC sets (mgcmark.go markroot), to work.tstart: the start of the
		// *previous* cycle (mgc.go gcMark). Hence the runtime.GC() calls, and minutes that overstate:
		// the t=65 s leaks show the t=0 GC's time (README.md).
		leakDeleteCollection(3)
		gcSoon()
		time.Sleep(65 * time.Second)
		leakDeleteCollection(4)
		gcSoon()
		time.Sleep(5 * time.Second)
		writeDumps(*out, "base")
		time.Sleep(55 * time.Second)
		leakDeleteCollection(5)
		gcSoon()
		time.Sleep(5 * time.Second)
		writeDumps(*out, "leak")
	case "ancestors":
		leakDeleteCollection(2)
		time.Sleep(200 * time.Millisecond)
		writeDumps(*out, "ancestors")
	case "crash":
		// A goroutine spinning on another thread prints `goroutine running on other thread; stack
		// unavailable` (only if it cannot be preempted: GODEBUG=asyncpreemptoff=1);
		// GOTRACEBACK=system adds runtime frames and ` fp= sp= pc=`.
		go func() {
			for {
			}
		}()
		leakDeleteCollection(2)
		time.Sleep(200 * time.Millisecond)
		panic("dumpgen: crash for a GOTRACEBACK=system traceback")
	}
}
