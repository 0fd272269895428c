// lib/hexdump.c exports: the hex digit tables, hex_to_bin/hex2bin/bin2hex, hex_dump_to_buffer
// and print_hex_dump (one printk per row, as the kernel logs it).
import { EINVAL } from '../errno.js';
import { argsFrom, formatKernel } from '../format.js';
import { hexValue } from '../ctype.js';
import { hexDumpToBuffer } from '../hexdump.js';
import type { Kernel } from '../kernel.js';
import { formatHooks } from './format-hooks.js';

const DUMP_PREFIX_ADDRESS = 1;
const DUMP_PREFIX_OFFSET = 2;
/** print_hex_dump's on-stack line buffer: 32 * 3 + 2 + 32 + 1. */
const PRINT_LINEBUF = 131;

export function registerHexdumpApi(k: Kernel): void {
  const m = k.mem;
  const ascii = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
  k.exports.data('hex_asc', 17, (a) => m.writeBytes(a, ascii('0123456789abcdef\0')), { align: 16 });
  k.exports.data('hex_asc_upper', 17, (a) => m.writeBytes(a, ascii('0123456789ABCDEF\0')), { align: 16 });

  k.exports.func('hex_to_bin', (c) => hexValue(Number(c.arg(0) & 0xffn)));
  // hex2bin: stops at the first pair that is not two hex digits; what came before is stored.
  k.exports.func('hex2bin', (c) => {
    let [dst, src] = [c.arg(0), c.arg(1)];
    for (let n = BigInt.asUintN(64, c.arg(2)); n > 0n; n--) {
      const hi = hexValue(m.readU8(src++));
      if (hi < 0) return -EINVAL;
      const lo = hexValue(m.readU8(src++));
      if (lo < 0) return -EINVAL;
      m.writeU8(dst++, (hi << 4) | lo);
    }
    return 0;
  });
  k.exports.func('bin2hex', (c) => {
    const n = Number(c.arg(2));
    const src = n ? m.readBytes(c.arg(1), n) : new Uint8Array(0);
    const text = ascii(Array.from(src, (b) => b.toString(16).padStart(2, '0')).join(''));
    if (n) m.writeBytes(c.arg(0), text);
    return c.arg(0) + BigInt(text.length);
  });

  const line = (buf: bigint, len: number, rowsize: number, groupsize: number, linebuflen: number, withAscii: boolean) => {
    const rs = rowsize === 16 || rowsize === 32 ? rowsize : 16;
    const n = Math.min(len, rs);
    return hexDumpToBuffer(n ? m.readBytes(buf, n) : new Uint8Array(0), rowsize, groupsize, linebuflen, withAscii);
  };
  k.exports.func('hex_dump_to_buffer', (c) => {
    const len = Number(BigInt.asUintN(64, c.arg(1)) > 64n ? 64n : c.arg(1));
    const linebuflen = Number(BigInt.asUintN(64, c.arg(5)) > 0x7fffffffn ? 0x7fffffffn : c.arg(5));
    const r = line(c.arg(0), len, Number(BigInt.asIntN(32, c.arg(2))), Number(BigInt.asIntN(32, c.arg(3))), linebuflen, (c.arg(6) & 0xffn) !== 0n);
    if (r.stored.length) m.writeBytes(c.arg(4), r.stored);
    return r.ret;
  });

  const hooks = formatHooks(k);
  k.exports.func('print_hex_dump', (c) => {
    const [level, prefix, prefixType] = [c.arg(0), c.arg(1), Number(BigInt.asIntN(32, c.arg(2)))];
    const [rowsizeIn, groupsize, buf] = [Number(BigInt.asIntN(32, c.arg(3))), Number(BigInt.asIntN(32, c.arg(4))), c.arg(5)];
    const len = Number(BigInt.asUintN(32, c.arg(6)));
    const withAscii = (c.arg(7) & 0xffn) !== 0n;
    const rowsize = rowsizeIn === 16 || rowsizeIn === 32 ? rowsizeIn : 16;
    for (let i = 0; i < len; i += rowsize) {
      const r = line(buf + BigInt(i), Math.min(len - i, rowsize), rowsize, groupsize, PRINT_LINEBUF, withAscii);
      const text = r.stored.subarray(0, r.stored.indexOf(0) < 0 ? r.stored.length : r.stored.indexOf(0));
      const head =
        prefixType === DUMP_PREFIX_ADDRESS ? formatKernel(ascii('%s%s%p: '), argsFrom([level, prefix, buf + BigInt(i)]), hooks)
        : prefixType === DUMP_PREFIX_OFFSET ? formatKernel(ascii('%s%s%.8x: '), argsFrom([level, prefix, i]), hooks)
        : formatKernel(ascii('%s%s'), argsFrom([level, prefix]), hooks);
      const rec = new Uint8Array(head.length + text.length + 1);
      rec.set(head);
      rec.set(text, head.length);
      rec[rec.length - 1] = 0x0a;
      k.log.printk(rec);
    }
  });
}
