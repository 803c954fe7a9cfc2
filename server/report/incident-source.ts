import 'server-only';
// Which IncidentSource the postmortem routes read. The incident store (server/incidents, built on
// another branch) registers itself here at start-up; until it does, every incident is unknown and
// the routes answer 404. Tests and scripts pass their own source to postmortemInput directly.
import type { Runtime } from '../runtime';
import type { IncidentSource } from './postmortem-input';

type Factory = (rt: Runtime) => IncidentSource;

const NONE: IncidentSource = { dossier: () => null };
let factory: Factory = () => NONE;

export function registerIncidentSource(f: Factory): void { factory = f; }

export function incidentSource(rt: Runtime): IncidentSource { return factory(rt); }
