// The emulated vmlinux's exports. Functions get a 16-byte slot in the kernel text region whose
// fetch traps into TypeScript; data objects get space in the kernel data region.
//
// What a module may link against is decided by the emulated build (identity/): a name resolves
// when that build's Module.symvers exports it from vmlinux and modfs implements it, under that
// name or an older/newer name of the same function (identity/renames.ts). Its GPL-only flag,
// CRC and namespace are the build's. Anything modfs registers that the build does not export
// stays callable by address (ops tables, thunks) but is an unknown symbol to the loader, as it
// would be on that kernel.
import type { Cpu, TrapHandler } from '../cpu/types.js';
import type { AddressSpace } from '../mm/types.js';
import { KERNEL_DATA_BASE, KERNEL_DATA_SIZE, KERNEL_TEXT_BASE, KERNEL_TEXT_SIZE } from '../mm/layout.js';
import type { ExportRegistry, KernelExport } from './exports.js';
import { vmlinuxExport, type KernelIdentity } from './identity/identity.js';
import { implOf, namesOf } from './identity/renames.js';

const FUNC_SLOT = 16;

/** An export as a module links against it. */
export interface LinkedExport {
  addr: bigint;
  gpl: boolean;
  crc: number;
  namespace: string;
}

export class ExportTable implements ExportRegistry {
  private readonly byName = new Map<string, KernelExport>();
  /** Sorted by address, for symbolizing kernel addresses. */
  private sorted: KernelExport[] | undefined;
  private nextText = KERNEL_TEXT_BASE;
  private nextData = KERNEL_DATA_BASE;

  constructor(
    private readonly mem: AddressSpace,
    private readonly cpu: Cpu,
    private readonly identity: KernelIdentity,
  ) {
    mem.map(KERNEL_TEXT_BASE, KERNEL_TEXT_SIZE);
    mem.map(KERNEL_DATA_BASE, KERNEL_DATA_SIZE);
  }

  /** `hidden`: kernel-internal (static in C), reachable only through pointers. */
  func(name: string, handler: TrapHandler, opts: { hidden?: boolean } = {}): void {
    this.assertNew(name);
    const addr = this.nextText;
    this.nextText += BigInt(FUNC_SLOT);
    // A real-looking body (endbr64; int3...) so a module that disassembles or copies it sees code.
    this.mem.writeBytes(addr, Uint8Array.of(0xf3, 0x0f, 0x1e, 0xfa, 0xcc, 0xcc, 0xcc, 0xcc));
    this.cpu.registerTrap(addr, name, handler);
    this.add({ kind: 'func', name, addr, handler, hidden: opts.hidden });
  }

  /** A kernel function implemented as real machine code (thunks the CPU simply executes). */
  code(name: string, bytes: Uint8Array): void {
    this.assertNew(name);
    const addr = this.nextText;
    this.nextText += BigInt(FUNC_SLOT);
    this.mem.writeBytes(addr, bytes);
    this.add({ kind: 'data', name, addr, size: FUNC_SLOT, align: FUNC_SLOT, text: true });
  }

  data(name: string, size: number, init?: (addr: bigint) => void, opts: { align?: number } = {}): void {
    this.assertNew(name);
    const align = BigInt(opts.align ?? 64);
    const addr = (this.nextData + align - 1n) & ~(align - 1n);
    this.nextData = addr + BigInt(Math.max(size, 1));
    if (this.nextData > KERNEL_DATA_BASE + BigInt(KERNEL_DATA_SIZE)) throw new Error('kernel data region full');
    this.add({ kind: 'data', name, addr, size, align: Number(align), init });
    init?.(addr);
  }

  /** A symbol that lives at a fixed address instead of in the image (per-cpu offsets). */
  absolute(name: string, addr: bigint): void {
    this.assertNew(name);
    this.add({ kind: 'data', name, addr, size: 0, align: 1 });
  }

  /** Address of a registered implementation (kernel-internal use: ops tables, thunks). */
  addressOf(name: string): bigint {
    const e = this.byName.get(name);
    if (!e) throw new Error(`kernel export ${name} is not registered`);
    return e.addr;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** What a module's undefined symbol `name` resolves to on this build, if anything. */
  link(name: string): LinkedExport | undefined {
    const entry = vmlinuxExport(this.identity, name);
    if (!entry) return undefined;
    const e = this.byName.get(name) ?? this.byName.get(implOf(name));
    if (!e || e.hidden) return undefined;
    return { addr: e.addr, gpl: entry.gpl, crc: entry.crc, namespace: entry.namespace };
  }

  /** Implementation names, registered or not exported by this build. */
  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /**
   * The image's part of /proc/kallsyms: every implementation the build exports, under the build's
   * name, by address. modfs has no vmlinux symbol table, so types are T for code, D for data and
   * A for per-cpu offsets, and static kernel functions are absent.
   */
  kallsyms(): Array<{ addr: bigint; type: string; name: string }> {
    const out: Array<{ addr: bigint; type: string; name: string }> = [];
    for (const e of this.byName.values()) {
      if (e.hidden) continue;
      const name = this.shownName(e.name);
      if (!vmlinuxExport(this.identity, name)) continue;
      const type = e.kind === 'func' || e.text ? 'T' : e.size === 0 ? 'A' : 'D';
      out.push({ addr: e.addr, type, name });
    }
    return out.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : a.name < b.name ? -1 : 1));
  }

  /** Kernel function or object containing `addr`, for %pS and oops call traces. */
  symbolize(addr: bigint): { name: string; offset: bigint; size: bigint } | undefined {
    const list = (this.sorted ??= [...this.byName.values()]
      .filter((e) => e.kind === 'func' || e.size > 0)
      .sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0)));
    let lo = 0;
    let hi = list.length - 1;
    let found: KernelExport | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.addr <= addr) {
        found = list[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (!found) return undefined;
    const size = BigInt(found.kind === 'func' ? FUNC_SLOT : found.size);
    if (addr >= found.addr + size) return undefined;
    return { name: this.shownName(found.name), offset: addr - found.addr, size };
  }

  /** The name the build knows an implementation by (kmalloc_trace shows as __kmalloc_cache_noprof on 6.12). */
  private shownName(impl: string): string {
    return namesOf(impl).find((n) => vmlinuxExport(this.identity, n)) ?? impl;
  }

  private assertNew(name: string): void {
    if (this.byName.has(name)) throw new Error(`kernel export ${name} registered twice`);
  }

  private add(e: KernelExport): void {
    this.byName.set(e.name, e);
    this.sorted = undefined;
  }
}
