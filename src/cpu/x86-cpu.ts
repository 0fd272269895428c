// The x86-64 interpreter: call setup, the run loop, traps into TypeScript, and fault reports.
//
// Decoded instructions are cached per page (Page.code in mm/memory.ts); stores to a page holding
// cached code empty its cache, so self-modifying code works, except for an instruction that
// straddles two pages whose second page is modified (not something module text does).
//
// Trap handlers: a handler's number result is a signed 64-bit value, a boolean is 0/1, and a void
// result leaves rax untouched (so a trap may stand in for code that "returns" rax unchanged).
import { MemoryFault } from '../mm/types.js';
import { RangeAllocator } from '../mm/allocator.js';
import { addrToNum, numToAddr, type Memory } from '../mm/memory.js';
import { THREAD_SIZE, VMALLOC_BASE, VMALLOC_SIZE } from '../mm/layout.js';
import { findReturnAddresses } from './backtrace.js';
import { BLOCK_FAULT, BLOCK_HOT, buildBlock } from './block.js';
import { DecodeError, decode } from './decode.js';
import { F_NONE, getFlags, IF } from './flags.js';
import { Inst } from './inst.js';
import {
  CpuState, ExecFault, push64, RAX, RSP, rspNum, setRsp, toTarget,
} from './state.js';
import type { CpuTask, TaskCpu } from './task.js';
import {
  CpuFault, type CallOptions, type FaultKind, type Registers, type TrapContext,
  type TrapHandler,
} from './types.js';

/** Return address of a top-level call: reaching it ends the innermost running call. */
export const SENTINEL_ADDR = 0xffffffff80001000n;
/** Default base of the CPU's own stack region (top of vmalloc space; keep it out of vmalloc). */
export const DEFAULT_STACK_BASE = VMALLOC_BASE + VMALLOC_SIZE - 0x100000n;
// Room for the CPU's own stack and the stacks of suspended tasks (16 KiB + a guard page each).
const STACK_REGION = 0x100000n;
export const DEFAULT_BUDGET = 500_000_000;

const ARG_REGS = [7, 6, 2, 1, 8, 9]; // rdi rsi rdx rcx r8 r9

class FetchFault {
  constructor(
    readonly addr: number,
    readonly cause: unknown,
  ) {}
}

interface Trap {
  name: string;
  handler: TrapHandler;
}

class Ctx implements TrapContext {
  constructor(
    private readonly cpu: X86Cpu,
    private readonly sp: number,
    private readonly regs: Int32Array,
    readonly returnAddress: bigint,
  ) {}
  get mem(): Memory {
    return this.cpu.mem;
  }
  arg(i: number): bigint {
    if (i < 6) {
      return (BigInt(this.regs[2 * i + 1]! >>> 0) << 32n) | BigInt(this.regs[2 * i]! >>> 0);
    }
    return this.cpu.mem.readU64(numToAddr(this.sp + 8 + 8 * (i - 6)));
  }
  call(fn: bigint, args: bigint[]): bigint {
    return this.cpu.call(fn, args);
  }
  reg(n: number): bigint {
    return (BigInt(this.cpu.H[n]! >>> 0) << 32n) | BigInt(this.cpu.L[n]! >>> 0);
  }
  setReg(n: number, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.cpu.L[n] = Number(u & 0xffffffffn) | 0;
    this.cpu.H[n] = Number(u >> 32n) | 0;
  }
}

function trapExec(c: CpuState, i: Inst): void {
  (c as X86Cpu).enterTrap(i.trap as Trap);
}

function sentinelExec(c: CpuState): void {
  (c as X86Cpu).stopRun();
}

/** A call run in slices (see task.ts): its stack, its registers while suspended, its budget. */
class X86Task implements CpuTask {
  done = false;
  result = 0n;
  saved: unknown[] | null = null;
  constructor(
    readonly fn: bigint,
    readonly args: bigint[],
    readonly stackLow: number,
    public remaining: number,
  ) {}
  get stackTop(): number {
    return this.stackLow + THREAD_SIZE;
  }
}

/** Thrown by the run loop when a task's slice is used up but its budget is not. */
class SliceEnd {}
const SLICE_END = new SliceEnd();

export class X86Cpu extends CpuState implements TaskCpu {
  private readonly traps = new Map<number, Inst>();
  private readonly stacks: RangeAllocator;
  // The stack of the running call (the CPU's own stack, or the running task's).
  private stackLow = 0;
  private stackTop = 0;
  private ownStackLow = 0;
  // Budget of the running call beyond the current slice (0 outside tasks).
  private sliceExtra = 0;
  onUd2: ((f: CpuFault) => boolean) | undefined;
  // Code page the loop is executing in (NaN: none cached).
  private cBase = NaN;
  private cArr: (Inst | undefined)[] = [];
  private left = 0;
  private savedLeft = 0;
  private stopReq = false;
  private depth = 0;
  private budget0 = 0;
  private executedDone = 0;
  private cur: Inst | null = null;
  private readonly sentinel: number;

  constructor(mem: Memory, opts: { stackBase?: bigint } = {}) {
    super(mem);
    this.stacks = new RangeAllocator(mem, opts.stackBase ?? DEFAULT_STACK_BASE, STACK_REGION, {
      guardPages: true,
    });
    this.sentinel = addrToNum(SENTINEL_ADDR);
    const s = new Inst(sentinelExec);
    s.addr = this.sentinel;
    this.traps.set(this.sentinel, s);
  }

  get gsBase(): bigint {
    return (BigInt(this.gsHi >>> 0) << 32n) | BigInt(this.gsLo >>> 0);
  }
  set gsBase(v: bigint) {
    const u = BigInt.asUintN(64, v);
    this.gsLo = Number(u & 0xffffffffn) | 0;
    this.gsHi = Number(u >> 32n) | 0;
  }

  get instructionCount(): number {
    return this.executedDone + (this.depth > 0 ? this.budget0 - (this.left + this.sliceExtra) : 0);
  }

  override tsc(): number {
    return this.instructionCount;
  }

  registerTrap(addr: bigint, name: string, handler: TrapHandler): void {
    const a = addrToNum(addr);
    const i = new Inst(trapExec);
    i.addr = a;
    i.trap = { name, handler } satisfies Trap;
    this.traps.set(a, i);
    // Drop code decoded at that address before the trap existed.
    const p = this.mem.peekPage(a);
    if (p?.code) p.code.length = 0;
    this.cBase = NaN;
  }

  /** Name of the trap registered at `addr`, if any (symbolizing). */
  trapName(addr: bigint): string | undefined {
    const a = Number(BigInt.asIntN(64, addr));
    return (this.traps.get(a)?.trap as Trap | null | undefined)?.name;
  }

  call(fn: bigint, args: bigint[], opts: CallOptions = {}): bigint {
    if (this.depth > 0) return this.callNested(fn, args);
    if (this.ownStackLow === 0) this.ownStackLow = addrToNum(this.stacks.alloc(THREAD_SIZE, 16)!);
    this.stackLow = this.ownStackLow;
    this.stackTop = this.stackLow + THREAD_SIZE;
    this.sliceExtra = 0;
    this.L.fill(0);
    this.H.fill(0);
    this.fop = F_NONE;
    this.fl = 0x2 | IF;
    setRsp(this, this.stackTop - 64);
    const budget = opts.budget ?? DEFAULT_BUDGET;
    this.budget0 = budget;
    this.left = budget;
    this.stopReq = false;
    this.depth = 1;
    try {
      this.enter(fn, args);
      this.runResumable();
      return this.rax();
    } catch (e) {
      throw this.toFault(e);
    } finally {
      this.executedDone += this.budget0 - Math.max(this.left, 0);
      this.depth = 0;
      this.cur = null;
    }
  }

  private callNested(fn: bigint, args: bigint[]): bigint {
    const saved = this.save();
    const sp = rspNum(this);
    setRsp(this, sp - (sp & 15));
    this.depth++;
    // A nested call cannot stop at a slice boundary (the trap handler that made it is JavaScript
    // on the host stack): give it the whole remaining budget, then put the slice limit back.
    const sliceLeft = this.left;
    this.left += this.sliceExtra;
    this.sliceExtra = 0;
    try {
      this.enter(fn, args);
      this.runResumable();
      return this.rax();
    } catch (e) {
      throw this.toFault(e);
    } finally {
      if (this.left > sliceLeft) {
        this.sliceExtra = this.left - sliceLeft;
        this.left = sliceLeft;
      }
      this.depth--;
      this.restore(saved);
    }
  }

  // ---- tasks (task.ts) ----------------------------------------------------------------------------

  startTask(fn: bigint, args: bigint[], opts: CallOptions = {}): CpuTask {
    // THREAD_SIZE-aligned, as vmalloc'ed kernel stacks are, with a guard page below.
    const s = this.stacks.alloc(THREAD_SIZE, THREAD_SIZE);
    if (s === null) throw new Error('cpu: no room for another task stack');
    return new X86Task(fn, args, addrToNum(s), opts.budget ?? DEFAULT_BUDGET);
  }

  stepTask(task: CpuTask, slice: number): boolean {
    const t = task as X86Task;
    if (this.depth > 0) throw new Error('cpu: stepTask inside a running call');
    if (t.done) return true;
    this.stackLow = t.stackLow;
    this.stackTop = t.stackTop;
    if (t.saved === null) {
      this.L.fill(0);
      this.H.fill(0);
      this.fop = F_NONE;
      this.fl = 0x2 | IF;
      setRsp(this, t.stackTop - 64);
    } else this.restore(t.saved);
    const n = Math.max(1, Math.min(slice, t.remaining));
    this.budget0 = t.remaining;
    this.left = n;
    this.sliceExtra = t.remaining - n;
    this.stopReq = false;
    this.depth = 1;
    try {
      if (t.saved === null) this.enter(t.fn, t.args);
      this.runResumable();
      t.done = true;
      t.result = this.rax();
      return true;
    } catch (e) {
      if (e === SLICE_END) {
        t.saved = this.save();
        return false;
      }
      t.done = true;
      throw this.toFault(e);
    } finally {
      const rem = Math.max(this.left, 0) + this.sliceExtra;
      this.executedDone += t.remaining - rem;
      t.remaining = rem;
      this.depth = 0;
      this.cur = null;
      this.sliceExtra = 0;
      this.stackLow = this.ownStackLow;
      this.stackTop = this.ownStackLow + THREAD_SIZE;
    }
  }

  endTask(task: CpuTask): void {
    const t = task as X86Task;
    t.done = true;
    t.saved = null;
    if (t.stackLow !== 0) this.stacks.free(numToAddr(t.stackLow));
    (t as { stackLow: number }).stackLow = 0;
  }

  /** run(), resuming after a ud2 that onUd2 accepts (WARN sites). */
  private runResumable(): void {
    for (;;) {
      try {
        this.run();
        return;
      } catch (e) {
        if (!(e instanceof ExecFault && e.kind === 'ud2' && this.onUd2)) throw e;
        // rip already points past the ud2 (run() advances it before executing).
        const resume = this.rip;
        if (!this.onUd2(this.toFault(e) as CpuFault)) throw e;
        this.rip = resume;
        this.cBase = NaN;
      }
    }
  }

  /** Loads SysV arguments, pushes the sentinel return address, jumps to fn. */
  private enter(fn: bigint, args: bigint[]): void {
    const nStack = Math.max(0, args.length - 6);
    let sp = rspNum(this);
    if (nStack & 1) sp -= 8;
    setRsp(this, sp);
    for (let k = args.length - 1; k >= 0; k--) {
      const v = BigInt.asUintN(64, args[k]!);
      const lo = Number(v & 0xffffffffn) | 0;
      const hi = Number(v >> 32n) | 0;
      if (k < 6) {
        this.L[ARG_REGS[k]!] = lo;
        this.H[ARG_REGS[k]!] = hi;
      } else push64(this, lo, hi);
    }
    push64(this, this.sentinel | 0, Math.floor(this.sentinel / 4294967296));
    this.rip = addrToNum(fn);
  }

  private rax(): bigint {
    return (BigInt(this.H[RAX]! >>> 0) << 32n) | BigInt(this.L[RAX]! >>> 0);
  }

  private run(): void {
    // The current code page lives in locals; a stale one is harmless because code arrays are
    // emptied in place when invalidated, so a lookup in them simply misses.
    let base = this.cBase;
    let arr = this.cArr;
    for (;;) {
      if (--this.left < 0) {
        if (this.stopReq) {
          this.stopReq = false;
          this.left = this.savedLeft;
          return;
        }
        this.left = 0;
        if (this.sliceExtra > 0) throw SLICE_END;
        throw new ExecFaultBudget();
      }
      const rip = this.rip;
      const off = rip - base;
      let inst: Inst | undefined;
      if (off >= 0 && off < 4096) inst = arr[off];
      if (inst === undefined) {
        inst = this.fetch(rip);
        base = this.cBase;
        arr = this.cArr;
      }
      // A compiled block (block.ts) runs when the budget covers all of it (left was decremented).
      let b = inst.blk;
      if (b === null && ++inst.hits >= BLOCK_HOT && inst.trap === null && base === this.cBase) {
        b = inst.blk = buildBlock(this.mem, arr, base, inst, (a) => this.traps.has(a));
      }
      if (b !== null && this.left >= b.n - 1) {
        // Blocks chain here, skipping the checks above, while the next address starts a compiled
        // block of the same page that the budget covers (its first instruction's share of the
        // budget taken as the loop head takes it).
        let left = this.left;
        try {
          for (;;) {
            left -= b.run(this, left + 1) - 1;
            const o = this.rip - base;
            const next = o >= 0 && o < 4096 ? arr[o] : undefined;
            if (next === undefined || next.blk === null || left < next.blk.n) break;
            b = next.blk;
            left--;
          }
        } catch (e) {
          this.left = left - (BLOCK_FAULT.n - 1);
          this.cur = b.insts[BLOCK_FAULT.i]!;
          this.rip = this.cur.next;
          throw e;
        }
        this.left = left;
        continue;
      }
      this.cur = inst;
      this.rip = inst.next;
      inst.fn(this, inst);
    }
  }

  private fetch(rip: number): Inst {
    const t = this.traps.get(rip);
    if (t !== undefined) {
      this.cBase = NaN;
      return t;
    }
    const page = this.mem.peekPage(rip);
    if (page === undefined) throw new FetchFault(rip, new MemoryFault(numToAddr(rip), false));
    const arr = this.mem.codeArray(page) as (Inst | undefined)[];
    this.cBase = page.base;
    this.cArr = arr;
    const off = rip - page.base;
    let inst = arr[off];
    if (inst === undefined) {
      try {
        inst = decode(this.mem, rip);
      } catch (e) {
        throw new FetchFault(rip, e);
      }
      arr[off] = inst;
    }
    return inst;
  }

  /** Called by the sentinel instruction: ends the innermost run(). */
  stopRun(): void {
    this.stopReq = true;
    this.savedLeft = this.left;
    this.left = 0;
  }

  enterTrap(t: Trap): void {
    const sp = rspNum(this);
    const lo = this.mem.r64(sp);
    const ret = toTarget(lo, this.mem.hi);
    const regs = new Int32Array(12);
    for (let k = 0; k < 6; k++) {
      regs[2 * k] = this.L[ARG_REGS[k]!]!;
      regs[2 * k + 1] = this.H[ARG_REGS[k]!]!;
    }
    const res = t.handler(new Ctx(this, sp, regs, numToAddr(ret)));
    setRsp(this, sp + 8);
    this.rip = ret;
    this.cBase = NaN;
    if (res === undefined) return;
    if (typeof res === 'bigint') {
      const u = BigInt.asUintN(64, res);
      this.L[RAX] = Number(u & 0xffffffffn) | 0;
      this.H[RAX] = Number(u >> 32n) | 0;
    } else if (typeof res === 'boolean') {
      this.L[RAX] = res ? 1 : 0;
      this.H[RAX] = 0;
    } else if (Number.isSafeInteger(res)) {
      this.L[RAX] = res | 0;
      this.H[RAX] = Math.floor(res / 4294967296) | 0;
    } else {
      throw new TypeError(`trap ${t.name} returned non-integer ${res}`);
    }
  }

  private save(): unknown[] {
    return [
      this.L.slice(), this.H.slice(), this.rip, this.fop, this.fsz, this.fa, this.fb, this.fr,
      this.fah, this.fbh, this.frh, this.fcin, this.fl, this.cur,
    ];
  }

  private restore(s: unknown[]): void {
    this.L.set(s[0] as Int32Array);
    this.H.set(s[1] as Int32Array);
    this.rip = s[2] as number;
    this.fop = s[3] as number;
    this.fsz = s[4] as number;
    this.fa = s[5] as number;
    this.fb = s[6] as number;
    this.fr = s[7] as number;
    this.fah = s[8] as number;
    this.fbh = s[9] as number;
    this.frh = s[10] as number;
    this.fcin = s[11] as number;
    this.fl = s[12] as number;
    this.cur = s[13] as Inst | null;
    this.cBase = NaN;
  }

  // ---- faults -----------------------------------------------------------------------------------

  private regs(rip: number): Registers {
    const gpr: bigint[] = [];
    for (let r = 0; r < 16; r++) gpr.push((BigInt(this.H[r]! >>> 0) << 32n) | BigInt(this.L[r]! >>> 0));
    return { rip: numToAddr(rip), rsp: gpr[RSP]!, rflags: BigInt(getFlags(this)), gpr };
  }

  private bytesAt(a: number): Uint8Array {
    const out: number[] = [];
    for (let k = 0; k < 15; k++) {
      try {
        out.push(this.mem.r8(a + k));
      } catch {
        break;
      }
    }
    return Uint8Array.from(out);
  }

  private toFault(e: unknown): unknown {
    if (e instanceof CpuFault) return e;
    const executed = this.budget0 - Math.max(this.left, 0);
    let rip = this.cur?.addr ?? this.rip;
    let kind: FaultKind;
    const detail: CpuFault['detail'] = { executed };
    if (e instanceof FetchFault) {
      rip = e.addr;
      if (e.cause instanceof DecodeError) {
        kind = 'invalid-opcode';
        detail.bytes = e.cause.bytes;
      } else if (e.cause instanceof MemoryFault) {
        kind = 'page-fault';
        detail.addr = e.cause.addr;
        detail.write = false;
        detail.fetch = true;
      } else return e.cause;
    } else if (e instanceof ExecFaultBudget) {
      kind = 'budget';
      rip = this.rip;
    } else if (e instanceof ExecFault) {
      kind = e.kind;
      if (e.addr !== undefined) detail.addr = BigInt.asUintN(64, BigInt(e.addr));
      detail.bytes = this.bytesAt(rip);
    } else if (e instanceof MemoryFault) {
      kind = this.isStackOverflow(e.addr) ? 'stack-overflow' : 'page-fault';
      detail.addr = e.addr;
      detail.write = e.write;
      detail.fetch = false;
    } else return e;
    // After a stack overflow rsp is in the guard page: scan the stack itself.
    const backtrace = findReturnAddresses(this.mem, Math.max(rspNum(this), this.stackLow), this.stackTop, this.sentinel);
    return new CpuFault(kind, this.regs(rip), detail, backtrace);
  }

  private isStackOverflow(addr: bigint): boolean {
    const a = Number(BigInt.asIntN(64, addr));
    const sp = rspNum(this);
    const guardLow = this.stackLow - 4096;
    return (a >= guardLow && a < this.stackLow) || (sp < this.stackLow && sp >= guardLow - 65536);
  }
}

class ExecFaultBudget {}
