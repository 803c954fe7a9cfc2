// Lets Node run the TypeScript sources directly (tsx) and treats `server-only` as satisfied: the
// CLI and scripts are server code by definition. (Inside Next.js the guard keeps working as designed:
// there, a client bundle that imports a server module fails the build.)
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

register('./server-only-loader.mjs', import.meta.url);
registerTsx();
