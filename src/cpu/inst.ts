// A decoded instruction. Every instance has the same shape (all fields initialised in the same
// order) so that handler property loads stay monomorphic in the hot loop.
import type { Block } from './block.js';
import type { CpuState } from './state.js';

export type Handler = (c: CpuState, i: Inst) => void;

export class Inst {
  fn: Handler;
  /** Address of the instruction and of the next one (signed canonical numbers). */
  addr = 0;
  next = 0;
  len = 0;
  /** Operand size in bytes: 1, 2, 4 or 8. */
  size = 4;
  /** ModRM.reg (with REX.R); for byte operands 16..19 mean AH CH DH BH. */
  reg = 0;
  /** Register operand of ModRM.rm, or -1 for a memory operand. */
  rm = -1;
  base = -1;
  index = -1;
  scale = 1;
  /** Displacement as unsigned low half and signed high half (rip-relative: absolute address). */
  dispLo = 0;
  dispHi = 0;
  /** 0 none, 1 %gs, 2 %fs. */
  seg = 0;
  a32 = false;
  /** Immediate, normalised to the operand size (size 8: low half; high half in immHi). */
  imm = 0;
  immHi = 0;
  /** Sub-operation: ALU op, shift op, condition code, ... */
  op = 0;
  /** 0 none, 1 rep/repe (f3), 2 repne (f2). */
  rep = 0;
  /** Branch target (canonical number). */
  target = 0;
  /** Trap handler attached to a trap address (opaque to the decoder). */
  trap: unknown = null;
  /** Compiled block starting here (block.ts), and executions counted before compiling one. */
  blk: Block | null = null;
  hits = 0;
  constructor(fn: Handler) {
    this.fn = fn;
  }
}
