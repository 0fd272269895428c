// lib/dynamic_debug.c's print side. pr_debug() in a module is a call to __dynamic_pr_debug
// behind a static branch that is off until the call site is enabled (its struct _ddebug flags),
// so the call only happens for enabled sites; it prints at KERN_DEBUG with the prefix the site's
// flags ask for: "[pid] " (t), "module:" (m), "function:" (f), "line:" (l), then a space.
import { argsFrom, formatKernel } from '../format.js';
import type { Kernel } from '../kernel.js';
import { formatHooks, variadicArgs } from './format-hooks.js';

const INCL_MODNAME = 1 << 1;
const INCL_FUNCNAME = 1 << 2;
const INCL_LINENO = 1 << 3;
const INCL_TID = 1 << 4;
/** dynamic_emit_prefix's buffer: longer prefixes are cut to 63 bytes. */
const PREFIX_SIZE = 64;

export function registerDynamicDebugApi(k: Kernel): void {
  const m = k.mem;
  const hooks = formatHooks(k);
  const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
  k.exports.func('__dynamic_pr_debug', (c) => {
    const desc = c.arg(0);
    // struct _ddebug: modname, function, filename, format, then lineno:18 class_id:6 flags:8.
    const bits = m.readU32(desc + 32n);
    const [lineno, flags] = [bits & 0x3ffff, bits >>> 24];
    let prefix: Uint8Array = new Uint8Array(0);
    if (flags & (INCL_MODNAME | INCL_FUNCNAME | INCL_LINENO | INCL_TID)) {
      let fmt = '';
      const args: bigint[] = [];
      if (flags & INCL_TID) (fmt += '[%d] '), args.push(BigInt(k.sched.current.pid));
      const afterTid = fmt.length;
      if (flags & INCL_MODNAME) (fmt += '%s:'), args.push(m.readU64(desc));
      if (flags & INCL_FUNCNAME) (fmt += '%s:'), args.push(m.readU64(desc + 8n));
      if (flags & INCL_LINENO) (fmt += '%d:'), args.push(BigInt(lineno));
      if (fmt.length > afterTid) fmt += ' ';
      prefix = formatKernel(enc(fmt), argsFrom(args), hooks).subarray(0, PREFIX_SIZE - 1);
    }
    const text = formatKernel(m.readCString(c.arg(1), 4096), variadicArgs(c, 2), hooks);
    const rec = new Uint8Array(2 + prefix.length + text.length);
    rec.set([1, 0x37]); // KERN_DEBUG
    rec.set(prefix, 2);
    rec.set(text, 2 + prefix.length);
    k.log.printk(rec);
  });
}
