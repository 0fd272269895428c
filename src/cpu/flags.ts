// Lazy arithmetic flags. ALU ops record (op, size, operands, result) and flags are derived only
// when something reads them. Values of size 1/2 are kept zero-extended, size 4 as int32, size 8
// as two int32 halves (fa/fah ...). F_NONE means the arithmetic bits in `fl` are current.
import type { CpuState } from './state.js';

export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const TF = 0x100;
export const IF = 0x200;
export const DF = 0x400;
export const OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;

export const F_NONE = 0;
export const F_ADD = 1;
export const F_ADC = 2;
export const F_SUB = 3;
export const F_SBB = 4;
export const F_LOGIC = 5;
export const F_INC = 6; // CF kept in fcin
export const F_DEC = 7;
export const F_IMUL64 = 8; // fa/fah * fb/fbh, result fr/frh

export const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let p = 1;
  for (let b = i; b; b >>= 1) p ^= b & 1;
  PARITY[i] = p;
}

function ult64(ah: number, al: number, bh: number, bl: number): boolean {
  return ah >>> 0 < bh >>> 0 || (ah === bh && al >>> 0 < bl >>> 0);
}

function signBit(c: CpuState, v: number, vh: number): number {
  const s = c.fsz;
  if (s === 8) return vh >>> 31;
  return (v >>> (s * 8 - 1)) & 1;
}

export function getCF(c: CpuState): number {
  switch (c.fop) {
    case F_NONE:
      return c.fl & CF;
    case F_ADD:
      if (c.fsz === 8) return ult64(c.frh, c.fr, c.fah, c.fa) ? 1 : 0;
      return c.fr >>> 0 < c.fa >>> 0 ? 1 : 0;
    case F_ADC:
      if (c.fsz === 8) {
        return ult64(c.frh, c.fr, c.fah, c.fa) || (c.fcin && c.fr === c.fa && c.frh === c.fah) ? 1 : 0;
      }
      return c.fr >>> 0 < c.fa >>> 0 || (c.fcin && c.fr === c.fa) ? 1 : 0;
    case F_SUB:
      if (c.fsz === 8) return ult64(c.fah, c.fa, c.fbh, c.fb) ? 1 : 0;
      return c.fa >>> 0 < c.fb >>> 0 ? 1 : 0;
    case F_SBB:
      if (c.fsz === 8) {
        return ult64(c.fah, c.fa, c.fbh, c.fb) || (c.fcin && c.fa === c.fb && c.fah === c.fbh) ? 1 : 0;
      }
      return c.fa >>> 0 < c.fb >>> 0 || (c.fcin && c.fa === c.fb) ? 1 : 0;
    case F_LOGIC:
      return 0;
    case F_INC:
    case F_DEC:
      return c.fcin;
    case F_IMUL64:
      return imul64Overflow(c);
  }
  return 0;
}

export function getZF(c: CpuState): number {
  if (c.fop === F_NONE) return (c.fl >> 6) & 1;
  if (c.fsz === 8) return (c.fr | c.frh) === 0 ? 1 : 0;
  return c.fr === 0 ? 1 : 0;
}

export function getSF(c: CpuState): number {
  if (c.fop === F_NONE) return (c.fl >> 7) & 1;
  return signBit(c, c.fr, c.frh);
}

export function getPF(c: CpuState): number {
  if (c.fop === F_NONE) return (c.fl >> 2) & 1;
  return PARITY[c.fr & 0xff]!;
}

export function getAF(c: CpuState): number {
  switch (c.fop) {
    case F_NONE:
      return (c.fl >> 4) & 1;
    case F_LOGIC:
    case F_IMUL64:
      return 0;
  }
  return ((c.fa ^ c.fb ^ c.fr) >> 4) & 1;
}

export function getOF(c: CpuState): number {
  switch (c.fop) {
    case F_NONE:
      return (c.fl >> 11) & 1;
    case F_ADD:
    case F_ADC:
    case F_INC:
      return signBit(c, (c.fa ^ c.fr) & (c.fb ^ c.fr), (c.fah ^ c.frh) & (c.fbh ^ c.frh));
    case F_SUB:
    case F_SBB:
    case F_DEC:
      return signBit(c, (c.fa ^ c.fb) & (c.fa ^ c.fr), (c.fah ^ c.fbh) & (c.fah ^ c.frh));
    case F_LOGIC:
      return 0;
    case F_IMUL64:
      return imul64Overflow(c);
  }
  return 0;
}

function imul64Overflow(c: CpuState): number {
  const a = BigInt.asIntN(64, (BigInt(c.fah) << 32n) | BigInt(c.fa >>> 0));
  const b = BigInt.asIntN(64, (BigInt(c.fbh) << 32n) | BigInt(c.fb >>> 0));
  const p = a * b;
  return BigInt.asIntN(64, p) === p ? 0 : 1;
}

/** The full RFLAGS value. */
export function getFlags(c: CpuState): number {
  if (c.fop === F_NONE) return c.fl;
  return (
    (c.fl & ~ARITH) |
    getCF(c) |
    (getPF(c) << 2) |
    (getAF(c) << 4) |
    (getZF(c) << 6) |
    (getSF(c) << 7) |
    (getOF(c) << 11)
  );
}

/** Replaces the arithmetic flags with explicit values (eagerly computed ops, popf, sahf). */
export function setArith(c: CpuState, bits: number): void {
  c.fl = (c.fl & ~ARITH) | (bits & ARITH);
  c.fop = F_NONE;
}

/** Materializes lazy flags so individual bits can be edited. */
export function materialize(c: CpuState): void {
  if (c.fop !== F_NONE) {
    c.fl = getFlags(c);
    c.fop = F_NONE;
  }
}

/** Flag bits ZF SF PF for a result of `size` bytes (lo/hi halves for size 8). */
export function szp(size: number, lo: number, hi: number): number {
  let z: boolean;
  let s: number;
  if (size === 8) {
    z = (lo | hi) === 0;
    s = hi >>> 31;
  } else {
    const m = size === 4 ? lo : lo & ((1 << (size * 8)) - 1);
    z = m === 0;
    s = (lo >>> (size * 8 - 1)) & 1;
  }
  return (z ? ZF : 0) | (s ? SF : 0) | (PARITY[lo & 0xff]! ? PF : 0);
}

/** Condition code 0..15 (o no b ae e ne be a s ns p np l ge le g). */
export function cond(c: CpuState, cc: number): boolean {
  // The common case, cmp/sub followed by a branch, avoids computing flags one by one.
  if (c.fop === F_SUB && c.fsz === 4) {
    const a = c.fa;
    const b = c.fb;
    switch (cc) {
      case 2: return a >>> 0 < b >>> 0;
      case 3: return a >>> 0 >= b >>> 0;
      case 4: return a === b;
      case 5: return a !== b;
      case 6: return a >>> 0 <= b >>> 0;
      case 7: return a >>> 0 > b >>> 0;
      case 12: return a < b;
      case 13: return a >= b;
      case 14: return a <= b;
      case 15: return a > b;
    }
  } else if (c.fop === F_LOGIC) {
    const z = c.fsz === 8 ? (c.fr | c.frh) === 0 : c.fr === 0;
    switch (cc) {
      case 4: return z;
      case 5: return !z;
    }
  }
  const op = c.fop;
  if ((cc === 4 || cc === 5) && op !== F_NONE) {
    const z = c.fsz === 8 ? (c.fr | c.frh) === 0 : c.fr === 0;
    return cc === 4 ? z : !z;
  }
  let r: boolean;
  switch (cc >> 1) {
    case 0: r = getOF(c) === 1; break;
    case 1: r = getCF(c) === 1; break;
    case 2: r = getZF(c) === 1; break;
    case 3: r = (getCF(c) | getZF(c)) === 1; break;
    case 4: r = getSF(c) === 1; break;
    case 5: r = getPF(c) === 1; break;
    case 6: r = getSF(c) !== getOF(c); break;
    default: r = getZF(c) === 1 || getSF(c) !== getOF(c); break;
  }
  return (cc & 1) === 0 ? r : !r;
}
