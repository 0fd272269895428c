// Built-in code's parameters: vmlinux's own __param entries (`printk.time`, ...) appear under
// /sys/module/<name>/parameters like a module's, but the "module" is not in /proc/modules, has no
// initstate or refcnt, and cannot be unloaded. Each is a real kernel_param in kernel memory
// using the same param_ops_* as modules, so reads and writes take the same path.
import type { Kernel } from './kernel.js';
import type { ModuleParam } from './module.js';
import { KP_ARG, KP_LEVEL, KP_NAME, KP_OPS, KP_PERM, KP_SIZE } from './params/param-table.js';

export interface BuiltinModule {
  name: string;
  params: ModuleParam[];
}

interface BuiltinParam {
  name: string;
  type: 'bool' | 'int' | 'uint';
  perm: number;
  value: number;
}

/** Debian 6.1's printk parameters with their defaults (kernel/printk/printk.c). */
const BUILTINS: Record<string, BuiltinParam[]> = {
  printk: [
    { name: 'always_kmsg_dump', type: 'bool', perm: 0o644, value: 0 },
    { name: 'console_no_auto_verbose', type: 'bool', perm: 0o644, value: 0 },
    { name: 'console_suspend', type: 'bool', perm: 0o644, value: 1 },
    { name: 'ignore_loglevel', type: 'bool', perm: 0o644, value: 0 },
    { name: 'time', type: 'bool', perm: 0o644, value: 1 },
  ],
};

export function createBuiltins(k: Kernel): BuiltinModule[] {
  return Object.entries(BUILTINS).map(([mod, list]) => ({
    name: mod,
    params: list.map((p) => {
      const full = `${mod}.${p.name}`;
      const name = k.kstrdup(new TextEncoder().encode(full));
      const variable = k.kmalloc(8);
      if (p.type === 'bool') k.mem.writeU8(variable, p.value);
      else k.mem.writeU32(variable, p.value);
      const kp = k.kmalloc(KP_SIZE);
      const ops = k.exports.addressOf(`param_ops_${p.type}`);
      k.mem.writeU64(kp + BigInt(KP_NAME), name);
      k.mem.writeU64(kp + BigInt(KP_OPS), ops);
      k.mem.writeU16(kp + BigInt(KP_PERM), p.perm);
      k.mem.writeU8(kp + BigInt(KP_LEVEL), 0xff);
      k.mem.writeU64(kp + BigInt(KP_ARG), variable);
      return { kp, name: p.name, ops, perm: p.perm, level: -1, flags: 0 };
    }),
  }));
}
