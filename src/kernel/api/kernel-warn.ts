// WARN() fired by the kernel's own code (not a module's ud2 site): the "cut here" line, the
// message, then __warn()'s report naming the kernel file and line and the function, in the real
// build's words (the site strings are 6.1.0-56's, read from the oracle's transcripts). The body
// of the report (registers, call trace) is modfs's own: there are no real registers to show.
import type { TrapContext } from '../../cpu/types.js';
import type { Kernel } from '../kernel.js';
import { headerLines, modulesLinkedIn } from '../oops.js';
import { TAINT } from '../taint.js';

/** `site`: "fs/sysfs/group.c:59 internal_create_group+0x2f5/0x3a0". */
export function kernelWarn(k: Kernel, message: string, site: string, c?: TrapContext): void {
  const who = k.sched.current;
  const emit = (s: string) => k.log.emit(4, s);
  emit('------------[ cut here ]------------');
  emit(message);
  emit(`WARNING: CPU: 0 PID: ${who.pid} at ${site}`);
  emit(modulesLinkedIn(k));
  for (const l of headerLines(k, who)) emit(l);
  emit(`RIP: 0010:${site.replace(/^\S+ /, '')}`);
  emit('Call Trace:');
  emit(' <TASK>');
  const caller = c ? k.symbolize(c.returnAddress) : undefined;
  if (caller) emit(` ${caller}`);
  for (const f of who.frames) emit(` ${f}`);
  emit(' </TASK>');
  emit('---[ end trace 0000000000000000 ]---');
  k.addTaint(TAINT.WARN, false);
}
