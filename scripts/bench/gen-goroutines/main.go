// gen-goroutines writes a large real goroutine dump for the goroutine benchmark
// (scripts/bench/suites/goroutines.ts): -n goroutines (default 100,000) spread over a few dozen
// distinct stacks (nested frames, recursion depths 1–8, `created by` lines), in the states a
// control-plane dump has: select, chan receive, sync.Cond.Wait, semacquire, sleep, and a leak of
// goroutines blocked in chan send. It then writes pprof.Lookup("goroutine").WriteTo(f, 2), exactly
// what /debug/pprof/goroutine?debug=2 serves, and exits.
//
//	go build -o gen-goroutines main.go && ./gen-goroutines -n 100000 -out dump.txt
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

var block = make(chan struct{}) // never closed

type conn struct{ id int }

type server struct {
	mu    sync.Mutex
	cond  *sync.Cond
	queue chan int
	held  sync.Mutex
}

//go:noinline
func (c *conn) readLoop(depth int, ready *sync.WaitGroup) {
	if depth > 0 {
		c.readLoop(depth-1, ready)
		return
	}
	ready.Done()
	t := time.NewTimer(time.Hour)
	select {
	case <-block:
	case <-t.C:
	}
}

//go:noinline
func (s *server) serveConn(id, depth int, ready *sync.WaitGroup) {
	c := &conn{id: id}
	c.readLoop(depth, ready)
}

//go:noinline
func (s *server) worker(depth int, ready *sync.WaitGroup) {
	if depth > 0 {
		s.worker(depth-1, ready)
		return
	}
	ready.Done()
	for range s.queue {
	}
}

//go:noinline
func (s *server) waitForChange(ready *sync.WaitGroup) {
	s.mu.Lock()
	ready.Done()
	s.cond.Wait()
	s.mu.Unlock()
}

//go:noinline
func (s *server) contend(ready *sync.WaitGroup) {
	ready.Done()
	s.held.Lock()
}

//go:noinline
func backoff(ready *sync.WaitGroup) {
	ready.Done()
	time.Sleep(time.Hour)
}

// deleteCollection reproduces the pre-1.23 kube-apiserver distributor leak: nobody receives.
//
//go:noinline
func deleteCollection(items int, ready *sync.WaitGroup) {
	toProcess := make(chan int, 2)
	go func() {
		ready.Done()
		for i := 0; i < items; i++ {
			toProcess <- i
		}
		close(toProcess)
	}()
}

func main() {
	n := flag.Int("n", 100000, "goroutines to start")
	out := flag.String("out", "goroutines-debug2.txt", "output file")
	flag.Parse()

	s := &server{queue: make(chan int)}
	s.cond = sync.NewCond(&s.mu)
	s.held.Lock()
	var ready sync.WaitGroup
	ready.Add(*n)
	for i := 0; i < *n; i++ {
		switch k := i % 20; {
		case k < 8: // 40% select, 8 stack depths
			go s.serveConn(i, i%8, &ready)
		case k < 11: // 15% chan receive, 4 depths
			go s.worker(i%4, &ready)
		case k < 13: // 10% sync.Cond.Wait
			go s.waitForChange(&ready)
		case k < 15: // 10% semacquire (sync.Mutex in Go < 1.20)
			go s.contend(&ready)
		case k < 16: // 5% sleep
			go backoff(&ready)
		default: // 20% leaked in chan send
			deleteCollection(10, &ready)
		}
	}
	ready.Wait()
	time.Sleep(200 * time.Millisecond) // let the last goroutines park
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := pprof.Lookup("goroutine").WriteTo(f, 2); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
