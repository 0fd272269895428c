// delete_module(2) (6.1): the checks in the kernel's order, then exit, then free. The kernel
// logs nothing on a successful unload.
import { EXIT_FRAMES } from './api/sched.js';
import { EBUSY, ENOENT, EWOULDBLOCK, KernelError } from './errno.js';
import type { Kernel } from './kernel.js';
import { freeModule } from './loader/load-module.js';
import { ModuleState, type Module } from './module.js';
import { moduleTaintLetters, TAINT } from './taint.js';

/** delete_module(2); exit runs to completion before this returns. */
export function deleteModule(k: Kernel, name: string, force: boolean): void {
  const mod = stopModule(k, name, force);
  if (!mod.exitFn) return finish(k, mod);
  const task = k.sched.newTask('rmmod', EXIT_FRAMES);
  try {
    exitKilled(mod, () => k.sched.call(mod.exitFn, [], task));
  } finally {
    k.sched.exitTask(task);
  }
  finish(k, mod);
}

/** deleteModule with exit run in slices (api/sched.ts), so the daemon keeps serving meanwhile. */
export async function deleteModuleAsync(k: Kernel, name: string, force: boolean): Promise<void> {
  const mod = stopModule(k, name, force);
  if (!mod.exitFn) return finish(k, mod);
  const task = k.sched.newTask('rmmod', EXIT_FRAMES);
  try {
    const run = k.runModule(mod.exitFn, [], task);
    await run.catch((e: unknown) => exitKilled(mod, () => {
      throw e;
    }));
  } finally {
    k.sched.exitTask(task);
  }
  finish(k, mod);
}

/** Checks of delete_module up to try_stop_module; the module is GOING when this returns. */
function stopModule(k: Kernel, name: string, force: boolean): Module {
  if (name.length === 0 || name.length >= 56) throw new KernelError(ENOENT);
  const mod = k.find(name);
  if (!mod) throw new KernelError(ENOENT);
  if (mod.holders.length) throw new KernelError(EWOULDBLOCK);
  // COMING (still in init, or left there by an oops in init) and GOING are both EBUSY, forced or not.
  if (mod.state !== ModuleState.LIVE) throw new KernelError(EBUSY);
  if (mod.permanent) {
    if (!force) throw new KernelError(EBUSY);
    k.addTaint(TAINT.FORCED_RMMOD, true);
  }
  if (mod.refcnt > 0) {
    if (!force) throw new KernelError(EWOULDBLOCK);
    k.addTaint(TAINT.FORCED_RMMOD, true);
  }
  // try_stop_module drops the base reference: module_refcount() is -1 from here on (0 - 1 when
  // nothing else holds it), which exit sees and which stays visible if exit oopses.
  mod.refcnt -= 1;
  k.setModuleState(mod, ModuleState.GOING);
  return mod;
}

/**
 * An oops in exit kills rmmod (the report is already logged; the writer gets EOWNERDEAD). As on the
 * real kernel the module stays GOING ("Unloading", flags with `-`), its reference count already
 * dropped below the base (refcnt shows -1), and every later delete_module is EBUSY.
 */
function exitKilled(mod: Module, f: () => unknown): void {
  void mod;
  f();
}

function finish(k: Kernel, mod: Module): void {
  const t = moduleTaintLetters(mod.taints);
  k.lastUnloaded = `${mod.name}${t ? `(${t})` : ''}`;
  freeModule(k, mod, false);
}

