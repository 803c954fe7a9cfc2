// Real recorded series for unit tests: a demo bundle (recorded from the real control plane by
// scripts/demo/record-*.ts) imported through the same path as the dashboard (openBundle →
// importBundle → Store) into a throw-away data directory, read back with the timeline's loader.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBundle } from '../../server/bundle/open';
import { importBundle } from '../../server/bundle/import';
import { Store } from '../../server/store/store';
import { storeLoader } from '../../server/views/timeline';
import type { SeriesLoader } from '../../lib/timeline/types';

export const BUNDLES = path.join(__dirname, '../../testdata/bundles');

export interface RecordedBundle { load: SeriesLoader; from: number; to: number; store: Store; close(): void }

export async function recordedBundle(name: string): Promise<RecordedBundle> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-unit-bundle-'));
  const store = Store.open(dataDir);
  const b = await openBundle(path.join(BUNDLES, `${name}.tar.gz`));
  try {
    await importBundle(store, b, 'b');
  } finally { b.dispose(); }
  const from = Date.parse(b.manifest.timeRange.from);
  const to = Date.parse(b.manifest.timeRange.to);
  return {
    load: storeLoader(store, 'b', from - 60_000, to, 90_000), from, to, store,
    close: () => { store.close(); fs.rmSync(dataDir, { recursive: true, force: true }); },
  };
}
