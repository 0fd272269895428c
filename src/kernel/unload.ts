// delete_module(2) (6.1): the checks in the kernel's order, then exit, then free. The kernel
// logs nothing on a successful unload.
import { CpuFault } from '../cpu/types.js';
import { EBUSY, ENOENT, EWOULDBLOCK, KernelError } from './errno.js';
import type { Kernel } from './kernel.js';
import { freeModule } from './loader/load-module.js';
import { ModuleState } from './module.js';
import { reportFault } from './oops.js';
import { moduleTaintLetters, TAINT } from './taint.js';

export function deleteModule(k: Kernel, name: string, force: boolean): void {
  if (name.length === 0 || name.length >= 56) throw new KernelError(ENOENT);
  const mod = k.find(name);
  if (!mod) throw new KernelError(ENOENT);
  if (mod.holders.length) throw new KernelError(EWOULDBLOCK);
  if (mod.state !== ModuleState.LIVE) throw new KernelError(EBUSY);
  if (mod.permanent) {
    if (!force) throw new KernelError(EBUSY);
    k.addTaint(TAINT.FORCED_RMMOD, true);
  }
  if (mod.refcnt > 0) {
    if (!force) throw new KernelError(EWOULDBLOCK);
    k.addTaint(TAINT.FORCED_RMMOD, true);
  }
  mod.state = ModuleState.GOING;
  k.mem.writeU32(mod.thisModule, mod.state);
  k.changed();
  if (mod.exitFn) {
    try {
      k.callModule(mod.exitFn, []);
    } catch (e) {
      // An oops in exit kills rmmod; the module stays GOING, as on a real kernel.
      reportFault(k, e instanceof CpuFault ? e : e, 'rmmod');
      throw new KernelError(EBUSY, 'oops in exit');
    }
  }
  const t = moduleTaintLetters(mod.taints);
  k.lastUnloaded = `${mod.name}${t ? `(${t})` : ''}`;
  freeModule(k, mod, false);
}
