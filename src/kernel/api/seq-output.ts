// seq_file's output helpers (fs/seq_file.c): each writes into m->buf at m->count, and one that
// does not fit leaves count == size (seq_set_overflow), which is how seq_read (seq-file.ts) learns
// that the record needs a bigger buffer and shows it again. Formatting is the kernel's printf
// (format.ts), hex dumps and escapes the same pure cores as print_hex_dump and string_escape_mem.
import type { TrapContext } from '../../cpu/types.js';
import { formatKernel } from '../format.js';
import { hexDumpToBuffer } from '../hexdump.js';
import type { Kernel } from '../kernel.js';
import { stringEscapeMem } from '../string-escape.js';
import { formatHooks, vaListArgs, variadicArgs } from './format-hooks.js';
import { seqFields } from './seq-fields.js';

const DUMP_PREFIX_ADDRESS = 1;
const DUMP_PREFIX_OFFSET = 2;

export function registerSeqOutputApi(k: Kernel): void {
  const m = k.mem;
  const hooks = formatHooks(k);
  const { F, get, set, num, overflowed, setOverflow } = seqFields(k);
  const fn = (name: string, h: (c: TrapContext) => bigint | number | boolean | void) => k.exports.func(name, h);

  // Output into the buffer. Every writer leaves count == size when its text does not fit, which
  // is how seq_read learns that the record needs a bigger buffer.
  const putBytes = (s: bigint, bytes: Uint8Array): boolean => {
    const count = num(s, F.count);
    if (count + bytes.length >= num(s, F.size)) return false;
    if (bytes.length) m.writeBytes(get(s, F.buf) + BigInt(count), bytes);
    set(s, F.count, count + bytes.length);
    return true;
  };
  const printf = (s: bigint, text: Uint8Array) => {
    if (num(s, F.count) < num(s, F.size) && putBytes(s, text)) return;
    setOverflow(s);
  };
  const fmtAt = (p: bigint) => m.readCString(p, 4096);
  fn('seq_printf', (c) => printf(c.arg(0), formatKernel(fmtAt(c.arg(1)), variadicArgs(c, 2), hooks)));
  fn('seq_vprintf', (c) => printf(c.arg(0), formatKernel(fmtAt(c.arg(1)), vaListArgs(k, c.arg(2)), hooks)));
  const putc = (s: bigint, ch: number) => {
    const count = num(s, F.count);
    if (count >= num(s, F.size)) return;
    m.writeU8(get(s, F.buf) + BigInt(count), ch & 0xff);
    set(s, F.count, count + 1);
  };
  const puts = (s: bigint, str: Uint8Array) => {
    if (!putBytes(s, str)) setOverflow(s);
  };
  fn('seq_putc', (c) => putc(c.arg(0), Number(c.arg(1) & 0xffn)));
  fn('seq_puts', (c) => puts(c.arg(0), m.readCString(c.arg(1), 1 << 24)));
  fn('seq_write', (c) => {
    const len = Number(BigInt.asUintN(64, c.arg(2)) > 0x7fffffffn ? 0x7fffffffn : c.arg(2));
    const s = c.arg(0);
    if (num(s, F.count) + len < num(s, F.size)) {
      if (len) m.writeBytes(get(s, F.buf) + get(s, F.count), m.readBytes(c.arg(1), len));
      set(s, F.count, num(s, F.count) + len);
      return 0;
    }
    setOverflow(s);
    return -1;
  });
  const delimiter = (s: bigint, d: bigint) => {
    if (!d) return;
    const text = m.readCString(d, 1 << 16);
    if (!text.length) return;
    if (text.length === 1) putc(s, text[0]!);
    else puts(s, text);
  };
  // num_to_str: the digits right-aligned in `width` with spaces; 0 when it does not fit.
  const numToStr = (s: bigint, v: bigint, width: number): boolean => {
    const digits = v.toString();
    const room = num(s, F.size) - num(s, F.count);
    if (digits.length > room || width > room) return false;
    const text = digits.padStart(width, ' ');
    m.writeBytes(get(s, F.buf) + get(s, F.count), Uint8Array.from(text, (ch) => ch.charCodeAt(0)));
    set(s, F.count, num(s, F.count) + text.length);
    return true;
  };
  const putDecimalUll = (s: bigint, d: bigint, v: bigint, widthIn: number) => {
    if (num(s, F.count) + 2 >= num(s, F.size)) return setOverflow(s);
    delimiter(s, d);
    const width = widthIn || 1;
    if (num(s, F.count) + width >= num(s, F.size)) return setOverflow(s);
    if (!numToStr(s, v, width)) setOverflow(s);
  };
  fn('seq_put_decimal_ull', (c) => putDecimalUll(c.arg(0), c.arg(1), BigInt.asUintN(64, c.arg(2)), 0));
  fn('seq_put_decimal_ull_width', (c) => putDecimalUll(c.arg(0), c.arg(1), BigInt.asUintN(64, c.arg(2)), Number(BigInt.asUintN(32, c.arg(3)))));
  fn('seq_put_decimal_ll', (c) => {
    const s = c.arg(0);
    let v = BigInt.asIntN(64, c.arg(2));
    if (num(s, F.count) + 3 >= num(s, F.size)) return setOverflow(s);
    delimiter(s, c.arg(1));
    if (num(s, F.count) + 2 >= num(s, F.size)) return setOverflow(s);
    if (v < 0n) {
      putc(s, 0x2d);
      v = -v;
    }
    if (v < 10n) return putc(s, 0x30 + Number(v));
    if (!numToStr(s, BigInt.asUintN(64, v), 0)) setOverflow(s);
  });
  fn('seq_put_hex_ll', (c) => {
    const s = c.arg(0);
    delimiter(s, c.arg(1));
    const v = BigInt.asUintN(64, c.arg(2));
    const text = v.toString(16).padStart(Number(BigInt.asUintN(32, c.arg(3))), '0');
    if (num(s, F.count) + text.length > num(s, F.size)) return setOverflow(s);
    m.writeBytes(get(s, F.buf) + get(s, F.count), Uint8Array.from(text, (ch) => ch.charCodeAt(0)));
    set(s, F.count, num(s, F.count) + text.length);
  });
  fn('seq_pad', (c) => {
    const s = c.arg(0);
    const size = num(s, F.padUntil) - num(s, F.count);
    if (size > 0) {
      if (size + num(s, F.count) > num(s, F.size)) return setOverflow(s);
      m.fill(get(s, F.buf) + get(s, F.count), 0x20, size);
      set(s, F.count, num(s, F.count) + size);
    }
    const ch = Number(c.arg(1) & 0xffn);
    if (ch) putc(s, ch);
  });
  fn('seq_hex_dump', (c) => {
    const [s, prefix, prefixType] = [c.arg(0), c.arg(1), Number(BigInt.asIntN(32, c.arg(2)))];
    const rowsizeIn = Number(BigInt.asIntN(32, c.arg(3)));
    const groupsize = Number(BigInt.asIntN(32, c.arg(4)));
    const [buf, len] = [c.arg(5), Number(BigInt.asUintN(64, c.arg(6)) > 0x7fffffffn ? 0x7fffffffn : c.arg(6))];
    const ascii = (c.arg(7) & 0xffn) !== 0n;
    const rowsize = rowsizeIn === 16 || rowsizeIn === 32 ? rowsizeIn : 16;
    const pre = m.readCString(prefix, 1 << 16);
    const enc = (t: string) => Uint8Array.from(t, (ch) => ch.charCodeAt(0));
    for (let i = 0; i < len && !overflowed(s); i += rowsize) {
      const linelen = Math.min(len - i, rowsize);
      const head =
        prefixType === DUMP_PREFIX_ADDRESS ? formatKernel(enc('%s%p: '), { next: (() => { let n = 0; return () => (n++ === 0 ? prefix : buf + BigInt(i)); })() }, hooks)
        : prefixType === DUMP_PREFIX_OFFSET ? new Uint8Array([...pre, ...enc(`${i.toString(16).padStart(8, '0')}: `)])
        : pre;
      printf(s, head);
      // seq_get_buf / hex_dump_to_buffer / seq_commit: the line if it fits, else overflow.
      const count = num(s, F.count);
      const room = count < num(s, F.size) ? num(s, F.size) - count : 0;
      const r = hexDumpToBuffer(m.readBytes(buf + BigInt(i), linelen), rowsize, groupsize, room, ascii);
      if (r.ret < room) {
        if (r.ret) m.writeBytes(get(s, F.buf) + BigInt(count), r.stored.subarray(0, r.ret));
        set(s, F.count, count + r.ret);
      } else setOverflow(s);
      putc(s, 0x0a);
    }
  });

  // seq_escape_mem (seq_escape and seq_escape_str are inline around it): the escaped text if it
  // fits in what is left of the buffer, else overflow (seq_get_buf / seq_commit).
  fn('seq_escape_mem', (c) => {
    const s = c.arg(0);
    const len = Number(BigInt.asUintN(64, c.arg(2)) > 0x7fffffffn ? 0x7fffffffn : c.arg(2));
    const esc = c.arg(4);
    const out = stringEscapeMem(len ? m.readBytes(c.arg(1), len) : new Uint8Array(0), Number(c.arg(3) & 0xffffffffn), esc ? m.readCString(esc, 1 << 16) : null);
    const count = num(s, F.count);
    const room = count < num(s, F.size) ? num(s, F.size) - count : 0;
    if (out.length < room) {
      if (out.length) m.writeBytes(get(s, F.buf) + BigInt(count), Uint8Array.from(out));
      set(s, F.count, count + out.length);
    } else setOverflow(s);
  });
}
