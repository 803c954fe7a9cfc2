import 'server-only';
// Which IncidentSource the postmortem routes read. The incident store (server/incidents, built on
// another branch) registers itself here at start-up; until it does, every incident is unknown and
// the routes answer 404. Tests and scripts pass their own source to postmortemInput directly.
// Kept on globalThis, as the runtime is (server/runtime.ts): Next.js may load this module once per
// server bundle, and the route handlers and pages must see the same registration.
import type { Runtime } from '../runtime';
import type { IncidentSource } from './postmortem-input';

type Factory = (rt: Runtime) => IncidentSource;

const KEY = Symbol.for('kube-forensics.incidentSource');
type WithFactory = typeof globalThis & { [KEY]?: Factory };
const NONE: IncidentSource = { dossier: () => null };

export function registerIncidentSource(f: Factory): void { (globalThis as WithFactory)[KEY] = f; }

export function incidentSource(rt: Runtime): IncidentSource { return (globalThis as WithFactory)[KEY]?.(rt) ?? NONE; }
