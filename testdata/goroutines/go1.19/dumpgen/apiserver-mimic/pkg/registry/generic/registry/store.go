// Package registry is a stand-in for k8s.io/apiserver/pkg/registry/generic/registry, written for
// kube-forensics test captures. It reproduces only the control flow of (*Store).DeleteCollection
// before kubernetes/kubernetes PR #105606 (Kubernetes <= 1.22): a distributor goroutine feeds item
// indexes into a buffered channel; workers return on the first Delete error; once every worker has
// returned, the distributor blocks forever in `chan send`, pinning the listed items.
package registry

import (
	"errors"
	"sync"
)

// Store deletes items through DeleteFunc; a failing DeleteFunc stands for an etcd timeout or, in
// the lead's reproduction, a failing admission webhook.
type Store struct {
	DeleteFunc func(name string) error
}

const workersNumber = 4

// DeleteCollection mirrors the pre-1.23 algorithm: channel capacity 2*workersNumber, errs
// capacity workersNumber+1, no workersExited guard.
func (e *Store) DeleteCollection(items []string) error {
	wg := sync.WaitGroup{}
	toProcess := make(chan int, 2*workersNumber)
	errs := make(chan error, workersNumber+1)

	go func() {
		for i := 0; i < len(items); i++ {
			toProcess <- i
		}
		close(toProcess)
	}()

	wg.Add(workersNumber)
	for i := 0; i < workersNumber; i++ {
		go func() {
			defer wg.Done()
			for index := range toProcess {
				if err := e.DeleteFunc(items[index]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// ErrTimeout is what the stand-in DeleteFunc returns.
var ErrTimeout = errors.New("etcdserver: request timed out")
