// `kube-forensics auth hash-password --user NAME [--role viewer|responder|admin]`: reads a password
// (twice, without echo, from a terminal; or one line from a pipe) and prints a users-file line.
// `kube-forensics auth new-token --user NAME [--role …]`: prints a new random token once, and the
// users-file line holding only its digest.
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { isRole } from '../lib/auth/constants';
import { hashPassword, newToken, tokenDigest } from '../server/auth/password';
import type { CommandIO } from './io';

async function readSecret(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const rl = readline.createInterface({ input });
    for await (const line of rl) { rl.close(); return line; }
    return '';
  }
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  let s = '';
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer) => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') { done(); resolve(s); return; }
        if (ch === '\u0003') { done(); reject(new Error('interrupted')); return; }
        if (ch === '\u007f') s = s.slice(0, -1); else s += ch;
      }
    };
    const done = () => { input.setRawMode(false); input.pause(); input.off('data', onData); process.stderr.write('\n'); };
    input.on('data', onData);
  });
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { user: { type: 'string' }, role: { type: 'string', default: 'viewer' } } });
  const user = values.user ?? '';
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(user)) { io.stderr('kube-forensics auth: --user NAME is required (letters, digits, . _ @ -)\n'); return 2; }
  if (!isRole(values.role)) { io.stderr('kube-forensics auth: --role must be viewer, responder or admin\n'); return 2; }
  if (sub === 'hash-password') {
    const pw = await readSecret('password: ');
    if (process.stdin.isTTY && (await readSecret('again: ')) !== pw) { io.stderr('passwords differ\n'); return 1; }
    if (pw.length < 12) { io.stderr('kube-forensics auth: use at least 12 characters\n'); return 1; }
    io.stdout(`${user}:${values.role}:${await hashPassword(pw)}\n`);
    return 0;
  }
  if (sub === 'new-token') {
    const token = newToken();
    io.stderr(`token for ${user} (shown once; send it as Authorization: Bearer …):\n${token}\n\nusers-file line:\n`);
    io.stdout(`${user}:${values.role}:${tokenDigest(token)}\n`);
    return 0;
  }
  io.stderr('usage: kube-forensics auth hash-password|new-token --user NAME [--role viewer|responder|admin]\n');
  return 2;
}
