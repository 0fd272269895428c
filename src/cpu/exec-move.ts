// Handlers for data movement: mov forms, extensions, lea, xchg, stack ops, byte swaps.
import { ARITH, getFlags, materialize, setArith, DF, IF, AF, CF, PF, SF, ZF } from './flags.js';
import type { Inst } from './inst.js';
import {
  ea, getReg, pop64, push64, readE, readE64, readMem, RBP, rspNum, setReg, setRsp, storeE,
  storeE64, writeE, writeE64, writeMem, type CpuState,
} from './state.js';

/** mov E, G */
export function movEG(c: CpuState, i: Inst): void {
  if (i.size === 8) storeE64(c, i, c.L[i.reg]!, c.H[i.reg]!);
  else storeE(c, i, i.size, getReg(c, i.size, i.reg));
}

/** mov G, E */
export function movGE(c: CpuState, i: Inst): void {
  const s = i.size;
  if (s === 8) {
    const lo = readE64(c, i);
    c.L[i.reg] = lo;
    c.H[i.reg] = c.t;
  } else setReg(c, s, i.reg, readE(c, i, s));
}

/** mov E, imm (also mov reg, imm with rm = reg; size 8 carries the full immediate). */
export function movEI(c: CpuState, i: Inst): void {
  if (i.size === 8) storeE64(c, i, i.imm, i.immHi);
  else storeE(c, i, i.size, i.imm);
}

/** 64-bit register load from an immediate: the hottest mov form, without the r/m dispatch. */
export function movRI64(c: CpuState, i: Inst): void {
  c.L[i.rm] = i.imm;
  c.H[i.rm] = i.immHi;
}

/** movzx (op = source size 1 or 2) */
export function movzx(c: CpuState, i: Inst): void {
  const v = readE(c, i, i.op);
  if (i.size === 8) {
    c.L[i.reg] = v;
    c.H[i.reg] = 0;
  } else setReg(c, i.size, i.reg, v);
}

/** movsx / movsxd (op = source size 1, 2 or 4) */
export function movsx(c: CpuState, i: Inst): void {
  const raw = readE(c, i, i.op);
  const v = i.op === 1 ? (raw << 24) >> 24 : i.op === 2 ? (raw << 16) >> 16 : raw;
  if (i.size === 8) {
    c.L[i.reg] = v;
    c.H[i.reg] = v >> 31;
  } else setReg(c, i.size, i.reg, v);
}

/** lea: pure arithmetic, no segment base, no canonical check. */
export function lea(c: CpuState, i: Inst): void {
  let lo = i.dispLo;
  let hi = i.dispHi;
  if (i.base >= 0) {
    lo += c.L[i.base]! >>> 0;
    hi += c.H[i.base]!;
  }
  if (i.index >= 0) {
    lo += (c.L[i.index]! >>> 0) * i.scale;
    hi += c.H[i.index]! * i.scale;
  }
  const l = lo >>> 0;
  if (i.a32) hi = 0;
  else hi = (hi + (lo - l) / 4294967296) | 0;
  if (i.size === 8) {
    c.L[i.reg] = l | 0;
    c.H[i.reg] = hi;
  } else setReg(c, i.size, i.reg, i.size === 4 ? l | 0 : l & 0xffff);
}

/** xchg E, G (also xchg rax, r with rm = r) */
export function xchgEG(c: CpuState, i: Inst): void {
  const s = i.size;
  if (s === 8) {
    const lo = readE64(c, i);
    const hi = c.t;
    writeE64(c, i, c.L[i.reg]!, c.H[i.reg]!);
    c.L[i.reg] = lo;
    c.H[i.reg] = hi;
  } else {
    const v = readE(c, i, s);
    writeE(c, i, s, getReg(c, s, i.reg));
    setReg(c, s, i.reg, v);
  }
}

// ---- stack -----------------------------------------------------------------------------------------

export function pushR(c: CpuState, i: Inst): void {
  push64(c, c.L[i.rm]!, c.H[i.rm]!);
}

export function popR(c: CpuState, i: Inst): void {
  const lo = pop64(c);
  c.L[i.rm] = lo;
  c.H[i.rm] = c.t;
}

export function pushI(c: CpuState, i: Inst): void {
  push64(c, i.imm, i.immHi);
}

export function pushE(c: CpuState, i: Inst): void {
  const lo = readE64(c, i);
  push64(c, lo, c.t);
}

export function popE(c: CpuState, i: Inst): void {
  const sp = rspNum(c);
  const lo = c.mem.r64(sp);
  const hi = c.mem.hi;
  // An rsp-based destination is addressed with the already incremented rsp.
  setRsp(c, sp + 8);
  try {
    storeE64(c, i, lo, hi);
  } catch (e) {
    setRsp(c, sp);
    throw e;
  }
}

export function leave(c: CpuState): void {
  const L = c.L;
  const H = c.H;
  const sp = H[RBP]! * 4294967296 + (L[RBP]! >>> 0);
  const lo = c.mem.r64(sp);
  const hi = c.mem.hi;
  setRsp(c, sp + 8);
  L[RBP] = lo;
  H[RBP] = hi;
}

export function pushf(c: CpuState): void {
  // VM and RF read as zero in the pushed image.
  push64(c, getFlags(c) & 0x3f7fd7, 0);
}

export function popf(c: CpuState): void {
  const v = pop64(c);
  const keep = DF | IF | 0x4000 | 0x40000 | 0x200000 | 0x100;
  setArith(c, v & ARITH);
  c.fl = (c.fl & ARITH) | (v & keep) | 0x2;
}

export function lahf(c: CpuState): void {
  const f = getFlags(c) & (SF | ZF | AF | PF | CF);
  c.L[0] = (c.L[0]! & ~0xff00) | ((f | 2) << 8);
}

export function sahf(c: CpuState): void {
  materialize(c);
  const ah = (c.L[0]! >> 8) & 0xff;
  const m = SF | ZF | AF | PF | CF;
  c.fl = (c.fl & ~m) | (ah & m);
}

// ---- byte order ------------------------------------------------------------------------------------

function bswap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

export function bswapR(c: CpuState, i: Inst): void {
  const r = i.rm;
  if (i.size === 8) {
    const lo = c.L[r]!;
    c.L[r] = bswap32(c.H[r]!);
    c.H[r] = bswap32(lo);
  } else if (i.size === 4) {
    c.L[r] = bswap32(c.L[r]!);
    c.H[r] = 0;
  } else c.L[r] = c.L[r]! & ~0xffff; // 16-bit bswap is undefined; real CPUs give 0
}

/** movbe G, M (op 0) and movbe M, G (op 1) */
export function movbe(c: CpuState, i: Inst): void {
  const s = i.size;
  const a = ea(c, i);
  if (i.op === 0) {
    if (s === 8) {
      const lo = c.mem.r64(a);
      c.L[i.reg] = bswap32(c.mem.hi);
      c.H[i.reg] = bswap32(lo);
    } else {
      const v = readMem(c, s, a);
      setReg(c, s, i.reg, s === 4 ? bswap32(v) : ((v & 0xff) << 8) | (v >>> 8));
    }
  } else if (s === 8) c.mem.w64(a, bswap32(c.H[i.reg]!), bswap32(c.L[i.reg]!));
  else {
    const v = getReg(c, s, i.reg);
    writeMem(c, s, a, s === 4 ? bswap32(v) : ((v & 0xff) << 8) | ((v >>> 8) & 0xff));
  }
}
