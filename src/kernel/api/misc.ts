// Time, locks, module references and diagnostics: single-CPU semantics over a virtual clock.
import type { Kernel } from '../kernel.js';
import { KernelPanic, dumpStack } from '../oops.js';
import { ModuleState } from '../module.js';
import { formatKernel } from '../format.js';
import { formatHooks, variadicArgs } from './format-hooks.js';
import { TAINT } from '../taint.js';

export function registerMiscApi(k: Kernel): void {
  const m = k.mem;
  // CONFIG_HZ of the emulated build; jiffies starts 5 minutes before wrapping (INITIAL_JIFFIES).
  const HZ = BigInt(k.identity.facts.hz);
  const INITIAL_JIFFIES = BigInt.asUintN(64, BigInt(-300) * HZ);
  /** Virtual time advanced by delays, added to the wall clock since boot. */
  let slept = 0n;
  const nowNs = () => k.clockNs() + slept;
  // jiffies is a variable modules read directly; keep it current whenever module code runs.
  k.exports.data('jiffies', 8, undefined, { align: 8 });
  const jiffiesAddr = k.exports.addressOf('jiffies');
  const syncJiffies = () => m.writeU64(jiffiesAddr, BigInt.asUintN(64, INITIAL_JIFFIES + (nowNs() * HZ) / 1_000_000_000n));
  syncJiffies();
  k.beforeCall.push(syncJiffies);

  const sleep = (ns: bigint) => {
    slept += ns;
    syncJiffies();
  };
  k.exports.func('msleep', (c) => sleep(BigInt.asUintN(32, c.arg(0)) * 1_000_000n));
  k.exports.func('msleep_interruptible', (c) => (sleep(BigInt.asUintN(32, c.arg(0)) * 1_000_000n), 0));
  k.exports.func('usleep_range_state', (c) => sleep(c.arg(0) * 1000n));
  k.exports.func('__udelay', (c) => sleep(BigInt.asUintN(32, c.arg(0)) * 1000n));
  k.exports.func('__ndelay', (c) => sleep(BigInt.asUintN(32, c.arg(0))));
  // __const_udelay takes usecs * 0x10C7 (2^32 / 10^6 rounded up).
  k.exports.func('__const_udelay', (c) => sleep((BigInt.asUintN(32, c.arg(0)) * 1000n) / 0x10c7n));
  k.exports.func('ktime_get', () => nowNs());
  k.exports.func('ktime_get_real', () => BigInt(Date.now()) * 1_000_000n + (slept % 1_000_000n));
  k.exports.func('ktime_get_with_offset', () => nowNs());
  k.exports.func('jiffies_to_msecs', (c) => (BigInt.asUintN(64, c.arg(0)) * 1000n) / HZ);
  k.exports.func('__msecs_to_jiffies', (c) => (BigInt.asUintN(32, c.arg(0)) * HZ + 999n) / 1000n);

  // Wait queues are in waitqueue.ts.

  // Module references (THIS_MODULE pointers). The kernel's atomic counts one base reference
  // (MODULE_REF_BASE) that try_stop_module drops; Module.refcnt is what module_refcount() and
  // sysfs show, the atomic minus that base.
  const byStruct = (p: bigint) => k.modules.find((mod) => mod.thisModule === p);
  k.exports.func('try_module_get', (c) => {
    const mod = byStruct(c.arg(0));
    if (!mod) return c.arg(0) === 0n ? 1 : 0;
    // module_is_live, then atomic_inc_not_zero: nothing once unloading has begun.
    if (mod.state === ModuleState.GOING || mod.refcnt + 1 === 0) return 0;
    mod.refcnt++;
    k.changed();
    return 1;
  });
  k.exports.func('__module_get', (c) => {
    const mod = byStruct(c.arg(0));
    if (!mod) return;
    mod.refcnt++; // unconditional atomic_inc
    k.changed();
  });
  k.exports.func('module_refcount', (c) => byStruct(c.arg(0))?.refcnt ?? 0);
  k.exports.func('module_put', (c) => {
    const mod = byStruct(c.arg(0));
    // atomic_dec_if_positive: never below zero in the atomic (a put too many is the kernel's
    // WARN_ON in module_put, and the count stays).
    if (mod && mod.refcnt + 1 > 0) {
      mod.refcnt--;
      k.changed();
    }
  });

  const hooks = formatHooks(k);
  const stackDump = (c: { returnAddress: bigint }) =>
    dumpStack(k, k.sched.current, ['dump_stack_lvl+0x44/0x5c', k.symbolize(c.returnAddress) ?? '']);
  k.exports.func('dump_stack', stackDump);
  k.exports.func('dump_stack_lvl', stackDump);
  k.exports.func('panic', (c) => {
    const msg = new TextDecoder('latin1').decode(formatKernel(m.readCString(c.arg(0), 1024), variadicArgs(c, 1), hooks));
    throw new KernelPanic(msg.replace(/\n$/, ''), [k.symbolize(c.returnAddress) ?? `0x${c.returnAddress.toString(16)}`]);
  });
  k.exports.func('__warn_printk', (c) => {
    k.log.emit(4, '------------[ cut here ]------------');
    k.log.printk(formatKernel(m.readCString(c.arg(0), 1024), variadicArgs(c, 1), hooks));
  });
  k.exports.func('add_taint', (c) => k.addTaint(Number(c.arg(0)), c.arg(1) !== 0n));
  k.exports.func('__list_add_valid', () => 1);
  k.exports.func('__list_del_entry_valid', () => 1);
  void TAINT;

  // Per-cpu variables of the kernel live in the first part of the %gs area (offsets are symbols).
  k.exports.absolute('cpu_number', 0x108n);
  k.exports.absolute('this_cpu_off', 0x110n);
  m.writeU64(k.cpu.gsBase + 0x110n, k.cpu.gsBase);
  // The stack canary at %gs:40 (fixed_percpu_data.stack_canary).
  m.writeU64(k.cpu.gsBase + 40n, 0x5d1e3a7c9b0f4e21n);
}
