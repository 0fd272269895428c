// What the emulated build exports that modfs does not implement, for telling a user why a module
// needs a symbol modfs lacks. The build's Module.symvers (identity/) lists every export with its
// owner (vmlinux or an in-tree module) and whether it is GPL-only.
import { SHN_UNDEF, type ElfImage } from '../../elf/index.js';
import type { Kernel } from '../kernel.js';

/** The modfs explanation for an unknown symbol, or undefined when the build lacks it too. */
export function unimplementedNote(k: Kernel, name: string): string | undefined {
  const r = k.identity.symvers.get(name);
  if (!r) return undefined;
  const where = r.owner === 'vmlinux' ? 'the kernel' : `module ${r.owner.replace(/^.*\//, '')}`;
  return `modfs: ${name} is exported by ${where} in Linux ${k.identity.release} but modfs does not implement it`;
}

export interface NeededSymbol {
  name: string;
  /** implemented: modfs links it; missing: the build exports it, modfs does not;
   *  unknown: neither does (another module's export, or a build for another kernel). */
  status: 'implemented' | 'missing' | 'unknown';
  owner?: string;
}

/** The kernel symbols a module image imports (undefined, non-empty names), with their status. */
export function neededSymbols(k: Kernel, img: ElfImage): NeededSymbol[] {
  const sections = img.sections();
  const symtab = sections.find((s) => s.type === 2 /* SHT_SYMTAB */);
  const strtab = symtab && sections[symtab.link];
  if (!symtab || !strtab) return [];
  const names = new Set<string>();
  for (const s of img.symbols(symtab)) {
    if (s.index === 0 || s.shndx !== SHN_UNDEF || !s.nameOffset) continue;
    names.add(img.stringAt(strtab, s.nameOffset));
  }
  return [...names].sort().map((name) => {
    if (k.exports.link(name)) return { name, status: 'implemented' };
    const r = k.identity.symvers.get(name);
    return r ? { name, status: 'missing', owner: r.owner.replace(/^.*\//, '') } : { name, status: 'unknown' };
  });
}
