// Which control-plane component produced a scrape, and which version it runs, from the families
// present. Signatures are data: a component is recognised by families only it registers.
//  - etcd: `etcd_server_*` (etcd server/etcdserver/metrics.go). The apiserver has `etcd_*` families
//    too (etcd_request_duration_seconds, etcd_db_total_size_in_bytes, etcd_object_counts), so
//    only server-side names count.
//  - kube-apiserver: `apiserver_request_total` and friends (k8s pkg/endpoints/metrics).
//  - kube-scheduler: `scheduler_*` (k8s pkg/scheduler/metrics).
//  - kube-controller-manager: node lifecycle `node_collector_*` (facts §1.5), controller-specific
//    families, or workqueues named after its controllers (the apiserver has workqueues too, named
//    after its own controllers, e.g. APIServiceRegistrationController).
import type { ParseResult } from '../parse/prometheus-text';
import { withDetectedVersions } from './extract';
import type { VersionContext } from './catalogue';

export type Component = 'kube-apiserver' | 'etcd' | 'kube-controller-manager' | 'kube-scheduler' | 'unknown';

interface Signature { component: Exclude<Component, 'unknown'>; families?: readonly string[]; prefixes?: readonly string[]; workqueues?: readonly string[] }

const SIGNATURES: readonly Signature[] = [
  { component: 'etcd', families: ['etcd_server_has_leader', 'etcd_server_version', 'etcd_server_proposals_committed_total', 'etcd_disk_wal_fsync_duration_seconds'] },
  { component: 'kube-apiserver', families: ['apiserver_request_total', 'apiserver_request_duration_seconds', 'apiserver_current_inflight_requests', 'apiserver_storage_objects', 'etcd_object_counts'] },
  { component: 'kube-scheduler', prefixes: ['scheduler_'] },
  {
    component: 'kube-controller-manager',
    prefixes: ['node_collector_', 'replicaset_controller_', 'endpoint_slice_controller_', 'garbagecollector_controller_', 'cronjob_controller_', 'job_controller_', 'node_ipam_controller_', 'ttl_after_finished_controller_', 'root_ca_cert_publisher_', 'attachdetach_controller_', 'taint_eviction_controller_'],
    workqueues: ['deployment', 'replicaset', 'daemonset', 'statefulset', 'job', 'cronjob', 'namespace', 'serviceaccount', 'endpoint', 'endpoint_slice', 'garbage_collector_attempt_to_delete', 'resourcequota_primary', 'disruption', 'node_lifecycle_controller', 'ttl_jobs_to_delete'],
  },
];

function matches(result: ParseResult, sig: Signature): boolean {
  if (sig.families?.some((f) => (result.families.get(f)?.samples.length ?? 0) > 0)) return true;
  if (sig.prefixes) {
    for (const name of result.families.keys()) if (sig.prefixes.some((p) => name.startsWith(p))) return true;
  }
  if (sig.workqueues) {
    const wq = result.families.get('workqueue_adds_total') ?? result.families.get('workqueue_adds');
    if (wq?.samples.some((s) => sig.workqueues!.includes(s.labels['name'] ?? ''))) return true;
  }
  return false;
}

export function detectComponent(result: ParseResult): Component {
  for (const sig of SIGNATURES) if (matches(result, sig)) return sig.component;
  return 'unknown';
}

/** `kubernetes_build_info{git_version}` and `etcd_server_version{server_version}`, when present. */
export function detectVersions(result: ParseResult): VersionContext {
  return withDetectedVersions(result, {});
}
