// The safer policy kube-forensics suggests, and the high-volume, low-value request kinds it drops.
// Both follow the upstream example policy that GCE clusters install
// (kubernetes/kubernetes cluster/gce/gci/configure-helper.sh create-master-audit-policy), moved to
// audit.k8s.io/v1 with the RequestReceived stage omitted once at the policy level, plus leases in
// kube-system (leader election moved from endpoints to leases in 1.14–1.20).

/** A request kind the upstream policy drops (level None), with a probe request for it. */
export interface NoisePattern {
  id: string;
  title: string;
  /** A policy rule (level None) that matches exactly this kind. */
  rule: string;
  probe: {
    user: string; groups: string[]; verb: string;
    resourceRequest: boolean; apiGroup: string; resource: string; subresource: string; namespace: string; name: string; path: string;
  };
}

const res = (user: string, groups: string[], verb: string, apiGroup: string, resource: string, namespace = '') =>
  ({ user, groups, verb, resourceRequest: true, apiGroup, resource, subresource: '', namespace, name: 'x', path: '' });
const url = (path: string) => ({ user: 'system:anonymous', groups: ['system:unauthenticated'], verb: 'get', resourceRequest: false, apiGroup: '', resource: '', subresource: '', namespace: '', name: '', path });

export const NOISE: NoisePattern[] = [
  {
    id: 'kube-proxy-watch', title: 'kube-proxy watches of endpoints and services',
    rule: '{level: None, users: ["system:kube-proxy"], verbs: ["watch"], resources: [{group: "", resources: ["endpoints", "services", "services/status"]}]}',
    probe: res('system:kube-proxy', ['system:authenticated'], 'watch', '', 'endpoints'),
  },
  {
    id: 'nodes-get-nodes', title: 'kubelets (system:nodes) getting their Node',
    rule: '{level: None, userGroups: ["system:nodes"], verbs: ["get"], resources: [{group: "", resources: ["nodes", "nodes/status"]}]}',
    probe: res('system:node:node-1', ['system:nodes', 'system:authenticated'], 'get', '', 'nodes'),
  },
  {
    id: 'leader-election-endpoints', title: 'controller-manager and scheduler leader election on endpoints in kube-system',
    rule: '{level: None, users: ["system:kube-controller-manager", "system:kube-scheduler", "system:serviceaccount:kube-system:endpoint-controller"], verbs: ["get", "update"], namespaces: ["kube-system"], resources: [{group: "", resources: ["endpoints"]}]}',
    probe: res('system:kube-controller-manager', ['system:authenticated'], 'update', '', 'endpoints', 'kube-system'),
  },
  {
    id: 'leader-election-leases', title: 'controller-manager and scheduler leader election on leases in kube-system',
    rule: '{level: None, users: ["system:kube-controller-manager", "system:kube-scheduler"], verbs: ["get", "update"], namespaces: ["kube-system"], resources: [{group: "coordination.k8s.io", resources: ["leases"]}]}',
    probe: res('system:kube-scheduler', ['system:authenticated'], 'update', 'coordination.k8s.io', 'leases', 'kube-system'),
  },
  {
    id: 'apiserver-namespaces', title: 'the apiserver getting namespaces',
    rule: '{level: None, users: ["system:apiserver"], verbs: ["get"], resources: [{group: "", resources: ["namespaces", "namespaces/status", "namespaces/finalize"]}]}',
    probe: res('system:apiserver', ['system:masters'], 'get', '', 'namespaces'),
  },
  {
    id: 'hpa-metrics', title: 'the controller-manager reading metrics.k8s.io for HPAs',
    rule: '{level: None, users: ["system:kube-controller-manager"], verbs: ["get", "list"], resources: [{group: "metrics.k8s.io"}]}',
    probe: res('system:kube-controller-manager', ['system:authenticated'], 'list', 'metrics.k8s.io', 'pods', 'default'),
  },
  {
    id: 'health-urls', title: 'health, version and API-document reads (/healthz*, /readyz*, /livez*, /version, /swagger*, /openapi*)',
    rule: '{level: None, nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/version", "/swagger*", "/openapi*"]}',
    probe: url('/healthz'),
  },
  {
    id: 'events', title: 'Event writes and reads (they are in etcd already, for an hour)',
    rule: '{level: None, resources: [{group: "", resources: ["events"]}, {group: "events.k8s.io", resources: ["events"]}]}',
    probe: res('system:node:node-1', ['system:nodes', 'system:authenticated'], 'create', '', 'events', 'default'),
  },
];

const KNOWN_APIS = [
  '""', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps', 'authentication.k8s.io',
  'authorization.k8s.io', 'autoscaling', 'batch', 'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'extensions',
  'metrics.k8s.io', 'networking.k8s.io', 'node.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io',
];

const known = KNOWN_APIS.map((g) => `      - group: ${g.startsWith('"') ? g : `"${g}"`}`).join('\n');

export const SUGGESTED_POLICY = `# Suggested by kube-forensics, after the upstream example policy
# (kubernetes/kubernetes cluster/gce/gci/configure-helper.sh).
apiVersion: audit.k8s.io/v1
kind: Policy
# One event per request instead of two: RequestReceived only repeats the request line.
omitStages:
  - RequestReceived
rules:
  # High-volume, low-risk requests: not logged.
  - level: None
    users: ["system:kube-proxy"]
    verbs: ["watch"]
    resources:
      - group: ""
        resources: ["endpoints", "services", "services/status"]
  - level: None
    userGroups: ["system:nodes"]
    verbs: ["get"]
    resources:
      - group: ""
        resources: ["nodes", "nodes/status"]
  - level: None
    users:
      - system:kube-controller-manager
      - system:kube-scheduler
      - system:serviceaccount:kube-system:endpoint-controller
    verbs: ["get", "update"]
    namespaces: ["kube-system"]
    resources:
      - group: ""
        resources: ["endpoints"]
      - group: "coordination.k8s.io"
        resources: ["leases"]
  - level: None
    users: ["system:apiserver"]
    verbs: ["get"]
    resources:
      - group: ""
        resources: ["namespaces", "namespaces/status", "namespaces/finalize"]
  - level: None
    users: ["system:kube-controller-manager"]
    verbs: ["get", "list"]
    resources:
      - group: "metrics.k8s.io"
  - level: None
    nonResourceURLs:
      - /healthz*
      - /readyz*
      - /livez*
      - /version
      - /swagger*
      - /openapi*
  - level: None
    resources:
      - group: ""
        resources: ["events"]
      - group: "events.k8s.io"
        resources: ["events"]
  # Node and pod status updates from kubelets are frequent and large: the request only.
  - level: Request
    userGroups: ["system:nodes"]
    verbs: ["update", "patch"]
    resources:
      - group: ""
        resources: ["nodes/status", "pods/status"]
  # Namespace deletion lists everything it deletes: the request only.
  - level: Request
    users: ["system:serviceaccount:kube-system:namespace-controller"]
    verbs: ["deletecollection"]
  # Secrets, ConfigMaps and TokenReviews hold credentials and large data: who and when, never what.
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets", "configmaps", "serviceaccounts/token"]
      - group: "authentication.k8s.io"
        resources: ["tokenreviews"]
  # Reads: the request (a GET has no body), not the response, which can be megabytes for a LIST.
  - level: Request
    verbs: ["get", "list", "watch"]
    resources:
${known}
  # Writes to known APIs: what was sent and what was stored.
  - level: RequestResponse
    resources:
${known}
  # Everything else (custom resources, aggregated APIs, other URLs): metadata.
  - level: Metadata
`;
