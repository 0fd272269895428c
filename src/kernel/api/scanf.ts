// sscanf and vsscanf (lib/vsprintf.c): the scanner is kernel/scanf.ts; this file feeds it the
// strings from module memory and its pointer arguments from registers, the stack or a va_list.
import type { FormatArgs } from '../format.js';
import type { Kernel } from '../kernel.js';
import { vsscanf, type ScanSink } from '../scanf.js';
import { vaListArgs, variadicArgs } from './format-hooks.js';

export function registerScanfApi(k: Kernel): void {
  const m = k.mem;
  const sink = (args: FormatArgs): ScanSink => ({
    nextPointer: () => args.next(),
    store: (addr, value, size) => m.writeUN(addr, size, value),
    storeBytes: (addr, bytes) => m.writeBytes(addr, bytes),
  });
  const scan = (buf: bigint, fmt: bigint, args: FormatArgs) => vsscanf(m.readCString(buf, 1 << 24), m.readCString(fmt, 1 << 16), sink(args));
  k.exports.func('sscanf', (c) => scan(c.arg(0), c.arg(1), variadicArgs(c, 2)));
  k.exports.func('vsscanf', (c) => scan(c.arg(0), c.arg(1), vaListArgs(k, c.arg(2))));
}
