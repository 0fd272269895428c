// Integer ALU core: the eight classic ops, inc/dec, shifts and rotates, on sizes 1/2/4 as numbers
// and size 8 as int32 halves (result left in c.rl/c.rh).
import {
  CF, OF, F_ADC, F_ADD, F_DEC, F_INC, F_LOGIC, F_SBB, F_SUB,
  getCF, materialize, setArith, szp,
} from './flags.js';
import type { CpuState } from './state.js';

export const OP_ADD = 0;
export const OP_OR = 1;
export const OP_ADC = 2;
export const OP_SBB = 3;
export const OP_AND = 4;
export const OP_SUB = 5;
export const OP_XOR = 6;
export const OP_CMP = 7;

/** Truncates to the operand size: sizes 1/2 zero-extended, size 4 as int32. */
export function trunc(size: number, v: number): number {
  if (size === 4) return v | 0;
  if (size === 1) return v & 0xff;
  return v & 0xffff;
}

export function sizeMask(size: number): number {
  return size === 4 ? -1 : size === 1 ? 0xff : 0xffff;
}

function rec(c: CpuState, op: number, size: number, a: number, b: number, r: number): void {
  c.fop = op;
  c.fsz = size;
  c.fa = a;
  c.fb = b;
  c.fr = r;
}

function rec64(c: CpuState, op: number, al: number, ah: number, bl: number, bh: number): void {
  c.fop = op;
  c.fsz = 8;
  c.fa = al;
  c.fah = ah;
  c.fb = bl;
  c.fbh = bh;
  c.fr = c.rl;
  c.frh = c.rh;
}

/** ALU op on sizes 1/2/4; returns the result (cmp returns the unchanged first operand). */
export function alu(c: CpuState, op: number, size: number, a: number, b: number): number {
  let r: number;
  switch (op) {
    case OP_ADD:
      r = trunc(size, a + b);
      rec(c, F_ADD, size, a, b, r);
      return r;
    case OP_OR:
      r = a | b;
      rec(c, F_LOGIC, size, a, b, r);
      return r;
    case OP_ADC: {
      const cin = getCF(c);
      r = trunc(size, a + b + cin);
      c.fcin = cin;
      rec(c, F_ADC, size, a, b, r);
      return r;
    }
    case OP_SBB: {
      const cin = getCF(c);
      r = trunc(size, a - b - cin);
      c.fcin = cin;
      rec(c, F_SBB, size, a, b, r);
      return r;
    }
    case OP_AND:
      r = a & b;
      rec(c, F_LOGIC, size, a, b, r);
      return r;
    case OP_SUB:
      r = trunc(size, a - b);
      rec(c, F_SUB, size, a, b, r);
      return r;
    case OP_XOR:
      r = a ^ b;
      rec(c, F_LOGIC, size, a, b, r);
      return r;
    default:
      rec(c, F_SUB, size, a, b, trunc(size, a - b));
      return a;
  }
}

/** 64-bit ALU op; result in c.rl/c.rh (cmp leaves them meaningless). */
export function alu64(c: CpuState, op: number, al: number, ah: number, bl: number, bh: number): void {
  let lo: number;
  switch (op) {
    case OP_ADD:
      lo = (al >>> 0) + (bl >>> 0);
      c.rl = lo | 0;
      c.rh = (ah + bh + (lo > 0xffffffff ? 1 : 0)) | 0;
      rec64(c, F_ADD, al, ah, bl, bh);
      return;
    case OP_ADC: {
      const cin = getCF(c);
      lo = (al >>> 0) + (bl >>> 0) + cin;
      c.rl = lo | 0;
      c.rh = (ah + bh + (lo > 0xffffffff ? 1 : 0)) | 0;
      c.fcin = cin;
      rec64(c, F_ADC, al, ah, bl, bh);
      return;
    }
    case OP_SBB: {
      const cin = getCF(c);
      lo = (al >>> 0) - (bl >>> 0) - cin;
      c.rl = lo | 0;
      c.rh = (ah - bh - (lo < 0 ? 1 : 0)) | 0;
      c.fcin = cin;
      rec64(c, F_SBB, al, ah, bl, bh);
      return;
    }
    case OP_SUB:
    case OP_CMP:
      lo = (al >>> 0) - (bl >>> 0);
      c.rl = lo | 0;
      c.rh = (ah - bh - (lo < 0 ? 1 : 0)) | 0;
      rec64(c, F_SUB, al, ah, bl, bh);
      return;
    case OP_OR:
      c.rl = al | bl;
      c.rh = ah | bh;
      break;
    case OP_AND:
      c.rl = al & bl;
      c.rh = ah & bh;
      break;
    default:
      c.rl = al ^ bl;
      c.rh = ah ^ bh;
      break;
  }
  rec64(c, F_LOGIC, al, ah, bl, bh);
}

/** inc (dec = true: dec) on sizes 1/2/4; CF is preserved. */
export function incdec(c: CpuState, size: number, a: number, dec: boolean): number {
  const cin = getCF(c);
  const r = trunc(size, dec ? a - 1 : a + 1);
  c.fcin = cin;
  rec(c, dec ? F_DEC : F_INC, size, a, 1, r);
  return r;
}

export function incdec64(c: CpuState, al: number, ah: number, dec: boolean): void {
  const cin = getCF(c);
  if (dec) {
    c.rl = (al - 1) | 0;
    c.rh = al === 0 ? (ah - 1) | 0 : ah;
  } else {
    c.rl = (al + 1) | 0;
    c.rh = al === -1 ? (ah + 1) | 0 : ah;
  }
  c.fcin = cin;
  rec64(c, dec ? F_DEC : F_INC, al, ah, 1, 0);
}

/** neg: flags as for 0 - a. */
export function neg(c: CpuState, size: number, a: number): number {
  const r = trunc(size, -a);
  rec(c, F_SUB, size, 0, a, r);
  return r;
}

export function neg64(c: CpuState, al: number, ah: number): void {
  alu64(c, OP_SUB, 0, 0, al, ah);
}

// ---- shifts and rotates ---------------------------------------------------------------------------

export const SH_ROL = 0;
export const SH_ROR = 1;
export const SH_RCL = 2;
export const SH_RCR = 3;
export const SH_SHL = 4;
export const SH_SHR = 5;
export const SH_SAL = 6;
export const SH_SAR = 7;

function setRotFlags(c: CpuState, cf: number, of: number): void {
  materialize(c);
  c.fl = (c.fl & ~(CF | OF)) | cf | (of << 11);
}

/** Shift/rotate on sizes 1/2/4 by a raw count (masked here); count 0 leaves flags alone. */
export function shift(c: CpuState, op: number, size: number, v: number, count: number): number {
  const n = count & 0x1f;
  if (n === 0) return v;
  const bits = size * 8;
  const mask = sizeMask(size);
  const u = size === 4 ? v >>> 0 : v;
  let r: number;
  let cf: number;
  switch (op) {
    case SH_ROL: {
      const m = n % bits;
      r = m === 0 ? v : trunc(size, (u << m) | (u >>> (bits - m)));
      cf = r & 1;
      setRotFlags(c, cf, ((r >>> (bits - 1)) & 1) ^ cf);
      return r;
    }
    case SH_ROR: {
      const m = n % bits;
      r = m === 0 ? v : trunc(size, (u >>> m) | (u << (bits - m)));
      cf = (r >>> (bits - 1)) & 1;
      setRotFlags(c, cf, cf ^ ((r >>> (bits - 2)) & 1));
      return r;
    }
    case SH_RCL:
    case SH_RCR: {
      const m = size === 4 ? n : n % (bits + 1);
      cf = getCF(c);
      let x = u;
      for (let k = 0; k < m; k++) {
        if (op === SH_RCL) {
          const out = (x >>> (bits - 1)) & 1;
          x = ((x << 1) | cf) & mask;
          cf = out;
        } else {
          const out = x & 1;
          x = (x >>> 1) | (cf << (bits - 1));
          x &= mask;
          cf = out;
        }
      }
      r = trunc(size, x);
      const msb = (r >>> (bits - 1)) & 1;
      setRotFlags(c, cf, op === SH_RCL ? msb ^ cf : msb ^ ((r >>> (bits - 2)) & 1));
      return r;
    }
    case SH_SHL:
    case SH_SAL:
      r = trunc(size, u << n);
      cf = n <= bits ? (u >>> (bits - n)) & 1 : 0;
      if (n === bits) cf = u & 1;
      setArith(c, szp(size, r, 0) | cf | ((((r >>> (bits - 1)) & 1) ^ cf) << 11));
      return r;
    case SH_SHR:
      r = n >= bits ? 0 : trunc(size, u >>> n);
      cf = n > bits ? 0 : (u >>> (n - 1)) & 1;
      setArith(c, szp(size, r, 0) | cf | (((u >>> (bits - 1)) & 1) << 11));
      return r;
    default: {
      const sv = size === 4 ? v | 0 : (u << (32 - bits)) >> (32 - bits);
      r = trunc(size, sv >> n);
      cf = (sv >> Math.min(n - 1, 31)) & 1;
      setArith(c, szp(size, r, 0) | cf);
      return r;
    }
  }
}

/** 64-bit shift/rotate of al/ah; result in c.rl/c.rh. */
export function shift64(c: CpuState, op: number, al: number, ah: number, count: number): void {
  const n = count & 0x3f;
  c.rl = al;
  c.rh = ah;
  if (n === 0) return;
  let lo: number;
  let hi: number;
  let cf: number;
  switch (op) {
    case SH_ROL:
    case SH_ROR: {
      let m = op === SH_ROL ? n : 64 - n;
      lo = al;
      hi = ah;
      if (m >= 32) {
        lo = ah;
        hi = al;
        m -= 32;
      }
      if (m !== 0) {
        const nh = (hi << m) | (lo >>> (32 - m));
        lo = (lo << m) | (hi >>> (32 - m));
        hi = nh;
      }
      c.rl = lo;
      c.rh = hi;
      if (op === SH_ROL) {
        cf = lo & 1;
        setRotFlags(c, cf, (hi >>> 31) ^ cf);
      } else {
        cf = hi >>> 31;
        setRotFlags(c, cf, cf ^ ((hi >>> 30) & 1));
      }
      return;
    }
    case SH_RCL:
    case SH_RCR: {
      cf = getCF(c);
      lo = al;
      hi = ah;
      for (let k = 0; k < n; k++) {
        if (op === SH_RCL) {
          const out = hi >>> 31;
          hi = (hi << 1) | (lo >>> 31);
          lo = (lo << 1) | cf;
          cf = out;
        } else {
          const out = lo & 1;
          lo = (lo >>> 1) | ((hi & 1) << 31);
          hi = (hi >>> 1) | (cf << 31);
          cf = out;
        }
      }
      c.rl = lo | 0;
      c.rh = hi | 0;
      const msb = (hi >>> 31) & 1;
      setRotFlags(c, cf, op === SH_RCL ? msb ^ cf : msb ^ ((hi >>> 30) & 1));
      return;
    }
    case SH_SHL:
    case SH_SAL:
      if (n < 32) {
        hi = (ah << n) | (al >>> (32 - n));
        lo = al << n;
        cf = (ah >>> (32 - n)) & 1;
      } else {
        hi = n === 32 ? al : al << (n - 32);
        lo = 0;
        cf = n === 32 ? ah & 1 : (al >>> (64 - n)) & 1;
      }
      c.rl = lo;
      c.rh = hi;
      setArith(c, szp(8, lo, hi) | cf | (((hi >>> 31) ^ cf) << 11));
      return;
    case SH_SHR:
      if (n < 32) {
        lo = (al >>> n) | (ah << (32 - n));
        hi = ah >>> n;
        cf = (al >>> (n - 1)) & 1;
      } else {
        lo = ah >>> (n - 32);
        hi = 0;
        cf = n === 32 ? al >>> 31 : (ah >>> (n - 33)) & 1;
      }
      c.rl = lo | 0;
      c.rh = hi | 0;
      setArith(c, szp(8, c.rl, c.rh) | cf | ((ah >>> 31) << 11));
      return;
    default:
      if (n < 32) {
        lo = (al >>> n) | (ah << (32 - n));
        hi = ah >> n;
        cf = (al >>> (n - 1)) & 1;
      } else {
        lo = ah >> (n - 32);
        hi = ah >> 31;
        cf = n === 32 ? al >>> 31 : (ah >> (n - 33)) & 1;
      }
      c.rl = lo | 0;
      c.rh = hi;
      setArith(c, szp(8, c.rl, c.rh) | cf);
      return;
  }
}
