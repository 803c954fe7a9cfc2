import { inject } from 'vitest';

export interface SharedControlPlane {
  dir: string;
  apiserverUrl: string;
  etcdUrl: string;
  etcdMetricsUrl: string;
  adminKubeconfig: string;
  viewerKubeconfig: string;
  auditLogPath: string;
  certs: { ca: string; etcdCert: string; etcdKey: string; adminCert: string; adminKey: string };
  pids: Record<string, number | undefined>;
}

declare module 'vitest' {
  export interface ProvidedContext { controlPlane: SharedControlPlane }
}

export function controlPlane(): SharedControlPlane { return inject('controlPlane'); }
