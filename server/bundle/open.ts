import 'server-only';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { parseManifest, timeFromFileName, type BundleManifest } from '@/lib/bundle/manifest';

export interface BundleLimits {
  /** Total bytes extracted from a .tar.gz (decompressed): gzip bombs stop here. */
  maxExtractedBytes: number;
  maxEntries: number;
  maxFileBytes: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = { maxExtractedBytes: 2 * 1024 ** 3, maxEntries: 200_000, maxFileBytes: 512 * 1024 ** 2 };

export class BundleError extends Error {
  override readonly name = 'BundleError';
  constructor(message: string, readonly status = 400) { super(message); }
}

export interface BundleFile { rel: string; abs: string; t: number | null; size: number }

/** An opened bundle: a directory (extracted if the input was a .tar.gz), its manifest and file index. */
export interface OpenBundle {
  dir: string;
  manifest: BundleManifest;
  files: BundleFile[];
  /** Removes the extraction directory, when there is one. */
  dispose(): void;
}

function walk(root: string, limits: BundleLimits): BundleFile[] {
  const out: BundleFile[] = [];
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    for (const ent of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isSymbolicLink()) continue; // never follow links out of the bundle
      if (ent.isDirectory()) { stack.push(r); continue; }
      if (!ent.isFile()) continue;
      const abs = path.join(root, r);
      const size = fs.statSync(abs).size;
      if (size > limits.maxFileBytes) throw new BundleError(`bundle file ${r} is ${size} bytes, over the ${limits.maxFileBytes}-byte limit`, 413);
      out.push({ rel: r, abs, t: timeFromFileName(path.basename(r)), size });
      if (out.length > limits.maxEntries) throw new BundleError(`bundle has more than ${limits.maxEntries} files`, 413);
    }
  }
  return out.sort((a, b) => (a.t ?? 0) - (b.t ?? 0) || a.rel.localeCompare(b.rel));
}

/** Extracts a .tar.gz with bounds on total size and entry count; refuses links and absolute paths. */
async function extract(file: string, limits: BundleLimits): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-bundle-'));
  let total = 0;
  let entries = 0;
  let refused: BundleError | null = null;
  // Read as a stream we can stop: once an entry is refused (a gzip bomb's one huge entry, too many
  // entries), inflating the rest would only burn CPU on bytes that are thrown away. Small reads:
  // each chunk is inflated whole (up to ~1000x for a bomb) before the parser sees a header in it.
  const src = fs.createReadStream(file, { highWaterMark: 16 * 1024 });
  try {
    await new Promise<void>((resolve, reject) => {
      const unpack = tar.x({
        cwd: dir, strict: true, preservePaths: false,
        filter: (p, entry) => {
          const e = entry as { size?: number; type?: string };
          entries++;
          total += e.size ?? 0;
          if (entries > limits.maxEntries) refused ??= new BundleError(`bundle has more than ${limits.maxEntries} entries`, 413);
          if (total > limits.maxExtractedBytes) refused ??= new BundleError(`bundle expands to more than ${limits.maxExtractedBytes} bytes`, 413);
          if ((e.size ?? 0) > limits.maxFileBytes) refused ??= new BundleError(`bundle entry ${p} is over the ${limits.maxFileBytes}-byte limit`, 413);
          if (refused) { src.unpipe(); src.destroy(); unpack.abort(refused); resolve(); }
          const okType = e.type === 'File' || e.type === 'Directory' || e.type === 'OldFile';
          return !refused && okType && !p.split('/').includes('..');
        },
      });
      src.on('error', reject);
      unpack.on('error', reject);
      unpack.on('close', () => resolve());
      src.pipe(unpack);
    });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw refused ?? new BundleError(`cannot read bundle ${path.basename(file)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (refused) { fs.rmSync(dir, { recursive: true, force: true }); throw refused; }
  // A tarball may wrap everything in one top-level folder.
  const top = fs.readdirSync(dir);
  if (!top.includes('manifest.json') && top.length === 1 && fs.statSync(path.join(dir, top[0]!)).isDirectory()) return path.join(dir, top[0]!);
  return dir;
}

export async function openBundle(input: string, limits: BundleLimits = DEFAULT_BUNDLE_LIMITS): Promise<OpenBundle> {
  if (!fs.existsSync(input)) throw new BundleError(`no bundle at ${input}`, 404);
  const isDir = fs.statSync(input).isDirectory();
  const dir = isDir ? input : await extract(input, limits);
  const cleanupRoot = isDir ? null : (dir.startsWith(os.tmpdir()) ? dir.split(path.sep).slice(0, os.tmpdir().split(path.sep).length + 1).join(path.sep) : dir);
  const dispose = () => { if (cleanupRoot) fs.rmSync(cleanupRoot, { recursive: true, force: true }); };
  try {
    const mf = path.join(dir, 'manifest.json');
    if (!fs.existsSync(mf)) throw new BundleError(`${path.basename(input)} is not a kube-forensics bundle: manifest.json is missing`);
    let json: unknown;
    try { json = JSON.parse(fs.readFileSync(mf, 'utf8')); } catch { throw new BundleError('manifest.json is not valid JSON'); }
    let manifest: BundleManifest;
    try { manifest = parseManifest(json); } catch (e) { throw new BundleError(e instanceof Error ? e.message : String(e)); }
    return { dir, manifest, files: walk(dir, limits), dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}
