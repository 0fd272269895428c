// SipHash as lib/siphash.c computes it: SipHash-2-4 for siphash(), and for hsiphash() on 64-bit
// kernels SipHash-1-3 with a 128-bit key, cut to 32 bits (the kernel's "HalfSipHash" is only
// the real HalfSipHash on 32-bit builds). The fixed-width variants (siphash_2u64, hsiphash_3u32,
// ...) hash the little-endian bytes of their arguments, so one message function serves them all.

const M64 = (1n << 64n) - 1n;
const rol = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & M64;

/** SipHash-c-d of `data` under the key (k0, k1): the 64-bit result. */
export function sipHash(data: Uint8Array, k0: bigint, k1: bigint, c: number, d: number): bigint {
  let v0 = 0x736f6d6570736575n ^ k0;
  let v1 = 0x646f72616e646f6dn ^ k1;
  let v2 = 0x6c7967656e657261n ^ k0;
  let v3 = 0x7465646279746573n ^ k1;
  const round = () => {
    v0 = (v0 + v1) & M64; v1 = rol(v1, 13n); v1 ^= v0; v0 = rol(v0, 32n);
    v2 = (v2 + v3) & M64; v3 = rol(v3, 16n); v3 ^= v2;
    v0 = (v0 + v3) & M64; v3 = rol(v3, 21n); v3 ^= v0;
    v2 = (v2 + v1) & M64; v1 = rol(v1, 17n); v1 ^= v2; v2 = rol(v2, 32n);
  };
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const whole = data.length - (data.length % 8);
  for (let i = 0; i < whole; i += 8) {
    const m = dv.getBigUint64(i, true);
    v3 ^= m;
    for (let r = 0; r < c; r++) round();
    v0 ^= m;
  }
  let b = (BigInt(data.length) << 56n) & M64;
  for (let i = whole; i < data.length; i++) b |= BigInt(data[i]!) << BigInt(8 * (i - whole));
  v3 ^= b;
  for (let r = 0; r < c; r++) round();
  v0 ^= b;
  v2 ^= 0xffn;
  for (let r = 0; r < d; r++) round();
  return v0 ^ v1 ^ v2 ^ v3;
}

/** siphash(): SipHash-2-4. */
export const siphash = (data: Uint8Array, k0: bigint, k1: bigint): bigint => sipHash(data, k0, k1, 2, 4);

/** hsiphash() on x86-64: SipHash-1-3, the low 32 bits. */
export const hsiphash = (data: Uint8Array, k0: bigint, k1: bigint): bigint => sipHash(data, k0, k1, 1, 3) & 0xffffffffn;

/** The little-endian bytes of `values`, each `width` bytes wide (the fixed-width variants). */
export function leBytes(values: bigint[], width: 4 | 8): Uint8Array {
  const out = new Uint8Array(values.length * width);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => (width === 8 ? dv.setBigUint64(i * 8, BigInt.asUintN(64, v), true) : dv.setUint32(i * 4, Number(BigInt.asUintN(32, v)), true)));
  return out;
}
