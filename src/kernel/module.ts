// The emulated `struct module`: what the registry, sysfs and procfs need to know about one module.
// The module's own copy of struct module lives in its emulated memory at `thisModule`.
import type { ModuleKallsyms } from './kallsyms.js';

export enum ModuleState {
  LIVE = 0,
  COMING = 1,
  GOING = 2,
  UNFORMED = 3,
}

export interface Layout {
  base: bigint;
  size: number;
}

/** A `struct kernel_param` entry of the module's `__param` section (already relocated). */
export interface ModuleParam {
  /** Address of the 40-byte kernel_param in module memory. */
  kp: bigint;
  name: string;
  ops: bigint;
  perm: number;
  level: number;
  flags: number;
}

export interface SectionInfo {
  name: string;
  addr: bigint;
  size: number;
  type: number;
  /** Raw bytes of SHT_NOTE sections (sysfs notes/ shows them). */
  note?: Uint8Array;
}

export interface ModuleExportEntry {
  name: string;
  addr: bigint;
  gpl: boolean;
  crc?: number;
  namespace: string;
}

export class Module {
  state = ModuleState.UNFORMED;
  core: Layout = { base: 0n, size: 0 };
  init: Layout = { base: 0n, size: 0 };
  /** Address of the live struct module inside the core area (THIS_MODULE). */
  thisModule = 0n;
  initFn = 0n;
  exitFn = 0n;
  /** Bit mask of TAINT_* flags carried by this module. */
  taints = 0;
  params: ModuleParam[] = [];
  exports: ModuleExportEntry[] = [];
  sections: SectionInfo[] = [];
  /** Modules whose symbols this one uses (it holds a reference on each). */
  uses = new Set<Module>();
  /** Modules using this one, newest first (sysfs holders/, /proc/modules users column). */
  holders: Module[] = [];
  /** Reference count as the kernel shows it (internal count minus the base reference). */
  refcnt = 0;
  /** Module arguments buffer in emulated memory (parse_args writes NULs into it). */
  argsAddr = 0n;
  percpu: Layout | undefined;
  modinfo: Array<[string, string]> = [];
  /** Where the .ko came from (absolute path), when loaded by path. */
  sourcePath: string | undefined;
  /** /proc/kallsyms rows (kallsyms.ts): the full table while coming, then the core part. */
  kallsyms: ModuleKallsyms = { all: [], core: [] };
  /** Symbol table kept for kallsyms-style symbolization: sorted by address. */
  symbols: Array<{ name: string; addr: bigint; size: number; init?: boolean }> = [];
  /** sysfs directory exists (from after parameter parsing until the module is freed). */
  sysfs = false;
  /** Module areas to release on free. */
  allocations: bigint[] = [];

  constructor(public readonly name: string) {}

  modinfoValue(tag: string): string | undefined {
    return this.modinfo.find(([k]) => k === tag)?.[1];
  }

  /** init without exit: unload refused unless forced; `[permanent]` in /proc/modules. */
  get permanent(): boolean {
    return this.initFn !== 0n && this.exitFn === 0n;
  }

  containsAddress(addr: bigint): boolean {
    return (
      (addr >= this.core.base && addr < this.core.base + BigInt(this.core.size)) ||
      (this.init.size > 0 && addr >= this.init.base && addr < this.init.base + BigInt(this.init.size))
    );
  }
}
