// resolve_symbol_wait: a module that needs a symbol of a module still running its init waits for
// that init, up to 30 seconds per symbol (module_wq, 30 * HZ), before resolving it. The wait comes
// before the load proper here (the loader itself is synchronous): the image's undefined symbols are
// looked up without side effects, and each one whose exporter is COMING is waited for in turn.
// If the exporter is still COMING afterwards, resolution prints "gave up waiting" and the symbol
// fails with EBUSY (resolve.ts), as on the real kernel.
import { ElfImage, SHN_UNDEF, SHT_SYMTAB } from '../../elf/index.js';
import type { Kernel } from '../kernel.js';
import { ModuleState, type Module } from '../module.js';
import { kernelSymbolSource } from './symbol-source.js';

const WAIT_MS = 30_000;

/** Exporters that are COMING, once per undefined symbol of the image that they export. */
function comingExporters(k: Kernel, image: Uint8Array): Module[] {
  const out: Module[] = [];
  try {
    const img = new ElfImage(image);
    const sections = img.sections();
    const symtab = sections.find((s) => s.type === SHT_SYMTAB);
    const strtab = symtab && sections[symtab.link];
    if (!symtab || !strtab) return out;
    const src = kernelSymbolSource(k);
    for (const s of img.symbols(symtab)) {
      if (s.index === 0 || s.shndx !== SHN_UNDEF || !s.nameOffset) continue;
      const owner = src.find(img.stringAt(strtab, s.nameOffset), true)?.owner;
      if (owner && owner.state === ModuleState.COMING) out.push(owner);
    }
  } catch {
    // A malformed image is the loader's to refuse, with its own messages.
  }
  return out;
}

export async function waitForExporters(k: Kernel, image: Uint8Array): Promise<void> {
  for (const owner of comingExporters(k, image)) {
    const deadline = Date.now() + WAIT_MS;
    while (owner.state === ModuleState.COMING && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, deadline - Date.now());
        const off = k.onChange(done);
        function done(): void {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    }
  }
}
