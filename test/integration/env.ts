import { inject } from 'vitest';
import type { ControlPlaneInfo } from '../../scripts/control-plane/cluster';

export type SharedControlPlane = ControlPlaneInfo;

declare module 'vitest' {
  export interface ProvidedContext { controlPlane: SharedControlPlane }
}

export function controlPlane(): SharedControlPlane { return inject('controlPlane'); }
