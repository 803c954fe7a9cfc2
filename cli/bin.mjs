#!/usr/bin/env node
// Entry point for the installed `kube-forensics` command: runs the TypeScript CLI through tsx.
import './register.mjs';

const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
