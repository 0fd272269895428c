// mul/imul/div/idiv. Products up to 64 bits use 16-bit limbs on numbers; 128-bit results and
// 64-bit division use BigInt (rare in module code, kept off the common path).
import { CF, F_IMUL64, OF, setArith, szp } from './flags.js';
import { ExecFault, RAX, RDX, type CpuState } from './state.js';

let mulHi = 0;

/** Unsigned 32x32 -> 64: returns the low half (int32), high half in mulHi (int32). */
export function mulu32(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const ll = al * bl;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  mulHi = (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
  return ((mid << 16) | (ll & 0xffff)) | 0;
}

/** Low 64 bits of a 64x64 product (same for signed and unsigned); result in c.rl/c.rh. */
export function mul64lo(c: CpuState, al: number, ah: number, bl: number, bh: number): void {
  const lo = mulu32(al, bl);
  c.rl = lo;
  c.rh = (mulHi + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
}

function big(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function setMulFlags(c: CpuState, size: number, lo: number, hi: number, overflow: boolean): void {
  setArith(c, szp(size, lo, hi) | (overflow ? CF | OF : 0));
}

/** Two/three-operand imul on sizes 2/4: returns the truncated product. */
export function imulTrunc(c: CpuState, size: number, a: number, b: number): number {
  if (size === 4) {
    const r = Math.imul(a, b);
    const p = a * b; // exact enough to decide whether it fits in 32 bits
    setMulFlags(c, 4, r, 0, p !== r);
    return r;
  }
  const sa = (a << 16) >> 16;
  const sb = (b << 16) >> 16;
  const p = sa * sb;
  const r = p & 0xffff;
  setMulFlags(c, 2, r, 0, p !== (r << 16) >> 16);
  return r;
}

/** 64-bit two/three-operand imul; flags computed lazily (they need the 128-bit product). */
export function imul64Trunc(c: CpuState, al: number, ah: number, bl: number, bh: number): void {
  mul64lo(c, al, ah, bl, bh);
  c.fop = F_IMUL64;
  c.fsz = 8;
  c.fa = al;
  c.fah = ah;
  c.fb = bl;
  c.fbh = bh;
  c.fr = c.rl;
  c.frh = c.rh;
}

/** One-operand mul/imul (F6/F7 /4 /5) with source value (size 8: lo, hi). */
export function mulAcc(c: CpuState, size: number, signed: boolean, v: number, vh: number): void {
  const L = c.L;
  const H = c.H;
  if (size === 1) {
    const a = L[RAX]! & 0xff;
    const p = signed ? ((a << 24) >> 24) * ((v << 24) >> 24) : a * v;
    L[RAX] = (L[RAX]! & ~0xffff) | (p & 0xffff);
    const lo = p & 0xff;
    setMulFlags(c, 1, lo, 0, signed ? p !== (lo << 24) >> 24 : p > 0xff);
  } else if (size === 2) {
    const a = L[RAX]! & 0xffff;
    const p = signed ? ((a << 16) >> 16) * ((v << 16) >> 16) : a * v;
    L[RAX] = (L[RAX]! & ~0xffff) | (p & 0xffff);
    L[RDX] = (L[RDX]! & ~0xffff) | ((p >>> 16) & 0xffff);
    const lo = p & 0xffff;
    setMulFlags(c, 2, lo, 0, signed ? p !== (lo << 16) >> 16 : p > 0xffff);
  } else if (size === 4) {
    const a = L[RAX]!;
    let lo = mulu32(a, v);
    let hi = mulHi;
    if (signed) {
      // Signed high half = unsigned high half minus the other operand for each negative one.
      if (a < 0) hi = (hi - v) | 0;
      if (v < 0) hi = (hi - a) | 0;
    }
    L[RAX] = lo;
    H[RAX] = 0;
    L[RDX] = hi;
    H[RDX] = 0;
    setMulFlags(c, 4, lo, 0, signed ? hi !== lo >> 31 : hi !== 0);
    lo = 0;
  } else {
    const a = big(L[RAX]!, H[RAX]!);
    const b = big(v, vh);
    const p = signed ? BigInt.asIntN(64, a) * BigInt.asIntN(64, b) : a * b;
    const u = BigInt.asUintN(128, p);
    const lo = Number(u & 0xffffffffn) | 0;
    const hi = Number((u >> 32n) & 0xffffffffn) | 0;
    L[RAX] = lo;
    H[RAX] = hi;
    L[RDX] = Number((u >> 64n) & 0xffffffffn) | 0;
    H[RDX] = Number(u >> 96n) | 0;
    const overflow = signed ? BigInt.asIntN(64, p) !== p : u >> 64n !== 0n;
    setMulFlags(c, 8, lo, hi, overflow);
  }
}

/** div/idiv (F6/F7 /6 /7); #DE on zero divisor or quotient overflow. Flags are left alone. */
export function divAcc(c: CpuState, size: number, signed: boolean, v: number, vh: number): void {
  const L = c.L;
  const H = c.H;
  if (size === 1 || size === 2) {
    const bits = size * 8;
    const dividendU = size === 1 ? L[RAX]! & 0xffff : ((L[RDX]! & 0xffff) << 16) | (L[RAX]! & 0xffff);
    let d: number;
    let n: number;
    if (signed) {
      d = size === 1 ? (v << 24) >> 24 : (v << 16) >> 16;
      n = size === 1 ? (dividendU << 16) >> 16 : dividendU | 0;
    } else {
      d = v;
      n = dividendU >>> 0;
    }
    if (d === 0) throw new ExecFault('divide-error');
    const q = Math.trunc(n / d);
    const r = n - q * d;
    const lim = 1 << (bits - 1);
    if (signed ? q >= lim || q < -lim : q >= lim * 2) throw new ExecFault('divide-error');
    if (size === 1) L[RAX] = (L[RAX]! & ~0xffff) | ((r & 0xff) << 8) | (q & 0xff);
    else {
      L[RAX] = (L[RAX]! & ~0xffff) | (q & 0xffff);
      L[RDX] = (L[RDX]! & ~0xffff) | (r & 0xffff);
    }
    return;
  }
  if (size === 4) {
    const hi = L[RDX]!;
    const lo = L[RAX]!;
    if (v === 0) throw new ExecFault('divide-error');
    // Fast path: the dividend fits in 32 bits (the usual zero- or sign-extended edx).
    if (!signed && hi === 0) {
      const q = Math.floor((lo >>> 0) / (v >>> 0));
      const r = (lo >>> 0) - q * (v >>> 0);
      L[RAX] = q | 0; H[RAX] = 0; L[RDX] = r | 0; H[RDX] = 0;
      return;
    }
    if (signed && hi === lo >> 31 && !(lo === -2147483648 && v === -1)) {
      const q = Math.trunc(lo / v);
      const r = lo - q * v;
      L[RAX] = q | 0; H[RAX] = 0; L[RDX] = r | 0; H[RDX] = 0;
      return;
    }
    const n = signed ? BigInt.asIntN(64, big(lo, hi)) : big(lo, hi);
    const d = signed ? BigInt(v | 0) : BigInt(v >>> 0);
    const q = n / d;
    const r = n % d;
    if (signed ? q !== BigInt.asIntN(32, q) : q !== BigInt.asUintN(32, q)) throw new ExecFault('divide-error');
    L[RAX] = Number(BigInt.asIntN(32, q)); H[RAX] = 0;
    L[RDX] = Number(BigInt.asIntN(32, r)); H[RDX] = 0;
    return;
  }
  if (v === 0 && vh === 0) throw new ExecFault('divide-error');
  const nu = (big(L[RDX]!, H[RDX]!) << 64n) | big(L[RAX]!, H[RAX]!);
  const n = signed ? BigInt.asIntN(128, nu) : nu;
  const d = signed ? BigInt.asIntN(64, big(v, vh)) : big(v, vh);
  const q = n / d;
  const r = n % d;
  if (signed ? q !== BigInt.asIntN(64, q) : q !== BigInt.asUintN(64, q)) throw new ExecFault('divide-error');
  const qu = BigInt.asUintN(64, q);
  const ru = BigInt.asUintN(64, r);
  L[RAX] = Number(qu & 0xffffffffn) | 0;
  H[RAX] = Number(qu >> 32n) | 0;
  L[RDX] = Number(ru & 0xffffffffn) | 0;
  H[RDX] = Number(ru >> 32n) | 0;
}
