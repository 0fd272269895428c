// Module.symvers and .config as kbuild writes them.
import type { SymversEntry } from './identity.js';

/**
 * One line per export: `0xCRC<TAB>name<TAB>owner<TAB>EXPORT_SYMBOL[_GPL]<TAB>namespace` since
 * Linux 5.10; 5.4 to 5.9 put the namespace third (`crc name ns owner type`). The export type
 * field tells the two apart.
 */
export function parseSymvers(text: string): Map<string, SymversEntry> {
  const out = new Map<string, SymversEntry>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const f = line.split('\t');
    if (f.length < 4) continue;
    const crc = Number.parseInt(f[0]!, 16) >>> 0;
    const typeAt = f[3]!.startsWith('EXPORT_SYMBOL') ? 3 : f[4]?.startsWith('EXPORT_SYMBOL') ? 4 : -1;
    if (typeAt < 0) continue;
    const owner = typeAt === 3 ? f[2]! : f[3]!;
    const namespace = (typeAt === 3 ? f[4] : f[2]) ?? '';
    out.set(f[1]!, { crc, gpl: f[typeAt]!.endsWith('_GPL'), namespace, owner });
  }
  return out;
}

/** The same format back (the bundled identity stores it). */
export function formatSymvers(map: ReadonlyMap<string, SymversEntry>): string {
  let s = '';
  for (const [name, e] of map) {
    s += `0x${e.crc.toString(16).padStart(8, '0')}\t${name}\t${e.owner}\t${e.gpl ? 'EXPORT_SYMBOL_GPL' : 'EXPORT_SYMBOL'}\t${e.namespace}\n`;
  }
  return s;
}

/** `CONFIG_X=v` lines; `# CONFIG_X is not set` and comments are dropped (unset means off). */
export function parseKconfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('CONFIG_')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    out.set(line.slice(7, eq), line.slice(eq + 1));
  }
  return out;
}
