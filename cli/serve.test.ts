import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from './serve';

const root = path.resolve(import.meta.dirname, '..');

describe('packageRoot', () => {
  it('finds the checkout from the sources and from the prebuilt bundle\'s chunk folder', () => {
    expect(packageRoot(path.join(root, 'cli'))).toBe(root);
    // Where esbuild puts serve's code (scripts/build-cli.mjs: splitting, chunks/[name]-[hash]).
    expect(packageRoot(path.join(root, 'dist', 'chunks'))).toBe(root);
  });
  it('skips another package\'s package.json on the way up, and says so when there is none', () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-root-'));
    try {
      fs.mkdirSync(path.join(d, 'node_modules', 'other', 'lib'), { recursive: true });
      fs.writeFileSync(path.join(d, 'package.json'), JSON.stringify({ name: 'kube-forensics' }));
      fs.writeFileSync(path.join(d, 'node_modules', 'other', 'package.json'), JSON.stringify({ name: 'other' }));
      expect(packageRoot(path.join(d, 'node_modules', 'other', 'lib'))).toBe(d);
      fs.rmSync(path.join(d, 'package.json'));
      expect(() => packageRoot(path.join(d, 'node_modules', 'other', 'lib'))).toThrow(/no kube-forensics package.json above/);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
