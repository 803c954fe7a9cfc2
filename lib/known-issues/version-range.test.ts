import { describe, expect, it } from 'vitest';
import { compareVersions, parseVersion, satisfiesRange } from './version-range';

describe('parseVersion', () => {
  it('reads Kubernetes gitVersion shapes', () => {
    expect(parseVersion('v1.20.2')).toEqual({ major: 1, minor: 20, patch: 2, prerelease: [] });
    expect(parseVersion('1.23.0-alpha.4')).toEqual({ major: 1, minor: 23, patch: 0, prerelease: ['alpha', '4'] });
    expect(parseVersion('v1.22.8+k3s1')).toEqual({ major: 1, minor: 22, patch: 8, prerelease: [] });
    expect(parseVersion('1.21')).toEqual({ major: 1, minor: 21, patch: 0, prerelease: [] });
    expect(parseVersion('latest')).toBeNull();
  });
});

describe('compareVersions (semver §11)', () => {
  const cmp = (a: string, b: string) => compareVersions(parseVersion(a)!, parseVersion(b)!);
  it('orders releases and pre-releases', () => {
    expect(cmp('1.22.17', '1.23.0')).toBe(-1);
    expect(cmp('1.23.0-alpha.3', '1.23.0-alpha.4')).toBe(-1);
    expect(cmp('1.23.0-alpha.10', '1.23.0-alpha.4')).toBe(1);
    expect(cmp('1.23.0-alpha.4', '1.23.0')).toBe(-1);
    expect(cmp('1.23.0-beta.0', '1.23.0-alpha.4')).toBe(1);
    expect(cmp('1.23.0-alpha', '1.23.0-alpha.1')).toBe(-1);
    expect(cmp('v1.20.2', '1.20.2')).toBe(0);
  });
});

describe('satisfiesRange', () => {
  it('applies the DeleteCollection range <1.23.0-alpha.4 (first tag with the fix)', () => {
    const r = '<1.23.0-alpha.4';
    expect(satisfiesRange('v1.18.4', r)).toBe(true);
    expect(satisfiesRange('v1.20.2', r)).toBe(true);
    expect(satisfiesRange('v1.22.17', r)).toBe(true);
    expect(satisfiesRange('v1.23.0-alpha.3', r)).toBe(true);
    expect(satisfiesRange('v1.23.0-alpha.4', r)).toBe(false);
    expect(satisfiesRange('v1.23.0', r)).toBe(false);
    expect(satisfiesRange('v1.28.3-gke.1286000', r)).toBe(false);
  });
  it('supports AND (spaces) and OR (||)', () => {
    expect(satisfiesRange('1.20.0', '>=1.8.0 <1.23.0')).toBe(true);
    expect(satisfiesRange('1.7.9', '>=1.8.0 <1.23.0')).toBe(false);
    expect(satisfiesRange('1.24.1', '>=1.8.0 <1.23.0 || =1.24.1')).toBe(true);
    expect(satisfiesRange('1.24.1', '1.24.1')).toBe(true);
    expect(satisfiesRange('1.24.2', '<=1.24.1 || >1.25.0')).toBe(false);
  });
  it('returns null for unreadable versions or ranges', () => {
    expect(satisfiesRange('unknown', '<1.23.0')).toBeNull();
    expect(satisfiesRange('1.20.0', '<one')).toBeNull();
    expect(satisfiesRange('1.20.0', '')).toBeNull();
  });
});
