// lib/find_bit.c exports: searches over bitmaps of unsigned longs in module memory. Words are
// read one at a time in the kernel's order, so a search stops reading where the kernel's does
// (a bitmap that ends at an unmapped page faults only if the kernel's loop would read there).
// Sizes and results are unsigned long; a search that finds nothing returns the size.
import type { Kernel } from '../kernel.js';
import { ctz64, clz64, popcount64, nthSetBit, U64_MASK } from '../bitops.js';

export function registerFindBitApi(k: Kernel): void {
  const m = k.mem;
  const u64 = (v: bigint) => BigInt.asUintN(64, v);
  const word = (addr: bigint, i: bigint) => m.readU64(addr + i * 8n);
  const min = (a: bigint, b: bigint) => (a < b ? a : b);

  /** FIND_FIRST_BIT: the first set bit of fetch(idx) over size bits. */
  const first = (size: bigint, fetch: (i: bigint) => bigint): bigint => {
    for (let idx = 0n; idx * 64n < size; idx++) {
      const v = fetch(idx);
      if (v) return min(idx * 64n + BigInt(ctz64(v)), size);
    }
    return size;
  };
  /** FIND_NEXT_BIT: the first set bit at or after start. */
  const next = (size: bigint, start: bigint, fetch: (i: bigint) => bigint): bigint => {
    if (start >= size) return size;
    let idx = start / 64n;
    let tmp = fetch(idx) & ((U64_MASK << (start % 64n)) & U64_MASK);
    while (!tmp) {
      if ((idx + 1n) * 64n >= size) return size;
      idx++;
      tmp = fetch(idx);
    }
    return min(idx * 64n + BigInt(ctz64(tmp)), size);
  };
  /** FIND_NTH_BIT: the n-th (from 0) set bit. */
  const nth = (size: bigint, n: bigint, fetch: (i: bigint) => bigint): bigint => {
    let nr = n;
    let idx = 0n;
    let tmp = 0n;
    let found = false;
    for (; (idx + 1n) * 64n <= size; idx++) {
      if (idx * 64n + nr >= size) return size;
      tmp = fetch(idx);
      const w = BigInt(popcount64(tmp));
      if (w > nr) {
        found = true;
        break;
      }
      nr -= w;
    }
    if (!found) {
      if (size % 64n) tmp = fetch(idx) & ((1n << (size % 64n)) - 1n);
      else return size; // the kernel's fns() of a stale word: no bit left, so size
    }
    const bit = nthSetBit(tmp, Number(nr));
    return bit < 0 ? size : min(idx * 64n + BigInt(bit), size);
  };

  k.exports.func('_find_first_bit', (c) => first(u64(c.arg(1)), (i) => word(c.arg(0), i)));
  k.exports.func('_find_first_zero_bit', (c) => first(u64(c.arg(1)), (i) => ~word(c.arg(0), i) & U64_MASK));
  k.exports.func('_find_first_and_bit', (c) => first(u64(c.arg(2)), (i) => word(c.arg(0), i) & word(c.arg(1), i)));
  k.exports.func('_find_next_bit', (c) => next(u64(c.arg(1)), u64(c.arg(2)), (i) => word(c.arg(0), i)));
  k.exports.func('_find_next_zero_bit', (c) => next(u64(c.arg(1)), u64(c.arg(2)), (i) => ~word(c.arg(0), i) & U64_MASK));
  k.exports.func('_find_next_and_bit', (c) => next(u64(c.arg(2)), u64(c.arg(3)), (i) => word(c.arg(0), i) & word(c.arg(1), i)));
  k.exports.func('_find_next_andnot_bit', (c) => next(u64(c.arg(2)), u64(c.arg(3)), (i) => word(c.arg(0), i) & ~word(c.arg(1), i) & U64_MASK));
  k.exports.func('__find_nth_bit', (c) => nth(u64(c.arg(1)), u64(c.arg(2)), (i) => word(c.arg(0), i)));
  k.exports.func('__find_nth_and_bit', (c) => nth(u64(c.arg(2)), u64(c.arg(3)), (i) => word(c.arg(0), i) & word(c.arg(1), i)));
  k.exports.func('__find_nth_andnot_bit', (c) => nth(u64(c.arg(2)), u64(c.arg(3)), (i) => word(c.arg(0), i) & ~word(c.arg(1), i) & U64_MASK));
  k.exports.func('_find_last_bit', (c) => {
    const [addr, size] = [c.arg(0), u64(c.arg(1))];
    if (!size) return size;
    let val = U64_MASK >> ((64n - (size % 64n)) % 64n);
    for (let idx = (size - 1n) / 64n; ; idx--) {
      val &= word(addr, idx);
      if (val) return idx * 64n + BigInt(63 - clz64(val));
      val = U64_MASK;
      if (idx === 0n) return size;
    }
  });
  // find_next_clump8(*clump, addr, size, offset): the 8-bit group holding the next set bit.
  k.exports.func('find_next_clump8', (c) => {
    const [clump, addr, size] = [c.arg(0), c.arg(1), u64(c.arg(2))];
    let offset = next(size, u64(c.arg(3)), (i) => word(addr, i));
    if (offset === size) return size;
    offset -= offset % 8n;
    m.writeU64(clump, (word(addr, offset / 64n) >> (offset % 64n)) & 0xffn);
    return offset;
  });
}
