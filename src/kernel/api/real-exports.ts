// What the real kernel exports, for telling a user that a module needs a symbol modfs lacks.
//
// real-exports.txt.gz (made by scripts/extract-exports.sh from Debian 6.1.0-56's Module.symvers,
// ~160 KB) lists every exported name with its owner (vmlinux or an in-tree module) and whether it
// is GPL-only. It is read lazily, the first time a module needs a symbol that modfs does not have,
// from the source tree (the same relative path from src/kernel/api/ and dist/kernel/api/).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SHN_UNDEF, type ElfImage } from '../../elf/index.js';
import type { Kernel } from '../kernel.js';

export interface RealExport {
  owner: string;
  gpl: boolean;
}

let table: Map<string, RealExport> | null | undefined;

/** name -> owner of every export of the real kernel; null if the list is not available. */
export function realExports(): Map<string, RealExport> | null {
  if (table !== undefined) return table;
  try {
    const raw = gunzipSync(readFileSync(new URL('../../../src/kernel/api/real-exports.txt.gz', import.meta.url)));
    const t = new Map<string, RealExport>();
    for (const line of raw.toString('latin1').split('\n')) {
      if (!line) continue;
      const [name, owner, g] = line.split('\t');
      t.set(name!, { owner: owner!, gpl: g === 'G' });
    }
    table = t;
  } catch {
    table = null;
  }
  return table;
}

/** The modfs explanation for an unknown symbol, or undefined when the real kernel lacks it too. */
export function unimplementedNote(name: string): string | undefined {
  const r = realExports()?.get(name);
  if (!r) return undefined;
  const where = r.owner === 'vmlinux' ? 'the kernel' : `module ${r.owner}`;
  return `modfs: ${name} is exported by ${where} in Linux 6.1 but modfs does not implement it`;
}

export interface NeededSymbol {
  name: string;
  /** implemented: modfs exports it; missing: the real kernel exports it, modfs does not;
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
  const real = realExports();
  return [...names].sort().map((name) => {
    if (k.exports.get(name)) return { name, status: 'implemented' };
    const r = real?.get(name);
    return r ? { name, status: 'missing', owner: r.owner } : { name, status: 'unknown' };
  });
}
