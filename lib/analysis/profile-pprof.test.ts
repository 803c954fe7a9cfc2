// Our -top against Go's own `go tool pprof -top` on real heap profiles (testdata/pprof/**.pb.gz:
// the go1.19 heapgen captures and the kube-apiserver 1.20.2 captures), plus fixture profiles with
// the cases real Go heap profiles lack. pprof's text is parsed back into numbers; with -unit=B the
// values are exact raw units. Skipped only when `go` is not installed.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Profile, parseProfile } from '../parse/pprof';
import { encodeFixtureProfile, type FixtureSpec } from '../parse/pprof-fixture';
import { topTable } from './profile';
import { diffProfiles } from './profile-diff';
import { formatTopText } from './profile-format';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const PPROF_DIR = path.join(root, 'testdata/pprof');
const APISERVER_IDLE = path.join(PPROF_DIR, 'kube-apiserver/v1.20.2/heap-idle.pb.gz');

const hasGo = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
if (!hasGo) console.warn('profile-pprof.test.ts: `go` is not installed, so the comparison with `go tool pprof -top` is SKIPPED');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-pprof-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const env = {
  ...process.env,
  HOME: process.env.HOME ?? tmp,
  GOCACHE: process.env.GOCACHE ?? path.join(os.tmpdir(), 'kf-gocache'),
  PPROF_TMPDIR: tmp,
  GOFLAGS: '',
};

async function pprof(file: string, args: string[]): Promise<string> {
  const { stdout } = await run('go', ['tool', 'pprof', '-top', '-symbolize=none', ...args, file], { env, maxBuffer: 64 << 20 });
  return stdout;
}

interface PprofRow { function: string; flat: number; cum: number; inline: string }
interface PprofTop { total: number; shown: number; dropped: number; rows: PprofRow[] }

/** Parse `go tool pprof -top -unit=B|ns` text (report.go printText). With -unit=B, counts print with a "B" suffix too. */
function parsePprofTop(text: string): PprofTop {
  const num = (s: string): number => (s === '0' ? 0 : Number(s.replace(/(B|ns)$/, '')));
  const lines = text.split('\n');
  const showing = /Showing nodes accounting for (\S+), .* of (\S+) total/.exec(text);
  const dropped = /Dropped (\d+) nodes?/.exec(text);
  const head = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%$/.test(l));
  if (!showing || head < 0) throw new Error(`unexpected pprof output:\n${text}`);
  const rows = lines.slice(head + 1).filter((l) => l.trim() !== '').map((l): PprofRow => {
    const m = /^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s\s(.+?)(?: \((inline|partial-inline)\))?$/.exec(l);
    if (!m) throw new Error(`unexpected pprof row: ${l}`);
    return { flat: num(m[1]!), cum: num(m[2]!), function: m[3]!, inline: m[4] ?? '' };
  });
  return { shown: num(showing[1]!), total: num(showing[2]!), dropped: dropped ? Number(dropped[1]) : 0, rows };
}

function realProfiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...realProfiles(p));
    else if (e.name.endsWith('.pb.gz')) out.push(p);
  }
  return out.sort();
}

const files = realProfiles(PPROF_DIR);

it('the comparison covers the real kube-apiserver heap profile', () => {
  expect(files).toContain(APISERVER_IDLE);
});

describe.skipIf(!hasGo).each(files.map((f) => [path.relative(root, f), f] as const))('%s vs go tool pprof -top', (_name, file) => {
  let profile: Profile;
  const reference = new Map<string, string>();
  beforeAll(async () => {
    profile = await parseProfile(new Uint8Array(fs.readFileSync(file)));
    const jobs: Array<Promise<void>> = profile.sampleTypes.map(async (t) => {
      reference.set(`B:${t.type}`, await pprof(file, [`-sample_index=${t.type}`, '-unit=B']));
    });
    // Default sample type, default (human) units: the text must match byte for byte.
    jobs.push(pprof(file, []).then((t) => { reference.set('default', t); }));
    // Ordered by cum (pprof -cum): every sample type in raw units, and the default one as printed.
    for (const t of profile.sampleTypes) jobs.push(pprof(file, ['-cum', `-sample_index=${t.type}`, '-unit=B']).then((x) => { reference.set(`cum:${t.type}`, x); }));
    jobs.push(pprof(file, ['-cum']).then((t) => { reference.set('cum', t); }));
    await Promise.all(jobs);
  }, 180_000);

  it.each(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'])('-sample_index=%s: same rows, flat, cum, inline labels, total', (type) => {
    const text = reference.get(`B:${type}`);
    expect(text, `profile has no ${type}`).toBeDefined();
    const want = parsePprofTop(text!);
    const got = topTable(profile, type);
    expect(got.total).toBe(want.total);
    expect(got.shownFlat).toBe(want.shown);
    expect(got.droppedNodes).toBe(want.dropped);
    expect(got.rows.map((r) => ({ function: r.function, flat: r.flat, cum: r.cum, inline: r.inline }))).toEqual(want.rows);
    expect(want.rows.length).toBeGreaterThan(3);
    // And the whole text, header included.
    expect(formatTopText(profile, got, { unit: 'B' })).toBe(text);
  });

  it('default sample type and units: identical text', () => {
    expect(formatTopText(profile, topTable(profile))).toBe(reference.get('default'));
  });

  it('ordered by cum (pprof -cum): same rows in the same order, and identical text', () => {
    for (const t of profile.sampleTypes) {
      const text = reference.get(`cum:${t.type}`)!;
      const want = parsePprofTop(text);
      const got = topTable(profile, t.type, { sort: 'cum' });
      expect(got.rows.map((r) => ({ function: r.function, flat: r.flat, cum: r.cum, inline: r.inline })), t.type).toEqual(want.rows);
      // A real ordering change, not the flat order by luck.
      expect(got.rows.map((r) => r.function)).not.toEqual(topTable(profile, t.type).rows.map((r) => r.function));
      expect(formatTopText(profile, got, { unit: 'B' })).toBe(text);
    }
    expect(formatTopText(profile, topTable(profile, undefined, { sort: 'cum' }))).toBe(reference.get('cum'));
    // The cut to N rows follows the order (pprof -cum -nodecount=N keeps the N largest cum).
    const five = topTable(profile, undefined, { sort: 'cum', nodeCount: 5 });
    expect(five.rows.map((r) => r.function)).toEqual(topTable(profile, undefined, { sort: 'cum' }).rows.slice(0, 5).map((r) => r.function));
  });
});

const FIXTURES: Record<string, FixtureSpec> = {
  'recursion-inline': {
    sampleTypes: [['objects', 'count'], ['space', 'bytes']],
    samples: [
      { stack: ['rec', 'rec', 'rec', 'main'], values: [3, 3000] },
      { stack: [['leaf', 'mid'], 'rec', 'main'], values: [2, 2000] },
      { stack: ['leaf', 'mid', 'main'], values: [1, 500] }, // mid→leaf is now also a real call: not inline
      { stack: [['leaf', 'other'], 'main'], values: [1, 400] }, // other→leaf inlined: leaf is partial-inline
      { stack: ['mid', 'main'], values: [1, 700] },
      { stack: [['helper', 'rec'], 'main'], values: [1, 600] }, // only ever inlined: inline
      { stack: ['tiny', 'main'], values: [1, 3] },
    ],
  },
  'drop-frames': {
    sampleTypes: [['samples', 'count']],
    dropFrames: 'malloc|operator new.*',
    keepFrames: 'mallocKeep',
    samples: [
      { stack: ['memset', 'malloc', 'user', 'main'], values: [100] },
      { stack: ['operator new(unsigned long)', 'user2', 'main'], values: [50] },
      { stack: ['mallocKeep', 'user', 'main'], values: [25] },
      { stack: ['malloc', 'main'], values: [10] },
      { stack: [['x', 'malloc'], 'user', 'main'], values: [40] },
    ],
  },
  'cpu-with-header': {
    sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']],
    periodType: ['cpu', 'nanoseconds'],
    period: 10_000_000,
    timeNanos: 1_795_398_687_173_523_027n,
    durationNanos: 30_060_000_000,
    comments: ['captured by a fixture', '#hidden comment'],
    samples: [
      { stack: ['runtime.mallocgc', 'encoding/json.Marshal', 'main'], values: [120, 1_200_000_000] },
      { stack: ['syscall.Syscall', 'main'], values: [30, 300_000_000] },
      { stack: ['main'], values: [3, 30_000_000] },
    ],
  },
  'negative-and-unnamed': {
    sampleTypes: [['space', 'bytes']],
    samples: [
      { stack: ['f', 'main'], values: [-4096] },
      { stack: ['g', 'main'], values: [8192] },
      { stack: [null, 'main'], values: [1024] }, // location without lines → [fixture]
      { stack: ['', 'main'], values: [2048] }, // unnamed function → [fixture]
      { stack: ['h'], values: [-100000] },
    ],
  },
};

describe.skipIf(!hasGo).each(Object.keys(FIXTURES))('fixture %s vs go tool pprof -top', (name) => {
  it('same rows', async () => {
    const file = path.join(tmp, `${name}.pb`);
    fs.writeFileSync(file, encodeFixtureProfile(FIXTURES[name]!));
    const profile = await parseProfile(new Uint8Array(fs.readFileSync(file)));
    const labels = new Set<string>();
    for (const t of profile.sampleTypes) {
      const unit = t.unit === 'nanoseconds' ? 'ns' : 'B';
      const text = await pprof(file, [`-sample_index=${t.type}`, `-unit=${unit}`]);
      for (const r of parsePprofTop(text).rows) labels.add(r.inline);
      const want = parsePprofTop(text);
      const got = topTable(profile, t.type);
      expect(got.rows.map((r) => ({ function: r.function, flat: r.flat, cum: r.cum, inline: r.inline }))).toEqual(want.rows);
      expect(got.total).toBe(want.total);
      expect(formatTopText(profile, got, { unit })).toBe(text);
      // Default (human) units too.
      expect(formatTopText(profile, got)).toBe(await pprof(file, [`-sample_index=${t.type}`]));
    }
    if (name === 'recursion-inline') expect([...labels].sort()).toEqual(['', 'inline', 'partial-inline']);
  }, 60_000);
});

describe.skipIf(!hasGo)('diffProfiles vs go tool pprof -top -diff_base', () => {
  const pairs: Array<[string, string]> = [[path.join(PPROF_DIR, 'go1.19/heap.pb.gz'), path.join(PPROF_DIR, 'go1.19/heap-wide.pb.gz')]];
  const leak = path.join(PPROF_DIR, 'kube-apiserver/v1.20.2/heap-leak.pb.gz');
  if (fs.existsSync(leak)) pairs.push([APISERVER_IDLE, leak]);
  it.each(pairs.map(([b, n]) => [path.relative(root, b), path.relative(root, n), b, n] as const))('%s → %s', async (_b, _n, baseFile, newFile) => {
    const [base, next] = await Promise.all([baseFile, newFile].map(async (f) => parseProfile(new Uint8Array(fs.readFileSync(f)))));
    for (const type of ['inuse_space', 'alloc_objects']) {
      const want = parsePprofTop(await pprof(newFile, [`-diff_base=${baseFile}`, `-sample_index=${type}`, '-unit=B', '-nodefraction=0']));
      const diff = diffProfiles(base!, next!, { sampleIndex: type });
      const got = new Map(diff.rows.map((r) => [r.function, { flat: r.flatDelta, cum: r.cumDelta }]));
      expect(want.rows.length).toBeGreaterThan(3);
      for (const r of want.rows) expect(got.get(r.function), r.function).toEqual({ flat: r.flat, cum: r.cum });
      expect(diff.rows.filter((r) => r.flatDelta !== 0 || r.cumDelta !== 0).length).toBe(want.rows.length);
    }
  }, 120_000);
});
