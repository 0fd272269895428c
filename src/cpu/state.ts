// Architectural state of the interpreter and the operand accessors every handler uses.
// A 64-bit register is two int32 halves (L = low, H = high); rip and effective addresses are
// canonical addresses as signed JS numbers (exact, see mm/memory.ts).
import type { Memory } from '../mm/memory.js';
import { F_NONE, IF } from './flags.js';
import type { Inst } from './inst.js';

export const RAX = 0;
export const RCX = 1;
export const RDX = 2;
export const RBX = 3;
export const RSP = 4;
export const RBP = 5;
export const RSI = 6;
export const RDI = 7;

/** Thrown by handlers; the run loop turns it into a CpuFault with full context. */
export class ExecFault {
  constructor(
    readonly kind: 'divide-error' | 'general-protection' | 'ud2' | 'int3' | 'invalid-opcode',
    readonly addr?: number,
  ) {}
}

export class CpuState {
  readonly L = new Int32Array(16);
  readonly H = new Int32Array(16);
  rip = 0;
  // Lazy flags (see flags.ts).
  fop = F_NONE;
  fsz = 4;
  fa = 0;
  fb = 0;
  fr = 0;
  fah = 0;
  fbh = 0;
  frh = 0;
  fcin = 0;
  fl = 0x2 | IF;
  gsLo = 0;
  gsHi = 0;
  fsLo = 0;
  fsHi = 0;
  /** Scratch: high half of the last 64-bit operand read, effective address of the last E read. */
  t = 0;
  ea = 0;
  /** Result halves of alu64. */
  rl = 0;
  rh = 0;
  constructor(readonly mem: Memory) {}
  /** Virtual time stamp counter (rdtsc); deterministic, advanced by the run loop's owner. */
  tsc(): number {
    return 0;
  }
}

/** Effective address of the memory operand, exact 64-bit wrap-around, #GP if non-canonical. */
export function ea(c: CpuState, i: Inst): number {
  let lo = i.dispLo;
  let hi = i.dispHi;
  const b = i.base;
  if (b >= 0) {
    lo += c.L[b]! >>> 0;
    hi += c.H[b]!;
  }
  const x = i.index;
  if (x >= 0) {
    const s = i.scale;
    lo += (c.L[x]! >>> 0) * s;
    hi += c.H[x]! * s;
  }
  if (i.seg !== 0) {
    if (i.seg === 1) {
      lo += c.gsLo >>> 0;
      hi += c.gsHi;
    } else {
      lo += c.fsLo >>> 0;
      hi += c.fsHi;
    }
  }
  const l = lo >>> 0;
  if (i.a32) return l;
  hi = (hi + (lo - l) / 4294967296) | 0;
  if (hi > 32767 || hi < -32768) throw new ExecFault('general-protection', hi * 4294967296 + l);
  return hi * 4294967296 + l;
}

// ---- registers -------------------------------------------------------------------------------

/** 8-bit register r: 0..15, or 16..19 for AH CH DH BH. */
export function getReg8(c: CpuState, r: number): number {
  if (r < 16) return c.L[r]! & 0xff;
  return (c.L[r - 16]! >> 8) & 0xff;
}

export function setReg8(c: CpuState, r: number, v: number): void {
  if (r < 16) c.L[r] = (c.L[r]! & ~0xff) | (v & 0xff);
  else c.L[r - 16] = (c.L[r - 16]! & ~0xff00) | ((v & 0xff) << 8);
}

/** Sizes 1, 2, 4 (size 4 is returned as int32). */
export function getReg(c: CpuState, size: number, r: number): number {
  if (size === 4) return c.L[r]!;
  if (size === 1) return getReg8(c, r);
  return c.L[r]! & 0xffff;
}

/** Sizes 1, 2, 4; a 32-bit write zero-extends into the high half as on hardware. */
export function setReg(c: CpuState, size: number, r: number, v: number): void {
  if (size === 4) {
    c.L[r] = v;
    c.H[r] = 0;
  } else if (size === 1) setReg8(c, r, v);
  else c.L[r] = (c.L[r]! & ~0xffff) | (v & 0xffff);
}

// ---- memory operands ---------------------------------------------------------------------------

export function readMem(c: CpuState, size: number, a: number): number {
  if (size === 4) return c.mem.r32(a);
  if (size === 1) return c.mem.r8(a);
  return c.mem.r16(a);
}

export function writeMem(c: CpuState, size: number, a: number, v: number): void {
  if (size === 4) c.mem.w32(a, v);
  else if (size === 1) c.mem.w8(a, v);
  else c.mem.w16(a, v);
}

/** Reads the r/m operand (sizes 1, 2, 4); remembers the address in c.ea for a following write. */
export function readE(c: CpuState, i: Inst, size: number): number {
  if (i.rm >= 0) return getReg(c, size, i.rm);
  const a = ea(c, i);
  c.ea = a;
  return readMem(c, size, a);
}

/** Writes the r/m operand; a memory operand must have been read (or addressed) first. */
export function writeE(c: CpuState, i: Inst, size: number, v: number): void {
  if (i.rm >= 0) setReg(c, size, i.rm, v);
  else writeMem(c, size, c.ea, v);
}

/** Writes the r/m operand computing its address (pure stores). */
export function storeE(c: CpuState, i: Inst, size: number, v: number): void {
  if (i.rm >= 0) setReg(c, size, i.rm, v);
  else writeMem(c, size, ea(c, i), v);
}

/** 64-bit r/m read: returns the low half, high half in c.t. */
export function readE64(c: CpuState, i: Inst): number {
  if (i.rm >= 0) {
    c.t = c.H[i.rm]!;
    return c.L[i.rm]!;
  }
  const a = ea(c, i);
  c.ea = a;
  const lo = c.mem.r64(a);
  c.t = c.mem.hi;
  return lo;
}

export function writeE64(c: CpuState, i: Inst, lo: number, hi: number): void {
  if (i.rm >= 0) {
    c.L[i.rm] = lo;
    c.H[i.rm] = hi;
  } else c.mem.w64(c.ea, lo, hi);
}

export function storeE64(c: CpuState, i: Inst, lo: number, hi: number): void {
  if (i.rm >= 0) {
    c.L[i.rm] = lo;
    c.H[i.rm] = hi;
  } else c.mem.w64(ea(c, i), lo, hi);
}

// ---- stack -------------------------------------------------------------------------------------

export function rspNum(c: CpuState): number {
  return c.H[RSP]! * 4294967296 + (c.L[RSP]! >>> 0);
}

export function setRsp(c: CpuState, a: number): void {
  c.L[RSP] = a | 0;
  c.H[RSP] = Math.floor(a / 4294967296);
}

export function push64(c: CpuState, lo: number, hi: number): void {
  const sp = rspNum(c) - 8;
  c.mem.w64(sp, lo, hi);
  setRsp(c, sp);
}

/** Pushes a canonical address held as a number. */
export function pushNum(c: CpuState, a: number): void {
  push64(c, a | 0, Math.floor(a / 4294967296));
}

/** Pops 64 bits: low half returned, high half in c.t. */
export function pop64(c: CpuState): number {
  const sp = rspNum(c);
  const lo = c.mem.r64(sp);
  c.t = c.mem.hi;
  setRsp(c, sp + 8);
  return lo;
}

/** Halves -> canonical address number, #GP if not canonical (jumps, returns). */
export function toTarget(lo: number, hi: number): number {
  if (hi > 32767 || hi < -32768) throw new ExecFault('general-protection', hi * 4294967296 + (lo >>> 0));
  return hi * 4294967296 + (lo >>> 0);
}
