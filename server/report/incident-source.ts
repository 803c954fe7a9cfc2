import 'server-only';
// Which IncidentSource the postmortem reads: the runtime's incident store (server/incidents).
// Tests and scripts pass their own source to postmortemInput directly.
import { incidents } from '../incidents/service';
import type { Runtime } from '../runtime';
import type { IncidentSource } from './postmortem-input';

export function incidentSource(rt: Runtime): IncidentSource { return incidents(rt); }
