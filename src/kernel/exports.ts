// The emulated kernel's export table: what a module's undefined symbols resolve against.
// kernel/api/<area>.ts files register functions (run in TypeScript through CPU traps) and data
// objects (bytes in the kernel image region, e.g. param_ops_int, kmalloc_caches, jiffies).
import type { TrapHandler } from '../cpu/types.js';

export interface ExportBase {
  /** The implementation's name (the 6.1 one; identity/renames.ts maps other releases' names). */
  name: string;
  /** Final address in the emulated kernel image, assigned by the kernel at boot. */
  addr: bigint;
  /** A kernel-internal function (static in C): callable through pointers, not linkable. */
  hidden?: boolean;
}

export interface FunctionExport extends ExportBase {
  kind: 'func';
  handler: TrapHandler;
}

export interface DataExport extends ExportBase {
  kind: 'data';
  size: number;
  align: number;
  /** Machine code in the kernel text (thunks), not an object. */
  text?: boolean;
  /** Fills the object once its address is known (pointers to traps, initial values). */
  init?: (addr: bigint) => void;
}

export type KernelExport = FunctionExport | DataExport;

export interface ExportRegistry {
  func(name: string, handler: TrapHandler, opts?: { hidden?: boolean }): void;
  data(name: string, size: number, init?: (addr: bigint) => void, opts?: { align?: number }): void;
  /** Address of an already registered export (functions: their trap address). */
  addressOf(name: string): bigint;
}
