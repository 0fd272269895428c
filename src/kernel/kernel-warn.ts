// WARN() raised by the kernel's own code (implemented here in TypeScript) on behalf of the module
// that called it: the report __warn_printk and __warn print for a WARN(1, fmt) site, with the
// site's file:line and function as the real build has them (measured on the real kernel), the
// module's call site and the calling task's kernel frames as the call trace. Taints W.
import type { Task } from './api/sched.js';
import type { Kernel } from './kernel.js';
import { headerLines, modulesLinkedIn } from './oops.js';
import { TAINT } from './taint.js';

export interface WarnSite {
  /** "fs/proc/generic.c:400" */
  where: string;
  /** The function with the site's offset and the function's size: "proc_register+0x19f/0x240". */
  fn: string;
}

/** WARN(1, message) at `site`, called from module code returning to `caller`, as `task`. */
export function kernelWarn(k: Kernel, site: WarnSite, message: string, caller: bigint, task: Task = k.sched.current): void {
  const emit = (s: string) => k.log.emit(4, s);
  emit('------------[ cut here ]------------');
  for (const line of message.replace(/\n$/, '').split('\n')) emit(line);
  emit(`WARNING: CPU: 0 PID: ${task.pid} at ${site.where} ${site.fn}`);
  emit(modulesLinkedIn(k));
  for (const l of headerLines(k, task)) emit(l);
  emit(`RIP: 0010:${site.fn}`);
  emit('Call Trace:');
  emit(' <TASK>');
  const from = k.symbolize(caller);
  if (from) emit(` ${from}`);
  for (const f of task.frames) emit(` ${f}`);
  emit(' </TASK>');
  emit('---[ end trace 0000000000000000 ]---');
  k.addTaint(TAINT.WARN, false);
}
