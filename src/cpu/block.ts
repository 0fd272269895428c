// Traces compiled to JavaScript functions (a small JIT above the interpreter).
//
// When an instruction the run loop dispatches has been executed BLOCK_HOT times, the trace
// starting there is translated to one JS function with `new Function`: straight-line code,
// continued through direct jumps and through conditional jumps in the direction the interpreter
// took more often (the other direction is a side exit), up to the first call, return,
// instruction whose handler is not known to leave rip alone, or jump back into the trace. Common
// forms (ALU, test, mov/movzx/movsx, lea, inc/dec/neg/not, shifts by an immediate, imul,
// push/pop, jcc/jmp/call/ret) become inline code with constant operands; anything else calls its
// ordinary handler from inside the block. A trace whose last branch jumps back to its own start
// runs as a JS loop.
//
// Guest registers the block uses live in JS locals (L<r>, H<r>) from entry to exit: loaded once,
// written back to CpuState at every exit, around every handler call, and in the catch clause.
// Each load or store site remembers the page it last hit (see Gen.access).
//
// What the interpreter guarantees, blocks keep:
// - Budget: a block runs only when the remaining budget covers all its instructions, and a loop
//   iterates only while it covers another pass, so a budget fault happens at exactly the
//   instruction the instruction-by-instruction loop would stop at.
// - Lazy flags: an instruction's flags live in local variables until something needs them in
//   CpuState (a handler, the block exit, a fault); a jcc/setcc/cmovcc after cmp/sub/test/add/
//   inc/dec in the same block tests the operands directly (cmp+jcc fusion). A fault stores the
//   pending flags from a catch clause, so a fault report shows the same rflags as without blocks.
//   Across a loop's back edge they stay in locals too:
//   `pf` names the producer holding them until a later instruction overwrites them.
// - Faults: every instruction that can fault records its index first; the run loop (X86Cpu.run)
//   reads BLOCK_FAULT to set rip/cur and the executed count exactly as if it had stepped.
// - Self-modifying code: a block lives on the first Inst of its run (Inst.blk), so it disappears
//   with the page's decoded-instruction cache when a store to the page empties it. A block never
//   spans two pages, and after each of its own stores (inline or through a handler) it checks
//   whether its page's cache was just emptied and, if so, returns to the run loop before the
//   next instruction, which is then decoded afresh.
import {
  aluEG, aluEI, aluGE, aluGR32, aluGR64, aluRI32, aluRI64, aluRR32, aluRR64, cbwE, cmovcc, cwdE,
  decE, imulGE, imulGEI, incE, negE, notE, setcc, shiftEI, testEG, testEI,
} from './exec-alu.js';
import { callRel, jcc, jmpRel, nop, ret } from './exec-control.js';
import {
  bswapR, lea, leave, movEG, movEI, movGE, movRI64, movsx, movzx, popR, pushI, pushR, xchgEG,
} from './exec-move.js';
import { F_ADD, F_DEC, F_IMUL64, F_INC, F_LOGIC, F_NONE, F_SUB, cond, getCF } from './flags.js';
import type { Handler, Inst } from './inst.js';
import { imulTrunc, mul64lo } from './muldiv.js';
import { shift, shift64 } from './alu.js';
import { ea, ExecFault, type CpuState } from './state.js';
import { decode } from './decode.js';
import type { Memory } from '../mm/memory.js';

/** Executions of an instruction (as a block start) before its block is compiled. */
export let BLOCK_HOT = 32;
/** Longest trace, in instructions. */
const MAX_INSNS = 64;
/** Test hook: compile blocks after `n` executions (1 = immediately); 0 disables blocks. */
export function setBlockThreshold(n: number): void {
  BLOCK_HOT = n <= 0 ? Infinity : n;
}
// MODFS_BLOCK_HOT=N overrides the threshold (1: compile everything, as the tests can; 0: off).
if (typeof process !== 'undefined' && process.env?.MODFS_BLOCK_HOT !== undefined) {
  setBlockThreshold(Number(process.env.MODFS_BLOCK_HOT));
}

export type BlockFn = (c: CpuState, budget: number) => number;

/** A compiled block: run(c, budget) executes at least n instructions and returns how many. */
export class Block {
  constructor(
    readonly n: number,
    readonly run: BlockFn,
    readonly insts: Inst[],
  ) {}
}

/** Marks an instruction where no block is worth compiling (n is never covered by a budget). */
export const NO_BLOCK = new Block(Infinity, () => 0, []);

/** Placeholders in generated lines, filled in once the block's register set is known. */
const WB = '@WB@';
const RL = '@RL@';
const CARRIED = '@CARRIED@';

/** Set by a block that throws: instructions executed including the faulting one, and its index. */
export const BLOCK_FAULT = { n: 0, i: 0 };

// ---- handler classes -------------------------------------------------------------------------

const ALU_FNS = new Set<Handler>([aluEG, aluGE, aluEI, aluRR64, aluGR64, aluRR32, aluGR32, aluRI64, aluRI32]);
const G_IS_DEST = new Set<Handler>([aluGE, aluGR64, aluGR32]);
const IMM_SRC = new Set<Handler>([aluEI, aluRI64, aluRI32]);
/** Handlers that neither read nor write flags nor rip (safe to call mid-block, flags pending). */
const FLAG_NEUTRAL = new Set<Handler>([
  movEG, movGE, movEI, movRI64, movzx, movsx, lea, xchgEG, pushR, popR, pushI, leave, bswapR, cbwE,
  cwdE, nop,
]);
/** Handlers that never touch rip: may sit in the middle of a block (through a call if not inline). */
const STRAIGHT = new Set<Handler>([
  ...ALU_FNS, ...FLAG_NEUTRAL, testEG, testEI, incE, decE, negE, notE, shiftEI, imulGE, imulGEI,
  setcc, cmovcc,
]);

// ---- code generation -------------------------------------------------------------------------

/** Flags produced in the block and not yet stored in CpuState. */
interface Producer {
  /** F_ADD, F_SUB, F_LOGIC, F_INC, F_DEC, F_IMUL64, or -1: replay `store` to set them. */
  op: number;
  sz: number;
  /** Variable names of the operands and result (lo halves; size 8 also the hi halves). */
  a: string;
  b: string;
  r: string;
  ah: string;
  bh: string;
  rh: string;
  /** inc/dec: expression for the carry they keep. */
  cin: string;
  /** op -1: statement that recomputes the flags into CpuState. */
  replay: string;
}

const U = (x: string): string => `(${x} >>> 0)`;

function signOf(p: Producer, lo: string, hi: string): string {
  if (p.sz === 8) return `(${hi} < 0)`;
  if (p.sz === 4) return `(${lo} < 0)`;
  return `((${lo} & ${p.sz === 1 ? 0x80 : 0x8000}) !== 0)`;
}

function zfOf(p: Producer): string {
  return p.sz === 8 ? `((${p.r} | ${p.rh}) === 0)` : `(${p.r} === 0)`;
}

function cfOf(p: Producer): string {
  switch (p.op) {
    case F_LOGIC:
      return 'false';
    case F_INC:
    case F_DEC:
      return `(${p.cin} !== 0)`;
    case F_ADD:
      return p.sz === 8 ? ult64(p.rh, p.r, p.ah, p.a) : `(${U(p.r)} < ${U(p.a)})`;
    default: // F_SUB
      return p.sz === 8 ? ult64(p.ah, p.a, p.bh, p.b) : `(${U(p.a)} < ${U(p.b)})`;
  }
}

function ult64(ah: string, al: string, bh: string, bl: string): string {
  return `(${U(ah)} < ${U(bh)} || (${ah} === ${bh} && ${U(al)} < ${U(bl)}))`;
}

function ofOf(p: Producer): string {
  switch (p.op) {
    case F_LOGIC:
      return 'false';
    case F_ADD:
    case F_INC:
      return signOf(p, `((${p.a} ^ ${p.r}) & (${p.b} ^ ${p.r}))`, `((${p.ah} ^ ${p.rh}) & (${p.bh} ^ ${p.rh}))`);
    default: // F_SUB, F_DEC
      return signOf(p, `((${p.a} ^ ${p.b}) & (${p.a} ^ ${p.r}))`, `((${p.ah} ^ ${p.bh}) & (${p.ah} ^ ${p.rh}))`);
  }
}

/** Condition code cc from a known producer, or null (use cond() on stored flags). */
function condOf(p: Producer, cc: number): string | null {
  if (p.op !== F_ADD && p.op !== F_SUB && p.op !== F_LOGIC && p.op !== F_INC && p.op !== F_DEC) return null;
  if (cc === 10 || cc === 11) return null; // parity: rare
  let e: string;
  const k = cc >> 1;
  if (p.op === F_SUB && p.sz === 4) {
    // cmp/sub of int32s: compare the operands themselves.
    const a = p.a;
    const b = p.b;
    switch (k) {
      case 1: e = `(${U(a)} < ${U(b)})`; break;
      case 2: e = `(${a} === ${b})`; break;
      case 3: e = `(${U(a)} <= ${U(b)})`; break;
      case 6: e = `(${a} < ${b})`; break;
      case 7: e = `(${a} <= ${b})`; break;
      default: e = k === 0 ? ofOf(p) : signOf(p, p.r, p.rh);
    }
  } else {
    switch (k) {
      case 0: e = ofOf(p); break;
      case 1: e = cfOf(p); break;
      case 2: e = zfOf(p); break;
      case 3: e = `(${cfOf(p)} || ${zfOf(p)})`; break;
      case 4: e = signOf(p, p.r, p.rh); break;
      case 6: e = `(${signOf(p, p.r, p.rh)} !== ${ofOf(p)})`; break;
      default: e = `(${zfOf(p)} || ${signOf(p, p.r, p.rh)} !== ${ofOf(p)})`; break;
    }
  }
  return cc & 1 ? `!${e}` : e;
}

/** Statement storing a producer's flags into CpuState exactly as the interpreter would. */
function storeFlags(p: Producer | null): string {
  if (p === null) return '';
  if (p.op === -1) return p.replay;
  let s = `c.fop = ${p.op}; c.fsz = ${p.sz}; c.fr = ${p.r};`;
  if (p.sz === 8) s += ` c.frh = ${p.rh};`;
  else if (p.op === F_LOGIC) s += ' c.frh = 0;';
  if (p.op !== F_LOGIC) {
    s += ` c.fa = ${p.a}; c.fb = ${p.b};`;
    if (p.sz === 8) s += ` c.fah = ${p.ah}; c.fbh = ${p.bh};`;
  }
  if (p.op === F_INC || p.op === F_DEC) s += ` c.fcin = ${p.cin};`;
  return s;
}

function hex(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

function trunc(sz: number, x: string): string {
  if (sz === 4) return `(${x} | 0)`;
  if (sz === 1) return `(${x} & 0xff)`;
  if (sz === 2) return `(${x} & 0xffff)`;
  return x;
}

class Gen {
  private readonly out: string[] = [];
  private readonly vars = new Set<string>(['ea', 'eh', 'el', 'k']);
  /** Fault point -> instruction index in `insts`, and the catch clause's per-point flag stores. */
  readonly fpInst: number[] = [];
  private readonly fpStores: string[] = [];
  p: Producer | null = null;
  /** Current instruction (index in `insts`, which is also the count executed before it). */
  idx = 0;
  private tmp = 0;
  /** Guest registers held in JS locals (L<r>/H<r>) for the whole block. */
  private readonly regs = new Set<number>();
  /** Per-site page caches (see access): the empty typed array each starts with. */
  private readonly sites: string[] = [];
  /** Fault points inside a handler call: the handler owns CpuState then, so no write-back. */
  private readonly fpHandler: boolean[] = [];
  /**
   * Flags are carried across a loop's back edge without being stored: the local `pf` names the
   * producer (1-based index here) whose variables hold them, 0 meaning that CpuState is current.
   * They are stored only where something could observe them before the next pass overwrites
   * them (a fault, an exit, a handler or a flag reader); headZone is true while the current pass
   * has neither produced nor stored flags.
   */
  private readonly carried: Producer[] = [];
  private headZone = true;

  constructor(
    private readonly insts: Inst[],
    private readonly outLive: boolean[],
    /** For a branch inside a trace, the address the trace continues at (see scanRun). */
    private readonly follow: (number | undefined)[],
  ) {}

  v(prefix: string): string {
    const n = `${prefix}${this.tmp++}`;
    this.vars.add(n);
    return n;
  }

  emit(s: string): void {
    this.out.push(s);
  }

  lo(r: number): string {
    this.regs.add(r);
    return `L${r}`;
  }

  hi(r: number): string {
    this.regs.add(r);
    return `H${r}`;
  }

  /** Statement storing the flags still pending here (see `carried`). */
  pending(): string {
    if (this.p !== null) return storeFlags(this.p);
    return this.headZone ? CARRIED : '';
  }

  /** Marks a point where the next statement may throw. */
  fault(handler = false): void {
    const k = this.fpInst.length;
    if (this.p !== null) this.headZone = false;
    this.fpInst.push(this.idx);
    this.fpStores.push(this.pending());
    this.fpHandler.push(handler);
    this.emit(`k = ${k};`);
  }

  /** Puts the pending flags into CpuState (before a handler or a reader of CpuState's flags). */
  flush(): void {
    if (this.p !== null) {
      this.emit(storeFlags(this.p));
      this.p = null;
    } else if (this.headZone) this.emit(`${CARRIED} pf = 0;`);
    this.headZone = false;
  }

  /** Leave the block with rip = `rip`, after `count` instructions of this pass. */
  exit(rip: string, count: number): void {
    this.emit(`${this.pending()} ${WB} c.rip = ${rip}; return ex + ${count};`);
  }

  /** Leave after a handler that set rip itself. */
  leave(count: number): void {
    this.emit(`${this.pending()} ${WB} return ex + ${count};`);
  }

  /** After a store: if it emptied this page's code cache, stop before the next instruction. */
  smcCheck(): void {
    // Also after the last instruction: a trace may loop back to its head from there.
    const i = this.insts[this.idx]!;
    this.emit(`if (arr.length === 0) { ${this.pending()} ${WB} c.rip = ${i.next}; return ex + ${this.idx + 1}; }`);
  }

  // ---- operands ----

  /**
   * Effective address of i into `eh`/`el`, its high and low halves as int32s (the memory
   * accessors' *x forms take those); inline for the plain forms.
   */
  addr(i: Inst): void {
    this.fault();
    if (i.seg !== 0 || i.a32) {
      this.emit(`${WB} ea = E.ea(c, I[${this.idx}]); el = ea | 0; eh = Math.floor(ea / 4294967296);`);
      return;
    }
    let lo = `${i.dispLo >>> 0}`;
    let hi = `${i.dispHi | 0}`;
    if (i.base >= 0) {
      lo += ` + (${this.lo(i.base)} >>> 0)`;
      hi += ` + ${this.hi(i.base)}`;
    }
    if (i.index >= 0) {
      lo += i.scale === 1 ? ` + (${this.lo(i.index)} >>> 0)` : ` + (${this.lo(i.index)} >>> 0) * ${i.scale}`;
      hi += i.scale === 1 ? ` + ${this.hi(i.index)}` : ` + ${this.hi(i.index)} * ${i.scale}`;
    }
    if (i.base < 0 && i.index < 0) {
      this.emit(`eh = ${i.dispHi | 0}; el = ${i.dispLo | 0};`);
      return;
    }
    this.emit(`{ const lo = ${lo}; el = lo | 0; eh = (${hi} + (lo - (lo >>> 0)) / 4294967296) | 0; }`);
    this.emit(`if (eh > 32767 || eh < -32768) throw new E.ExecFault('general-protection', eh * 4294967296 + (el >>> 0));`);
  }

  /** Reads a register of size 1/2/4 (int32 for 4, zero-extended otherwise). */
  reg(sz: number, r: number): string {
    if (sz === 4) return `${this.lo(r)}`;
    if (sz === 2) return `(${this.lo(r)} & 0xffff)`;
    return r < 16 ? `(${this.lo(r)} & 0xff)` : `((${this.lo(r - 16)} >> 8) & 0xff)`;
  }

  setReg(sz: number, r: number, v: string): void {
    if (sz === 4) this.emit(`${this.lo(r)} = ${v}; ${this.hi(r)} = 0;`);
    else if (sz === 2) this.emit(`${this.lo(r)} = (${this.lo(r)} & ~0xffff) | (${v} & 0xffff);`);
    else if (r < 16) this.emit(`${this.lo(r)} = (${this.lo(r)} & ~0xff) | (${v} & 0xff);`);
    else this.emit(`${this.lo(r - 16)} = (${this.lo(r - 16)} & ~0xff00) | ((${v} & 0xff) << 8);`);
  }

  load(sz: number, dst: string, dstHi: string): void {
    this.emit(this.access(sz, false, 'eh', 'el', dst, dstHi));
  }

  store(sz: number, v: string, vh: string): void {
    this.emit(this.access(sz, true, 'eh', 'el', v, vh));
  }

  /**
   * A load into (store from) `v`/`vh` at h:l. Each access site remembers the page it last hit
   * (closure variables that outlive the call, dropped when Memory.epoch changes): a hit is a
   * compare and a typed-array access; a miss, a misaligned or 16-bit access takes the Memory
   * method, which faults or fills the TLB, and then caches the page.
   */
  access(sz: number, write: boolean, h: string, l: string, v: string, vh: string): string {
    const slow = write
      ? sz === 8 ? `mem.w64x(${h}, ${l}, ${v}, ${vh});` : `mem.w${sz * 8}x(${h}, ${l}, ${v});`
      : sz === 8 ? `${v} = mem.r64x(${h}, ${l}); ${vh} = mem.hi;` : `${v} = mem.r${sz * 8}x(${h}, ${l});`;
    if (sz === 2 || !SITE_CACHE) return slow;
    const s = this.sites.length;
    this.sites.push(sz === 1 ? 'E.Z8' : 'E.Z32');
    const align = sz === 1 ? '' : ` && (${l} & ${sz - 1}) === 0`;
    const hit = `${h} === SH${s} && (${l} & -4096) === SL${s}${align}`;
    let fast: string;
    if (sz === 1) fast = write ? `SV${s}[${l} & 4095] = ${v};` : `${v} = SV${s}[${l} & 4095];`;
    else if (sz === 4) fast = write ? `SV${s}[(${l} & 4095) >> 2] = ${v};` : `${v} = SV${s}[(${l} & 4095) >> 2];`;
    else {
      fast = write
        ? `{ const o = (${l} & 4095) >> 2; SV${s}[o] = ${v}; SV${s}[o + 1] = ${vh}; }`
        : `{ const o = (${l} & 4095) >> 2; ${v} = SV${s}[o]; ${vh} = SV${s}[o + 1]; }`;
    }
    const fill = `{ const p = mem.cachePage(${h}, ${l}, ${write}); if (p !== null) { SH${s} = ${h}; SL${s} = ${l} & -4096; SV${s} = p.${sz === 1 ? 'u8' : 'i32'}; } }`;
    return `if (${hit}) ${fast} else { ${slow} ${align === '' ? fill : `if ((${l} & ${sz - 1}) === 0) ${fill}`} }`;
  }

  /** Statement pushing the 64-bit value lo:hi (rsp is only updated once the store succeeded). */
  push(lo: string, hi: string): string {
    const l4 = this.lo(4);
    const h4 = this.hi(4);
    return `{ const lo = (${l4} >>> 0) - 8; const l = lo | 0; const h = lo < 0 ? (${h4} - 1) | 0 : ${h4}; ${this.access(8, true, 'h', 'l', lo, hi)} ${l4} = l; ${h4} = h; }`;
  }

  /** Statements popping into `lo`/`hi` inside an open `{` block (the caller closes it). */
  pop(): string {
    const l4 = this.lo(4);
    const h4 = this.hi(4);
    return `{ let lo = 0, hi = 0; ${this.access(8, false, h4, l4, 'lo', 'hi')} const n = (${l4} >>> 0) + 8; ${l4} = n | 0; ${h4} = n > 0xffffffff ? (${h4} + 1) | 0 : ${h4};`;
  }

  /** Reads E (register or memory, computing ea) into fresh variables [lo, hi]. */
  readE(i: Inst, sz: number): [string, string] {
    const lo = this.v('a');
    const hi = sz === 8 ? this.v('a') : '0';
    if (i.rm >= 0) {
      this.emit(`${lo} = ${sz === 8 ? `${this.lo(i.rm)}` : this.reg(sz, i.rm)};${sz === 8 ? ` ${hi} = ${this.hi(i.rm)};` : ''}`);
    } else {
      this.addr(i);
      this.load(sz, lo, hi);
    }
    return [lo, hi];
  }

  /** Writes E (memory: at ea, already computed by readE or addr). */
  writeE(i: Inst, sz: number, lo: string, hi: string): void {
    if (i.rm >= 0) {
      if (sz === 8) this.emit(`${this.lo(i.rm)} = ${lo}; ${this.hi(i.rm)} = ${hi};`);
      else this.setReg(sz, i.rm, lo);
    } else {
      this.fault();
      this.store(sz, lo, hi);
      this.smcCheck();
    }
  }

  // ---- instructions ----

  /** Emits instruction idx; returns false if it ended the block (a branch or a terminator). */
  inst(i: Inst, last: boolean): void {
    const fn = i.fn;
    const sz = i.size;
    const followed = this.follow[this.idx];
    if (followed !== undefined) return this.sideExit(i, followed);
    if (ALU_FNS.has(fn) && (i.op <= 1 || i.op >= 4)) return this.alu(i, sz);
    if ((fn === testEG || fn === testEI) && (sz !== 1 || i.reg < 16 || fn === testEI)) {
      const [a, ah] = this.readE(i, sz);
      const r = this.v('r');
      const rh = sz === 8 ? this.v('r') : '0';
      const b = fn === testEI ? hex(i.imm) : sz === 8 ? `${this.lo(i.reg)}` : this.reg(sz, i.reg);
      const bh = fn === testEI ? hex(i.immHi) : `${this.hi(i.reg)}`;
      this.emit(`${r} = ${a} & ${b};${sz === 8 ? ` ${rh} = ${ah} & ${bh};` : ''}`);
      this.p = { op: F_LOGIC, sz, a, b: '0', r, ah, bh: '0', rh, cin: '0', replay: '' };
      return;
    }
    if (fn === movRI64 || (fn === movEI && i.rm >= 0 && sz >= 4)) {
      if (sz === 8) this.emit(`${this.lo(i.rm)} = ${hex(i.imm)}; ${this.hi(i.rm)} = ${hex(i.immHi)};`);
      else this.emit(`${this.lo(i.rm)} = ${hex(i.imm)}; ${this.hi(i.rm)} = 0;`);
      return;
    }
    if (fn === movEI && i.rm < 0) {
      this.addr(i);
      this.fault();
      this.store(sz, hex(i.imm), hex(i.immHi));
      this.smcCheck();
      return;
    }
    if (fn === movEG && (sz !== 1 || i.reg < 16)) {
      const v = sz === 8 ? `${this.lo(i.reg)}` : this.reg(sz, i.reg);
      if (i.rm >= 0) {
        if (sz === 8) this.emit(`${this.lo(i.rm)} = ${this.lo(i.reg)}; ${this.hi(i.rm)} = ${this.hi(i.reg)};`);
        else this.setReg(sz, i.rm, v);
      } else {
        this.addr(i);
        this.fault();
        this.store(sz, v, `${this.hi(i.reg)}`);
        this.smcCheck();
      }
      return;
    }
    if (fn === movGE) {
      if (i.rm >= 0) {
        if (sz === 8) this.emit(`${this.lo(i.reg)} = ${this.lo(i.rm)}; ${this.hi(i.reg)} = ${this.hi(i.rm)};`);
        else {
          const t = this.v('t');
          this.emit(`${t} = ${this.reg(sz, i.rm)};`);
          this.setReg(sz, i.reg, t);
        }
        return;
      }
      const [a, ah] = this.readE(i, sz);
      if (sz === 8) this.emit(`${this.lo(i.reg)} = ${a}; ${this.hi(i.reg)} = ${ah};`);
      else this.setReg(sz, i.reg, a);
      return;
    }
    if (fn === movzx || fn === movsx) {
      const [raw] = this.readE(i, i.op);
      let v = raw;
      if (fn === movsx) v = i.op === 1 ? `((${raw} << 24) >> 24)` : i.op === 2 ? `((${raw} << 16) >> 16)` : raw;
      if (sz === 8) this.emit(`${this.lo(i.reg)} = ${v}; ${this.hi(i.reg)} = ${fn === movsx ? `${v} >> 31` : '0'};`);
      else this.setReg(sz, i.reg, v);
      return;
    }
    if (fn === lea && !i.a32 && sz >= 4) {
      let lo = `${i.dispLo >>> 0}`;
      let hi = `${i.dispHi | 0}`;
      if (i.base >= 0) {
        lo += ` + (${this.lo(i.base)} >>> 0)`;
        hi += ` + ${this.hi(i.base)}`;
      }
      if (i.index >= 0) {
        lo += ` + (${this.lo(i.index)} >>> 0) * ${i.scale}`;
        hi += ` + ${this.hi(i.index)} * ${i.scale}`;
      }
      // Register locals must hold int32s, as the Int32Array they stand for would.
      if (sz === 4) this.emit(`${this.lo(i.reg)} = (${lo}) | 0; ${this.hi(i.reg)} = 0;`);
      else this.emit(`{ const lo = ${lo}; const l = lo >>> 0; ${this.hi(i.reg)} = (${hi} + (lo - l) / 4294967296) | 0; ${this.lo(i.reg)} = l | 0; }`);
      return;
    }
    if ((fn === incE || fn === decE || fn === negE || fn === notE) && (sz !== 1 || i.rm < 16)) return this.unary(i, sz);
    if (fn === shiftEI && (i.op === 4 || i.op === 5 || i.op === 7) && i.rm >= 0 && sz >= 4) return this.shiftImm(i, sz);
    if ((fn === imulGE || fn === imulGEI) && sz >= 4) return this.imul(i, sz);
    if (fn === pushR || fn === pushI) {
      const lo = fn === pushR ? `${this.lo(i.rm)}` : hex(i.imm);
      const hi = fn === pushR ? `${this.hi(i.rm)}` : hex(i.immHi);
      this.fault();
      this.emit(this.push(lo, hi));
      this.smcCheck();
      return;
    }
    if (fn === popR) {
      this.fault();
      this.emit(`${this.pop()} ${this.lo(i.rm)} = lo; ${this.hi(i.rm)} = hi; }`);
      return;
    }
    if (fn === setcc || fn === cmovcc) {
      const cc = this.p === null ? null : condOf(this.p, i.op);
      if (cc === null) this.flush();
      const t = this.v('t');
      this.emit(`${t} = ${cc ?? `E.cond(c, ${i.op})`};`);
      if (fn === setcc) {
        if (i.rm >= 0) this.setReg(1, i.rm, `(${t} ? 1 : 0)`);
        else {
          this.addr(i);
          this.fault();
          this.emit(this.access(1, true, 'eh', 'el', `(${t} ? 1 : 0)`, '0'));
          this.smcCheck();
        }
        return;
      }
      const [a, ah] = this.readE(i, sz);
      if (sz === 8) this.emit(`if (${t}) { ${this.lo(i.reg)} = ${a}; ${this.hi(i.reg)} = ${ah}; }`);
      else if (sz === 4) this.emit(`if (${t}) ${this.lo(i.reg)} = ${a}; ${this.hi(i.reg)} = 0;`);
      else this.emit(`if (${t}) ${this.lo(i.reg)} = (${this.lo(i.reg)} & ~0xffff) | (${a} & 0xffff);`);
      return;
    }
    if (fn === nop) return;
    // Anything else: its own handler.
    if (!FLAG_NEUTRAL.has(fn)) this.flush();
    this.emit(WB);
    this.fault(true);
    if (last) this.emit(`c.rip = ${i.next};`);
    this.emit(`I[${this.idx}].fn(c, I[${this.idx}]); ${RL}`);
    if (!last) this.smcCheck();
  }

  private alu(i: Inst, sz: number): void {
    const op = i.op;
    const gDest = G_IS_DEST.has(i.fn);
    const [e, eh] = this.readE(i, sz);
    let g: string;
    let gh = '0';
    if (IMM_SRC.has(i.fn)) {
      g = hex(i.imm);
      gh = hex(i.immHi);
    } else if (sz === 8) {
      g = this.v('g');
      gh = this.v('g');
      this.emit(`${g} = ${this.lo(i.reg)}; ${gh} = ${this.hi(i.reg)};`);
    } else {
      g = this.v('g');
      this.emit(`${g} = ${this.reg(sz, i.reg)};`);
    }
    const [a, ah, b, bh] = gDest ? [g, gh, e, eh] : [e, eh, g, gh];
    const r = this.v('r');
    const rh = sz === 8 ? this.v('r') : '0';
    let fop: number;
    if (sz === 8) {
      switch (op) {
        case 0:
          this.emit(`{ const lo = (${a} >>> 0) + (${b} >>> 0); ${r} = lo | 0; ${rh} = (${ah} + ${bh} + (lo > 0xffffffff ? 1 : 0)) | 0; }`);
          fop = F_ADD;
          break;
        case 5:
        case 7:
          this.emit(`{ const lo = (${a} >>> 0) - (${b} >>> 0); ${r} = lo | 0; ${rh} = (${ah} - ${bh} - (lo < 0 ? 1 : 0)) | 0; }`);
          fop = F_SUB;
          break;
        default: {
          const o = op === 1 ? '|' : op === 4 ? '&' : '^';
          this.emit(`${r} = ${a} ${o} ${b}; ${rh} = ${ah} ${o} ${bh};`);
          fop = F_LOGIC;
        }
      }
    } else {
      switch (op) {
        case 0:
          this.emit(`${r} = ${trunc(sz, `${a} + ${b}`)};`);
          fop = F_ADD;
          break;
        case 5:
        case 7:
          this.emit(`${r} = ${trunc(sz, `${a} - ${b}`)};`);
          fop = F_SUB;
          break;
        default: {
          const o = op === 1 ? '|' : op === 4 ? '&' : '^';
          this.emit(`${r} = ${a} ${o} ${b};`);
          fop = F_LOGIC;
        }
      }
    }
    this.p = { op: fop, sz, a, b, r, ah, bh, rh, cin: '0', replay: '' };
    if (op === 7) return;
    if (gDest) {
      if (sz === 8) this.emit(`${this.lo(i.reg)} = ${r}; ${this.hi(i.reg)} = ${rh};`);
      else this.setReg(sz, i.reg, r);
    } else this.writeE(i, sz, r, rh);
  }

  private cfNow(): string {
    const p = this.p;
    if (p === null) {
      this.flush();
      return 'E.getCF(c)';
    }
    if (p.op === -1 || p.op === F_IMUL64) {
      this.flush();
      return 'E.getCF(c)';
    }
    return `(${cfOf(p)} ? 1 : 0)`;
  }

  private unary(i: Inst, sz: number): void {
    const fn = i.fn;
    const [a, ah] = this.readE(i, sz);
    const r = this.v('r');
    const rh = sz === 8 ? this.v('r') : '0';
    if (fn === notE) {
      if (sz === 8) this.emit(`${r} = ~${a}; ${rh} = ~${ah};`);
      else this.emit(`${r} = ${trunc(sz, `~${a}`)};`);
    } else if (fn === negE) {
      if (sz === 8) {
        this.emit(`{ const lo = 0 - (${a} >>> 0); ${r} = lo | 0; ${rh} = (0 - ${ah} - (lo < 0 ? 1 : 0)) | 0; }`);
        this.p = { op: F_SUB, sz, a: '0', b: a, r, ah: '0', bh: ah, rh, cin: '0', replay: '' };
      } else {
        this.emit(`${r} = ${trunc(sz, `-${a}`)};`);
        this.p = { op: F_SUB, sz, a: '0', b: a, r, ah: '0', bh: '0', rh, cin: '0', replay: '' };
      }
    } else {
      const dec = fn === decE;
      // The carry inc/dec keep matters only if their flags are observed (see flagsLiveAfter).
      const cin = this.outLive[this.idx] ? this.v('c') : '0';
      if (cin !== '0') this.emit(`${cin} = ${this.cfNow()};`);
      if (sz === 8) {
        if (dec) this.emit(`${r} = (${a} - 1) | 0; ${rh} = ${a} === 0 ? (${ah} - 1) | 0 : ${ah};`);
        else this.emit(`${r} = (${a} + 1) | 0; ${rh} = ${a} === -1 ? (${ah} + 1) | 0 : ${ah};`);
      } else this.emit(`${r} = ${trunc(sz, dec ? `${a} - 1` : `${a} + 1`)};`);
      this.p = { op: dec ? F_DEC : F_INC, sz, a, b: '1', r, ah, bh: '0', rh, cin, replay: '' };
    }
    this.writeE(i, sz, r, rh);
  }

  private shiftImm(i: Inst, sz: number): void {
    const n = i.imm & (sz === 8 ? 63 : 31);
    const d = i.rm;
    if (n === 0) {
      if (sz === 4) this.emit(`${this.hi(d)} = 0;`);
      return;
    }
    const a = this.v('a');
    const ah = this.v('a');
    this.emit(`${a} = ${this.lo(d)}; ${ah} = ${this.hi(d)};`);
    const op = i.op;
    if (sz === 4) {
      const e = op === 4 ? `${a} << ${n}` : op === 5 ? `(${a} >>> ${n}) | 0` : `${a} >> ${n}`;
      this.emit(`${this.lo(d)} = ${e}; ${this.hi(d)} = 0;`);
      this.p = { op: -1, sz, a, b: '0', r: '0', ah, bh: '0', rh: '0', cin: '0', replay: `E.shift(c, ${op}, 4, ${a}, ${n});` };
      return;
    }
    if (op === 4) {
      if (n < 32) this.emit(`${this.hi(d)} = (${ah} << ${n}) | (${a} >>> ${32 - n}); ${this.lo(d)} = ${a} << ${n};`);
      else this.emit(`${this.hi(d)} = ${a} << ${n - 32}; ${this.lo(d)} = 0;`);
    } else if (op === 5) {
      if (n < 32) this.emit(`${this.lo(d)} = (${a} >>> ${n}) | (${ah} << ${32 - n}); ${this.hi(d)} = (${ah} >>> ${n}) | 0;`);
      else this.emit(`${this.lo(d)} = (${ah} >>> ${n - 32}) | 0; ${this.hi(d)} = 0;`);
    } else if (n < 32) this.emit(`${this.lo(d)} = (${a} >>> ${n}) | (${ah} << ${32 - n}); ${this.hi(d)} = ${ah} >> ${n};`);
    else this.emit(`${this.lo(d)} = ${ah} >> ${n - 32}; ${this.hi(d)} = ${ah} >> 31;`);
    this.p = { op: -1, sz, a, b: '0', r: '0', ah, bh: '0', rh: '0', cin: '0', replay: `E.shift64(c, ${op}, ${a}, ${ah}, ${n});` };
  }

  private imul(i: Inst, sz: number): void {
    const [a, ah] = this.readE(i, sz);
    const b = this.v('b');
    const bh = this.v('b');
    if (i.fn === imulGEI) this.emit(`${b} = ${hex(i.imm)}; ${bh} = ${hex(i.immHi)};`);
    else this.emit(`${b} = ${this.lo(i.reg)}; ${bh} = ${this.hi(i.reg)};`);
    if (sz === 4) {
      this.emit(`${this.lo(i.reg)} = Math.imul(${a}, ${b}); ${this.hi(i.reg)} = 0;`);
      this.p = { op: -1, sz, a, b, r: '0', ah, bh, rh: '0', cin: '0', replay: `E.imulTrunc(c, 4, ${a}, ${b});` };
      return;
    }
    const r = this.v('r');
    const rh = this.v('r');
    this.emit(`E.mul64lo(c, ${a}, ${ah}, ${b}, ${bh}); ${r} = c.rl; ${rh} = c.rh; ${this.lo(i.reg)} = ${r}; ${this.hi(i.reg)} = ${rh};`);
    this.p = { op: F_IMUL64, sz: 8, a, b, r, ah, bh, rh, cin: '0', replay: '' };
  }

  /** The block's last instruction when it is a branch handled inline; false if it is not one. */
  branch(i: Inst, n: number): boolean {
    const fn = i.fn;
    if (fn === jmpRel) {
      this.goTo(i.target, n);
      this.exit(`${i.target}`, n);
      return true;
    }
    if (fn === jcc) {
      let t = this.p === null ? null : condOf(this.p, i.op);
      if (t === null) {
        this.flush();
        t = `E.cond(c, ${i.op})`;
      }
      this.emit(`if (${t}) {`);
      this.goTo(i.target, n);
      this.exit(`${i.target}`, n);
      this.emit('}');
      this.goTo(i.next, n);
      this.exit(`${i.next}`, n);
      return true;
    }
    if (fn === callRel) {
      this.fault();
      const ret = i.next;
      this.emit(this.push(`${ret | 0}`, `${Math.floor(ret / 4294967296)}`));
      this.exit(`${i.target}`, n);
      return true;
    }
    if (fn === ret) {
      this.fault();
      this.emit(this.pop());
      this.emit(`if (hi > 32767 || hi < -32768) throw new E.ExecFault('general-protection', hi * 4294967296 + (lo >>> 0)); c.rip = hi * 4294967296 + (lo >>> 0); }`);
      this.leave(n);
      return true;
    }
    return false;
  }

  /** A branch inside a trace: leave if it goes the other way than the trace continues. */
  private sideExit(i: Inst, followed: number): void {
    if (i.fn !== jcc) return; // jmp: the trace simply goes on at its target
    const other = followed === i.target ? i.next : i.target;
    // Condition codes come in pairs: cc ^ 1 is the negation of cc.
    const cc = followed === i.target ? i.op ^ 1 : i.op;
    let t = this.p === null ? null : condOf(this.p, cc);
    if (t === null) {
      this.flush();
      t = `E.cond(c, ${cc})`;
    }
    const n = this.idx + 1;
    this.emit(`if (${t}) {`);
    this.goTo(other, n);
    this.exit(`${other}`, n);
    this.emit('}');
  }

  /**
   * Loop when `target` is the trace's head and the budget covers another whole pass; otherwise
   * fall through to the exit the caller emits next.
   */
  goTo(target: number, n: number): void {
    if (target !== this.insts[0]!.addr) return;
    let carry = '';
    if (this.p !== null) {
      let id = this.carried.indexOf(this.p);
      if (id < 0) id = this.carried.push(this.p) - 1;
      carry = `pf = ${id + 1};`;
    }
    this.emit(`ex += ${n}; if (ex + ${this.insts.length} <= budget) { ${carry} continue; } ex -= ${n};`);
  }

  source(): string {
    const regs = [...this.regs].sort((a, b) => a - b);
    const written = regs.filter((r) => this.out.some((l) => new RegExp(`\\b[LH]${r} = (?!=)`).test(l)));
    const wb = written.map((r) => `L[${r}] = L${r}; H[${r}] = H${r};`).join(' ');
    const rl = regs.map((r) => `L${r} = L[${r}]; H${r} = H[${r}];`).join(' ');
    const carried = this.carried.length === 0 ? '' : `switch (pf) { ${this.carried.map((p, k) => `case ${k + 1}: ${storeFlags(p)} break;`).join(' ')} }`;
    const fill = (l: string): string => l.split(WB).join(wb).split(RL).join(rl).split(CARRIED).join(carried);
    const stores = this.fpStores
      .map((s, k) => (s === '' ? '' : `case ${k}: ${fill(s)} break;`))
      .filter((s) => s !== '')
      .join('\n');
    const noWb = this.fpHandler.map((h) => (h ? 1 : 0));
    const sites = this.sites;
    const decl = sites.length === 0 ? '' : `let EP = -1, ${sites.map((z, k) => `SH${k} = 0x40000000, SL${k} = 0, SV${k} = ${z}`).join(', ')};`;
    const reset = sites.length === 0 ? '' : `if (mem.epoch !== EP) { EP = mem.epoch; ${sites.map((_, k) => `SH${k} = 0x40000000;`).join(' ')} }`;
    return [
      decl,
      'return function block(c, budget) {',
      'const L = c.L, H = c.H, mem = c.mem;',
      reset,
      `let ex = 0, pf = 0, ${[...this.vars].join(', ')};`,
      regs.length === 0 ? '' : `let ${regs.map((r) => `L${r} = L[${r}], H${r} = H[${r}]`).join(', ')};`,
      'k = 0;',
      'try {',
      'for (;;) {',
      ...this.out.map(fill),
      '}',
      '} catch (e) {',
      stores === '' ? '' : `switch (k) {\n${stores}\n}`,
      wb === '' ? '' : noWb.includes(1) ? `if (${JSON.stringify(noWb)}[k] === 0) { ${wb} }` : wb,
      'E.BLOCK_FAULT.n = ex + FP[k] + 1; E.BLOCK_FAULT.i = FP[k];',
      'throw e;',
      '}',
      '};',
    ].join('\n');
  }
}

/**
 * Per-site page caches read guest memory through Int32Array views, which use host byte order:
 * only on little-endian hosts (all that Node ships for), else every access takes Memory's path.
 */
const SITE_CACHE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const ENV = { ea, ExecFault, cond, getCF, shift, shift64, imulTrunc, mul64lo, BLOCK_FAULT, F_NONE, Z8: new Uint8Array(0), Z32: new Int32Array(0) };

/**
 * For each instruction, whether the flags it leaves may be observed: by a later reader, a handler,
 * a possible fault (the report shows rflags) or the block exit, before something overwrites them.
 * Only used to skip the carry computation of inc/dec whose flags nobody sees.
 */
function flagsLiveAfter(insts: Inst[]): boolean[] {
  const out: boolean[] = new Array<boolean>(insts.length);
  let live = true;
  for (let k = insts.length - 1; k >= 0; k--) {
    out[k] = live;
    const i = insts[k]!;
    const fn = i.fn;
    const reg = i.rm >= 0;
    if (!reg && fn !== lea && fn !== nop) live = true; // memory operand: may fault
    else if (ALU_FNS.has(fn) && (i.op <= 1 || i.op >= 4)) live = false;
    else if (fn === testEG || fn === testEI || fn === negE) live = false;
    else if (fn === shiftEI && (i.op === 4 || i.op === 5 || i.op === 7) && i.size >= 4) {
      if ((i.imm & (i.size === 8 ? 63 : 31)) !== 0) live = false;
    } else if ((fn === imulGE || fn === imulGEI) && i.size >= 4) live = false;
    else if ((fn === incE || fn === decE) && (i.size !== 1 || i.rm < 16)) live = out[k]!;
    else if (fn === movRI64 || fn === movEI || fn === movEG || fn === movGE || fn === movzx || fn === movsx || fn === lea || fn === notE || fn === nop) {
      // register-only moves: flags pass through
    } else live = true; // readers, handlers, stack ops, branches
  }
  return out;
}

/**
 * The trace from `head`: straight-line code, continued through direct jumps and through
 * conditional jumps in the direction the interpreter took more often so far (the fall-through on
 * a tie), up to the first call, return, handler exit, or jump back into the trace. `follow[k]` is
 * the address a branch inside the trace continues at; its other direction is a side exit.
 */
function scanRun(mem: Memory, arr: (Inst | undefined)[], base: number, head: Inst, isTrap: (a: number) => boolean): { insts: Inst[]; follow: (number | undefined)[] } {
  const insts: Inst[] = [head];
  const follow: (number | undefined)[] = [undefined];
  let i = head;
  while (insts.length < MAX_INSNS) {
    let a: number;
    if (STRAIGHT.has(i.fn)) a = i.next;
    else if (i.fn === jmpRel) a = i.target;
    else if (i.fn === jcc) {
      const taken = instAt(mem, arr, base, i.target, isTrap);
      const fall = instAt(mem, arr, base, i.next, isTrap);
      a = taken !== undefined && (fall === undefined || taken.hits > fall.hits) ? i.target : i.next;
    } else break; // call, return or a handler that sets rip: it ends the trace
    const n = instAt(mem, arr, base, a, isTrap);
    if (n === undefined) break;
    if (insts.includes(n)) break; // a loop: the last instruction goes back into the trace
    if (!STRAIGHT.has(i.fn)) follow[insts.length - 1] = a;
    insts.push(n);
    follow.push(undefined);
    i = n;
  }
  return { insts, follow };
}

/** The decoded instruction at `a` if it may join a block of this page. */
function instAt(mem: Memory, arr: (Inst | undefined)[], base: number, a: number, isTrap: (a: number) => boolean): Inst | undefined {
  const off = a - base;
  if (off < 0 || off >= 4096 || isTrap(a)) return undefined;
  let n = arr[off];
  if (n === undefined) {
    try {
      n = decode(mem, a);
    } catch {
      return undefined;
    }
    if (n.next - base > 4096) return undefined; // straddles the page end: leave it to the interpreter
    arr[off] = n;
  }
  return n;
}

/**
 * Builds the trace starting at `head` (an Inst cached in page array `arr` at page `base`).
 * `isTrap` tells addresses that must stay out of blocks. Returns NO_BLOCK if not worth it.
 */
export function buildBlock(mem: Memory, arr: (Inst | undefined)[], base: number, head: Inst, isTrap: (a: number) => boolean): Block {
  const { insts, follow } = scanRun(mem, arr, base, head, isTrap);
  const n = insts.length;
  if (n < 2) return NO_BLOCK;
  const g = new Gen(insts, flagsLiveAfter(insts), follow);
  for (let k = 0; k < n; k++) {
    g.idx = k;
    const inst = insts[k]!;
    const last = k === n - 1;
    if (last && g.branch(inst, n)) break;
    g.inst(inst, last);
    if (last && STRAIGHT.has(inst.fn)) {
      g.goTo(inst.next, n);
      g.exit(`${inst.next}`, n);
    } else if (last) g.leave(n);
  }
  const factory = new Function('E', 'I', 'FP', 'arr', g.source()) as (e: typeof ENV, i: Inst[], fp: number[], arr: unknown[]) => BlockFn;
  return new Block(n, factory(ENV, insts, g.fpInst, arr), insts);
}
