// BUG() and WARN() sites: a module's __bug_table, read after relocation.
//
// On x86-64 6.1 both macros compile to a `ud2` plus an entry in __bug_table. With
// GENERIC_BUG_RELATIVE_POINTERS and DEBUG_BUGVERBOSE an entry is 12 bytes: a 32-bit displacement
// from the entry to the ud2, a 32-bit displacement from the second field to the file name, the
// line (u16) and flags (u16). The flags say whether the site is a WARN (execution continues after
// the ud2), a once-only WARN (and whether it already fired), and whether __warn_printk already
// printed the "cut here" line. The DONE bit is kept in the entry itself, as the kernel does, so a
// WARN_ON_ONCE stays quiet until the module is reloaded.
import type { CpuFault } from '../cpu/types.js';
import type { Kernel } from './kernel.js';
import type { Module } from './module.js';
import type { Task } from './api/sched.js';
import { reportWarning } from './oops.js';
import { TAINT } from './taint.js';

export const BUG_ENTRY_SIZE = 12;
export const BUGFLAG_WARNING = 1 << 0;
export const BUGFLAG_ONCE = 1 << 1;
export const BUGFLAG_DONE = 1 << 2;
export const BUGFLAG_NO_CUT_HERE = 1 << 3;
/** The taint a WARN adds (bits 8..15 of flags hold it; 0 means TAINT_WARN). */
const BUGFLAG_TAINT_SHIFT = 8;

export interface BugSite {
  file: string;
  line: number;
  flags: number;
  /** Address of the entry (its flags are at +10). */
  entry: bigint;
  mod: Module;
}

const latin1 = new TextDecoder('latin1');

/** The kernel's index of every loaded module's BUG/WARN sites (module_bug_list). */
export class BugTable {
  /** ud2 address -> its entry. */
  private readonly sites = new Map<bigint, { entry: bigint; mod: Module }>();

  constructor(private readonly k: Kernel) {}

  /** module_bug_finalize: index the module's __bug_table (call after relocation). */
  add(mod: Module): void {
    for (const s of mod.sections) {
      if (s.name !== '__bug_table') continue;
      for (let off = 0; off + BUG_ENTRY_SIZE <= s.size; off += BUG_ENTRY_SIZE) {
        const e = s.addr + BigInt(off);
        const disp = BigInt.asIntN(32, BigInt(this.k.mem.readU32(e)));
        this.sites.set(e + disp, { entry: e, mod });
      }
    }
  }

  /** module_bug_cleanup: forget the module's sites (unload, failed load). */
  remove(mod: Module): void {
    for (const [addr, v] of this.sites) if (v.mod === mod) this.sites.delete(addr);
  }

  find(rip: bigint): BugSite | undefined {
    const v = this.sites.get(BigInt.asUintN(64, rip));
    if (!v) return undefined;
    const m = this.k.mem;
    const fileField = v.entry + 4n;
    const file = fileField + BigInt.asIntN(32, BigInt(m.readU32(fileField)));
    let name: string;
    try {
      name = latin1.decode(m.readCString(file, 256));
    } catch {
      name = '<bad filename>';
    }
    return { file: name, line: m.readU16(v.entry + 8n), flags: m.readU16(v.entry + 10n), entry: v.entry, mod: v.mod };
  }

  /** `file:line` of a BUG() site, as `kernel BUG at` names it. */
  at(rip: bigint): string | undefined {
    const s = this.find(rip);
    return s ? `${s.file}:${s.line}` : undefined;
  }
}

/**
 * The CPU met a ud2 (cpu.onUd2): a WARN site is reported and execution continues (true); a BUG
 * site or a ud2 with no entry becomes an invalid-opcode oops (false), reported by the caller.
 */
export function handleUd2(k: Kernel, f: CpuFault, task: Task): boolean {
  const site = k.bugs.find(f.regs.rip);
  if (!site || !(site.flags & BUGFLAG_WARNING)) return false;
  if (site.flags & BUGFLAG_ONCE) {
    if (site.flags & BUGFLAG_DONE) return true;
    k.mem.writeU16(site.entry + 10n, site.flags | BUGFLAG_DONE);
  }
  if (!(site.flags & BUGFLAG_NO_CUT_HERE)) k.log.emit(4, '------------[ cut here ]------------');
  const taint = site.flags >> BUGFLAG_TAINT_SHIFT || TAINT.WARN;
  reportWarning(k, f, task, `${site.file}:${site.line}`, taint);
  return true;
}
