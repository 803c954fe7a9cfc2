/**
 * apiserver runbooks: down or a single point of failure (the third postmortem: stop
 * kube-controller-manager before kubelets reconnect, or every pod is evicted), the DeleteCollection
 * goroutine leak (the fifth; facts §2), and event storms (the fourth).
 */
import type { Runbook } from './types';

const K = 'kubectl --context {{context}}';

export const APISERVER_DOWN: Runbook = {
  id: 'apiserver-down',
  title: 'apiserver down or a single point of failure: avoid mass eviction',
  summary: 'When the only apiserver is lost, running pods keep running: nothing evicts them while no node controller can reach an apiserver. The danger comes with recovery: a controller manager that sees nodes without heartbeats marks them unreachable after 40 s and deletes their pods after tolerationSeconds (300 s). Stop kube-controller-manager first, bring the API back, let kubelets report, then start it again.',
  detectors: ['apiserver-readiness', 'apiserver-endpoints', 'node-heartbeats'],
  inputs: [{ name: 'nodes', label: 'Nodes to check (space-separated)', placeholder: 'names from the node finding' }],
  steps: [
    { id: 'countdown', kind: 'check', title: 'No node is losing its heartbeats', check: { type: 'no-finding', detectors: ['node-heartbeats'] },
      detail: 'When it fails, the evidence says when evictions start and why: the grace period, the taints, the zone state, the pods\' tolerationSeconds.' },
    { id: 'kcm-first', kind: 'note', tone: 'critical', title: 'Stop kube-controller-manager before anything else',
      detail: 'Do this before restarting or replacing the apiserver, and before fixing the network. If every node is already NotReady the controller is in master disruption mode and evicts nothing, but it leaves that mode as soon as the first kubelet reconnects, and taints every node that has not reconnected yet.' },
    { id: 'stop-kcm', kind: 'command', where: 'control-plane host', mutating: true, title: 'Stop kube-controller-manager (every instance)',
      command: 'sudo systemctl stop kube-controller-manager\n# static pod (kubeadm): move the manifest out; the kubelet stops the pod\nsudo mv /etc/kubernetes/manifests/kube-controller-manager.yaml /etc/kubernetes/',
      detail: 'With several control-plane machines, on each of them: a standby takes the leader lease otherwise.' },
    { id: 'ready', kind: 'check', title: 'The apiserver is ready', check: { type: 'readyz' } },
    { id: 'api-up', kind: 'command', where: 'workstation', title: 'Bring the API back and look at it',
      command: `${K} get --raw='/readyz?verbose'\n${K} get endpoints kubernetes -n default -o wide`,
      detail: 'A replacement apiserver must be reachable at the address kubelets use (their kubeconfig, a load balancer or DNS name); otherwise they never report to it.' },
    { id: 'nodes-report', kind: 'command', where: 'workstation', title: 'Are kubelets reporting?',
      command: `${K} get nodes -o wide\n${K} get leases -n kube-node-lease -o custom-columns=NODE:.metadata.name,RENEWED:.spec.renewTime`,
      detail: 'Every Lease should renew every 10 s.' },
    { id: 'all-back', kind: 'decide', title: 'Are all nodes Ready and renewing their Leases?', options: [
      { label: 'Yes, every node is Ready', goto: 'heartbeats-ok' },
      { label: 'No, some nodes are silent', goto: 'fix-kubelets' },
    ] },
    { id: 'fix-kubelets', kind: 'command', where: 'every node', title: 'Point silent kubelets at the API',
      command: 'sudo grep server: /etc/kubernetes/kubelet.conf\nsudo journalctl -u kubelet --since "15 min ago" | grep -iE "unable to|failed|refused" | tail -20\nsudo systemctl restart kubelet',
      detail: 'If a node cannot be fixed soon, cordon and drain it deliberately once the controller manager runs again, rather than letting the controller evict by timeout.' },
    { id: 'heartbeats-ok', kind: 'check', title: 'Every node is Ready', check: { type: 'no-finding', detectors: ['node-heartbeats'], atLeast: 'warning' } },
    { id: 'start-kcm', kind: 'command', where: 'control-plane host', mutating: true, title: 'Start kube-controller-manager again',
      command: 'sudo systemctl start kube-controller-manager\n# static pod\nsudo mv /etc/kubernetes/kube-controller-manager.yaml /etc/kubernetes/manifests/' },
    { id: 'spof', kind: 'check', title: 'More than one apiserver endpoint', check: { type: 'no-finding', detectors: ['apiserver-endpoints'], atLeast: 'info' },
      detail: 'A standing risk rather than part of the recovery: run two or three apiservers behind a load balancer so the next machine loss is not an incident.' },
  ],
  references: [
    { title: 'Kubernetes: node controller and eviction rate limits', url: 'https://kubernetes.io/docs/concepts/architecture/nodes/#rate-limits-on-eviction' },
    { title: 'Kubernetes: taint-based evictions', url: 'https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions' },
  ],
};

export const APISERVER_LEAK: Runbook = {
  id: 'apiserver-leak',
  title: 'apiserver memory or goroutine leak',
  summary: 'Goroutines or resident memory climbing steadily end in an OOM kill, and then every client relists at once. Take the evidence first (a goroutine dump and a heap profile), find the leaking group, stop its cause, then restart the apiserver.',
  detectors: ['apiserver-goroutine-growth', 'apiserver-memory-growth'],
  inputs: [{ name: 'auditLogPath', label: 'apiserver audit log', placeholder: '/var/log/kubernetes/audit.log', default: '/var/log/kubernetes/audit.log' }],
  steps: [
    { id: 'growing', kind: 'check', title: 'Goroutines and memory are not growing', check: { type: 'no-finding', detectors: ['apiserver-goroutine-growth', 'apiserver-memory-growth'] } },
    { id: 'dump', kind: 'capture', capture: 'goroutine', component: 'kube-apiserver', title: 'Take a goroutine dump',
      detail: 'debug=2: every goroutine with its state and how long it has waited. The analysis groups them by stack and names known issues.' },
    { id: 'dump-taken', kind: 'check', title: 'A dump was stored', check: { type: 'capture-taken', capture: 'goroutine' } },
    { id: 'heap', kind: 'capture', capture: 'heap', component: 'kube-apiserver', title: 'Take a heap profile' },
    { id: 'read-dump', kind: 'note', title: 'Read the dump',
      detail: 'Open it on the Runtime page. A large group in [chan send, N minutes] at registry.(*Store).DeleteCollection.func1 is kubernetes#105606: every DELETECOLLECTION whose deletes fail leaves one goroutine holding the whole listed collection. Fixed in 1.23; no backports.' },
    { id: 'known', kind: 'decide', title: 'Is it the DeleteCollection leak?', options: [
      { label: 'Yes: DeleteCollection.func1 in chan send', goto: 'who-deletes' },
      { label: 'No, or not sure: compare two dumps', goto: 'second-dump' },
    ] },
    { id: 'who-deletes', kind: 'command', where: 'control-plane host', title: 'Find who sends DELETECOLLECTION, and why the deletes fail',
      command: `grep '"verb":"deletecollection"' {{auditLogPath}} | jq -r '[.user.username, .requestURI, (.responseStatus.code|tostring)] | join(" ")' | sort | uniq -c | sort -rn | head\n${K} get validatingwebhookconfigurations,mutatingwebhookconfigurations`,
      detail: 'Deletes fail when a webhook with failurePolicy: Fail is unreachable, or when etcd times out. Fix that (or pause the caller) and the leak stops growing.' },
    { id: 'second-dump', kind: 'capture', capture: 'goroutine', component: 'kube-apiserver', title: 'Take a second dump a few minutes later',
      detail: 'The Runtime page diffs two dumps: the group that grew is the leak.' },
    { id: 'restart', kind: 'command', where: 'control-plane host', mutating: true, title: 'Restart the apiserver (one at a time)',
      command: 'sudo systemctl restart kube-apiserver\n# static pod: touch the manifest, or crictl stop the container',
      detail: 'Restarting frees the leaked memory. With one apiserver the API is down for the restart: keep it short, and do not stop etcd.' },
    { id: 'flat', kind: 'check', title: 'Goroutines back to their idle level', check: { type: 'metric', label: 'apiserver goroutines', query: { kind: 'gauge', series: 'go_goroutines', legend: 'goroutines' }, below: 3000, format: 'count', points: 2, whenMissing: 'unknown' },
      detail: 'An idle 1.20 apiserver runs about 1,700.' },
  ],
  references: [{ title: 'kubernetes#105606: fix goroutine leak in DeleteCollection', url: 'https://github.com/kubernetes/kubernetes/pull/105606' }],
};

export const EVENT_STORM: Runbook = {
  id: 'event-storm',
  title: 'Event storm',
  summary: 'Thousands of Events a minute are thousands of etcd writes, each with a TTL lease. Find the emitter, stop it, and let the Events expire (--event-ttl).',
  detectors: ['event-storm'],
  inputs: [{ name: 'namespace', label: 'Namespace of the emitter', placeholder: 'from the top reasons' }],
  steps: [
    { id: 'storm', kind: 'check', title: 'Events at a normal rate', check: { type: 'no-finding', detectors: ['event-storm'] } },
    { id: 'top', kind: 'command', where: 'workstation', title: 'Top reasons and objects',
      command: `${K} get events --all-namespaces --chunk-size=500 -o json | jq -r '.items[] | "\\(.reason) \\(.involvedObject.kind) \\(.involvedObject.namespace)/\\(.involvedObject.name) \\(.source.component // .reportingController)"' | sort | uniq -c | sort -rn | head -20` },
    { id: 'kind', kind: 'decide', title: 'Who emits them?', options: [
      { label: 'A crash-looping or failing workload (BackOff, FailedMount, FailedScheduling)', goto: 'workload' },
      { label: 'A controller or operator retrying in a loop', goto: 'controller' },
    ] },
    { id: 'workload', kind: 'command', where: 'workstation', mutating: true, title: 'Scale the workload down',
      command: `${K} -n {{namespace}} get deploy,statefulset,daemonset\n${K} -n {{namespace}} scale deployment <name> --replicas=0` },
    { id: 'controller', kind: 'command', where: 'workstation', mutating: true, title: 'Pause the controller',
      command: `${K} -n {{namespace}} scale deployment <controller> --replicas=0`,
      detail: 'Then read its logs for the error it keeps retrying.' },
    { id: 'limit', kind: 'note', title: 'Afterwards',
      detail: 'The EventRateLimit admission plugin caps Events per namespace, user and object. --event-ttl (1 h) decides how long they weigh on etcd.' },
    { id: 'db', kind: 'check', title: 'etcd has room', check: { type: 'db-usage', belowPercent: 80 } },
  ],
  references: [{ title: 'Kubernetes: EventRateLimit admission', url: 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#eventratelimit' }],
};
