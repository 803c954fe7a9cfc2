import 'server-only';
// The team's edits over a postmortem draft, one row per incident (migration 7: postmortem_drafts).
import { readEdits } from '@/lib/postmortem/edits';
import type { DraftEdits } from '@/lib/postmortem/types';
import type { DB } from '../store/db';

export interface SavedEdits { edits: DraftEdits; updatedAt: number; updatedBy: string }

export class PostmortemDrafts {
  constructor(private readonly db: DB) {}

  get(incidentId: string): SavedEdits | null {
    const r = this.db.prepare<[string], { body: string; updated_at: number; updated_by: string }>(
      'SELECT body, updated_at, updated_by FROM postmortem_drafts WHERE incident_id = ?').get(incidentId);
    return r ? { edits: readEdits(r.body), updatedAt: r.updated_at, updatedBy: r.updated_by } : null;
  }

  /** Replaces the saved edits (the editor sends them whole: last writer wins, as in a wiki page). */
  put(incidentId: string, edits: DraftEdits, by: string, now = Date.now()): SavedEdits {
    this.db.prepare(`INSERT INTO postmortem_drafts (incident_id, body, updated_at, updated_by) VALUES (?, ?, ?, ?)
      ON CONFLICT(incident_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`)
      .run(incidentId, JSON.stringify(edits), now, by);
    return { edits, updatedAt: now, updatedBy: by };
  }
}
