import type { Module } from './module.js';

/** kallsyms-style `name+0xoff/0xsize [mod]` for an address inside module `m`. */
export function moduleSymbolize(m: Module, addr: bigint): string {
  let best: { name: string; addr: bigint; size: number } | undefined;
  for (const s of m.symbols) {
    if (s.addr <= addr && (!best || s.addr > best.addr)) best = s;
  }
  if (!best) return `0x${addr.toString(16)} [${m.name}]`;
  const size = best.size > 0 ? best.size : 0;
  return `${best.name}+0x${(addr - best.addr).toString(16)}/0x${size.toString(16)} [${m.name}]`;
}
