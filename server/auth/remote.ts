// Bearer tokens judged elsewhere (modes kubernetes and oidc), and the cluster that judges the
// Kubernetes ones. Server-only (it reaches the runtime): proxy.ts lets such requests through to
// the route handlers, which decide here.
import 'server-only';
import type { LiveClusterSource } from '../cluster/live';
import { getRuntime } from '../runtime';
import { AuthRejection, type Principal, type RemoteBearer } from './authorize';
import type { AuthConfig } from './config';
import { kubernetesBearer, type KubernetesAuthEndpoint } from './kubernetes';
import { oidcBearer } from './oidc';

/** The live cluster named by `auth.kubernetes.cluster` (a context name or a cluster id), else the first. */
export async function kubernetesAuthEndpoint(c: AuthConfig): Promise<KubernetesAuthEndpoint> {
  const rt = await getRuntime();
  await rt.ready;
  // By shape, not instanceof: each route bundle may hold its own copy of the class.
  const live = [...rt.clusters.values()].filter((e) => e.kind === 'live' && e.source && 'authnEndpoint' in e.source);
  const want = c.kubernetes.cluster;
  const entry = want ? live.find((e) => e.id === want || (e.source as LiveClusterSource).contextName === want) : live[0];
  if (!entry) {
    throw new AuthRejection(502, want ? `auth.kubernetes.cluster ${want} is not a cluster of this server's kubeconfig` : 'KF_AUTH=kubernetes needs a live cluster (a kubeconfig context) to judge tokens, and there is none');
  }
  try {
    return (entry.source as LiveClusterSource).authnEndpoint();
  } catch (e) {
    // A kubeconfig whose cluster cannot judge tokens (plain http, an unreadable CA file): say so.
    throw new AuthRejection(502, `cannot ask ${entry.name} about tokens: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export const remoteBearer: RemoteBearer = (token: string, c: AuthConfig): Promise<Principal | null> => {
  if (c.mode === 'kubernetes') return kubernetesBearer(token, c, kubernetesAuthEndpoint);
  if (c.mode === 'oidc') return oidcBearer(token, c);
  return Promise.resolve(null);
};
