// Where each allocated section goes (layout_sections + layout_symtab, 6.1, STRICT_MODULE_RWX=y):
// the sizes this produces are what coresize, initsize and /proc/modules report.
import { SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_UNDEF, SYM_SIZE, type ElfSymbol } from '../../elf/index.js';
import type { LoadInfo } from './load-info.js';

const SHF_RO_AFTER_INIT = 0x00200000n;
const PAGE = 4096;
const KALLSYMS_HEADER = 32; // struct mod_kallsyms

export interface Placement {
  init: boolean;
  offset: number;
}

export interface ModuleLayout {
  /** Indexed by section; undefined for sections that are not loaded. */
  place: Array<Placement | undefined>;
  coreSize: number;
  initSize: number;
  coreTextSize: number;
  coreRoSize: number;
  /** Offset in core of the kept-symbol copy, its count, and the kept symbol indexes. */
  coreSymOffset: number;
  coreSymbols: number[];
}

const align = (n: number, a: bigint) => {
  const al = a > 0n ? Number(a) : 1;
  return Math.ceil(n / al) * al;
};
const pageAlign = (n: number) => Math.ceil(n / PAGE) * PAGE;

// required flags, forbidden flags — taken in this order, then page rounding per group.
const GROUPS: Array<[bigint, bigint]> = [
  [SHF_EXECINSTR | SHF_ALLOC, 0n],
  [SHF_ALLOC, SHF_WRITE],
  [SHF_RO_AFTER_INIT | SHF_ALLOC, 0n],
  [SHF_WRITE | SHF_ALLOC, 0n],
  [SHF_ALLOC, 0n],
];

export function layoutModule(info: LoadInfo, symbols: ElfSymbol[]): ModuleLayout {
  const { sections, names, alloc } = info;
  const flags = sections.map((s, i) => {
    let f = alloc[i] ? s.flags | SHF_ALLOC : s.flags & ~SHF_ALLOC;
    if (i === info.pcpuIndex) f &= ~SHF_ALLOC;
    if (alloc[i] && (names[i] === '.data..ro_after_init' || names[i] === '__jump_table')) f |= SHF_RO_AFTER_INIT;
    return f;
  });
  const place: Array<Placement | undefined> = new Array(sections.length).fill(undefined);
  let core = 0;
  let init = 0;
  let coreTextSize = 0;
  let coreRoSize = 0;
  for (const isInit of [false, true]) {
    let size = 0;
    GROUPS.forEach(([need, forbid], g) => {
      for (let i = 1; i < sections.length; i++) {
        const f = flags[i]!;
        if ((f & need) !== need || (f & forbid) !== 0n || place[i]) continue;
        if (names[i]!.startsWith('.init') !== isInit) continue;
        const off = align(size, sections[i]!.addralign);
        place[i] = { init: isInit, offset: off };
        size = off + Number(sections[i]!.size);
      }
      if (g === 0 || g === 1 || g === 4 || (g === 2 && !isInit)) size = pageAlign(size);
      if (!isInit && g === 0) coreTextSize = size;
      if (!isInit && g === 1) coreRoSize = size;
    });
    if (isInit) init = size;
    else core = size;
  }

  // Symbol tables: the full tables ride in init; core keeps a reduced copy for kallsyms.
  const symtab = sections[info.symIndex]!;
  const strtab = sections[info.strIndex]!;
  const coreSymbols: number[] = [];
  let strBytes = 0;
  const strtabName = (s: ElfSymbol) => nameLength(info, s);
  for (const s of symbols) {
    if (s.index === 0 || isCoreSymbol(s, sections.length, info.pcpuIndex, flags, place)) {
      coreSymbols.push(s.index);
      strBytes += strtabName(s) + 1;
    }
  }
  const symOff = align(init, symtab.addralign);
  place[info.symIndex] = { init: true, offset: symOff };
  init = symOff + Number(symtab.size);
  const coreSymOffset = align(core, symtab.addralign);
  core = coreSymOffset + coreSymbols.length * SYM_SIZE + strBytes + coreSymbols.length;
  core = pageAlign(core);
  const strOff = align(init, strtab.addralign);
  place[info.strIndex] = { init: true, offset: strOff };
  init = strOff + Number(strtab.size);
  init = align(init, 8n) + KALLSYMS_HEADER + symbols.length;
  init = pageAlign(init);
  return { place, coreSize: core, initSize: init, coreTextSize, coreRoSize, coreSymOffset, coreSymbols };
}

function isCoreSymbol(
  s: ElfSymbol,
  shnum: number,
  pcpuIndex: number,
  flags: bigint[],
  place: Array<Placement | undefined>,
): boolean {
  if (s.shndx === SHN_UNDEF || s.shndx >= shnum || s.nameOffset === 0) return false;
  if (pcpuIndex && s.shndx === pcpuIndex) return true;
  if ((flags[s.shndx]! & SHF_ALLOC) === 0n) return false;
  return !place[s.shndx]?.init;
}

function nameLength(info: LoadInfo, s: ElfSymbol): number {
  try {
    return info.img.stringAt(info.sections[info.strIndex]!, s.nameOffset).length;
  } catch {
    return 0;
  }
}
