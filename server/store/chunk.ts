import 'server-only';

/**
 * A packed run of samples of one series: [n u32][t0 f64][Δt i32 × n][v f64 × n], little-endian.
 * Times are exact (ms deltas from t0; a chunk spans hours, far inside i32), values exact f64.
 */
export function encodeChunk(t: ArrayLike<number>, v: ArrayLike<number>): Buffer {
  const n = t.length;
  const buf = Buffer.alloc(12 + 12 * n);
  buf.writeUInt32LE(n, 0);
  const t0 = n ? t[0]! : 0;
  buf.writeDoubleLE(t0, 4);
  for (let i = 0; i < n; i++) buf.writeInt32LE(t[i]! - t0, 12 + 4 * i);
  const vo = 12 + 4 * n;
  for (let i = 0; i < n; i++) buf.writeDoubleLE(v[i]!, vo + 8 * i);
  return buf;
}

export function decodeChunk(buf: Buffer): { t: Float64Array; v: Float64Array } {
  const n = buf.readUInt32LE(0);
  if (buf.length !== 12 + 12 * n) throw new Error(`corrupt chunk: ${buf.length} bytes for ${n} samples`);
  const t0 = buf.readDoubleLE(4);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const vo = 12 + 4 * n;
  for (let i = 0; i < n; i++) { t[i] = t0 + buf.readInt32LE(12 + 4 * i); v[i] = buf.readDoubleLE(vo + 8 * i); }
  return { t, v };
}
