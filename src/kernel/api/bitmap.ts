// lib/bitmap.c exports: bitmaps of unsigned longs in module memory. The out-of-line helpers
// behind bitmap.h's inlines (__bitmap_*) touch exactly the words the kernel's loops touch, and
// mask the last word where the kernel does (and only there: __bitmap_or leaves the bits past
// nbits as the sources had them). Parsing and printing follow the kernel's text formats.
import { EBUSY, EINVAL, ENOMEM, EOVERFLOW, ERANGE } from '../errno.js';
import { argsFrom, formatKernel, snprintfResult } from '../format.js';
import { isSpace, hexValue } from '../ctype.js';
import { popcount64, U64_MASK } from '../bitops.js';
import type { Kernel } from '../kernel.js';
import { formatHooks } from './format-hooks.js';

const GFP_ZERO = 0x100n;
const PAGE_SIZE = 4096n;

/** BITMAP_LAST_WORD_MASK(nbits). */
const lastWordMask = (nbits: bigint): bigint => U64_MASK >> ((64n - (nbits % 64n)) % 64n);
/** BITMAP_FIRST_WORD_MASK(start). */
const firstWordMask = (start: bigint): bigint => (U64_MASK << (start % 64n)) & U64_MASK;

export function registerBitmapApi(k: Kernel): void {
  const m = k.mem;
  const u32 = (v: bigint) => BigInt.asUintN(32, v);
  const rd = (p: bigint, i: bigint) => m.readU64(p + i * 8n);
  const wr = (p: bigint, i: bigint, v: bigint) => m.writeU64(p + i * 8n, BigInt.asUintN(64, v));
  const words = (nbits: bigint) => (nbits + 63n) / 64n;

  /** dst = a OP b over whole words (BITS_TO_LONGS(bits)); nothing masked. */
  const wordOp = (name: string, op: (a: bigint, b: bigint) => bigint) =>
    k.exports.func(name, (c) => {
      const [dst, a, b, nbits] = [c.arg(0), c.arg(1), c.arg(2), u32(c.arg(3))];
      for (let i = 0n; i < words(nbits); i++) wr(dst, i, op(rd(a, i), rd(b, i)));
    });
  wordOp('__bitmap_or', (a, b) => a | b);
  wordOp('__bitmap_xor', (a, b) => a ^ b);
  /** dst = a OP b, the last partial word masked; returns whether any bit is set. */
  const anyOp = (name: string, op: (a: bigint, b: bigint) => bigint) =>
    k.exports.func(name, (c) => {
      const [dst, a, b, nbits] = [c.arg(0), c.arg(1), c.arg(2), u32(c.arg(3))];
      let any = 0n;
      const lim = nbits / 64n;
      for (let i = 0n; i < lim; i++) {
        const v = op(rd(a, i), rd(b, i));
        wr(dst, i, v);
        any |= v;
      }
      if (nbits % 64n) {
        const v = op(rd(a, lim), rd(b, lim)) & lastWordMask(nbits);
        wr(dst, lim, v);
        any |= v;
      }
      return any !== 0n;
    });
  anyOp('__bitmap_and', (a, b) => a & b);
  anyOp('__bitmap_andnot', (a, b) => a & ~b & U64_MASK);

  /** Whether pred holds for every word pair (the last one masked): equal, intersects, subset. */
  const compare = (a: bigint, b: bigint, nbits: bigint, differs: (x: bigint, y: bigint) => bigint): boolean => {
    const lim = nbits / 64n;
    for (let i = 0n; i < lim; i++) if (differs(rd(a, i), rd(b, i))) return false;
    if (nbits % 64n && differs(rd(a, lim), rd(b, lim)) & lastWordMask(nbits)) return false;
    return true;
  };
  k.exports.func('__bitmap_equal', (c) => compare(c.arg(0), c.arg(1), u32(c.arg(2)), (x, y) => x ^ y));
  k.exports.func('__bitmap_subset', (c) => compare(c.arg(0), c.arg(1), u32(c.arg(2)), (x, y) => x & ~y & U64_MASK));
  k.exports.func('__bitmap_intersects', (c) => !compare(c.arg(0), c.arg(1), u32(c.arg(2)), (x, y) => x & y));
  k.exports.func('__bitmap_complement', (c) => {
    const [dst, src, nbits] = [c.arg(0), c.arg(1), u32(c.arg(2))];
    for (let i = 0n; i < words(nbits); i++) wr(dst, i, ~rd(src, i));
  });
  k.exports.func('__bitmap_replace', (c) => {
    const [dst, old, nw, mask, nbits] = [c.arg(0), c.arg(1), c.arg(2), c.arg(3), u32(c.arg(4))];
    for (let i = 0n; i < words(nbits); i++) {
      const mk = rd(mask, i);
      wr(dst, i, (rd(old, i) & ~mk) | (rd(nw, i) & mk));
    }
  });

  /** BITMAP_WEIGHT: set bits of fetch(word) over nbits. */
  const weight = (nbits: bigint, fetch: (i: bigint) => bigint): number => {
    let w = 0;
    for (let i = 0n; i < nbits / 64n; i++) w += popcount64(fetch(i));
    if (nbits % 64n) w += popcount64(fetch(nbits / 64n) & lastWordMask(nbits));
    return w;
  };
  k.exports.func('__bitmap_weight', (c) => weight(u32(c.arg(1)), (i) => rd(c.arg(0), i)));
  k.exports.func('__bitmap_weight_and', (c) => weight(u32(c.arg(2)), (i) => rd(c.arg(0), i) & rd(c.arg(1), i)));

  // __bitmap_set / __bitmap_clear(map, start, int len): whole words while len covers them.
  const setClear = (map: bigint, start: bigint, lenIn: number, set: boolean) => {
    let p = start / 64n;
    const size = start + BigInt(lenIn);
    let len = lenIn;
    let bits = 64 - Number(start % 64n);
    let mask = firstWordMask(start);
    const apply = (mk: bigint) => wr(map, p, set ? rd(map, p) | mk : rd(map, p) & ~mk);
    while (len - bits >= 0) {
      apply(mask);
      len -= bits;
      bits = 64;
      mask = U64_MASK;
      p++;
    }
    if (len) apply(mask & lastWordMask(BigInt.asUintN(32, size)));
  };
  k.exports.func('__bitmap_set', (c) => setClear(c.arg(0), u32(c.arg(1)), Number(BigInt.asIntN(32, c.arg(2))), true));
  k.exports.func('__bitmap_clear', (c) => setClear(c.arg(0), u32(c.arg(1)), Number(BigInt.asIntN(32, c.arg(2))), false));

  k.exports.func('__bitmap_shift_right', (c) => {
    const [dst, src, shift, nbits] = [c.arg(0), c.arg(1), u32(c.arg(2)), u32(c.arg(3))];
    const lim = words(nbits);
    const [off, rem] = [shift / 64n, shift % 64n];
    const mask = lastWordMask(nbits);
    for (let i = 0n; off + i < lim; i++) {
      let upper = 0n;
      if (rem && off + i + 1n < lim) {
        upper = rd(src, off + i + 1n);
        if (off + i + 1n === lim - 1n) upper &= mask;
        upper = (upper << (64n - rem)) & U64_MASK;
      }
      let lower = rd(src, off + i);
      if (off + i === lim - 1n) lower &= mask;
      wr(dst, i, (lower >> rem) | upper);
    }
    if (off) for (let i = lim - off; i < lim; i++) wr(dst, i, 0n);
  });
  k.exports.func('__bitmap_shift_left', (c) => {
    const [dst, src, shift, nbits] = [c.arg(0), c.arg(1), u32(c.arg(2)), u32(c.arg(3))];
    const lim = words(nbits);
    const [off, rem] = [shift / 64n, shift % 64n];
    for (let i = lim - off - 1n; i >= 0n; i--) {
      const lower = rem && i > 0n ? rd(src, i - 1n) >> (64n - rem) : 0n;
      wr(dst, i + off, ((rd(src, i) << rem) & U64_MASK) | lower);
    }
    if (off) for (let i = 0n; i < off; i++) wr(dst, i, 0n);
  });
  // bitmap_cut(dst, src, first, cut, nbits): remove `cut` bits at `first`, the rest moves down.
  k.exports.func('bitmap_cut', (c) => {
    const [dst, src, first, cut, nbits] = [c.arg(0), c.arg(1), u32(c.arg(2)), u32(c.arg(3)), u32(c.arg(4))];
    const len = words(nbits);
    const fw = first / 64n;
    const keep = first % 64n ? rd(src, fw) & (U64_MASK >> (64n - (first % 64n))) : 0n;
    const w: bigint[] = [];
    for (let i = 0n; i < len; i++) w.push(rd(src, i));
    // One-bit shifts repeated `cut` times, as the kernel does; by whole steps here.
    for (let n = 0n; n < cut; n++) {
      for (let i = Number(fw); i < w.length; i++) {
        const carry = i < w.length - 1 ? w[i + 1]! & 1n : 0n;
        w[i] = (w[i]! >> 1n) | (carry << 63n);
      }
    }
    w.forEach((v, i) => wr(dst, BigInt(i), v));
    wr(dst, fw, (rd(dst, fw) & firstWordMask(first)) | keep);
  });

  const nextBit = (map: bigint, size: bigint, start: bigint, zero: boolean): bigint => {
    for (let b = start; b < size; b++) {
      if ((b % 64n === 0n) && b + 64n <= size) {
        const wv = rd(map, b / 64n);
        if ((zero ? ~wv & U64_MASK : wv) === 0n) {
          b += 63n;
          continue;
        }
      }
      const bit = (rd(map, b / 64n) >> (b % 64n)) & 1n;
      if ((bit === 1n) !== zero) return b;
    }
    return size;
  };
  k.exports.func('bitmap_find_next_zero_area_off', (c) => {
    const [map, size, startIn, nr, alignMask, alignOffset] = [c.arg(0), c.arg(1), c.arg(2), u32(c.arg(3)), c.arg(4), c.arg(5)];
    let start = startIn;
    for (;;) {
      let index = nextBit(map, size, start, true);
      index = BigInt.asUintN(64, ((index + alignOffset + alignMask) & ~alignMask) - alignOffset);
      const end = index + nr;
      if (end > size) return end;
      const i = nextBit(map, end, index, false);
      if (i >= end) return index;
      start = i + 1n;
    }
  });

  // Regions of 2^order bits (__reg_op): free, allocate, release.
  const regionMask = (pos: bigint, order: number) => {
    const nbitsReg = 1n << BigInt(order);
    const nlongs = (nbitsReg + 63n) / 64n;
    const inLong = nbitsReg < 64n ? nbitsReg : 64n;
    let mask = 1n << (inLong - 1n);
    mask = (mask + mask - 1n) << (pos % 64n);
    return { index: pos / 64n, nlongs, mask: mask & U64_MASK };
  };
  const isFree = (map: bigint, pos: bigint, order: number) => {
    const r = regionMask(pos, order);
    for (let i = 0n; i < r.nlongs; i++) if (rd(map, r.index + i) & r.mask) return false;
    return true;
  };
  const setRegion = (map: bigint, pos: bigint, order: number, on: boolean) => {
    const r = regionMask(pos, order);
    for (let i = 0n; i < r.nlongs; i++) wr(map, r.index + i, on ? rd(map, r.index + i) | r.mask : rd(map, r.index + i) & ~r.mask);
  };
  k.exports.func('bitmap_find_free_region', (c) => {
    const [map, bits, order] = [c.arg(0), u32(c.arg(1)), Number(BigInt.asIntN(32, c.arg(2)))];
    for (let pos = 0n; pos + (1n << BigInt(order)) <= bits; pos += 1n << BigInt(order)) {
      if (!isFree(map, pos, order)) continue;
      setRegion(map, pos, order, true);
      return pos;
    }
    return -ENOMEM;
  });
  k.exports.func('bitmap_release_region', (c) => setRegion(c.arg(0), u32(c.arg(1)), Number(BigInt.asIntN(32, c.arg(2))), false));
  k.exports.func('bitmap_allocate_region', (c) => {
    const [map, pos, order] = [c.arg(0), u32(c.arg(1)), Number(BigInt.asIntN(32, c.arg(2)))];
    if (!isFree(map, pos, order)) return -EBUSY;
    setRegion(map, pos, order, true);
    return 0;
  });

  const testBit = (map: bigint, b: bigint) => ((rd(map, b / 64n) >> (b % 64n)) & 1n) === 1n;
  /** bitmap_pos_to_ord: which set bit (from 0) pos is, or -1. */
  const posToOrd = (map: bigint, pos: bigint, nbits: bigint): number => {
    if (pos >= nbits || !testBit(map, pos)) return -1;
    return pos ? weight(pos, (i) => rd(map, i)) : 0;
  };
  const nthBit = (map: bigint, nbits: bigint, n: number): bigint => {
    let seen = 0;
    for (let b = 0n; b < nbits; b++) if (testBit(map, b) && seen++ === n) return b;
    return nbits;
  };
  k.exports.func('bitmap_remap', (c) => {
    const [dst, src, old, nw, nbits] = [c.arg(0), c.arg(1), c.arg(2), c.arg(3), u32(c.arg(4))];
    if (dst === src) return;
    for (let i = 0n; i < words(nbits); i++) wr(dst, i, 0n);
    const w = weight(nbits, (i) => rd(nw, i));
    for (let b = 0n; b < nbits; b++) {
      if (!testBit(src, b)) continue;
      const n = posToOrd(old, b, nbits);
      const to = n < 0 || w === 0 ? b : nthBit(nw, nbits, n % w);
      wr(dst, to / 64n, rd(dst, to / 64n) | (1n << (to % 64n)));
    }
  });
  k.exports.func('bitmap_bitremap', (c) => {
    const [oldbit, old, nw, bits] = [BigInt.asIntN(32, c.arg(0)), c.arg(1), c.arg(2), BigInt.asIntN(32, c.arg(3))];
    const w = weight(BigInt.asUintN(32, bits), (i) => rd(nw, i));
    const n = oldbit < 0n ? -1 : posToOrd(old, oldbit, BigInt.asUintN(32, bits));
    return n < 0 || w === 0 ? oldbit : nthBit(nw, BigInt.asUintN(32, bits), n % w);
  });

  // u32 arrays <-> bitmaps (64-bit longs hold two u32 halves, low half first).
  k.exports.func('bitmap_from_arr32', (c) => {
    const [map, buf, nbits] = [c.arg(0), c.arg(1), u32(c.arg(2))];
    const halves = (nbits + 31n) / 32n;
    for (let i = 0n; i < halves; i += 2n) {
      let v = BigInt(m.readU32(buf + i * 4n));
      if (i + 1n < halves) v |= BigInt(m.readU32(buf + (i + 1n) * 4n)) << 32n;
      wr(map, i / 2n, v);
    }
    if (nbits % 64n) wr(map, (halves - 1n) / 2n, rd(map, (halves - 1n) / 2n) & lastWordMask(nbits));
  });
  k.exports.func('bitmap_to_arr32', (c) => {
    const [buf, map, nbits] = [c.arg(0), c.arg(1), u32(c.arg(2))];
    const halves = (nbits + 31n) / 32n;
    for (let i = 0n; i < halves; i++) {
      const v = rd(map, i / 2n);
      m.writeU32(buf + i * 4n, Number(i % 2n ? v >> 32n : v & 0xffffffffn));
    }
    if (nbits % 64n) {
      const last = buf + (halves - 1n) * 4n;
      m.writeU32(last, (m.readU32(last) & (0xffffffff >>> Number(BigInt.asUintN(32, -nbits) & 31n))) >>> 0);
    }
  });

  // Allocation: kmalloc_array(BITS_TO_LONGS(nbits), 8); the node variants ignore the node.
  const kmallocAddr = k.exports.addressOf('__kmalloc');
  const kfreeAddr = k.exports.addressOf('kfree');
  const alloc = (c: { call(fn: bigint, a: bigint[]): bigint }, nbits: bigint, flags: bigint) => c.call(kmallocAddr, [words(nbits) * 8n, flags]);
  k.exports.func('bitmap_alloc', (c) => alloc(c, u32(c.arg(0)), c.arg(1)));
  k.exports.func('bitmap_zalloc', (c) => alloc(c, u32(c.arg(0)), c.arg(1) | GFP_ZERO));
  k.exports.func('bitmap_alloc_node', (c) => alloc(c, u32(c.arg(0)), c.arg(1)));
  k.exports.func('bitmap_zalloc_node', (c) => alloc(c, u32(c.arg(0)), c.arg(1) | GFP_ZERO));
  k.exports.func('bitmap_free', (c) => void c.call(kfreeAddr, [c.arg(0)]));

  // Printing: "%*pb\n" / "%*pbl\n" through vsnprintf.
  const hooks = formatHooks(k);
  const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
  const text = (list: boolean, map: bigint, nbits: bigint) => formatKernel(enc(list ? '%*pbl\n' : '%*pb\n'), argsFrom([nbits, map]), hooks);
  k.exports.func('bitmap_print_to_pagebuf', (c) => {
    const [list, buf, map, nbits] = [(c.arg(0) & 0xffn) !== 0n, c.arg(1), c.arg(2), BigInt.asIntN(32, c.arg(3))];
    const r = snprintfResult(text(list, map, nbits), Number(PAGE_SIZE - (buf & (PAGE_SIZE - 1n))));
    if (r.bytes.length) m.writeBytes(buf, r.bytes);
    return r.scnprintf;
  });
  // bitmap_print_to_buf: memory_read_from_buffer(buf, count, &off, text, strlen + 1).
  const toBuf = (list: boolean) => (c: { arg(i: number): bigint }) => {
    const [buf, map, nbits, off, count] = [c.arg(0), c.arg(1), BigInt.asIntN(32, c.arg(2)), BigInt.asIntN(64, c.arg(3)), BigInt.asUintN(64, c.arg(4))];
    const full = text(list, map, nbits);
    const data = new Uint8Array(full.length + 1);
    data.set(full);
    if (off < 0n) return -EINVAL;
    if (off >= BigInt(data.length) || count === 0n) return 0;
    const n = Math.min(Number(count), data.length - Number(off));
    m.writeBytes(buf, data.subarray(Number(off), Number(off) + n));
    return n;
  };
  k.exports.func('bitmap_print_bitmask_to_buf', toBuf(false));
  k.exports.func('bitmap_print_list_to_buf', toBuf(true));

  k.exports.func('bitmap_parselist', (c) => parseList(c.arg(0), c.arg(1), u32(c.arg(2))));
  k.exports.func('bitmap_parse', (c) => parseMask(c.arg(0), u32(c.arg(1)), c.arg(2), BigInt.asIntN(32, c.arg(3))));

  /**
   * bitmap_parselist: "0-3,8,16-31:4/8,N" (ranges, groups used_size/group_size, N = last bit,
   * "all"); regions may be preceded by commas and white space; the map is cleared first.
   */
  function parseList(bufIn: bigint, map: bigint, nbitsIn: bigint): number {
    const nbits = BigInt.asUintN(32, nbitsIn);
    for (let i = 0n; i < words(nbits); i++) wr(map, i, 0n);
    const s = m.readCString(bufIn, 1 << 24);
    const ch = (i: number) => s[i] ?? 0;
    const endOfStr = (c: number) => c === 0 || c === 0x0a;
    const endOfRegion0 = (c: number) => isSpace(c) || c === 0x2c;
    const endOfRegion = (c: number) => endOfRegion0(c) || endOfStr(c);
    const lastbit = BigInt.asUintN(32, nbits - 1n);
    /** bitmap_getnum: [value, next index] or an errno. */
    const getnum = (i: number): [bigint, number] | number => {
      if (ch(i) === 0x4e) return [lastbit, i + 1];
      let n = 0n;
      let j = i;
      while (ch(j) >= 0x30 && ch(j) <= 0x39) n = n * 10n + BigInt(ch(j++) - 0x30);
      if (j === i) return -EINVAL;
      if (n > 0xffffffffn) return -EOVERFLOW;
      return [n, j];
    };
    let i = 0;
    for (;;) {
      while (endOfRegion0(ch(i))) i++;
      if (endOfStr(ch(i))) return 0;
      let start: bigint, end: bigint, off: bigint, group: bigint;
      let done = false;
      const lower = (k2: number) => ch(k2) | 0x20;
      if (lower(i) === 0x61 && lower(i + 1) === 0x6c && lower(i + 2) === 0x6c) {
        [start, end] = [0n, lastbit];
        i += 3;
      } else {
        const a = getnum(i);
        if (typeof a === 'number') return a;
        [start, i] = a;
        if (endOfRegion(ch(i))) {
          end = start;
          off = group = end + 1n;
          done = true;
        } else {
          if (ch(i) !== 0x2d) return -EINVAL;
          const b = getnum(i + 1);
          if (typeof b === 'number') return b;
          [end, i] = b;
        }
      }
      if (!done) {
        if (endOfRegion(ch(i))) {
          off = group = BigInt.asUintN(32, end! + 1n);
        } else {
          if (ch(i) !== 0x3a) return -EINVAL;
          const o = getnum(i + 1);
          if (typeof o === 'number') return o;
          [off, i] = o;
          if (ch(i) !== 0x2f) return -EINVAL;
          const g = getnum(i + 1);
          if (typeof g === 'number') return g;
          [group, i] = g;
        }
      }
      // bitmap_check_region
      if (start! > end! || group! === 0n || off! > group!) return -EINVAL;
      if (end! >= nbits) return -ERANGE;
      for (let st = start!; st <= end!; st += group!) {
        const n = end! - st + 1n < off! ? end! - st + 1n : off!;
        if (n > 0n) setClear(map, st, Number(n), true);
      }
      // Without a pattern or end, bitmap_parse_region returns NULL at the end of the string
      // and the caller stops; otherwise parsing goes on from here.
      if (endOfStr(ch(i))) return 0;
    }
  }

  /**
   * bitmap_parse: hex, read from the end in 32-bit chunks separated by commas (each at most 8
   * digits), white space allowed around them; bits past the given chunks are cleared, and a
   * set bit at or past nmaskbits is -EOVERFLOW.
   */
  function parseMask(startAddr: bigint, buflen: bigint, map: bigint, nmaskbits: bigint): number {
    const s = m.readCString(startAddr, Number(buflen > 0x7fffffffn ? 0x7fffffffn : buflen));
    let nl = s.indexOf(0x0a);
    if (nl < 0) nl = s.length;
    let end = nl - 1;
    const total = Number((BigInt.asUintN(32, nmaskbits) + 31n) / 32n);
    let chunks = total;
    const sep = (c: number) => isSpace(c) || c === 0x2c;
    for (let chunk = 0; ; chunk++) {
      while (end >= 0 && sep(s[end]!)) end--;
      if (end < 0) break;
      if (!chunks--) return -EOVERFLOW;
      let val = 0;
      let closed = false;
      for (let i = 0; i < 32; i += 4) {
        const c = hexValue(s[end--] ?? 0);
        if (c < 0) return -EINVAL;
        val = (val | (c << i)) >>> 0;
        if (end < 0 || sep(s[end]!)) {
          closed = true;
          break;
        }
      }
      if (!closed && hexValue(s[end--] ?? 0) >= 0) return -EOVERFLOW;
      m.writeU32(map + BigInt(chunk * 4), val);
    }
    const unset = BigInt((total - chunks) * 32);
    const nbits = BigInt(Number(nmaskbits));
    if (unset < nbits) {
      setClear(map, unset, Number(nbits - unset), false);
      return 0;
    }
    if (nextBit(map, unset, nbits < 0n ? 0n : nbits, false) !== unset) return -EOVERFLOW;
    return 0;
  }
}
