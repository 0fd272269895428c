// Sparse emulated address space. Public methods take bigint addresses (the AddressSpace
// contract); the CPU uses the number-based methods (r8..w64), which take a canonical address as a
// signed JS number: every canonical x86-64 address lies within ±2^47, so it is exact as a double,
// and `a & 4095` / `a >>> 12` still give the right low bits for negative values.
import { MemoryFault, PAGE_SIZE, type AddressSpace } from './types.js';

const PAGE_MASK = PAGE_SIZE - 1;
const TLB_BITS = 8;
const TLB_SIZE = 1 << TLB_BITS;
const TLB_MASK = TLB_SIZE - 1;
const CANON_LIMIT = 2 ** 47;
/** High-half tag of an empty entry: no canonical address has it. */
const NO_TAG = 0x40000000;

export class Page {
  readonly u8: Uint8Array;
  readonly dv: DataView;
  /** The same bytes as int32s in host order (compiled blocks use it on little-endian hosts). */
  readonly i32: Int32Array;
  /**
   * Decoded-instruction cache of the CPU, indexed by page offset. Non-null means the page holds
   * code: such pages stay out of the write TLB, so every store to them takes the slow path, which
   * empties this array in place (the CPU may hold a reference to it while running).
   */
  code: unknown[] | null = null;
  constructor(readonly base: number) {
    const buf = new ArrayBuffer(PAGE_SIZE);
    this.u8 = new Uint8Array(buf);
    this.dv = new DataView(buf);
    this.i32 = new Int32Array(buf);
  }
}

/** bigint address -> signed number, or throws MemoryFault for non-canonical addresses. */
export function addrToNum(addr: bigint, write = false): number {
  const n = Number(BigInt.asIntN(64, addr));
  if (n >= CANON_LIMIT || n < -CANON_LIMIT) throw new MemoryFault(BigInt.asUintN(64, addr), write);
  return n;
}

/** Signed number address -> unsigned 64-bit bigint. */
export function numToAddr(a: number): bigint {
  return BigInt.asUintN(64, BigInt(a));
}

export class Memory implements AddressSpace {
  private readonly pages = new Map<number, Page>();
  // Direct-mapped software TLBs; a tag is the page base (NaN = empty). Writes have their own so
  // that code pages can be excluded from it.
  private readonly rTag = new Float64Array(TLB_SIZE).fill(NaN);
  private readonly rDv: DataView[] = new Array<DataView>(TLB_SIZE);
  private readonly wTag = new Float64Array(TLB_SIZE).fill(NaN);
  private readonly wDv: DataView[] = new Array<DataView>(TLB_SIZE);
  // The same tags as int32 halves, for callers that hold an address as two int32s (compiled
  // blocks): the hit test is then two integer compares, with no float conversion.
  private readonly rTagL = new Int32Array(TLB_SIZE);
  private readonly rTagH = new Int32Array(TLB_SIZE).fill(NO_TAG);
  private readonly wTagL = new Int32Array(TLB_SIZE);
  private readonly wTagH = new Int32Array(TLB_SIZE).fill(NO_TAG);
  /** High 32 bits of the last r64() result. */
  hi = 0;
  /**
   * Bumped whenever a page someone may hold on to (cachePage) is unmapped or starts to hold
   * decoded code; holders drop their pages when it changes.
   */
  epoch = 0;

  get mappedPages(): number {
    return this.pages.size;
  }

  // ---- contract API (bigint) -------------------------------------------------------------

  map(base: bigint, size: number): void {
    const b = addrToNum(base, true);
    if ((b & PAGE_MASK) !== 0 || size % PAGE_SIZE !== 0) throw new Error('map: unaligned range');
    for (let a = b; a < b + size; a += PAGE_SIZE) {
      if (this.pages.has(a)) throw new Error(`map: page 0x${numToAddr(a).toString(16)} already mapped`);
    }
    for (let a = b; a < b + size; a += PAGE_SIZE) this.pages.set(a, new Page(a));
  }

  unmap(base: bigint, size: number): void {
    const b = addrToNum(base, true);
    if ((b & PAGE_MASK) !== 0 || size % PAGE_SIZE !== 0) throw new Error('unmap: unaligned range');
    for (let a = b; a < b + size; a += PAGE_SIZE) {
      const p = this.pages.get(a);
      if (p?.code) p.code.length = 0;
      this.pages.delete(a);
    }
    this.flushTlb();
  }

  isMapped(addr: bigint): boolean {
    const n = Number(BigInt.asIntN(64, addr));
    if (n >= CANON_LIMIT || n < -CANON_LIMIT) return false;
    return this.pages.has(n - (n & PAGE_MASK));
  }

  readU8(addr: bigint): number {
    return this.r8(addrToNum(addr));
  }
  readU16(addr: bigint): number {
    return this.r16(addrToNum(addr));
  }
  readU32(addr: bigint): number {
    return this.r32(addrToNum(addr)) >>> 0;
  }
  readU64(addr: bigint): bigint {
    const lo = this.r64(addrToNum(addr));
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(lo >>> 0);
  }
  writeU8(addr: bigint, v: number): void {
    this.w8(addrToNum(addr, true), v);
  }
  writeU16(addr: bigint, v: number): void {
    this.w16(addrToNum(addr, true), v);
  }
  writeU32(addr: bigint, v: number): void {
    this.w32(addrToNum(addr, true), v);
  }
  writeU64(addr: bigint, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.w64(addrToNum(addr, true), Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0);
  }

  /** A 1-, 2-, 4- or 8-byte unsigned value, zero-extended (for C objects of a size known at run time). */
  readUN(addr: bigint, size: number): bigint {
    return size === 1 ? BigInt(this.readU8(addr)) : size === 2 ? BigInt(this.readU16(addr)) : size === 4 ? BigInt(this.readU32(addr)) : this.readU64(addr);
  }

  /** Store the low `size` bytes of `v` (1, 2, 4 or 8), as a C assignment to that width truncates. */
  writeUN(addr: bigint, size: number, v: bigint): void {
    if (size === 1) this.writeU8(addr, Number(v & 0xffn));
    else if (size === 2) this.writeU16(addr, Number(v & 0xffffn));
    else if (size === 4) this.writeU32(addr, Number(v & 0xffffffffn));
    else this.writeU64(addr, v);
  }

  readBytes(addr: bigint, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let a = addrToNum(addr);
    let done = 0;
    while (done < len) {
      const p = this.pageOf(a, false);
      const off = a & PAGE_MASK;
      const n = Math.min(len - done, PAGE_SIZE - off);
      out.set(p.u8.subarray(off, off + n), done);
      done += n;
      a += n;
    }
    return out;
  }

  writeBytes(addr: bigint, data: Uint8Array): void {
    let a = addrToNum(addr, true);
    this.checkRange(a, data.length, true);
    let done = 0;
    while (done < data.length) {
      const p = this.pageOf(a, true);
      const off = a & PAGE_MASK;
      const n = Math.min(data.length - done, PAGE_SIZE - off);
      p.u8.set(data.subarray(done, done + n), off);
      done += n;
      a += n;
    }
  }

  fill(addr: bigint, byte: number, len: number): void {
    let a = addrToNum(addr, true);
    this.checkRange(a, len, true);
    let done = 0;
    while (done < len) {
      const p = this.pageOf(a, true);
      const off = a & PAGE_MASK;
      const n = Math.min(len - done, PAGE_SIZE - off);
      p.u8.fill(byte, off, off + n);
      done += n;
      a += n;
    }
  }

  readCString(addr: bigint, max = 1 << 20): Uint8Array {
    let a = addrToNum(addr);
    const parts: Uint8Array[] = [];
    let total = 0;
    while (total < max) {
      const p = this.pageOf(a, false);
      const off = a & PAGE_MASK;
      const lim = Math.min(PAGE_SIZE, off + (max - total));
      let end = off;
      while (end < lim && p.u8[end] !== 0) end++;
      parts.push(p.u8.subarray(off, end));
      total += end - off;
      if (end < lim) break;
      a += end - off;
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const part of parts) {
      out.set(part, o);
      o += part.length;
    }
    return out;
  }

  // ---- CPU-facing API (signed number addresses) -------------------------------------------

  /** The page holding `a`, or throws MemoryFault. Stores to code pages invalidate their cache. */
  pageOf(a: number, write: boolean): Page {
    const base = a - (a & PAGE_MASK);
    const p = this.pages.get(base);
    if (p === undefined) throw new MemoryFault(numToAddr(a), write);
    const idx = (a >>> 12) & TLB_MASK;
    const tagL = base | 0;
    const tagH = Math.floor(base / 4294967296);
    this.rTag[idx] = base;
    this.rTagL[idx] = tagL;
    this.rTagH[idx] = tagH;
    this.rDv[idx] = p.dv;
    if (write) {
      if (p.code !== null) {
        // Empty the cache in place (the CPU may hold it) and forget it: the next fetch from the
        // page makes a fresh one, and until then stores to the page take the write TLB again.
        p.code.length = 0;
        p.code = null;
      } else {
        this.wTag[idx] = base;
        this.wTagL[idx] = tagL;
        this.wTagH[idx] = tagH;
        this.wDv[idx] = p.dv;
      }
    }
    return p;
  }

  /**
   * The page at h:l for a caller that keeps it until `epoch` changes (compiled blocks' per-site
   * caches): null if unmapped, or, for a write, if the page holds code (stores to it must take
   * the slow path, which invalidates the code).
   */
  cachePage(h: number, l: number, write: boolean): Page | null {
    const p = this.pages.get(h * 4294967296 + ((l & -PAGE_SIZE) >>> 0));
    if (p === undefined || (write && p.code !== null)) return null;
    return p;
  }

  /** Page lookup without faulting (CPU instruction cache, backtraces). */
  peekPage(a: number): Page | undefined {
    return this.pages.get(a - (a & PAGE_MASK));
  }

  /** Marks a page as holding decoded code: drop it from the write TLB so stores invalidate. */
  codeArray(p: Page): unknown[] {
    if (p.code === null) {
      // Preallocated: an array filled at scattered offsets would fall back to dictionary mode.
      p.code = new Array<unknown>(PAGE_SIZE);
      this.epoch++;
      const idx = (p.base >>> 12) & TLB_MASK;
      if (this.wTag[idx] === p.base) {
        this.wTag[idx] = NaN;
        this.wTagH[idx] = NO_TAG;
      }
    }
    return p.code;
  }

  flushTlb(): void {
    this.epoch++;
    this.rTag.fill(NaN);
    this.wTag.fill(NaN);
    this.rTagH.fill(NO_TAG);
    this.wTagH.fill(NO_TAG);
  }

  private checkRange(a: number, len: number, write: boolean): void {
    // Fault before touching anything, so a failed bulk store leaves memory unchanged.
    for (let p = a - (a & PAGE_MASK); p < a + len; p += PAGE_SIZE) {
      if (!this.pages.has(p)) throw new MemoryFault(numToAddr(Math.max(p, a)), write);
    }
  }

  r8(a: number): number {
    const idx = (a >>> 12) & TLB_MASK;
    const off = a & PAGE_MASK;
    if (this.rTag[idx] === a - off) return this.rDv[idx].getUint8(off);
    return this.pageOf(a, false).dv.getUint8(off);
  }

  r16(a: number): number {
    const idx = (a >>> 12) & TLB_MASK;
    const off = a & PAGE_MASK;
    if (this.rTag[idx] === a - off && off <= PAGE_SIZE - 2) return this.rDv[idx].getUint16(off, true);
    if (off <= PAGE_SIZE - 2) return this.pageOf(a, false).dv.getUint16(off, true);
    return this.r8(a) | (this.r8(a + 1) << 8);
  }

  /** Returns the value as a signed int32. */
  r32(a: number): number {
    const idx = (a >>> 12) & TLB_MASK;
    const off = a & PAGE_MASK;
    if (this.rTag[idx] === a - off && off <= PAGE_SIZE - 4) return this.rDv[idx].getInt32(off, true);
    if (off <= PAGE_SIZE - 4) return this.pageOf(a, false).dv.getInt32(off, true);
    return this.r16(a) | (this.r16(a + 2) << 16);
  }

  /** Returns the low 32 bits (signed); the high 32 bits are left in `this.hi`. */
  r64(a: number): number {
    const idx = (a >>> 12) & TLB_MASK;
    const off = a & PAGE_MASK;
    let dv: DataView;
    if (this.rTag[idx] === a - off && off <= PAGE_SIZE - 8) dv = this.rDv[idx];
    else if (off <= PAGE_SIZE - 8) dv = this.pageOf(a, false).dv;
    else {
      // Check both pages before reading either half, so a fault reports the first bad byte.
      const lo = this.r32(a);
      this.hi = this.r32(a + 4);
      return lo;
    }
    this.hi = dv.getInt32(off + 4, true);
    return dv.getInt32(off, true);
  }

  w8(a: number, v: number): void {
    const idx = (a >>> 12) & TLB_MASK;
    const off = a & PAGE_MASK;
    if (this.wTag[idx] === a - off) this.wDv[idx].setUint8(off, v);
    else this.pageOf(a, true).dv.setUint8(off, v);
  }

  w16(a: number, v: number): void {
    const idx = (a >>> 12) & TLB_MASK;
    const off = a & PAGE_MASK;
    if (off > PAGE_SIZE - 2) {
      this.pageOf(a + 1, true);
      this.w8(a, v);
      this.w8(a + 1, v >>> 8);
    } else if (this.wTag[idx] === a - off) this.wDv[idx].setUint16(off, v, true);
    else this.pageOf(a, true).dv.setUint16(off, v, true);
  }

  w32(a: number, v: number): void {
    const idx = (a >>> 12) & TLB_MASK;
    const off = a & PAGE_MASK;
    if (off > PAGE_SIZE - 4) {
      this.pageOf(a + 3, true);
      this.w16(a, v);
      this.w16(a + 2, v >>> 16);
    } else if (this.wTag[idx] === a - off) this.wDv[idx].setInt32(off, v, true);
    else this.pageOf(a, true).dv.setInt32(off, v, true);
  }

  w64(a: number, lo: number, hi: number): void {
    const idx = (a >>> 12) & TLB_MASK;
    const off = a & PAGE_MASK;
    let dv: DataView;
    if (off > PAGE_SIZE - 8) {
      this.pageOf(a + 7, true);
      this.w32(a, lo);
      this.w32(a + 4, hi);
      return;
    } else if (this.wTag[idx] === a - off) dv = this.wDv[idx];
    else dv = this.pageOf(a, true).dv;
    dv.setInt32(off, lo, true);
    dv.setInt32(off + 4, hi, true);
  }

  // ---- the same, with the address as int32 halves (h: bits 63..32, l: bits 31..0) ------------
  // A miss falls back to the number-address method, which faults or fills the TLB.

  r8x(h: number, l: number): number {
    const idx = (l >>> 12) & TLB_MASK;
    const off = l & PAGE_MASK;
    if (this.rTagH[idx] === h && this.rTagL[idx] === (l ^ off)) return this.rDv[idx].getUint8(off);
    return this.r8(h * 4294967296 + (l >>> 0));
  }

  r16x(h: number, l: number): number {
    const idx = (l >>> 12) & TLB_MASK;
    const off = l & PAGE_MASK;
    if (this.rTagH[idx] === h && this.rTagL[idx] === (l ^ off) && off <= PAGE_SIZE - 2) return this.rDv[idx].getUint16(off, true);
    return this.r16(h * 4294967296 + (l >>> 0));
  }

  r32x(h: number, l: number): number {
    const idx = (l >>> 12) & TLB_MASK;
    const off = l & PAGE_MASK;
    if (this.rTagH[idx] === h && this.rTagL[idx] === (l ^ off) && off <= PAGE_SIZE - 4) return this.rDv[idx].getInt32(off, true);
    return this.r32(h * 4294967296 + (l >>> 0));
  }

  /** Low 32 bits; the high 32 bits are left in `this.hi`. */
  r64x(h: number, l: number): number {
    const idx = (l >>> 12) & TLB_MASK;
    const off = l & PAGE_MASK;
    if (this.rTagH[idx] === h && this.rTagL[idx] === (l ^ off) && off <= PAGE_SIZE - 8) {
      const dv = this.rDv[idx];
      this.hi = dv.getInt32(off + 4, true);
      return dv.getInt32(off, true);
    }
    return this.r64(h * 4294967296 + (l >>> 0));
  }

  w8x(h: number, l: number, v: number): void {
    const idx = (l >>> 12) & TLB_MASK;
    const off = l & PAGE_MASK;
    if (this.wTagH[idx] === h && this.wTagL[idx] === (l ^ off)) this.wDv[idx].setUint8(off, v);
    else this.w8(h * 4294967296 + (l >>> 0), v);
  }

  w16x(h: number, l: number, v: number): void {
    const idx = (l >>> 12) & TLB_MASK;
    const off = l & PAGE_MASK;
    if (this.wTagH[idx] === h && this.wTagL[idx] === (l ^ off) && off <= PAGE_SIZE - 2) this.wDv[idx].setUint16(off, v, true);
    else this.w16(h * 4294967296 + (l >>> 0), v);
  }

  w32x(h: number, l: number, v: number): void {
    const idx = (l >>> 12) & TLB_MASK;
    const off = l & PAGE_MASK;
    if (this.wTagH[idx] === h && this.wTagL[idx] === (l ^ off) && off <= PAGE_SIZE - 4) this.wDv[idx].setInt32(off, v, true);
    else this.w32(h * 4294967296 + (l >>> 0), v);
  }

  w64x(h: number, l: number, lo: number, hi: number): void {
    const idx = (l >>> 12) & TLB_MASK;
    const off = l & PAGE_MASK;
    if (this.wTagH[idx] === h && this.wTagL[idx] === (l ^ off) && off <= PAGE_SIZE - 8) {
      const dv = this.wDv[idx];
      dv.setInt32(off, lo, true);
      dv.setInt32(off + 4, hi, true);
    } else this.w64(h * 4294967296 + (l >>> 0), lo, hi);
  }
}
