// Out-of-line helpers from lib/ that inline kernel APIs call: the software popcount behind
// hweight*() (arch/x86/lib/hweight.S, reached when alternatives are not applied), the bitmap
// operations used for bitmaps longer than one word (lib/bitmap.c), and refcount_t's
// saturation report (lib/refcount.c).
import type { Kernel } from '../kernel.js';
import { TAINT } from '../taint.js';

/** INT_MIN / 2: where a refcount_t is parked once it misbehaved. */
const REFCOUNT_SATURATED = 0xc0000000;

export function registerLibApi(k: Kernel): void {
  const m = k.mem;
  const popcount = (v: bigint): number => {
    let n = 0;
    for (let x = BigInt.asUintN(64, v); x; x &= x - 1n) n++;
    return n;
  };
  k.exports.func('__sw_hweight8', (c) => popcount(c.arg(0) & 0xffn));
  k.exports.func('__sw_hweight16', (c) => popcount(c.arg(0) & 0xffffn));
  k.exports.func('__sw_hweight32', (c) => popcount(c.arg(0) & 0xffffffffn));
  k.exports.func('__sw_hweight64', (c) => popcount(c.arg(0)));

  /** Word-wise dst = a OP b over nbits, the last word masked as lib/bitmap.c does. */
  const bitmapOp = (name: string, op: (a: bigint, b: bigint) => bigint, returnsAny: boolean) =>
    k.exports.func(name, (c) => {
      const [dst, a, b] = [c.arg(0), c.arg(1), c.arg(2)];
      const nbits = Number(c.arg(3) & 0xffffffffn);
      const words = Math.ceil(nbits / 64);
      let any = 0n;
      for (let i = 0; i < words; i++) {
        const off = BigInt(i * 8);
        let v = BigInt.asUintN(64, op(m.readU64(a + off), m.readU64(b + off)));
        if (returnsAny && i === words - 1 && nbits % 64) v &= (1n << BigInt(nbits % 64)) - 1n;
        m.writeU64(dst + off, v);
        any |= v;
      }
      return returnsAny ? any !== 0n : undefined;
    });
  bitmapOp('__bitmap_or', (a, b) => a | b, false);
  bitmapOp('__bitmap_xor', (a, b) => a ^ b, false);
  bitmapOp('__bitmap_and', (a, b) => a & b, true);
  bitmapOp('__bitmap_andnot', (a, b) => a & ~b, true);
  k.exports.func('__bitmap_weight', (c) => {
    const nbits = Number(c.arg(1) & 0xffffffffn);
    let w = 0;
    for (let i = 0; i * 64 < nbits; i++) {
      let v = m.readU64(c.arg(0) + BigInt(i * 8));
      if ((i + 1) * 64 > nbits) v &= (1n << BigInt(nbits % 64)) - 1n;
      w += popcount(v);
    }
    return w;
  });

  // refcount_warn_saturate(r, type): park the count, then WARN_ONCE with the event's text.
  const events = [
    'saturated; leaking memory',
    'saturated; leaking memory',
    'addition on 0; use-after-free',
    'underflow; use-after-free',
    'decrement hit 0; leaking memory',
  ];
  k.exports.func('refcount_warn_saturate', (c) => {
    m.writeU32(c.arg(0), REFCOUNT_SATURATED);
    const what = events[Number(c.arg(1) & 0xffffffffn)] ?? 'unknown saturation event!?';
    const site = `refcount_t: ${what}`;
    if (k.onceDone.has(site)) return;
    k.onceDone.add(site);
    k.log.emit(4, `${site}.`);
    k.addTaint(TAINT.WARN, false);
  });
}
