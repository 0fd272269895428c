// /proc/kallsyms: the kernel image's symbols, then every module's (kernel/kallsyms.c s_show over
// kernel/module/kallsyms.c). A module keeps, from its ELF symbol table, what add_kallsyms keeps on
// a KALLSYMS_ALL build: named, defined symbols in allocated sections other than init ones, and
// per-cpu symbols, in symbol-table order, each typed as elf_type() types it; exported ones are
// shown upper case. While the module is still coming the whole table is shown (init symbols and
// undefined ones, typed 'U'), as mod->kallsyms points at the full copy until init is done.
import { SHF_EXECINSTR, SHF_WRITE, SHN_ABS, SHN_LORESERVE, SHN_UNDEF, SHT_NOBITS, STB_WEAK, STT_OBJECT, type ElfSymbol } from '../elf/index.js';
import type { LoadInfo } from './loader/load-info.js';

export interface KallsymsEntry {
  name: string;
  addr: bigint;
  /** elf_type() letter, lower case (s_show raises it for exported symbols). */
  type: string;
}

export interface ModuleKallsyms {
  /** The full table, shown while the module is coming. */
  all: KallsymsEntry[];
  /** What stays after init (core_kallsyms). */
  core: KallsymsEntry[];
}

function elfType(s: ElfSymbol, info: LoadInfo): string {
  if (s.bind === STB_WEAK) return s.type === STT_OBJECT ? 'v' : 'w';
  if (s.shndx === SHN_UNDEF) return 'U';
  if (s.shndx === SHN_ABS || (info.pcpuIndex && s.shndx === info.pcpuIndex)) return 'a';
  if (s.shndx >= SHN_LORESERVE) return '?';
  const sec = info.sections[s.shndx];
  if (!sec) return '?';
  if (sec.flags & SHF_EXECINSTR) return 't';
  // info.alloc: SHF_ALLOC after the loader cleared it for .modinfo and __versions.
  if (info.alloc[s.shndx] && sec.type !== SHT_NOBITS) return sec.flags & SHF_WRITE ? 'd' : 'r';
  if (sec.type === SHT_NOBITS) return 'b';
  if (info.names[s.shndx]?.startsWith('.debug')) return 'n';
  return '?';
}

/** add_kallsyms for a module whose symbols have their final `values`; `initSection(i)` marks init sections. */
export function moduleKallsyms(info: LoadInfo, symbols: ElfSymbol[], values: bigint[], initSection: (i: number) => boolean): ModuleKallsyms {
  const strtab = info.sections[info.strIndex]!;
  const all: KallsymsEntry[] = [];
  const core: KallsymsEntry[] = [];
  for (const s of symbols) {
    let name = '';
    try {
      name = s.nameOffset ? info.img.stringAt(strtab, s.nameOffset) : '';
    } catch {
      name = '';
    }
    const e = { name, addr: values[s.index] ?? s.value, type: elfType(s, info) };
    all.push(e);
    if (s.shndx === SHN_UNDEF || s.shndx >= info.sections.length || !s.nameOffset) continue;
    const percpu = info.pcpuIndex !== 0 && s.shndx === info.pcpuIndex;
    if (!percpu && (!info.alloc[s.shndx] || initSection(s.shndx))) continue;
    core.push(e);
  }
  return { all, core };
}

/** One module's lines (s_show: `%px %c %s\t[%s]`); `exported` raises the type letter. */
export function moduleKallsymsLines(mod: string, table: KallsymsEntry[], exported: ReadonlySet<string>, showValue: boolean): string {
  let out = '';
  for (const e of table) {
    if (!e.name) continue; // s_show skips nameless entries
    const type = exported.has(e.name) ? e.type.toUpperCase() : e.type.toLowerCase();
    out += `${hex16(showValue ? e.addr : 0n)} ${type} ${e.name}\t[${mod}]\n`;
  }
  return out;
}

export function hex16(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, '0');
}
