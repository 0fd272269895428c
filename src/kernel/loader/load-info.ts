// What the loader learns from a validated image before anything is allocated (setup_load_info).
import {
  parseModinfo,
  SHF_ALLOC,
  SHT_SYMTAB,
  type ElfImage,
  type SectionHeader,
} from '../../elf/index.js';
import { ENOEXEC } from '../errno.js';
import type { ProbeFacts } from '../identity/probe-fields.js';
import { LoadError } from './load-error.js';
import type { ValidImage } from './elf-validity.js';

export const THIS_MODULE_SECTION = '.gnu.linkonce.this_module';

/** Where the loader reads struct module in a module's image: the emulated build's layout. */
export type ModuleStructFacts = Pick<ProbeFacts, 'moduleName' | 'moduleNameLen' | 'moduleInit' | 'moduleExit' | 'moduleState'>;

export interface LoadInfo extends ValidImage {
  names: string[];
  /** Name used in messages: modinfo `name`, else struct module's name. */
  name: string;
  modinfo: Array<[string, string]>;
  symIndex: number;
  strIndex: number;
  modIndex: number;
  versIndex: number;
  infoIndex: number;
  pcpuIndex: number;
  /** ALLOC flags after the kernel's rewrites (modinfo, versions, percpu are dropped). */
  alloc: boolean[];
}

export function setupLoadInfo(v: ValidImage, facts: ModuleStructFacts, warn: (msg: string) => void): LoadInfo {
  const { img, sections, shstrtab } = v;
  const names = sections.map((s) => safeName(img, shstrtab, s));
  const find = (name: string) =>
    sections.findIndex((s, i) => i > 0 && (s.flags & SHF_ALLOC) !== 0n && names[i] === name);
  const infoIndex = Math.max(find('.modinfo'), 0);
  const modinfo = infoIndex ? parseModinfo(img.slice(sections[infoIndex]!.offset, sections[infoIndex]!.size)) : [];
  const missing = '(missing .modinfo section or name field)';
  let name = modinfo.find(([k]) => k === 'name')?.[1];
  const symIndex = Math.max(sections.findIndex((s, i) => i > 0 && s.type === SHT_SYMTAB), 0);
  if (!symIndex) {
    warn(`${name ?? missing}: module has no symbols (stripped?)`);
    throw new LoadError(ENOEXEC);
  }
  const modIndex = Math.max(find(THIS_MODULE_SECTION), 0);
  if (!modIndex || sections[modIndex]!.size < BigInt(facts.moduleExit + 8)) {
    // A this_module section too small to hold struct module would make the kernel read past it;
    // refuse it the way a missing one is refused.
    warn(`${name ?? missing}: No module found in object`);
    throw new LoadError(ENOEXEC);
  }
  if (name === undefined) name = structModuleName(img, sections[modIndex]!, facts);
  const versIndex = Math.max(find('__versions'), 0);
  const pcpuIndex = Math.max(find('.data..percpu'), 0);
  const alloc = sections.map((s, i) => i > 0 && (s.flags & SHF_ALLOC) !== 0n);
  alloc[versIndex] = false;
  alloc[infoIndex] = false;
  return { ...v, names, name, modinfo, symIndex, strIndex: sections[symIndex]!.link, modIndex, versIndex, infoIndex, pcpuIndex, alloc };
}

export function structModuleName(img: ElfImage, sec: SectionHeader, facts: ModuleStructFacts): string {
  const raw = img.slice(sec.offset + BigInt(facts.moduleName), facts.moduleNameLen);
  const end = raw.indexOf(0);
  return new TextDecoder('latin1').decode(raw.subarray(0, end < 0 ? raw.length : end));
}

function safeName(img: ElfImage, shstrtab: SectionHeader, s: SectionHeader): string {
  try {
    return img.stringAt(shstrtab, s.nameOffset);
  } catch {
    return '';
  }
}

export function modinfoGet(info: LoadInfo, tag: string): string | undefined {
  return info.modinfo.find(([k]) => k === tag)?.[1];
}
