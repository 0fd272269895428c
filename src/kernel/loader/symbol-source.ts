// find_symbol over the kernel's exports and then every formed module's, plus ref_module.
import { EBUSY, ENOENT } from '../errno.js';
import { enabled } from '../identity/identity.js';
import type { Kernel } from '../kernel.js';
import { ModuleState, type Module } from '../module.js';
import type { SymbolSource } from './resolve.js';

export function kernelSymbolSource(k: Kernel): SymbolSource {
  return {
    find(name, gplOk) {
      const e = k.exports.link(name);
      // Without MODVERSIONS the build has no CRCs to check (Module.symvers says 0x00000000).
      const crc = e && enabled(k.identity, 'MODVERSIONS') ? e.crc : undefined;
      if (e && (gplOk || !e.gpl)) return { addr: e.addr, owner: null, gpl: e.gpl, crc, namespace: e.namespace };
      for (const m of k.modules) {
        if (m.state === ModuleState.UNFORMED) continue;
        const x = m.exports.find((ex) => ex.name === name && (gplOk || !ex.gpl));
        if (x) return { addr: x.addr, owner: m, gpl: x.gpl, crc: x.crc, namespace: x.namespace };
      }
      return undefined;
    },
    refModule(user: Module, owner: Module): number {
      if (user.uses.has(owner)) return 0;
      if (owner.state === ModuleState.COMING) return EBUSY;
      if (owner.state === ModuleState.GOING) return ENOENT;
      user.uses.add(owner);
      owner.holders.unshift(user);
      owner.refcnt += 1;
      return 0;
    },
  };
}
