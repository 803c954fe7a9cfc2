import 'server-only';
// The postmortem routes' server side: the draft (assembled from the store, the saved edits over
// it), saving edits, and the PDF and Markdown exports.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { applyEdits, assembleDraft } from '@/lib/postmortem/draft';
import { draftEditsSchema } from '@/lib/postmortem/edits';
import { postmortemHtml } from '@/lib/postmortem/html';
import { postmortemMarkdown } from '@/lib/postmortem/markdown';
import type { PostmortemDraft } from '@/lib/postmortem/types';
import { HttpError } from '../api/http-error';
import type { Principal } from '../auth/authorize';
import type { Runtime } from '../runtime';
import { PostmortemDrafts, type SavedEdits } from './drafts';
import { incidentSource } from './incident-source';
import { renderPdf } from './pdf';
import { postmortemInput, type IncidentSource, type ReportContext } from './postmortem-input';

export const MAX_EDITS_BYTES = 512 * 1024;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The `[incident]` segment of …/incidents/[incident]/postmortem[/…] (the wrappers resolve clusters only). */
export function incidentIdOf(req: Request): string {
  const parts = new URL(req.url).pathname.split('/').filter(Boolean);
  const i = parts.indexOf('incidents');
  const raw = i >= 0 ? decodeURIComponent(parts[i + 1] ?? '') : '';
  if (!ID.test(raw)) throw new HttpError(400, `incident id must be 1-64 letters, digits, - or _, got ${JSON.stringify(raw.slice(0, 80))}`);
  return raw;
}

export function reportContext(rt: Runtime): ReportContext {
  return { store: rt.store, clusters: rt.clusters, intervalMs: rt.config.intervalMs };
}

/** The assembled draft and the saved edits, apart: the editor shows hidden timeline entries too. */
export async function draftParts(ctx: ReportContext, source: IncidentSource, id: string, wall = Date.now()): Promise<{ assembled: PostmortemDraft; saved: SavedEdits | null }> {
  const input = await postmortemInput(ctx, source, id, wall);
  if (!input) throw new HttpError(404, `no incident ${id}`);
  return { assembled: assembleDraft(input), saved: new PostmortemDrafts(ctx.store.db).get(id) };
}

export async function draftOf(ctx: ReportContext, source: IncidentSource, id: string, wall = Date.now()): Promise<PostmortemDraft> {
  const { assembled, saved } = await draftParts(ctx, source, id, wall);
  return saved ? applyEdits(assembled, saved.edits, { at: saved.updatedAt, by: saved.updatedBy }) : assembled;
}

export async function getDraft(rt: Runtime, req: Request): Promise<PostmortemDraft> {
  await rt.ready;
  return draftOf(reportContext(rt), incidentSource(rt), incidentIdOf(req));
}

export async function putDraft(rt: Runtime, req: Request, principal: Principal | null): Promise<PostmortemDraft> {
  await rt.ready;
  const id = incidentIdOf(req);
  if (!incidentSource(rt).dossier(id)) throw new HttpError(404, `no incident ${id}`);
  if (Number(req.headers.get('content-length') ?? 0) > MAX_EDITS_BYTES) throw new HttpError(413, `edits larger than ${MAX_EDITS_BYTES} bytes`);
  const text = await req.text();
  if (text.length > MAX_EDITS_BYTES) throw new HttpError(413, `edits larger than ${MAX_EDITS_BYTES} bytes`);
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw new HttpError(400, 'the body must be JSON: the draft edits'); }
  const parsed = draftEditsSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `edits: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const edits = parsed.data;
  new PostmortemDrafts(rt.store.db).put(id, edits, principal?.name ?? 'anonymous');
  return draftOf(reportContext(rt), incidentSource(rt), id);
}

export function fileStem(d: PostmortemDraft): string {
  const day = new Date(d.window.from).toISOString().slice(0, 10);
  const title = d.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'incident';
  return `postmortem-${day}-${title}`;
}

export async function pdfResponse(rt: Runtime, req: Request): Promise<Response> {
  const d = await getDraft(rt, req);
  // To the minute: two clicks on Export within a minute print one document.
  const html = postmortemHtml(d, { generatedAt: Math.floor(Date.now() / 60_000) * 60_000 });
  // Identical documents (same draft, same data) share one render while it runs.
  const key = crypto.createHash('sha256').update(html).digest('hex');
  const pdf = await renderPdf(html, d.title, key);
  return new Response(new Uint8Array(pdf), {
    headers: {
      'content-type': 'application/pdf', 'content-length': String(pdf.length), 'cache-control': 'no-store',
      'content-disposition': `attachment; filename="${fileStem(d)}.pdf"`,
    },
  });
}

/** `format=md`: one Markdown file with the charts inlined (data: URIs); otherwise a .tar.gz of postmortem.md and charts/*.svg. */
export async function markdownResponse(rt: Runtime, req: Request, format: 'md' | 'tar'): Promise<Response> {
  const d = await getDraft(rt, req);
  const generatedAt = Date.now();
  if (format === 'md') {
    const { markdown } = postmortemMarkdown(d, { generatedAt, images: 'inline' });
    return new Response(markdown, { headers: { 'content-type': 'text/markdown; charset=utf-8', 'cache-control': 'no-store', 'content-disposition': `attachment; filename="${fileStem(d)}.md"` } });
  }
  const body = await markdownArchive(d, generatedAt);
  return new Response(new Uint8Array(body), {
    headers: { 'content-type': 'application/gzip', 'content-length': String(body.length), 'cache-control': 'no-store', 'content-disposition': `attachment; filename="${fileStem(d)}.tar.gz"` },
  });
}

export async function markdownArchive(d: PostmortemDraft, generatedAt: number): Promise<Buffer> {
  const { markdown, charts } = postmortemMarkdown(d, { generatedAt, images: 'files' });
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'kf-postmortem-'));
  try {
    const stem = fileStem(d);
    fs.mkdirSync(path.join(dir, stem, 'charts'), { recursive: true });
    fs.writeFileSync(path.join(dir, stem, 'postmortem.md'), markdown);
    for (const c of charts) fs.writeFileSync(path.join(dir, stem, c.file), c.svg);
    const chunks: Buffer[] = [];
    const stream = tar.c({ gzip: { level: 6 }, cwd: dir, portable: true }, [stem]);
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
