// Handlers for arithmetic, logic, shifts, multiply/divide and bit instructions.
import {
  alu, alu64, incdec, incdec64, neg, neg64, OP_AND, OP_CMP, shift, shift64, trunc,
} from './alu.js';
import { CF, F_LOGIC, materialize, setArith, szp, ZF, cond } from './flags.js';
import type { Handler, Inst } from './inst.js';
import { divAcc, imul64Trunc, imulTrunc, mulAcc } from './muldiv.js';
import {
  ea, ExecFault, getReg, readE, readE64, readMem, RCX, setReg, writeE, writeE64, writeMem, RAX,
  RDX, type CpuState,
} from './state.js';

// ---- the eight ALU ops ---------------------------------------------------------------------

/** op E, G */
export function aluEG(c: CpuState, i: Inst): void {
  const s = i.size;
  if (s === 8) {
    const al = readE64(c, i);
    alu64(c, i.op, al, c.t, c.L[i.reg]!, c.H[i.reg]!);
    if (i.op !== OP_CMP) writeE64(c, i, c.rl, c.rh);
  } else {
    const r = alu(c, i.op, s, readE(c, i, s), getReg(c, s, i.reg));
    if (i.op !== OP_CMP) writeE(c, i, s, r);
  }
}

/** op G, E */
export function aluGE(c: CpuState, i: Inst): void {
  const s = i.size;
  const g = i.reg;
  if (s === 8) {
    const bl = readE64(c, i);
    alu64(c, i.op, c.L[g]!, c.H[g]!, bl, c.t);
    if (i.op !== OP_CMP) {
      c.L[g] = c.rl;
      c.H[g] = c.rh;
    }
  } else {
    const b = readE(c, i, s);
    const r = alu(c, i.op, s, getReg(c, s, g), b);
    if (i.op !== OP_CMP) setReg(c, s, g, r);
  }
}

/** op E, imm (also the accumulator forms, decoded with rm = rax). */
export function aluEI(c: CpuState, i: Inst): void {
  const s = i.size;
  if (s === 8) {
    const al = readE64(c, i);
    alu64(c, i.op, al, c.t, i.imm, i.immHi);
    if (i.op !== OP_CMP) writeE64(c, i, c.rl, c.rh);
  } else {
    const r = alu(c, i.op, s, readE(c, i, s), i.imm);
    if (i.op !== OP_CMP) writeE(c, i, s, r);
  }
}

function setLogic(c: CpuState, size: number, r: number, rh: number): void {
  c.fop = F_LOGIC;
  c.fsz = size;
  c.fr = r;
  c.frh = rh;
}

export function testEG(c: CpuState, i: Inst): void {
  const s = i.size;
  if (s === 8) {
    const al = readE64(c, i);
    setLogic(c, 8, al & c.L[i.reg]!, c.t & c.H[i.reg]!);
  } else setLogic(c, s, readE(c, i, s) & getReg(c, s, i.reg), 0);
}

export function testEI(c: CpuState, i: Inst): void {
  const s = i.size;
  if (s === 8) {
    const al = readE64(c, i);
    setLogic(c, 8, al & i.imm, c.t & i.immHi);
  } else setLogic(c, s, readE(c, i, s) & i.imm, 0);
}

// ---- unary ---------------------------------------------------------------------------------------

export function incE(c: CpuState, i: Inst): void {
  unary(c, i, 0);
}
export function decE(c: CpuState, i: Inst): void {
  unary(c, i, 1);
}
export function negE(c: CpuState, i: Inst): void {
  unary(c, i, 2);
}
export function notE(c: CpuState, i: Inst): void {
  unary(c, i, 3);
}

function unary(c: CpuState, i: Inst, kind: number): void {
  const s = i.size;
  if (s === 8) {
    const al = readE64(c, i);
    const ah = c.t;
    if (kind === 0 || kind === 1) incdec64(c, al, ah, kind === 1);
    else if (kind === 2) neg64(c, al, ah);
    else {
      c.rl = ~al;
      c.rh = ~ah;
    }
    writeE64(c, i, c.rl, c.rh);
    return;
  }
  const a = readE(c, i, s);
  let r: number;
  if (kind === 0 || kind === 1) r = incdec(c, s, a, kind === 1);
  else if (kind === 2) r = neg(c, s, a);
  else r = trunc(s, ~a);
  writeE(c, i, s, r);
}

// ---- shifts ---------------------------------------------------------------------------------------

function shiftBy(c: CpuState, i: Inst, count: number): void {
  const s = i.size;
  if (s === 8) {
    const al = readE64(c, i);
    shift64(c, i.op, al, c.t, count);
    writeE64(c, i, c.rl, c.rh);
  } else writeE(c, i, s, shift(c, i.op, s, readE(c, i, s), count));
}

/** Shift/rotate by an immediate (d0/d1 are decoded with imm = 1). */
export function shiftEI(c: CpuState, i: Inst): void {
  shiftBy(c, i, i.imm);
}

export function shiftECL(c: CpuState, i: Inst): void {
  shiftBy(c, i, c.L[RCX]! & 0xff);
}

/** shld/shrd: op bit 0 selects shrd, op bit 1 takes the count from CL instead of the imm. */
export function shldrd(c: CpuState, i: Inst): void {
  const s = i.size;
  const bits = s * 8;
  const n = (i.op & 2 ? c.L[RCX]! : i.imm) & (s === 8 ? 63 : 31);
  if (n === 0) {
    if (s === 4 && i.rm >= 0) c.H[i.rm] = 0;
    return;
  }
  const dl = s === 8 ? readE64(c, i) : readE(c, i, s);
  const dh = s === 8 ? c.t : 0;
  const d = s === 8 ? big(dl, dh) : BigInt(dl >>> 0) & ((1n << BigInt(bits)) - 1n);
  const src = s === 8 ? big(c.L[i.reg]!, c.H[i.reg]!) : BigInt(getReg(c, s, i.reg) >>> 0);
  const B = BigInt(bits);
  const N = BigInt(n);
  const mask = (1n << B) - 1n;
  let r: bigint;
  let cf: bigint;
  if ((i.op & 1) === 0) {
    const wide = (d << B) | src; // dest:src, shifted left, dest half kept
    r = ((wide << N) >> B) & mask;
    cf = (d >> (B - N)) & 1n;
    if (n > bits) cf = 0n;
  } else {
    const wide = (src << B) | d;
    r = (wide >> N) & mask;
    cf = (d >> (N - 1n)) & 1n;
  }
  const msb = Number((r >> (B - 1n)) & 1n);
  const of = msb ^ Number((d >> (B - 1n)) & 1n);
  const lo = Number(r & 0xffffffffn) | 0;
  const hi = Number(r >> 32n) | 0;
  setArith(c, szp(s, lo, hi) | Number(cf) | (of << 11));
  if (s === 8) writeE64(c, i, lo, hi);
  else writeE(c, i, s, trunc(s, lo));
}

function big(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

// ---- multiply / divide ------------------------------------------------------------------------------

/** imul G, E (0f af) */
export function imulGE(c: CpuState, i: Inst): void {
  imulInto(c, i, c.L[i.reg]!, c.H[i.reg]!);
}

/** imul G, E, imm (69, 6b) */
export function imulGEI(c: CpuState, i: Inst): void {
  imulInto(c, i, i.imm, i.immHi);
}

function imulInto(c: CpuState, i: Inst, bl: number, bh: number): void {
  const s = i.size;
  if (s === 8) {
    const al = readE64(c, i);
    imul64Trunc(c, al, c.t, bl, bh);
    c.L[i.reg] = c.rl;
    c.H[i.reg] = c.rh;
  } else {
    const a = readE(c, i, s);
    setReg(c, s, i.reg, imulTrunc(c, s, a, s === 2 ? bl & 0xffff : bl));
  }
}

/** F6/F7 /4../7: mul, imul, div, idiv of the accumulator by E. */
export function mulDivE(c: CpuState, i: Inst): void {
  const s = i.size;
  const v = s === 8 ? readE64(c, i) : readE(c, i, s);
  const vh = s === 8 ? c.t : 0;
  if (i.op < 6) mulAcc(c, s, i.op === 5, v, vh);
  else divAcc(c, s, i.op === 7, v, vh);
}

/** cbw / cwde / cdqe */
export function cbwE(c: CpuState, i: Inst): void {
  const L = c.L;
  if (i.size === 2) L[RAX] = (L[RAX]! & ~0xffff) | (((L[RAX]! << 24) >> 24) & 0xffff);
  else if (i.size === 4) {
    L[RAX] = (L[RAX]! << 16) >> 16;
    c.H[RAX] = 0;
  } else c.H[RAX] = L[RAX]! >> 31;
}

/** cwd / cdq / cqo */
export function cwdE(c: CpuState, i: Inst): void {
  const L = c.L;
  if (i.size === 2) L[RDX] = (L[RDX]! & ~0xffff) | (((L[RAX]! << 16) >> 31) & 0xffff);
  else if (i.size === 4) {
    L[RDX] = L[RAX]! >> 31;
    c.H[RDX] = 0;
  } else {
    const sgn = c.H[RAX]! >> 31;
    L[RDX] = sgn;
    c.H[RDX] = sgn;
  }
}

// ---- conditions ------------------------------------------------------------------------------------

export function setcc(c: CpuState, i: Inst): void {
  const v = cond(c, i.op) ? 1 : 0;
  if (i.rm >= 0) setReg(c, 1, i.rm, v);
  else writeMem(c, 1, ea(c, i), v);
}

export function cmovcc(c: CpuState, i: Inst): void {
  const s = i.size;
  // The source is read even when the condition is false (a bad address still faults).
  if (s === 8) {
    const lo = readE64(c, i);
    if (cond(c, i.op)) {
      c.L[i.reg] = lo;
      c.H[i.reg] = c.t;
    }
  } else {
    const v = readE(c, i, s);
    if (cond(c, i.op)) setReg(c, s, i.reg, v);
    else if (s === 4) c.H[i.reg] = 0;
  }
}

// ---- atomics ---------------------------------------------------------------------------------------------

export function xaddEG(c: CpuState, i: Inst): void {
  const s = i.size;
  const g = i.reg;
  if (s === 8) {
    const al = readE64(c, i);
    const ah = c.t;
    alu64(c, 0, al, ah, c.L[g]!, c.H[g]!);
    c.L[g] = al;
    c.H[g] = ah;
    writeE64(c, i, c.rl, c.rh);
  } else {
    const a = readE(c, i, s);
    const r = alu(c, 0, s, a, getReg(c, s, g));
    setReg(c, s, g, a);
    writeE(c, i, s, r);
  }
}

export function cmpxchgEG(c: CpuState, i: Inst): void {
  const s = i.size;
  if (s === 8) {
    const dl = readE64(c, i);
    const dh = c.t;
    alu64(c, OP_CMP, c.L[RAX]!, c.H[RAX]!, dl, dh);
    if (c.L[RAX] === dl && c.H[RAX] === dh) writeE64(c, i, c.L[i.reg]!, c.H[i.reg]!);
    else {
      // A memory destination is written back unchanged; a register one is left alone (a 32-bit
      // one keeps its upper half, as the host CPU shows).
      if (i.rm < 0) writeE64(c, i, dl, dh);
      c.L[RAX] = dl;
      c.H[RAX] = dh;
    }
  } else {
    const d = readE(c, i, s);
    const a = getReg(c, s, RAX);
    alu(c, OP_CMP, s, a, d);
    if (a === d) writeE(c, i, s, getReg(c, s, i.reg));
    else {
      if (i.rm < 0) writeE(c, i, s, d);
      setReg(c, s, RAX, d);
    }
  }
}

/** cmpxchg8b / cmpxchg16b (0f c7 /1) */
export function cmpxchg8b16b(c: CpuState, i: Inst): void {
  const a = ea(c, i);
  const mem = c.mem;
  const L = c.L;
  const H = c.H;
  materialize(c);
  if (i.size === 8) {
    if (a % 16 !== 0) throw new ExecFault('general-protection', a);
    const l0 = mem.r64(a);
    const h0 = mem.hi;
    const l1 = mem.r64(a + 8);
    const h1 = mem.hi;
    if (l0 === L[RAX] && h0 === H[RAX] && l1 === L[RDX] && h1 === H[RDX]) {
      mem.w64(a, L[3]!, H[3]!);
      mem.w64(a + 8, L[RCX]!, H[RCX]!);
      c.fl |= ZF;
    } else {
      mem.w64(a, l0, h0);
      mem.w64(a + 8, l1, h1);
      L[RAX] = l0; H[RAX] = h0; L[RDX] = l1; H[RDX] = h1;
      c.fl &= ~ZF;
    }
  } else {
    const lo = mem.r32(a);
    const hi = mem.r32(a + 4);
    if (lo === L[RAX] && hi === L[RDX]) {
      mem.w32(a, L[3]!);
      mem.w32(a + 4, L[RCX]!);
      c.fl |= ZF;
    } else {
      mem.w32(a, lo);
      mem.w32(a + 4, hi);
      L[RAX] = lo; H[RAX] = 0; L[RDX] = hi; H[RDX] = 0;
      c.fl &= ~ZF;
    }
  }
}

// ---- bit instructions ---------------------------------------------------------------------------

/** bt/bts/btr/btc with a register bit offset (op 0..3); memory operands address beyond E. */
export function btEG(c: CpuState, i: Inst): void {
  const s = i.size;
  const lo = c.L[i.reg]!;
  if (i.rm >= 0) {
    bitReg(c, i, lo & (s * 8 - 1));
    return;
  }
  // The signed bit offset selects a byte anywhere around the operand.
  let byteOff: number;
  if (s === 8) byteOff = c.H[i.reg]! * 536870912 + (lo >>> 3);
  else if (s === 4) byteOff = lo >> 3;
  else byteOff = ((lo << 16) >> 16) >> 3;
  bitMem(c, i, ea(c, i) + byteOff, lo & 7);
}

/** bt/bts/btr/btc with an immediate bit offset (0f ba /4../7). */
export function btEI(c: CpuState, i: Inst): void {
  const s = i.size;
  const off = i.imm & (s * 8 - 1);
  if (i.rm >= 0) bitReg(c, i, off);
  else bitMem(c, i, ea(c, i) + (off >> 3), off & 7);
}

function setCF(c: CpuState, v: number): void {
  materialize(c);
  c.fl = (c.fl & ~CF) | v;
}

function bitReg(c: CpuState, i: Inst, bit: number): void {
  const r = i.rm;
  const hiHalf = bit >= 32;
  const arr = hiHalf ? c.H : c.L;
  const m = 1 << (bit & 31);
  const word = arr[r]!;
  setCF(c, (word & m) !== 0 ? 1 : 0);
  if (i.op === 0) return;
  let w: number;
  if (i.op === 1) w = word | m;
  else if (i.op === 2) w = word & ~m;
  else w = word ^ m;
  arr[r] = w;
  if (i.size === 4) c.H[r] = 0;
}

function bitMem(c: CpuState, i: Inst, a: number, bit: number): void {
  const b = readMem(c, 1, a);
  const m = 1 << bit;
  setCF(c, (b & m) !== 0 ? 1 : 0);
  if (i.op === 0) return;
  writeMem(c, 1, a, i.op === 1 ? b | m : i.op === 2 ? b & ~m : b ^ m);
}

function readSrc(c: CpuState, i: Inst): [number, number] {
  if (i.size === 8) {
    const lo = readE64(c, i);
    return [lo, c.t];
  }
  return [readE(c, i, i.size), 0];
}

function writeDst(c: CpuState, i: Inst, v: number): void {
  if (i.size === 8) {
    c.L[i.reg] = v;
    c.H[i.reg] = 0;
  } else setReg(c, i.size, i.reg, v);
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function trailing(lo: number, hi: number, s: number): number {
  if (lo !== 0) return ctz32(lo);
  if (s === 8 && hi !== 0) return 32 + ctz32(hi);
  return -1;
}

function leading(lo: number, hi: number, s: number): number {
  // Index of the highest set bit, or -1.
  if (s === 8) {
    if (hi !== 0) return 63 - Math.clz32(hi);
    return lo !== 0 ? 31 - Math.clz32(lo) : -1;
  }
  return lo !== 0 ? 31 - Math.clz32(lo >>> 0) : -1;
}

/** bsf (op 0), bsr (op 1): zero source sets ZF and leaves the destination unchanged. */
export function bsfBsr(c: CpuState, i: Inst): void {
  const [lo, hi] = readSrc(c, i);
  const idx = i.op === 0 ? trailing(lo, hi, i.size) : leading(lo, hi, i.size);
  materialize(c);
  if (idx < 0) {
    c.fl |= ZF;
    return;
  }
  c.fl &= ~ZF;
  writeDst(c, i, idx);
}

/** tzcnt (op 0), lzcnt (op 1) */
export function tzLzcnt(c: CpuState, i: Inst): void {
  const s = i.size;
  const [lo, hi] = readSrc(c, i);
  const bits = s * 8;
  let n: number;
  if (i.op === 0) {
    const t = trailing(s === 2 ? lo & 0xffff : lo, hi, s);
    n = t < 0 ? bits : Math.min(t, bits);
  } else {
    const l = leading(s === 2 ? lo & 0xffff : lo, hi, s);
    n = l < 0 ? bits : bits - 1 - l;
  }
  materialize(c);
  c.fl = (c.fl & ~(CF | ZF)) | (n === bits ? CF : 0) | (n === 0 ? ZF : 0);
  writeDst(c, i, n);
}

function pop32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

export function popcnt(c: CpuState, i: Inst): void {
  const [lo, hi] = readSrc(c, i);
  const n = pop32(i.size === 2 ? lo & 0xffff : lo) + (i.size === 8 ? pop32(hi) : 0);
  setArith(c, n === 0 ? ZF : 0);
  writeDst(c, i, n);
}

// ---- register-only specialisations chosen at decode time (the common forms in compiled code) ----

export function aluRR64(c: CpuState, i: Inst): void {
  const d = i.rm;
  const s = i.reg;
  alu64(c, i.op, c.L[d]!, c.H[d]!, c.L[s]!, c.H[s]!);
  if (i.op !== OP_CMP) {
    c.L[d] = c.rl;
    c.H[d] = c.rh;
  }
}

/** G op= E with both registers. */
export function aluGR64(c: CpuState, i: Inst): void {
  const d = i.reg;
  const s = i.rm;
  alu64(c, i.op, c.L[d]!, c.H[d]!, c.L[s]!, c.H[s]!);
  if (i.op !== OP_CMP) {
    c.L[d] = c.rl;
    c.H[d] = c.rh;
  }
}

export function aluRR32(c: CpuState, i: Inst): void {
  const r = alu(c, i.op, 4, c.L[i.rm]!, c.L[i.reg]!);
  if (i.op !== OP_CMP) {
    c.L[i.rm] = r;
    c.H[i.rm] = 0;
  }
}

export function aluGR32(c: CpuState, i: Inst): void {
  const r = alu(c, i.op, 4, c.L[i.reg]!, c.L[i.rm]!);
  if (i.op !== OP_CMP) {
    c.L[i.reg] = r;
    c.H[i.reg] = 0;
  }
}

export function aluRI64(c: CpuState, i: Inst): void {
  const d = i.rm;
  alu64(c, i.op, c.L[d]!, c.H[d]!, i.imm, i.immHi);
  if (i.op !== OP_CMP) {
    c.L[d] = c.rl;
    c.H[d] = c.rh;
  }
}

export function aluRI32(c: CpuState, i: Inst): void {
  const r = alu(c, i.op, 4, c.L[i.rm]!, i.imm);
  if (i.op !== OP_CMP) {
    c.L[i.rm] = r;
    c.H[i.rm] = 0;
  }
}

/** Picks a register-only handler for an ALU instruction, or null to keep the generic one. */
export function fastAlu(kind: 'EG' | 'GE' | 'EI'): (i: Inst) => Handler | null {
  return (i) => {
    if (i.rm < 0 || (i.size !== 8 && i.size !== 4)) return null;
    const w = i.size === 8;
    if (kind === 'EG') return w ? aluRR64 : aluRR32;
    if (kind === 'GE') return w ? aluGR64 : aluGR32;
    return w ? aluRI64 : aluRI32;
  };
}
