// Password hashes: scrypt (node:crypto), encoded as `scrypt$N$r$p$salt$hash` (base64url), and
// bearer-token digests `sha256$hex` (tokens are random and long: a fast hash is enough).
import crypto from 'node:crypto';

const DEFAULTS = { N: 1 << 15, r: 8, p: 1, keyLen: 32 };

function scrypt(password: string, salt: Buffer, N: number, r: number, p: number, keyLen: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(password.normalize('NFC'), salt, keyLen, { N, r, p, maxmem: 256 * N * r + (1 << 20) }, (e, k) => (e ? reject(e) : resolve(k)));
  });
}

export async function hashPassword(password: string, o: Partial<typeof DEFAULTS> = {}): Promise<string> {
  const { N, r, p, keyLen } = { ...DEFAULTS, ...o };
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, N, r, p, keyLen);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time check of a password against an `scrypt$…` hash; false for any other format. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(encoded);
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Refuse parameters that would make one login cost seconds or gigabytes (a hostile file).
  if (N < 2 || N > 1 << 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const expected = Buffer.from(m[5]!, 'base64url');
  if (expected.length < 16 || expected.length > 128) return false;
  const got = await scrypt(password, Buffer.from(m[4]!, 'base64url'), N, r, p, expected.length);
  return crypto.timingSafeEqual(got, expected);
}

export function tokenDigest(token: string): string {
  return `sha256$${crypto.createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/** Constant-time comparison of a presented token with a `sha256$hex` digest. */
export function verifyToken(token: string, digest: string): boolean {
  const m = /^sha256\$([0-9a-f]{64})$/.exec(digest);
  if (!m) return false;
  const a = Buffer.from(tokenDigest(token).slice(7), 'hex');
  return crypto.timingSafeEqual(a, Buffer.from(m[1]!, 'hex'));
}

/** A new random bearer token (256 bits), prefixed so it is recognisable in a secret scanner. */
export function newToken(): string {
  return `kf_${crypto.randomBytes(32).toString('base64url')}`;
}
