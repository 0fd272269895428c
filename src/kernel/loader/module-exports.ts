// A module's own exports: __ksymtab[_gpl] entries (three PREL32 fields, relocated in place) and
// the matching __kcrctab[_gpl] CRC arrays; and the duplicate check done at formation.
import type { AddressSpace } from '../../mm/types.js';
import { ENOEXEC } from '../errno.js';
import { vmlinuxExport } from '../identity/identity.js';
import type { Kernel } from '../kernel.js';
import { ModuleState, type Module, type ModuleExportEntry } from '../module.js';
import { LoadError } from './load-error.js';
import type { LoadInfo } from './load-info.js';

const ENTRY = 12;

export function readModuleExports(info: LoadInfo, mem: AddressSpace, addrOf: (i: number) => bigint): ModuleExportEntry[] {
  const out: ModuleExportEntry[] = [];
  const sec = (name: string) => info.sections.findIndex((s, i) => info.alloc[i] && info.names[i] === name);
  for (const [tab, crcTab, gpl] of [
    ['__ksymtab', '__kcrctab', false],
    ['__ksymtab_gpl', '__kcrctab_gpl', true],
  ] as const) {
    const i = sec(tab);
    if (i <= 0) continue;
    const base = addrOf(i);
    const n = Math.floor(Number(info.sections[i]!.size) / ENTRY);
    const c = sec(crcTab);
    for (let j = 0; j < n; j++) {
      const e = base + BigInt(j * ENTRY);
      const rel = (off: number) => e + BigInt(off) + BigInt(signed32(mem.readU32(e + BigInt(off))));
      const nsOff = signed32(mem.readU32(e + 8n));
      out.push({
        addr: rel(0),
        name: cString(mem, rel(4)),
        namespace: nsOff === 0 ? '' : cString(mem, rel(8)),
        gpl,
        crc: c > 0 ? mem.readU32(addrOf(c) + BigInt(j * 4)) : undefined,
      });
    }
  }
  return out;
}

export function checkDuplicateExports(k: Kernel, mod: Module): void {
  for (const e of mod.exports) {
    let owner: string | undefined;
    // verify_exported_symbols looks through vmlinux's own ksymtab: everything the build exports,
    // whether modfs implements it or not.
    if (vmlinuxExport(k.identity, e.name)) owner = 'kernel';
    else {
      const m = k.modules.find((o) => o !== mod && o.state !== ModuleState.UNFORMED && o.exports.some((x) => x.name === e.name));
      owner = m?.name;
    }
    if (owner) {
      k.log.emit(3, `${mod.name}: exports duplicate symbol ${e.name} (owned by ${owner})`);
      throw new LoadError(ENOEXEC);
    }
  }
}

function signed32(v: number): number {
  return v | 0;
}

function cString(mem: AddressSpace, addr: bigint): string {
  try {
    return new TextDecoder('latin1').decode(mem.readCString(addr, 256));
  } catch {
    return '';
  }
}
