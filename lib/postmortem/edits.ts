// The saved edits' schema: validated on PUT and again when read back (the column is JSON text).
import { z } from 'zod';
import type { DraftEdits } from './types';

const text = (max: number) => z.string().max(max);

export const draftEditsSchema = z.object({
  summary: text(20_000).optional(),
  impact: text(20_000).optional(),
  detection: text(5_000).optional(),
  rootCause: text(40_000).optional(),
  contributingFactors: z.array(text(2_000)).max(50).optional(),
  actionItems: z.array(z.object({ text: text(2_000), owner: text(200), status: z.enum(['open', 'done']) })).max(100).optional(),
  lessons: text(20_000).optional(),
  hiddenTimeline: z.array(text(300)).max(2_000).optional(),
  timelineText: z.record(text(300), text(2_000)).optional(),
}).strict() satisfies z.ZodType<DraftEdits>;

/** Saved edits that no longer parse (a schema change) read as none, rather than breaking the page. */
export function readEdits(json: string): DraftEdits {
  try {
    const r = draftEditsSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : {};
  } catch { return {}; }
}
