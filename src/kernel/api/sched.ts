// Tasks and `current`, and the one place module code is entered from the kernel's side.
//
// Every call into module code runs as some task: a load runs the module's init as an "insmod"
// task, an unload runs exit as "rmmod", and short calls made while serving a file (a parameter's
// getter or setter) run as the daemon's own task. Each task has a task_struct in kernel memory
// whose pid, comm and credentials sit at the offsets of the emulated build (identity facts), and
// %gs:current_task points at the running one, so `current->pid` and `current->comm` read what an
// oops header prints.
//
// Responsiveness: init and exit run through run(), which executes the CPU in slices of
// SLICE_INSNS instructions on the task's own stack and register context (cpu/task.ts) and yields
// to the event loop (setImmediate) every SLICE_MS of wall time, so FUSE requests that arrive
// meanwhile (cat /proc/modules, a parameter read that runs another module's getter) are served
// between slices. Those short calls use call(), which runs to completion on the CPU's own stack:
// it cannot touch the suspended task's stack or registers. The instruction budget of a task is the
// same as for a synchronous call (k.budget, the soft-lockup limit); only wall time is sliced.
//
// A fault, BUG, panic or deadlock inside module code is reported here (oops.ts) and becomes an
// OopsError (errno EOWNERDEAD): the modfs stand-in for "the task that made the call was killed".
import type { TaskCpu } from '../../cpu/task.js';
import { CpuFault } from '../../cpu/types.js';
import { EOWNERDEAD, KernelError } from '../errno.js';
import type { Kernel } from '../kernel.js';
import { handleUd2 } from '../bug-table.js';
import { KernelPanic, reportFault, SoftLockup, HungTask } from '../oops.js';

/** Per-cpu offsets (inside %gs) of the kernel's own per-cpu variables. */
export const PCPU_CURRENT_TASK = 0x100n;

const SLICE_INSNS = 200_000;
const SLICE_MS = 2;

/** An oops (or panic) ended the call; the report is already in the log. */
export class OopsError extends KernelError {
  constructor(override readonly cause: unknown) {
    super(EOWNERDEAD, 'killed by an oops');
  }
}

export interface Task {
  readonly pid: number;
  readonly comm: string;
  /** Address of its task_struct. */
  readonly struct: bigint;
  /** Kernel frames below the module code this task runs (the end of an oops's call trace). */
  readonly frames: readonly string[];
  readonly uid: number;
  readonly gid: number;
}

/** Who a task runs as (its struct cred); kernel threads and the daemon's own calls are root. */
export interface TaskCred {
  uid: number;
  gid: number;
}

/** How the real 6.1.0-56 kernel reaches a module's init (finit_module) and exit (delete_module). */
export const INIT_FRAMES = [
  'do_one_initcall+0x59/0x220',
  'do_init_module+0x4a/0x1f0',
  '__do_sys_finit_module+0xac/0x120',
  'do_syscall_64+0x5d/0xb0',
  'entry_SYSCALL_64_after_hwframe+0x6e/0xd8',
];
export const EXIT_FRAMES = ['__do_sys_delete_module+0x1b9/0x330', 'do_syscall_64+0x5d/0xb0', 'entry_SYSCALL_64_after_hwframe+0x6e/0xd8'];

export class Scheduler {
  private nextPid = 1000;
  /** The daemon's own task: short calls made while serving files. */
  readonly daemon: Task;
  current: Task;
  private ambient: Task;
  private readonly cpu: TaskCpu;

  constructor(private readonly k: Kernel) {
    this.cpu = k.cpu as TaskCpu;
    this.daemon = this.newTask('modfs');
    this.current = this.daemon;
    this.ambient = this.daemon;
    this.setCurrent(this.daemon);
    this.cpu.onUd2 = (f) => handleUd2(k, f, this.current);
  }

  /** A task with a fresh pid and a task_struct holding pid, tgid, comm and its credentials. */
  newTask(comm: string, frames: readonly string[] = [], cred: TaskCred = { uid: 0, gid: 0 }, pidOf?: number): Task {
    const f = this.k.identity.facts;
    // A task standing for a process of this machine (a file's opener) keeps that process's pid.
    const pid = pidOf ?? this.nextPid++;
    const struct = this.k.kmalloc(f.taskSize);
    const m = this.k.mem;
    m.writeU32(struct + BigInt(f.taskPid), pid);
    m.writeU32(struct + BigInt(f.taskTgid), pid);
    const name = new TextEncoder().encode(comm).subarray(0, f.taskCommLen - 1);
    m.writeBytes(struct + BigInt(f.taskComm), name);
    m.writeU8(struct + BigInt(f.taskComm + name.length), 0);
    // One struct cred for both real_cred and cred (no override_creds in modfs).
    const c = this.k.kmalloc(f.credSize);
    for (const off of [f.credUid, f.credSuid, f.credEuid, f.credFsuid]) m.writeU32(c + BigInt(off), cred.uid);
    for (const off of [f.credGid, f.credSgid, f.credEgid, f.credFsgid]) m.writeU32(c + BigInt(off), cred.gid);
    m.writeU64(struct + BigInt(f.taskRealCred), c);
    m.writeU64(struct + BigInt(f.taskCred), c);
    return { pid, comm, struct, frames, uid: cred.uid, gid: cred.gid };
  }

  /** Free a task's task_struct once nothing can run as it any more. */
  exitTask(t: Task): void {
    if (t === this.daemon) return;
    this.k.kfree(this.k.mem.readU64(t.struct + BigInt(this.k.identity.facts.taskCred)));
    this.k.kfree(t.struct);
  }

  /** Make `t` current outside any call (dump_stack and WARN headers name it). */
  private setCurrent(t: Task): void {
    this.current = t;
    this.k.mem.writeU64(this.k.cpu.gsBase + PCPU_CURRENT_TASK, t.struct);
  }

  /** Make `task` the one that synchronous calls without a task run as, while `f` runs. */
  as<T>(task: Task, f: () => T): T {
    const prev = this.ambient;
    this.ambient = task;
    try {
      return f();
    } finally {
      this.ambient = prev;
    }
  }

  /** Run module code to completion as `task` (default: see as()); rax, or OopsError. */
  call(fn: bigint, args: bigint[], task: Task = this.ambient): bigint {
    const prev = this.current;
    this.setCurrent(task);
    try {
      for (const h of this.k.beforeCall) h();
      return this.cpu.call(fn, args, { budget: this.k.budget });
    } catch (e) {
      throw this.oops(e, task);
    } finally {
      this.setCurrent(prev);
    }
  }

  /** Run module code as `task` in slices, yielding to the event loop between them. */
  async run(fn: bigint, args: bigint[], task: Task): Promise<bigint> {
    const t = this.cpu.startTask(fn, args, { budget: this.k.budget });
    try {
      let since = performance.now();
      for (;;) {
        const prev = this.current;
        this.setCurrent(task);
        let done: boolean;
        try {
          for (const h of this.k.beforeCall) h();
          done = this.cpu.stepTask(t, SLICE_INSNS);
        } catch (e) {
          throw this.oops(e, task);
        } finally {
          this.setCurrent(prev);
        }
        if (done) return t.result;
        if (performance.now() - since >= SLICE_MS) {
          await new Promise<void>((r) => setImmediate(r));
          since = performance.now();
        }
      }
    } finally {
      this.cpu.endTask(t);
    }
  }

  /** Report what went wrong in module code; returns the error to throw. */
  private oops(e: unknown, task: Task): unknown {
    if (e instanceof OopsError) return e;
    if (e instanceof CpuFault || e instanceof KernelPanic || e instanceof SoftLockup || e instanceof HungTask) {
      reportFault(this.k, e, task);
      return new OopsError(e);
    }
    return e;
  }
}

export function registerSchedApi(k: Kernel): void {
  // Per-cpu variables of the kernel live in the first part of the %gs area (offsets are symbols).
  // On 6.2-6.14 builds the same slot is pcpu_hot.current_task (identity/renames.ts).
  k.exports.absolute('current_task', PCPU_CURRENT_TASK);
}
