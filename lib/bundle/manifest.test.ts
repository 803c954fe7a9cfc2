import { describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT_VERSION, ManifestError, parseManifest, timeFromFileName } from './manifest';

const ok = {
  formatVersion: 1, cluster: { name: 'prod' }, timeRange: { from: '2026-11-23T01:00:00Z', to: '2026-11-23T02:00:00Z' },
  captured: { metrics: ['kube-apiserver'] },
};

describe('bundle manifest', () => {
  it('accepts a minimal manifest and fills defaults', () => {
    const m = parseManifest(ok);
    expect(m.captured).toMatchObject({ metrics: ['kube-apiserver'], events: false, pprof: [], census: false, audit: false });
    expect(m.redacted).toBe(true);
  });

  it('refuses a future format version with a clear message', () => {
    expect(() => parseManifest({ ...ok, formatVersion: BUNDLE_FORMAT_VERSION + 1 })).toThrow(ManifestError);
    expect(() => parseManifest({ ...ok, formatVersion: 2 })).toThrow(/newer than this kube-forensics understands.*upgrade/);
  });

  it('names the field that is wrong', () => {
    expect(() => parseManifest({ ...ok, timeRange: { from: 'yesterday', to: ok.timeRange.to } })).toThrow(/timeRange\.from: must be an RFC 3339 time/);
    expect(() => parseManifest({ ...ok, captured: { metrics: ['kubelet'] } })).toThrow(/captured\.metrics/);
    expect(() => parseManifest('nope')).toThrow(ManifestError);
  });

  it('reads times from file names, with : or - or _ in the clock', () => {
    expect(timeFromFileName('2026-11-23T01:53:25Z.prom')).toBe(Date.parse('2026-11-23T01:53:25Z'));
    expect(timeFromFileName('2026-11-23T01-53-25Z-heap.pb.gz')).toBe(Date.parse('2026-11-23T01:53:25Z'));
    expect(timeFromFileName('events.jsonl')).toBeNull();
  });
});
