// Kernel functions whose body is TypeScript but that must run "on the CPU": the sysfs and debugfs
// paths that read module memory (a kobj_attribute, a debugfs value) and call module code. Entered
// through a hidden trap, a fault while reading a module's memory (a module that unloaded and left
// its files behind) is a page fault at that function, reported as the kernel's oops, and a call
// into module code from the body is a nested call with the caller's task as `current`.
import type { TrapContext } from '../../cpu/types.js';
import type { Kernel } from '../kernel.js';
import type { Task } from './sched.js';

export type KernelBody = (c: TrapContext) => bigint | number | void;

/** Register the kernel function `name` (not exported) and return a way to run bodies in it. */
export function kernelFunction(k: Kernel, name: string): (task: Task, body: KernelBody) => bigint {
  let pending: KernelBody | undefined;
  k.exports.func(
    name,
    (c) => {
      const b = pending;
      pending = undefined;
      return b ? b(c) : 0;
    },
    { hidden: true },
  );
  const addr = k.exports.addressOf(name);
  return (task, body) => {
    const outer = pending;
    pending = body;
    try {
      return k.sched.call(addr, [], task);
    } finally {
      pending = outer;
    }
  };
}
