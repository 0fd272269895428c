// Bit operations on unsigned 64-bit words held as bigint (__ffs, __fls, hweight64, fns), done
// on 32-bit halves with Math.clz32 so that bitmap searches do not loop bit by bit.

export const U64_MASK = (1n << 64n) - 1n;

const ctz32 = (x: number): number => 31 - Math.clz32(x & -x);
const popcount32 = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
};

/** __ffs: index of the lowest set bit (x must not be 0). */
export function ctz64(x: bigint): number {
  const lo = Number(x & 0xffffffffn);
  return lo ? ctz32(lo) : 32 + ctz32(Number((x >> 32n) & 0xffffffffn));
}

/** Leading zeros of a 64-bit word (64 for 0); __fls(x) is 63 - clz64(x). */
export function clz64(x: bigint): number {
  const hi = Number((x >> 32n) & 0xffffffffn);
  return hi ? Math.clz32(hi) : 32 + Math.clz32(Number(x & 0xffffffffn));
}

export function popcount64(x: bigint): number {
  return popcount32(Number(x & 0xffffffffn)) + popcount32(Number((x >> 32n) & 0xffffffffn));
}

/** fns(): index of the n-th (from 0) set bit of x, or -1 when x has n or fewer bits set. */
export function nthSetBit(x: bigint, n: number): number {
  let v = BigInt.asUintN(64, x);
  for (let i = 0; i < n && v; i++) v &= v - 1n;
  return v ? ctz64(v) : -1;
}
