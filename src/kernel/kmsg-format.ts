// Text forms of a log record (fact sheet §9.3, §9.4), following Linux 6.1 printk.c:
//  - /dev/kmsg: `<prio>,<seq>,<usec>,<flag>;<escaped text>\n`, one record per read().
//  - syslog/console: `[%5lu.%06lu] ` before every line of the record, optionally preceded by
//    `<prio>` (the syslog(2), /proc/kmsg and `dmesg -r` form). Text is not escaped there.

import type { LogRecord } from './log.js';

/** Size of the buffer the syslog path formats one record into (CONSOLE_LOG_MAX). */
export const CONSOLE_LOG_MAX = 1024;

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

type RecordFields = Pick<LogRecord, 'seq' | 'usec' | 'level' | 'facility' | 'cont' | 'text'>;

const prio = (rec: Pick<LogRecord, 'level' | 'facility'>): number => (rec.facility << 3) | rec.level;

/** Control bytes, bytes >= 0x7f and the backslash become \xNN (lower-case hex). */
export function escapeKmsgText(text: Uint8Array): number[] {
  const out: number[] = [];
  for (const c of text) {
    if (c < 0x20 || c >= 0x7f || c === 0x5c) out.push(...ascii(`\\x${c.toString(16).padStart(2, '0')}`));
    else out.push(c);
  }
  return out;
}

/** One /dev/kmsg read() result for the record. */
export function formatKmsgRecord(rec: RecordFields): Uint8Array {
  const header = `${prio(rec)},${rec.seq},${rec.usec},${rec.cont ? 'c' : '-'};`;
  return Uint8Array.from([...ascii(header), ...escapeKmsgText(rec.text), 0x0a]);
}

/** `[    1.234567]`: seconds right-aligned in 5 columns, then microseconds. */
export function formatTimestamp(usec: bigint): string {
  return `[${String(usec / 1_000_000n).padStart(5, ' ')}.${String(usec % 1_000_000n).padStart(6, '0')}]`;
}

export interface SyslogOptions {
  /** Prefix `<prio>` as syslog(2) and `dmesg -r` do. */
  raw?: boolean;
  /**
   * Buffer the kernel formats into (default CONSOLE_LOG_MAX). Lines that do not fit with their
   * prefixes are cut, and lines after a cut one are dropped, as record_print_text does.
   * Pass Infinity for no limit.
   */
  bufSize?: number;
}

/** The record as syslog/console text: every line prefixed, every line ending in '\n'. */
export function formatSyslogLine(rec: RecordFields, opts: SyslogOptions = {}): Uint8Array {
  const prefix = ascii(`${opts.raw ? `<${prio(rec)}>` : ''}${formatTimestamp(rec.usec)} `);
  const size = opts.bufSize ?? CONSOLE_LOG_MAX;
  const out: number[] = [];
  let rest = rec.text.subarray(0, Math.min(rec.text.length, size));
  let truncated = false;
  for (;;) {
    const nl = rest.indexOf(0x0a);
    if (nl < 0 && truncated) break; // the cut-off remainder of a line is dropped
    const lineLen = nl >= 0 ? nl : rest.length;
    // Room is needed for the prefix, the text, a newline and a terminator.
    if (out.length + prefix.length + rest.length + 2 > size) {
      if (out.length + prefix.length + lineLen + 2 > size) break;
      rest = rest.subarray(0, size - out.length - prefix.length - 2);
      truncated = true;
    }
    out.push(...prefix, ...rest.subarray(0, lineLen), 0x0a);
    if (rest.length === lineLen) break;
    rest = rest.subarray(lineLen + 1);
  }
  return Uint8Array.from(out);
}
