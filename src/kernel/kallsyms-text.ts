// The text of /proc/kallsyms for a reader: kernel symbols first (sorted by address, as vmlinux's
// kallsyms table is), then each module in the module list's order (newest first), with values
// zeroed for readers kallsyms_show_value() refuses (kptr_restrict: no CAP_SYSLOG).
import { hex16, moduleKallsymsLines } from './kallsyms.js';
import type { Kernel } from './kernel.js';
import { ModuleState } from './module.js';

export function kallsymsText(k: Kernel, showValue: boolean): string {
  let out = '';
  for (const s of k.exports.kallsyms()) out += `${hex16(showValue ? s.addr : 0n)} ${s.type} ${s.name}\n`;
  for (const m of k.visibleModules()) {
    // is_exported looks only at the module's EXPORT_SYMBOL table (mod->syms), not the GPL one.
    const exported = new Set(m.exports.filter((e) => !e.gpl).map((e) => e.name));
    out += moduleKallsymsLines(m.name, m.state === ModuleState.COMING ? m.kallsyms.all : m.kallsyms.core, exported, showValue);
  }
  return out;
}
