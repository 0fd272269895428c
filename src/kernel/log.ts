// The printk record buffer of Linux 6.1 (kernel/printk/printk.c and printk_ringbuffer.c),
// modelled from the source; the code is our own. Facts this follows:
//  - A printk's level and KERN_CONT flag are read from the first 7 bytes of its formatted
//    text only (the kernel formats into an 8-byte scratch buffer first); the first digit wins.
//  - The text is cut to 991 bytes *before* the trailing newline is looked for, so an over-long
//    message loses its newline and stays open. Prefixes are stripped after that.
//  - A record without a trailing newline stays open. Readers (/dev/kmsg, syslog) never see an
//    open record: only finalized ones. It is finalized by a later newline-ended continuation
//    or by the next record being reserved (any printk that does not append to it).
//  - KERN_CONT appends only if the last record is open, from the same caller, and the old text
//    plus the new fragment's formatted size + 1 fit in 992 bytes; otherwise the fragment
//    becomes a record of its own with the continuation flag set.
//  - /dev/kmsg writes are never parsed for \001 prefixes (facility is never 0), but a missing
//    trailing newline leaves them open just like printk.
//
// Buffer accounting is the ring buffer's, exactly: a 2^17-byte data ring where each record
// takes ALIGN8(8 + reserved size) bytes (reserved = formatted length + 1, at most 992, which
// includes prefix bytes and the newline), a block never wraps (it skips to the ring start,
// wasting the rest), and 2^(17-5) = 4096 descriptors. Oldest records are dropped first.

import { cstring, simpleStrtoul } from './kstrtox.js';

export const LOG_LINE_MAX = 992;
export const LOG_BUF_SHIFT = 17;
const PRB_AVGBITS = 5;
const EINVAL = 22;
const KERN_SOH = 0x01;

export interface LogRecord {
  readonly seq: number;
  /** local_clock() when the record was started (continuations keep it). */
  readonly nsec: bigint;
  readonly usec: bigint;
  readonly level: number;
  readonly facility: number;
  /** The record itself carries LOG_CONT (an orphaned continuation): `c` in /dev/kmsg. */
  readonly cont: boolean;
  readonly text: Uint8Array;
  readonly callerId: number;
}

interface Slot extends LogRecord {
  text: Uint8Array;
  final: boolean;
  /** Logical positions of the data block in the ring: [begin, next). */
  begin: number;
  next: number;
}

export interface KernelLogOptions {
  /** log2 of the data ring size; 17 on Debian (128 KiB). */
  bufShift?: number;
  /** default_message_loglevel: level of a printk without one. */
  defaultLevel?: number;
}

/** printk.devkmsg= / kernel.printk_devkmsg: 'ratelimit' is the default. */
export type DevkmsgMode = 'on' | 'off' | 'ratelimit';

const blockSize = (size: number): number => (size + 8 + 7) & ~7;

/** Strip consecutive \001<0-7|c> headers; report the first level and any KERN_CONT. */
function parsePrefix(t: Uint8Array): { len: number; level: number; cont: boolean } {
  let i = 0;
  let level = -1;
  let cont = false;
  const at = (k: number): number => (k < t.length ? t[k]! : 0);
  while (at(i) === KERN_SOH) {
    const c = at(i + 1);
    if (c >= 0x30 && c <= 0x37) {
      if (level < 0) level = c - 0x30;
    } else if (c === 0x63) {
      cont = true;
    } else {
      break;
    }
    i += 2;
  }
  return { len: i, level, cont };
}

/** What printk_sprint leaves in the record: cut, newline noted and dropped, prefixes dropped. */
function sprint(raw: Uint8Array, size: number, stripPrefix: boolean): { text: Uint8Array; newline: boolean } {
  let text = raw.subarray(0, Math.min(raw.length, size - 1));
  const newline = text.length > 0 && text[text.length - 1] === 0x0a;
  if (newline) text = text.subarray(0, text.length - 1);
  if (stripPrefix) text = text.subarray(parsePrefix(text).len);
  return { text, newline };
}

/** Per-open-file /dev/kmsg write limiter: 10 writes per 5 s, then silent drops. */
export class DevkmsgRatelimit {
  private begin: bigint | null = null;
  private printed = 0;
  missed = 0;
  constructor(private readonly clock: () => bigint) {}

  allow(): boolean {
    const now = this.clock();
    if (this.begin === null) this.begin = now;
    if (now > this.begin + 5_000_000_000n) {
      this.begin = now;
      this.printed = 0; // missed is kept: it is reported when the file is closed
    }
    if (this.printed < 10) {
      this.printed++;
      return true;
    }
    this.missed++;
    return false;
  }
}

export class KernelLog {
  devkmsg: DevkmsgMode = 'ratelimit';
  private readonly records: Slot[] = [];
  private readonly dataSize: number;
  private readonly descCount: number;
  private readonly defaultLevel: number;
  private head = 0; // data ring head, logical position
  private seqCounter = 0;
  private clearAt = 0;
  private readonly listeners = new Set<(rec: LogRecord) => void>();

  constructor(private readonly clock: () => bigint, opts: KernelLogOptions = {}) {
    const shift = opts.bufShift ?? LOG_BUF_SHIFT;
    this.dataSize = 2 ** shift;
    this.descCount = 2 ** (shift - PRB_AVGBITS);
    this.defaultLevel = opts.defaultLevel ?? 4;
  }

  /**
   * Store the already formatted output of a printk (vsnprintf's full result). Returns the
   * number of text bytes it added to the log, as printk does.
   */
  printk(raw: Uint8Array, callerId = 0): number {
    const nsec = this.clock();
    const reserve = Math.min(raw.length + 1, LOG_LINE_MAX);
    const head = parsePrefix(raw.subarray(0, Math.min(raw.length, 7)));
    const level = head.level >= 0 ? head.level : this.defaultLevel;
    if (head.cont) {
      const last = this.records[this.records.length - 1];
      if (last && !last.final && last.callerId === callerId && last.text.length + reserve <= LOG_LINE_MAX) {
        this.realloc(last, last.text.length + reserve);
        const { text, newline } = sprint(raw, reserve, true);
        const joined = new Uint8Array(last.text.length + text.length);
        joined.set(last.text);
        joined.set(text, last.text.length);
        last.text = joined;
        if (newline) this.finalize(last);
        return text.length;
      }
    }
    const { text, newline } = sprint(raw, reserve, true);
    this.store(nsec, 0, level, head.cont, text, reserve, newline, callerId);
    return text.length;
  }

  /**
   * A complete kernel-originated message at a given level: the text is taken literally (no
   * \001 parsing), one trailing newline is dropped, and the record is always finalized.
   */
  emit(level: number, text: string | Uint8Array, facility = 0): number {
    const nsec = this.clock();
    const raw = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    const reserve = Math.min(raw.length + 1, LOG_LINE_MAX);
    const s = sprint(raw, reserve, false);
    this.store(nsec, facility, level & 7, false, s.text, reserve, true, 0);
    return s.text.length;
  }

  /** A write(2) to /dev/kmsg. Dropped writes (mode off, rate limit) still report success. */
  writeUser(data: Uint8Array, ratelimit?: DevkmsgRatelimit): number | { errno: number } {
    if (data.length > LOG_LINE_MAX) return { errno: EINVAL };
    if (this.devkmsg === 'off') return data.length;
    if (this.devkmsg === 'ratelimit' && ratelimit && !ratelimit.allow()) return data.length;
    const nsec = this.clock();
    let line = cstring(data); // the text is then logged with "%s": it ends at a NUL
    let level = this.defaultLevel;
    let facility = 1; // LOG_USER, so user messages can be told from the kernel's
    if (line[0] === 0x3c) {
      // "<N>": N's low 3 bits are the level, the rest the facility. "<>" reads as 0 (EMERG).
      const r = simpleStrtoul(line, 10, 1);
      if (line[r.end] === 0x3e) {
        const u = Number(r.value & 0xffffffffn);
        level = u & 7;
        if (((u >>> 3) & 0xff) !== 0) facility = (u >>> 3) & 0xff;
        line = line.subarray(r.end + 1);
      }
    }
    const reserve = Math.min(line.length + 1, LOG_LINE_MAX);
    const s = sprint(line, reserve, false);
    this.store(nsec, facility, level, false, s.text, reserve, s.newline, 0);
    return data.length;
  }

  /** Closing a /dev/kmsg writer reports the writes its rate limit dropped. */
  releaseUser(ratelimit: DevkmsgRatelimit, comm: string): void {
    if (ratelimit.missed) {
      this.emit(4, `${comm}: ${ratelimit.missed} output lines suppressed due to ratelimiting`);
      ratelimit.missed = 0;
    }
  }

  /** The oldest readable sequence number (0 when nothing is readable). */
  get firstSeq(): number {
    return this.records.find((r) => r.final)?.seq ?? 0;
  }

  /** The sequence number the next readable record will have. */
  get nextSeq(): number {
    const last = this.records[this.records.length - 1];
    if (!last) return this.seqCounter;
    return last.final ? last.seq + 1 : last.seq;
  }

  /** Where SEEK_DATA on /dev/kmsg goes: the first record after the last clear. */
  get clearSeq(): number {
    return this.clearAt;
  }

  /** SYSLOG_ACTION_CLEAR (dmesg -C / -c): nothing is deleted, only clearSeq moves. */
  clear(): void {
    this.clearAt = this.nextSeq;
  }

  /** The first readable record with sequence >= seq, or null if none yet. */
  readAt(seq: number): LogRecord | null {
    const first = this.records[0];
    if (!first) return null;
    const rec = this.records[Math.max(0, seq - first.seq)];
    return rec && rec.final ? rec : null;
  }

  /** All readable records with sequence >= seq, oldest first. */
  recordsFrom(seq: number): LogRecord[] {
    const first = this.records[0];
    if (!first) return [];
    return this.records.slice(Math.max(0, seq - first.seq)).filter((r) => r.final);
  }

  /** Called whenever a record becomes readable; returns the unsubscribe function. */
  onRecord(cb: (rec: LogRecord) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Bytes of the data ring in use, including space lost to wrapping. */
  get dataUsed(): number {
    const first = this.records[0];
    return first ? this.head - first.begin : 0;
  }

  private store(nsec: bigint, facility: number, level: number, cont: boolean, text: Uint8Array,
    reserve: number, final: boolean, callerId: number): void {
    // Reserving a new record closes the previous one.
    const last = this.records[this.records.length - 1];
    if (last && !last.final) this.finalize(last);
    if (this.records.length >= this.descCount) this.records.shift();
    const begin = this.head;
    const next = this.nextLpos(begin, blockSize(reserve));
    this.pushTail(next - this.dataSize);
    this.head = next;
    const slot: Slot = {
      seq: this.seqCounter++, nsec, usec: nsec / 1000n, level, facility, cont,
      text: text.slice(), callerId, final: false, begin, next,
    };
    this.records.push(slot);
    if (final) this.finalize(slot);
  }

  /** Grow the newest record's block in place (it moves to the ring start if it would wrap). */
  private realloc(slot: Slot, size: number): void {
    const next = this.nextLpos(slot.begin, blockSize(size));
    if (next <= this.head) return; // blocks never shrink
    this.pushTail(next - this.dataSize);
    this.head = slot.next = next;
  }

  /** A block may not straddle the end of the ring; if it would, it starts at the next wrap. */
  private nextLpos(begin: number, size: number): number {
    const next = begin + size;
    const wrapOf = (p: number): number => Math.floor(p / this.dataSize);
    return wrapOf(begin) === wrapOf(next) ? next : wrapOf(next) * this.dataSize + size;
  }

  /** Drop the oldest records whose data lies before lpos. */
  private pushTail(lpos: number): void {
    while (this.records.length > 0 && this.records[0]!.begin < lpos) this.records.shift();
  }

  private finalize(slot: Slot): void {
    slot.final = true;
    for (const cb of [...this.listeners]) {
      try {
        cb(slot);
      } catch {
        // A reader's bug must not break printk.
      }
    }
  }
}
