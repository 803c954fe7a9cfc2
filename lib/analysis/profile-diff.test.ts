import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile, parseProfile } from '../parse/pprof';
import { encodeFixtureProfile } from '../parse/pprof-fixture';
import { diffProfiles } from './profile-diff';

const HEAP: Array<[string, string]> = [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['inuse_space', 'bytes']];

describe('diffProfiles', () => {
  const base = decodeProfile(encodeFixtureProfile({
    sampleTypes: HEAP,
    samples: [
      { stack: ['cache.add', 'main'], values: [1, 100, 1, 100] },
      { stack: ['gone', 'main'], values: [1, 50, 1, 50] },
      { stack: ['same', 'main'], values: [1, 7, 1, 7] },
    ],
  }));
  const next = decodeProfile(encodeFixtureProfile({
    sampleTypes: HEAP,
    samples: [
      { stack: ['cache.add', 'main'], values: [5, 500, 5, 500] },
      { stack: ['leak.func1', 'main'], values: [9, 900, 9, 900] },
      { stack: ['same', 'main'], values: [1, 7, 1, 7] },
    ],
  }));

  it('reports deltas, appeared and disappeared functions, sorted by |flat delta|', () => {
    const d = diffProfiles(base, next);
    expect(d.sampleType.type).toBe('inuse_space');
    expect(d.baseTotal).toBe(157);
    expect(d.newTotal).toBe(1407);
    expect(d.rows.map((r) => [r.function, r.flatDelta, r.cumDelta, r.status])).toEqual([
      ['leak.func1', 900, 900, 'appeared'],
      ['cache.add', 400, 400, 'changed'],
      ['gone', -50, -50, 'disappeared'],
      ['main', 0, 1250, 'changed'],
    ]);
    expect(diffProfiles(base, next, { includeUnchanged: true }).rows.find((r) => r.function === 'same')?.status).toBe('unchanged');
  });

  it('matches sample types by name and rejects missing ones', () => {
    expect(diffProfiles(base, next, { sampleIndex: 'alloc_objects' }).totalDelta).toBe(12);
    const cpu = decodeProfile(encodeFixtureProfile({ sampleTypes: [['samples', 'count']], samples: [{ stack: ['f'], values: [1] }] }));
    expect(() => diffProfiles(cpu, next)).toThrow(/base profile has no sample type "inuse_space"/);
  });

  it('a real profile against itself has no changes', async () => {
    const p = await parseProfile(new Uint8Array(fs.readFileSync(path.resolve(__dirname, '../../testdata/pprof/kube-apiserver/v1.20.2/heap-idle.pb.gz'))));
    const d = diffProfiles(p, p);
    expect(d.rows).toEqual([]);
    expect(d.totalDelta).toBe(0);
  });
});
