// Where each allocated section goes (layout_sections + layout_symtab, STRICT_MODULE_RWX=y): the
// sizes this produces are what coresize, initsize and /proc/modules report. Two generations:
//  - up to 6.3, one core and one init allocation, each group of sections (text, rodata,
//    ro_after_init, data) starting on a page boundary inside it;
//  - 6.4 and later (struct module_memory), one allocation per memory type (text, data, rodata,
//    ro_after_init, and the init text, data and rodata), each its own page-rounded size and
//    absent when empty; /proc/modules shows the text allocation's address.
import { SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_UNDEF, SYM_SIZE, type ElfSymbol } from '../../elf/index.js';
import type { LoadInfo } from './load-info.js';

const SHF_RO_AFTER_INIT = 0x00200000n;
const PAGE = 4096;
const KALLSYMS_HEADER = 32; // struct mod_kallsyms
/** LINUX_VERSION_CODE of 6.4.0, where struct module_memory replaced core/init layouts. */
export const MODULE_MEMORY_SINCE = (6 << 16) | (4 << 8);

export interface Placement {
  /** Index into ModuleLayout.regions. */
  region: number;
  offset: number;
}

export interface Region {
  /** module_memory type name (mod_mem_type), or core/init before 6.4. */
  name: 'core' | 'init' | 'text' | 'data' | 'rodata' | 'ro_after_init' | 'init_text' | 'init_data' | 'init_rodata';
  init: boolean;
  /** Page-rounded allocation size; 0 means nothing is allocated. */
  size: number;
}

export interface ModuleLayout {
  regions: Region[];
  /** Indexed by section; undefined for sections that are not loaded. */
  place: Array<Placement | undefined>;
  /** The region /proc/modules takes its address from (core, or text on 6.4+). */
  addressRegion: number;
  /** The kept symbols (symbol indexes) for the core kallsyms copy. */
  coreSymbols: number[];
}

const align = (n: number, a: bigint) => {
  const al = a > 0n ? Number(a) : 1;
  return Math.ceil(n / al) * al;
};
const pageAlign = (n: number) => Math.ceil(n / PAGE) * PAGE;

// required flags, forbidden flags — taken in this order (the kernel's masks[] table).
const GROUPS: Array<[bigint, bigint]> = [
  [SHF_EXECINSTR | SHF_ALLOC, 0n],
  [SHF_ALLOC, SHF_WRITE],
  [SHF_RO_AFTER_INIT | SHF_ALLOC, 0n],
  [SHF_WRITE | SHF_ALLOC, 0n],
  [SHF_ALLOC, 0n],
];
// 6.4+: the memory type each group goes to, for core and for init sections (-1: invalid).
const CORE_TYPE = [0, 2, 3, 1, 1];
const INIT_TYPE = [4, 6, -1, 5, 5];
const MEM_TYPES: Region['name'][] = ['text', 'data', 'rodata', 'ro_after_init', 'init_text', 'init_data', 'init_rodata'];

export function layoutModule(info: LoadInfo, symbols: ElfSymbol[], versionCode: number): ModuleLayout {
  const { sections, names, alloc } = info;
  const flags = sections.map((s, i) => {
    let f = alloc[i] ? s.flags | SHF_ALLOC : s.flags & ~SHF_ALLOC;
    if (i === info.pcpuIndex) f &= ~SHF_ALLOC;
    if (alloc[i] && (names[i] === '.data..ro_after_init' || names[i] === '__jump_table')) f |= SHF_RO_AFTER_INIT;
    return f;
  });
  const place: Array<Placement | undefined> = new Array(sections.length).fill(undefined);
  const perType = versionCode >= MODULE_MEMORY_SINCE;
  const sizes = perType ? new Array(7).fill(0) : [0, 0];
  const regionOf = (isInit: boolean, g: number) => (perType ? (isInit ? INIT_TYPE[g]! : CORE_TYPE[g]!) : isInit ? 1 : 0);

  for (const isInit of [false, true]) {
    GROUPS.forEach(([need, forbid], g) => {
      const r = regionOf(isInit, g);
      for (let i = 1; i < sections.length; i++) {
        const f = flags[i]!;
        if ((f & need) !== need || (f & forbid) !== 0n || place[i]) continue;
        if (names[i]!.startsWith('.init') !== isInit) continue;
        if (r < 0) continue; // WARN_ON_ONCE(type == MOD_INVALID) in the kernel: not placed
        const off = align(sizes[r]!, sections[i]!.addralign);
        place[i] = { region: r, offset: off };
        sizes[r] = off + Number(sections[i]!.size);
      }
      // Before 6.4 each group starts a page inside the shared allocation (debug_align).
      if (!perType && (g === 0 || g === 1 || g === 4 || (g === 2 && !isInit))) sizes[r] = pageAlign(sizes[r]!);
    });
  }

  // Symbol tables: the full tables ride in init; core keeps a reduced copy for kallsyms.
  const coreData = perType ? 1 : 0;
  const initData = perType ? 5 : 1;
  const symtab = sections[info.symIndex]!;
  const strtab = sections[info.strIndex]!;
  const coreSymbols: number[] = [];
  let strBytes = 0;
  for (const s of symbols) {
    if (s.index === 0 || isCoreSymbol(s, sections.length, info.pcpuIndex, flags, place, perType ? [4, 5, 6] : [1])) {
      coreSymbols.push(s.index);
      strBytes += nameLength(info, s) + 1;
    }
  }
  const symOff = align(sizes[initData]!, symtab.addralign);
  place[info.symIndex] = { region: initData, offset: symOff };
  sizes[initData] = symOff + Number(symtab.size);
  sizes[coreData] = align(sizes[coreData]!, symtab.addralign) + coreSymbols.length * SYM_SIZE + strBytes + coreSymbols.length;
  if (!perType) sizes[coreData] = pageAlign(sizes[coreData]!);
  const strOff = align(sizes[initData]!, strtab.addralign);
  place[info.strIndex] = { region: initData, offset: strOff };
  sizes[initData] = strOff + Number(strtab.size);
  sizes[initData] = align(sizes[initData]!, 8n) + KALLSYMS_HEADER + symbols.length;

  const regions: Region[] = perType
    ? MEM_TYPES.map((name, t) => ({ name, init: t >= 4, size: pageAlign(sizes[t]!) }))
    : [
        { name: 'core', init: false, size: sizes[0]! },
        { name: 'init', init: true, size: pageAlign(sizes[1]!) },
      ];
  return { regions, place, addressRegion: 0, coreSymbols };
}

function isCoreSymbol(
  s: ElfSymbol,
  shnum: number,
  pcpuIndex: number,
  flags: bigint[],
  place: Array<Placement | undefined>,
  initRegions: number[],
): boolean {
  if (s.shndx === SHN_UNDEF || s.shndx >= shnum || s.nameOffset === 0) return false;
  if (pcpuIndex && s.shndx === pcpuIndex) return true;
  if ((flags[s.shndx]! & SHF_ALLOC) === 0n) return false;
  const p = place[s.shndx];
  return !p || !initRegions.includes(p.region);
}

function nameLength(info: LoadInfo, s: ElfSymbol): number {
  try {
    return info.img.stringAt(info.sections[info.strIndex]!, s.nameOffset).length;
  } catch {
    return 0;
  }
}
