// movs/cmps/stos/lods/scas with rep/repe/repne and DF. Forward rep movs/stos run page by page on
// the backing arrays; everything else goes element by element. Registers are written back even
// when an element faults, so rcx/rsi/rdi show the progress like on hardware.
import { alu, alu64, OP_CMP } from './alu.js';
import { DF } from './flags.js';
import type { Inst } from './inst.js';
import { RAX, RCX, RDI, RSI, readMem, writeMem, type CpuState } from './state.js';

export const STR_MOVS = 0;
export const STR_CMPS = 1;
export const STR_STOS = 2;
export const STR_LODS = 3;
export const STR_SCAS = 4;

function regNum(c: CpuState, r: number): number {
  return c.H[r]! * 4294967296 + (c.L[r]! >>> 0);
}

function setRegNum(c: CpuState, r: number, v: number): void {
  c.L[r] = v | 0;
  c.H[r] = Math.floor(v / 4294967296);
}

function segBase(c: CpuState, i: Inst): number {
  if (i.seg === 1) return c.gsHi * 4294967296 + (c.gsLo >>> 0);
  if (i.seg === 2) return c.fsHi * 4294967296 + (c.fsLo >>> 0);
  return 0;
}

export function stringOp(c: CpuState, i: Inst): void {
  const s = i.size;
  const op = i.op;
  const step = c.fl & DF ? -s : s;
  let count = i.rep !== 0 ? regNum(c, RCX) : 1;
  if (i.rep !== 0 && count === 0) return;
  // rcx is unsigned: a "negative" one (repne scas with rcx = -1) is practically unbounded. The
  // final rcx is computed from the number of elements done, exactly.
  if (count < 0) count = Number.MAX_SAFE_INTEGER;
  const start = count;
  let si = regNum(c, RSI);
  let di = regNum(c, RDI);
  const sbase = segBase(c, i);
  try {
    if (i.rep !== 0 && step > 0 && (op === STR_MOVS || op === STR_STOS)) {
      while (count > 0) {
        const n = op === STR_MOVS ? bulkMovs(c, sbase + si, di, count, s) : bulkStos(c, di, count, s);
        if (n === 0) break;
        count -= n;
        si += op === STR_MOVS ? n * s : 0;
        di += n * s;
      }
    }
    loop: while (count > 0) {
      switch (op) {
        case STR_MOVS:
          if (s === 8) {
            const lo = c.mem.r64(sbase + si);
            c.mem.w64(di, lo, c.mem.hi);
          } else writeMem(c, s, di, readMem(c, s, sbase + si));
          si += step;
          di += step;
          break;
        case STR_STOS:
          if (s === 8) c.mem.w64(di, c.L[RAX]!, c.H[RAX]!);
          else writeMem(c, s, di, c.L[RAX]!);
          di += step;
          break;
        case STR_LODS:
          if (s === 8) {
            c.L[RAX] = c.mem.r64(sbase + si);
            c.H[RAX] = c.mem.hi;
          } else if (s === 4) {
            c.L[RAX] = c.mem.r32(sbase + si);
            c.H[RAX] = 0;
          } else if (s === 2) c.L[RAX] = (c.L[RAX]! & ~0xffff) | c.mem.r16(sbase + si);
          else c.L[RAX] = (c.L[RAX]! & ~0xff) | c.mem.r8(sbase + si);
          si += step;
          break;
        default: {
          // cmps compares [rsi] with [rdi]; scas compares the accumulator with [rdi].
          let eq: boolean;
          if (s === 8) {
            let al: number, ah: number;
            if (op === STR_CMPS) {
              al = c.mem.r64(sbase + si);
              ah = c.mem.hi;
            } else {
              al = c.L[RAX]!;
              ah = c.H[RAX]!;
            }
            const bl = c.mem.r64(di);
            const bh = c.mem.hi;
            alu64(c, OP_CMP, al, ah, bl, bh);
            eq = al === bl && ah === bh;
          } else {
            const a =
              op === STR_CMPS
                ? readMem(c, s, sbase + si)
                : s === 4
                  ? c.L[RAX]!
                  : c.L[RAX]! & (s === 1 ? 0xff : 0xffff);
            const b = readMem(c, s, di);
            alu(c, OP_CMP, s, a, b);
            eq = a === b;
          }
          if (op === STR_CMPS) si += step;
          di += step;
          count--;
          if (i.rep === 1 && !eq) break loop;
          if (i.rep === 2 && eq) break loop;
          continue;
        }
      }
      count--;
    }
  } finally {
    if (i.rep !== 0) {
      const done = start - count;
      const lo = (c.L[RCX]! >>> 0) - (done % 4294967296);
      c.H[RCX] = (c.H[RCX]! - Math.floor(done / 4294967296) - (lo < 0 ? 1 : 0)) | 0;
      c.L[RCX] = lo | 0;
    }
    if (op === STR_MOVS || op === STR_CMPS || op === STR_LODS) setRegNum(c, RSI, si);
    if (op !== STR_LODS) setRegNum(c, RDI, di);
  }
}

/** Copies whole elements within one source and one destination page; returns elements done. */
function bulkMovs(c: CpuState, src: number, dst: number, count: number, s: number): number {
  const so = src & 4095;
  const d0 = dst & 4095;
  const room = Math.min(4096 - so, 4096 - d0);
  const n = Math.min(Math.floor(room / s), count);
  if (n === 0) return 0;
  const bytes = n * s;
  // Forward overlap must replicate like an element loop does; leave it to the slow path.
  if (dst > src && dst < src + bytes) return 0;
  const sp = c.mem.pageOf(src, false);
  const dp = c.mem.pageOf(dst, true);
  dp.u8.set(sp.u8.subarray(so, so + bytes), d0);
  return n;
}

function bulkStos(c: CpuState, dst: number, count: number, s: number): number {
  const d0 = dst & 4095;
  const n = Math.min(Math.floor((4096 - d0) / s), count);
  if (n === 0) return 0;
  const dp = c.mem.pageOf(dst, true);
  const lo = c.L[RAX]!;
  if (s === 1) dp.u8.fill(lo & 0xff, d0, d0 + n);
  else {
    const hi = c.H[RAX]!;
    const dv = dp.dv;
    for (let k = 0; k < n; k++) {
      const o = d0 + k * s;
      if (s === 8) {
        dv.setInt32(o, lo, true);
        dv.setInt32(o + 4, hi, true);
      } else if (s === 4) dv.setInt32(o, lo, true);
      else dv.setUint16(o, lo & 0xffff, true);
    }
  }
  return n;
}
