// Bundles the `kube-forensics` CLI into one ESM file (dist/cli.mjs) with esbuild, so the command
// starts in plain Node without compiling TypeScript at run time (tsx costs ~0.5 s and ~80 MB at
// every start). Runs on `npm install` (the `prepare` script); cli/bin.mjs falls back to tsx when
// the bundle is missing or older than the sources.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const result = await build({
  metafile: true,
  entryPoints: { cli: path.join(root, 'cli/main.ts') },
  outdir: path.join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  // Each subcommand stays behind its dynamic import in a chunk of its own, so `inspect heap` never
  // loads the cluster client that `capture` needs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Native and large runtime dependencies stay in node_modules.
  external: ['better-sqlite3', '@kubernetes/client-node', 'tar', 'yaml', 'zod', 'pprof-format'],
  // Some bundled CommonJS code (ncc-compiled parts of Next.js reached through server/) reads
  // __dirname and require at load time; an ES module has neither, so each output file defines them.
  banner: {
    js: "import { createRequire as __kfCreateRequire } from 'node:module'; import { fileURLToPath as __kfFileURLToPath } from 'node:url'; import { dirname as __kfDirname } from 'node:path'; const require = __kfCreateRequire(import.meta.url); const __filename = __kfFileURLToPath(import.meta.url); const __dirname = __kfDirname(__filename);",
  },
  alias: { 'server-only': path.join(root, 'scripts/test/server-only-stub.ts'), '@': root },
});
fs.writeFileSync(path.join(root, 'dist/.built'), new Date().toISOString());
// The project's own sources in the bundle: cli/bin.mjs compares their times with the bundle's
// (a few dozen stats) instead of walking the source folders at every start.
const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules') && !f.startsWith('..') && !path.isAbsolute(f)).sort();
fs.writeFileSync(path.join(root, 'dist/inputs.json'), JSON.stringify(inputs));
