// The emulated kernel: one build of Linux (its identity), one address space, one CPU, and the
// subsystems built on them in dependency order. Loading and unloading live in loader/ and
// unload.ts; kernel/api/ holds the functions modules call. Every subsystem is constructed here,
// in the order below, so nothing is bound late from another file.
import { X86Cpu } from '../cpu/x86-cpu.js';
import type { TaskCpu } from '../cpu/task.js';
import { RangeAllocator } from '../mm/allocator.js';
import { DIRECT_MAP_BASE, DIRECT_MAP_SIZE, MODULES_END, MODULES_VADDR, PERCPU_BASE, PERCPU_SIZE, VMALLOC_BASE, VMALLOC_SIZE } from '../mm/layout.js';
import { Memory } from '../mm/memory.js';
import { Scheduler, type Task } from './api/sched.js';
import { registerAllApis } from './api/index.js';
import { BugTable } from './bug-table.js';
import { createBuiltins, type BuiltinModule } from './builtin.js';
import { ExportTable } from './export-table.js';
import { bundledIdentity } from './identity/bundled.js';
import type { KernelIdentity } from './identity/identity.js';
import { KernelLog } from './log.js';
import { ModuleState, type Module } from './module.js';
import { OopsState } from './oops.js';
import { moduleSymbolize } from './symbolize.js';
import { TAINT } from './taint.js';
import { UserMemory } from './uaccess.js';
import { kdir, type KEntry } from './kfs.js';
import { WaitQueues } from './waitqueue.js';

export interface KernelOptions {
  /** The build to emulate (identity/choose.ts picks one for a mount); default the bundled one. */
  identity?: KernelIdentity;
  /** Fixed KASLR page offset for the module area (tests); random 1..1024 otherwise. */
  kaslrPages?: number;
  /** Instructions one call into module code may run before the soft-lockup report. */
  budget?: number;
}

export class Kernel {
  readonly identity: KernelIdentity;
  readonly mem: Memory;
  readonly cpu: TaskCpu;
  readonly log: KernelLog;
  readonly moduleArea: RangeAllocator;
  readonly heap: RangeAllocator;
  readonly vmalloc: RangeAllocator;
  readonly percpu: RangeAllocator;
  readonly exports: ExportTable;
  /** The caller's buffer while a file operation runs (uaccess.ts). */
  readonly user: UserMemory;
  /** Tasks, `current`, and the oops handling of calls into module code (api/sched.ts). */
  readonly sched: Scheduler;
  /** BUG()/WARN() sites of loaded modules. */
  readonly bugs: BugTable;
  /** Oops counter and CR2, as the oops reports number and show them. */
  readonly oopses = new OopsState();
  /** Built-in code's parameters (/sys/module/printk/...), created at boot. */
  readonly builtins: BuiltinModule[];
  /**
   * The file trees kernel code adds to (kfs.ts), each rendered at its place in the mount:
   * /proc, /sys/kernel, /sys/kernel/debug, /dev, /sys/class. Fixed files of the tree (modules,
   * modctl, kmsg) are vfs's and are listed before these.
   */
  readonly files: Record<'proc' | 'sysKernel' | 'debug' | 'dev' | 'sysClass', KEntry> = {
    proc: kdir('', 0o555),
    sysKernel: kdir('', 0o755),
    debug: kdir('', 0o700),
    dev: kdir('', 0o755),
    sysClass: kdir('', 0o755),
  };
  /** Newest first, as the kernel's list is walked for /proc/modules. */
  readonly modules: Module[] = [];
  /** Kernel-wide taint mask (/proc/sys/kernel/tainted). */
  taint = 0;
  /** Has the "Disabling lock debugging" line been printed (debug_locks turned off)? */
  lockDebugOff = false;
  /** printk_once state, keyed by message site. */
  readonly onceDone = new Set<string>();
  /** charp values kmalloc'ed by param_set_charp (maybe_kfree_parameter frees only these). */
  readonly kmallocedParams = new Set<bigint>();
  lastUnloaded: string | undefined;
  readonly budget: number;
  /** kernfs's show page and write buffer for attribute files, made on first use (params/param-table.ts). */
  readonly sysfsBuffers = { showPage: 0n, storeBuf: 0n };
  /** The file layer's sleepers on module wait queues: pollers, parked reads (waitqueue.ts). */
  readonly waitQueues = new WaitQueues();
  /** Run by free_module, before the module's memory is released (kfs areas, see kfs.ts). */
  readonly moduleFreeHooks: Array<(m: Module) => void> = [];
  /** Hooks run before module code is entered (e.g. refreshing jiffies). */
  readonly beforeCall: Array<() => void> = [];
  private readonly bootNs = process.hrtime.bigint();
  /** Told when the module list or a module's state changes (the FUSE layer invalidates caches). */
  private readonly changeListeners = new Set<() => void>();

  constructor(opts: KernelOptions = {}) {
    this.identity = opts.identity ?? bundledIdentity();
    // The soft-lockup limit in instructions: a few seconds of compiled module code here (the real
    // watchdog waits 22 s of wall time; an instruction count keeps reports deterministic).
    this.budget = opts.budget ?? 2_000_000_000;

    // Machine: memory and the CPU, then the log (everything after may print).
    this.mem = new Memory();
    this.cpu = new X86Cpu(this.mem);
    this.log = new KernelLog(() => this.clockNs());

    // Memory areas: modules (behind a KASLR offset), the slab heap, vmalloc, per-cpu.
    const kaslr = opts.kaslrPages ?? 1 + Math.floor(Math.random() * 1024);
    const modBase = MODULES_VADDR + BigInt(kaslr) * 4096n;
    this.moduleArea = new RangeAllocator(this.mem, modBase, MODULES_END - modBase);
    this.heap = new RangeAllocator(this.mem, DIRECT_MAP_BASE, DIRECT_MAP_SIZE);
    // The CPU keeps its kernel stacks in the top MiB of vmalloc space (DEFAULT_STACK_BASE).
    this.vmalloc = new RangeAllocator(this.mem, VMALLOC_BASE, VMALLOC_SIZE - 0x200000n, { guardPages: true });
    this.mem.map(PERCPU_BASE, PERCPU_SIZE);
    this.cpu.gsBase = PERCPU_BASE;
    // The first 0x4000 bytes of the per-cpu area hold the kernel's own per-cpu variables.
    this.percpu = new RangeAllocator(this.mem, PERCPU_BASE + 0x4000n, BigInt(PERCPU_SIZE - 0x4000));

    // The kernel image: exports, the scheduler (task_structs live in the heap), BUG sites.
    this.exports = new ExportTable(this.mem, this.cpu, this.identity);
    this.user = new UserMemory(this.mem);
    this.sched = new Scheduler(this);
    this.bugs = new BugTable(this);
    registerAllApis(this);

    // Built-in code, after the param_ops its parameters use.
    this.builtins = createBuiltins(this);
  }

  /** Monotonic nanoseconds since the emulated boot (the daemon's start). */
  clockNs(): bigint {
    return process.hrtime.bigint() - this.bootNs;
  }

  find(name: string): Module | undefined {
    return this.modules.find((m) => m.name === name && m.state !== ModuleState.UNFORMED);
  }

  /** Modules visible to /proc/modules and find_module. */
  visibleModules(): Module[] {
    return this.modules.filter((m) => m.state !== ModuleState.UNFORMED);
  }

  /** mod->state, in the registry and in the module's own struct module (module code reads it). */
  setModuleState(mod: Module, state: ModuleState): void {
    mod.state = state;
    if (mod.thisModule) this.mem.writeU32(mod.thisModule + BigInt(this.identity.facts.moduleState), state);
    this.changed();
  }

  addTaint(bit: number, unreliable: boolean): void {
    if (unreliable && !this.lockDebugOff) {
      this.lockDebugOff = true;
      this.log.emit(4, 'Disabling lock debugging due to kernel taint');
    }
    this.taint |= 1 << bit;
  }

  /** printk_once: true the first time `key` is seen. */
  once(key: string): boolean {
    if (this.onceDone.has(key)) return false;
    this.onceDone.add(key);
    return true;
  }

  /** `sym+0x1a/0x40 [mod]` for an address in a module or the kernel image, else undefined. */
  symbolize(addr: bigint): string | undefined {
    const m = this.modules.find((mod) => mod.containsAddress(addr));
    if (m) return moduleSymbolize(m, addr);
    const k = this.exports.symbolize(addr);
    return k ? `${k.name}+0x${k.offset.toString(16)}/0x${k.size.toString(16)}` : undefined;
  }

  /** kmalloc as kernel code uses it: zeroed memory or 0n. */
  kmalloc(size: number): bigint {
    return this.heap.alloc(Math.max(size, 1), size >= 8 ? 8 : 1) ?? 0n;
  }

  kfree(addr: bigint): void {
    if (addr !== 0n) this.heap.free(addr);
  }

  /** A NUL-terminated copy of `s` in the heap (strings handed to module code). */
  kstrdup(bytes: Uint8Array): bigint {
    const p = this.kmalloc(bytes.length + 1);
    if (p === 0n) return 0n;
    this.mem.writeBytes(p, bytes);
    this.mem.writeU8(p + BigInt(bytes.length), 0);
    return p;
  }

  /**
   * Run module code at `fn` to completion with the kernel's instruction budget; returns rax.
   * A fault in it is reported and thrown as OopsError (api/sched.ts).
   */
  callModule(fn: bigint, args: bigint[]): bigint {
    return this.sched.call(fn, args);
  }

  /** callModule as `task`, run in slices so the daemon keeps serving meanwhile. */
  runModule(fn: bigint, args: bigint[], task: Task): Promise<bigint> {
    return this.sched.run(fn, args, task);
  }

  onChange(cb: () => void): () => void {
    this.changeListeners.add(cb);
    return () => this.changeListeners.delete(cb);
  }

  changed(): void {
    for (const cb of this.changeListeners) cb();
  }

  isForcedTaint(): boolean {
    return (this.taint & (1 << TAINT.FORCED_MODULE)) !== 0;
  }
}
