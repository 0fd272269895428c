// printk and the sprintf family. The format engine is kernel/format.ts; this file only moves
// bytes between it, the log and module memory.
import type { TrapContext } from '../../cpu/types.js';
import { formatKernel, snprintfResult, type FormatArgs } from '../format.js';
import type { Kernel } from '../kernel.js';
import { formatHooks, vaListArgs, variadicArgs } from './format-hooks.js';

export function registerPrintkApi(k: Kernel): void {
  const hooks = formatHooks(k);
  const fmtAt = (p: bigint) => k.mem.readCString(p, 4096);
  const printk = (fmt: bigint, args: FormatArgs) => k.log.printk(formatKernel(fmtAt(fmt), args, hooks));

  k.exports.func('_printk', (c) => printk(c.arg(0), variadicArgs(c, 1)));
  k.exports.func('vprintk', (c) => printk(c.arg(0), vaListArgs(k, c.arg(1))));

  /** Store into (buf, size) as the sized variants do; returns snprintf's or scnprintf's count. */
  const bounded = (buf: bigint, size: bigint, fmt: bigint, args: FormatArgs, scn: boolean) => {
    const r = snprintfResult(formatKernel(fmtAt(fmt), args, hooks), Number(BigInt.asUintN(64, size) > 0x7fffffffn ? 0x80000000 : size));
    if (r.bytes.length) k.mem.writeBytes(buf, r.bytes);
    return scn ? r.scnprintf : r.snprintf;
  };
  k.exports.func('snprintf', (c) => bounded(c.arg(0), c.arg(1), c.arg(2), variadicArgs(c, 3), false));
  k.exports.func('scnprintf', (c) => bounded(c.arg(0), c.arg(1), c.arg(2), variadicArgs(c, 3), true));
  k.exports.func('vsnprintf', (c) => bounded(c.arg(0), c.arg(1), c.arg(2), vaListArgs(k, c.arg(3)), false));
  k.exports.func('vscnprintf', (c) => bounded(c.arg(0), c.arg(1), c.arg(2), vaListArgs(k, c.arg(3)), true));
  k.exports.func('sprintf', (c) => bounded(c.arg(0), 0x7fffffffn, c.arg(1), variadicArgs(c, 2), false));
  k.exports.func('vsprintf', (c) => bounded(c.arg(0), 0x7fffffffn, c.arg(1), vaListArgs(k, c.arg(2)), false));
  k.exports.func('kasprintf', (c: TrapContext) => {
    const out = formatKernel(fmtAt(c.arg(1)), variadicArgs(c, 2), hooks);
    return k.kstrdup(out);
  });
  // kvasprintf (lib/kasprintf.c) measures with a copy of ap, then formats with ap itself.
  k.exports.func('kvasprintf', (c) => k.kstrdup(formatKernel(fmtAt(c.arg(1)), vaListArgs(k, c.arg(2)), hooks)));
  // kvasprintf_const would hand back a string in the kernel's .rodata as it is; module strings
  // are not there, so it always copies, as kstrdup_const does for them.
  k.exports.func('kvasprintf_const', (c) => {
    const fmt = fmtAt(c.arg(1));
    if (!fmt.includes(0x25)) return k.kstrdup(fmt);
    if (fmt.length === 2 && fmt[0] === 0x25 && fmt[1] === 0x73) {
      const str = vaListArgs(k, c.arg(2)).next();
      return str === 0n ? 0n : k.kstrdup(k.mem.readCString(str, 1 << 24));
    }
    return k.kstrdup(formatKernel(fmt, vaListArgs(k, c.arg(2)), hooks));
  });
  // bool no_hash_pointers (the boot option, off): %p hashes.
  k.exports.data('no_hash_pointers', 1, undefined, { align: 1 });
}
