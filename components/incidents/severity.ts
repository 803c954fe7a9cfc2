import type { Tone } from '@/components/ui/tone';
import type { IncidentSeverity, IncidentStatus } from '@/lib/incidents/types';

export const SEVERITY_TONE: Record<IncidentSeverity, Tone> = { sev1: 'crit', sev2: 'warn', sev3: 'info', sev4: 'neutral' };
export const STATUS_TONE: Record<IncidentStatus, Tone> = { investigating: 'crit', identified: 'warn', mitigated: 'info', resolved: 'ok' };
export const SEVERITY_LABEL: Record<IncidentSeverity, string> = { sev1: 'SEV1', sev2: 'SEV2', sev3: 'SEV3', sev4: 'SEV4' };
