// Tasks: module code that runs in slices, so the daemon can answer other requests in between.
//
// Each task owns a kernel stack (THREAD_SIZE, below a guard page) and, while suspended, a saved
// register file. The CPU has one register file: between slices it belongs to nobody, and a
// synchronous call() made then (a sysfs parameter read running a getter) runs on the CPU's own
// stack with fresh registers, then the suspended task's registers are put back at its next slice.
// Nested calls made from trap handlers (ctx.call) run to completion inside the slice that made them,
// on the caller's stack below its rsp, as before: a trap handler cannot be suspended halfway.
import type { CallOptions, Cpu, CpuFault } from './types.js';

export interface CpuTask {
  /** True once the function returned (result holds rax) or faulted (step threw). */
  readonly done: boolean;
  /** rax at return. */
  readonly result: bigint;
  /** Instructions of the task's budget not yet used. */
  readonly remaining: number;
}

export interface TaskCpu extends Cpu {
  /** Prepare `fn(args)` as a task with its own stack and `opts.budget` instructions in total. */
  startTask(fn: bigint, args: bigint[], opts?: CallOptions): CpuTask;
  /**
   * Run the task for at most `slice` instructions. True when it returned; false when the slice
   * ended first. Throws CpuFault (the task is then done) on a fault or when its budget runs out.
   * Must not be called from inside a running call (trap handlers).
   */
  stepTask(t: CpuTask, slice: number): boolean;
  /** Release the task's stack (after it finished, faulted or was abandoned). */
  endTask(t: CpuTask): void;
  /**
   * Called for a `ud2` before it becomes a fault, with the fault it would raise. Returning true
   * resumes execution after the ud2 (a WARN site); false raises the fault (BUG()).
   */
  onUd2: ((f: CpuFault) => boolean) | undefined;
}
