// Contract of the x86-64 interpreter as the kernel layer uses it.
import type { AddressSpace } from '../mm/types.js';

/** What a kernel function implemented in TypeScript sees when module code calls it. */
export interface TrapContext {
  readonly mem: AddressSpace;
  /** SysV integer argument i (0..5 from rdi, rsi, rdx, rcx, r8, r9; then the caller's stack). */
  arg(i: number): bigint;
  /** The address the trapped call returns to (for symbolizing the caller, %pS of _RET_IP_). */
  readonly returnAddress: bigint;
  /** Call module code from inside a trap (re-entrant): returns rax. */
  call(fn: bigint, args: bigint[]): bigint;
  /**
   * A general register by encoding number (0 rax, 1 rcx, 2 rdx, ...), for the few kernel entry
   * points with their own register convention (__get_user_N takes the address in rax and returns
   * the value in rdx; __put_user_N takes the address in rcx and returns the error there).
   */
  reg(n: number): bigint;
  setReg(n: number, v: bigint): void;
}

/** Returns rax (a number is taken as a signed 64-bit value), or nothing for void functions. */
export type TrapHandler = (ctx: TrapContext) => bigint | number | boolean | void;

export type FaultKind =
  | 'page-fault' // load/store/fetch of unmapped memory
  | 'invalid-opcode' // bytes the decoder does not know (or a #UD-raising instruction)
  | 'ud2' // explicit ud2 (BUG()/WARN() sites)
  | 'int3'
  | 'divide-error'
  | 'general-protection' // non-canonical address, privileged op we refuse
  | 'stack-overflow' // rsp left the call's stack
  | 'budget'; // instruction budget exhausted (soft lockup)

export interface Registers {
  rip: bigint;
  rsp: bigint;
  rflags: bigint;
  /** rax rcx rdx rbx rsp rbp rsi rdi r8..r15, in encoding order. */
  gpr: bigint[];
}

/** An exception raised by module code; the kernel turns it into an oops report. */
export class CpuFault extends Error {
  constructor(
    public readonly kind: FaultKind,
    public readonly regs: Registers,
    public readonly detail: {
      addr?: bigint; // faulting data address (page-fault)
      write?: boolean; // page-fault was a write
      fetch?: boolean; // page-fault was an instruction fetch
      bytes?: Uint8Array; // instruction bytes at rip (invalid-opcode, ud2)
      executed?: number; // instructions executed in this call
    } = {},
    /** Return addresses found on the stack, innermost first (for "Call Trace:"). */
    public readonly backtrace: bigint[] = [],
  ) {
    super(`cpu ${kind} at rip 0x${regs.rip.toString(16)}`);
  }
}

export interface CallOptions {
  /** Instructions this call may execute before a 'budget' fault. */
  budget?: number;
}

export interface Cpu {
  /** Per-cpu base used for %gs-relative accesses (stack canary at %gs:40, current_task, ...). */
  gsBase: bigint;
  /** Any instruction fetch at `addr` runs `handler` and then returns to the caller as `ret` would. */
  registerTrap(addr: bigint, name: string, handler: TrapHandler): void;
  /** Run the function at `fn` with SysV arguments on a fresh kernel stack until it returns; rax. */
  call(fn: bigint, args: bigint[], opts?: CallOptions): bigint;
  /** Instructions executed since creation (for benchmarks). */
  readonly instructionCount: number;
}
