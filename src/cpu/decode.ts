// Table-driven x86-64 decoder: prefixes, REX, opcode maps (opcodes.ts), ModRM/SIB/displacement,
// immediates. Produces an Inst bound to its handler; unknown encodings raise DecodeError.
import { Inst } from './inst.js';
import { IMM, ONE_BYTE, TWO_BYTE, THREE_BYTE_38, type Spec } from './opcodes.js';

export class DecodeError extends Error {
  constructor(
    readonly addr: number,
    readonly bytes: Uint8Array,
  ) {
    super('invalid opcode');
  }
}

export interface ByteReader {
  r8(a: number): number;
}

const MAX_LEN = 15;

export function decode(mem: ByteReader, addr: number): Inst {
  let p = addr;
  const fail = (): never => {
    const n = Math.min(MAX_LEN, Math.max(p - addr + 1, 1));
    const bytes: number[] = [];
    for (let k = 0; k < n; k++) {
      try {
        bytes.push(mem.r8(addr + k));
      } catch {
        break;
      }
    }
    throw new DecodeError(addr, Uint8Array.from(bytes));
  };
  const next = (): number => {
    if (p - addr >= MAX_LEN) fail();
    return mem.r8(p++);
  };

  let opsize16 = false;
  let a32 = false;
  let rep = 0;
  let seg = 0;
  let rex = 0;
  let b = next();
  for (;;) {
    if (b === 0x66) opsize16 = true;
    else if (b === 0x67) a32 = true;
    else if (b === 0xf3) rep = 1;
    else if (b === 0xf2) rep = 2;
    else if (b === 0xf0) {
      // lock: a single CPU executes everything atomically anyway
    } else if (b === 0x65) seg = 1;
    else if (b === 0x64) seg = 2;
    else if (b === 0x2e || b === 0x3e || b === 0x26 || b === 0x36) {
      // null segments in 64-bit mode (also branch hints / notrack)
    } else break;
    b = next();
  }
  if ((b & 0xf0) === 0x40) {
    rex = b;
    b = next();
  }
  const rexW = (rex & 8) !== 0;
  const rexR = (rex & 4) << 1;
  const rexX = (rex & 2) << 2;
  const rexB = (rex & 1) << 3;

  let spec: Spec | undefined;
  let opcode = b;
  if (b === 0x0f) {
    opcode = next();
    if (opcode === 0x38) spec = THREE_BYTE_38[next()];
    else spec = TWO_BYTE[opcode];
  } else spec = ONE_BYTE[b];
  if (spec === undefined) return fail();
  // Mandatory-prefix variants (pause, tzcnt, lzcnt, popcnt ...).
  if (rep === 1 && spec.f3 !== undefined) {
    spec = spec.f3;
    rep = 0;
  }
  if (rep === 2 && spec.f2bad) return fail();
  if (spec.fn === undefined && spec.group === undefined && spec.modrmFix === undefined) return fail();

  const inst = new Inst(spec.fn ?? invalidHandler);
  inst.addr = addr;
  inst.rep = rep;
  inst.seg = seg;
  inst.a32 = a32;
  inst.op = spec.op ?? 0;

  let byteRegs = spec.byte === true;
  let sizeFrom: Spec = spec;
  let ripRel = false;
  if (spec.modrm) {
    const m = next();
    const mod = m >> 6;
    const reg = (m >> 3) & 7;
    const rm = m & 7;
    if (spec.group !== undefined) {
      const g = spec.group[reg];
      if (g === undefined) return fail();
      spec = g;
      inst.fn = g.fn ?? invalidHandler;
      inst.op = g.op ?? 0;
      sizeFrom = { ...g, byte: byteRegs || g.byte === true };
    }
    if (spec.modrmFix !== undefined) {
      const f = spec.modrmFix.get(m);
      if (f === undefined) return fail();
      inst.fn = f.fn ?? invalidHandler;
      inst.op = f.op ?? 0;
    }
    if (spec.memOnly && mod === 3) return fail();
    if (spec.regOnly && mod !== 3) return fail();
    const gReg = reg | rexR;
    inst.reg = byteRegs && rex === 0 && reg >= 4 ? 16 + reg - 4 : gReg;
    if (mod === 3) {
      const full = rm | rexB;
      const byteE = byteRegs || spec.eb === true;
      inst.rm = byteE && rex === 0 && rm >= 4 ? 16 + rm - 4 : full;
    } else {
      inst.rm = -1;
      let disp = 0;
      if (rm === 4) {
        const sib = next();
        const ss = sib >> 6;
        const idx = ((sib >> 3) & 7) | rexX;
        const base = sib & 7;
        inst.index = idx === 4 ? -1 : idx;
        inst.scale = 1 << ss;
        if (base === 5 && mod === 0) {
          inst.base = -1;
          disp = readS32(next);
        } else inst.base = base | rexB;
      } else if (rm === 5 && mod === 0) {
        ripRel = true;
        disp = readS32(next);
      } else inst.base = rm | rexB;
      if (mod === 1) disp = (next() << 24) >> 24;
      else if (mod === 2) disp = readS32(next);
      inst.dispLo = disp >>> 0;
      inst.dispHi = disp >> 31;
    }
  } else if (spec.regInOp) {
    const r = (opcode & 7) | rexB;
    inst.rm = byteRegs && rex === 0 && (opcode & 7) >= 4 ? 16 + (opcode & 7) - 4 : r;
  } else if (spec.accum) inst.rm = 0;

  byteRegs = sizeFrom.byte === true;
  const size = byteRegs ? 1 : rexW ? 8 : sizeFrom.d64 ? 8 : opsize16 ? 2 : 4;
  inst.size = spec.fixedSize ?? size;

  switch (spec.imm ?? IMM.NONE) {
    case IMM.NONE:
      break;
    case IMM.IB:
      setImm(inst, (next() << 24) >> 24);
      break;
    case IMM.IZ:
      setImm(inst, inst.size === 2 ? (readU16(next) << 16) >> 16 : readS32(next));
      break;
    case IMM.IV:
      if (inst.size === 8) {
        inst.imm = readS32(next);
        inst.immHi = readS32(next);
      } else if (inst.size === 1) inst.imm = next();
      else setImm(inst, inst.size === 2 ? readU16(next) : readS32(next));
      break;
    case IMM.IW:
      inst.imm = readU16(next);
      break;
    case IMM.UB:
      inst.imm = next();
      break;
    case IMM.ONE:
      inst.imm = 1;
      break;
    case IMM.REL8:
      inst.imm = (next() << 24) >> 24;
      break;
    case IMM.REL32:
      inst.imm = readS32(next);
      break;
  }
  inst.len = p - addr;
  inst.next = addr + inst.len;
  if (spec.imm === IMM.REL8 || spec.imm === IMM.REL32) inst.target = inst.next + inst.imm;
  if (ripRel) {
    const abs = inst.next + (inst.dispLo | 0);
    inst.dispLo = abs >>> 0;
    inst.dispHi = Math.floor(abs / 4294967296);
    inst.base = -1;
  }
  genericFn = inst.fn;
  if (spec.fast !== undefined) {
    const f = spec.fast(inst);
    if (f !== null) inst.fn = f;
  }
  return inst;
}

// The handler an instruction decoded to before any fast-path specialisation (decodeAt).
let genericFn: Inst['fn'] = invalidHandler;

/** What one instruction decodes to, for cross-checks against a disassembler (test/diff/objdump). */
export interface DecodedShape {
  length: number;
  /** Name of the generic handler (aluEG, jcc, movzx, ...) and its sub-operation. */
  handler: string;
  op: number;
  /** Operand size in bytes. */
  size: number;
}

/** Decode the instruction at `addr`; throws DecodeError for encodings the interpreter lacks. */
export function decodeAt(mem: ByteReader, addr: number): DecodedShape {
  const inst = decode(mem, addr);
  return { length: inst.len, handler: genericFn.name, op: inst.op, size: inst.size };
}

function setImm(inst: Inst, v: number): void {
  const s = inst.size;
  if (s === 8) {
    inst.imm = v;
    inst.immHi = v >> 31;
  } else if (s === 4) inst.imm = v | 0;
  else if (s === 2) inst.imm = v & 0xffff;
  else inst.imm = v & 0xff;
}

function readU16(next: () => number): number {
  const lo = next();
  return lo | (next() << 8);
}

function readS32(next: () => number): number {
  const b0 = next();
  const b1 = next();
  const b2 = next();
  const b3 = next();
  return b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
}

function invalidHandler(): void {
  throw new Error('internal: instruction without handler');
}
