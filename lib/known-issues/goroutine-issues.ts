// Known goroutine-leak signatures. Each entry cites the upstream fix; `example` is copied from a
// real dump and checked by goroutine-issues.test.ts, so adding an issue is one entry here.
import type { KnownIssue } from './types';

export const KNOWN_GOROUTINE_ISSUES: readonly KnownIssue[] = [
  {
    // shared/reference/control-plane-facts.md §2. Before the fix, store.go's distributor goroutine
    // does `toProcess <- i` for every listed item; workers return on the first Delete error, so the
    // distributor blocks in `chan send` forever and pins the listed items. The fix (workersExited
    // guard) is first in kubernetes-1.23.0-alpha.4; no backports to 1.20–1.22 were found.
    id: 'k8s-105606-deletecollection-leak',
    title: 'kube-apiserver DeleteCollection leaks a goroutine (and the listed objects) when a delete fails',
    component: 'kube-apiserver',
    signature: {
      // Matches both the module path and the old GOPATH vendor path
      // (`k8s.io/kubernetes/vendor/k8s.io/apiserver/…`).
      function: /(?:^|\/)k8s\.io\/apiserver\/pkg\/registry\/generic\/registry\.\(\*Store\)\.DeleteCollection\.func1$/,
      state: 'chan send',
    },
    affectedVersions: '<1.23.0-alpha.4',
    fixedIn: '1.23.0',
    links: ['https://github.com/kubernetes/kubernetes/pull/105606'],
    detail:
      'Each DELETECOLLECTION whose deletes fail (etcd timeouts, leader changes, a failing admission webhook) ' +
      'leaves its distributor goroutine blocked in chan send, holding the whole listed collection in memory, ' +
      'until the apiserver restarts or is OOM-killed. Upgrade to 1.23+, or restart the apiserver and fix the ' +
      'cause of the failing deletes.',
    example: {
      state: 'chan send',
      functions: ['k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection.func1'],
      source: 'k8s-club/k8s-club articles/抓虫日记 - kube-apiserver.md (kube-apiserver v1.18.4, PR #105606 author)',
    },
  },
];
