import { describe, expect, it } from 'vitest';
import { DevkmsgRatelimit, KernelLog, LOG_LINE_MAX, type LogRecord } from '../../src/kernel/log.js';
import { formatKmsgRecord, formatSyslogLine, formatTimestamp } from '../../src/kernel/kmsg-format.js';

const enc = new TextEncoder();
const dec = new TextDecoder('latin1');
const b = (s: string): Uint8Array => enc.encode(s);

function setup(opts = {}) {
  let now = 1_000_000_000n;
  const clock = () => now;
  const log = new KernelLog(clock, opts);
  return { log, tick: (ns: bigint) => { now += ns; }, clock };
}

const texts = (recs: LogRecord[]) => recs.map((r) => dec.decode(r.text));

describe('printk records', () => {
  it('parses levels: first digit wins, default 4, prefixes stripped', () => {
    const { log } = setup();
    expect(log.printk(b('\x016hello\n'))).toBe(5);
    log.printk(b('plain\n'));
    log.printk(b('\x013\x016both\n'));
    log.printk(b('\x01dnot a level\n'));
    const recs = log.recordsFrom(0);
    expect(recs.map((r) => [r.level, r.facility, r.cont])).toStrictEqual([[6, 0, false], [4, 0, false], [3, 0, false], [4, 0, false]]);
    expect(texts(recs)).toStrictEqual(['hello', 'plain', 'both', '\x01dnot a level']);
    expect(recs.map((r) => r.seq)).toStrictEqual([0, 1, 2, 3]);
  });

  it('reads the level only from the first 7 bytes, but strips every prefix', () => {
    const { log } = setup();
    log.printk(b('\x01c\x01c\x01c\x016x\n'));
    const [r] = log.recordsFrom(0);
    expect(r!.level).toBe(4);
    expect(dec.decode(r!.text)).toBe('x');
  });

  it('keeps a record open until a newline or the next record; readers only see final ones', () => {
    const { log } = setup();
    const seen: string[] = [];
    const off = log.onRecord((r) => seen.push(dec.decode(r.text)));
    log.printk(b('\x016part'));
    expect(log.recordsFrom(0)).toStrictEqual([]);
    expect(log.nextSeq).toBe(0);
    expect(log.readAt(0)).toBeNull();
    log.printk(b('\x01c one'));
    log.printk(b('\x01c two\n'));
    expect(texts(log.recordsFrom(0))).toStrictEqual(['part one two']);
    expect(log.recordsFrom(0)[0]!.cont).toBe(false);
    expect(log.recordsFrom(0)[0]!.level).toBe(6);
    expect(seen).toStrictEqual(['part one two']);
    log.printk(b('\x016open'));
    log.printk(b('\x016next\n'));
    expect(texts(log.recordsFrom(0))).toStrictEqual(['part one two', 'open', 'next']);
    off();
    log.printk(b('more\n'));
    expect(seen).toHaveLength(3);
  });

  it('an orphaned continuation is its own record with the cont flag', () => {
    const { log } = setup();
    log.printk(b('done\n'));
    log.printk(b('\x01cfrag\n'));
    const recs = log.recordsFrom(0);
    expect(recs[1]!.cont).toBe(true);
    expect(recs[1]!.level).toBe(4);
    expect(dec.decode(formatKmsgRecord(recs[1]!))).toBe('4,1,1000000,c;frag\n');
  });

  it('continuations from another caller do not append', () => {
    const { log } = setup();
    log.printk(b('a'), 1);
    log.printk(b('\x01cb\n'), 2);
    expect(texts(log.recordsFrom(0))).toStrictEqual(['a', 'b']);
  });

  it('a continuation that would exceed 992 bytes starts a new record', () => {
    const { log } = setup();
    log.printk(b('x'.repeat(900)));
    // The fragment's reserve counts its prefix, newline and NUL: 2 + 88 + 1 + 1 = 92.
    log.printk(b('\x01c' + 'y'.repeat(88) + '\n')); // 900 + 92 = 992: fits
    log.printk(b('z'.repeat(900)));
    log.printk(b('\x01c' + 'y'.repeat(89) + '\n')); // 900 + 93: does not
    const recs = log.recordsFrom(0);
    expect(recs.map((r) => [r.text.length, r.cont])).toStrictEqual([[988, false], [900, false], [89, true]]);
  });

  it('one record for embedded newlines; one trailing newline stripped', () => {
    const { log } = setup();
    log.printk(b('a\nb\n\n'));
    expect(texts(log.recordsFrom(0))).toStrictEqual(['a\nb\n']);
  });

  it('caps text at 991 bytes before looking for the newline', () => {
    const { log } = setup();
    expect(log.printk(b('\x016' + 'x'.repeat(2000) + '\n'))).toBe(989);
    expect(log.recordsFrom(0)).toStrictEqual([]); // the newline was cut off: still open
    log.printk(b('y'.repeat(989) + '\n'));
    expect(log.recordsFrom(0).map((r) => r.text.length)).toStrictEqual([989, 989]);
    log.printk(b('y'.repeat(990) + '\n'));
    expect(log.recordsFrom(2)[0]!.text.length).toBe(990);
  });

  it('empty messages make empty records', () => {
    const { log } = setup();
    expect(log.printk(b('\n'))).toBe(0);
    expect(log.printk(b('\x016\n'))).toBe(0);
    expect(log.recordsFrom(0).map((r) => r.text.length)).toStrictEqual([0, 0]);
  });

  it('emit makes complete records, literally', () => {
    const { log } = setup();
    log.emit(4, 't: loading out-of-tree module taints kernel.');
    log.emit(5, '\x016odd\n', 3);
    const recs = log.recordsFrom(0);
    expect(recs.map((r) => [r.level, r.facility, dec.decode(r.text)])).toStrictEqual([
      [4, 0, 't: loading out-of-tree module taints kernel.'], [5, 3, '\x016odd']]);
  });

  it('keeps the first timestamp across continuations', () => {
    const { log, tick } = setup();
    log.printk(b('a'));
    tick(5000n);
    log.printk(b('\x01cb\n'));
    expect(log.recordsFrom(0)[0]!.usec).toBe(1_000_000n);
  });
});

describe('/dev/kmsg writes', () => {
  it('defaults to LOG_USER and level 4', () => {
    const { log } = setup();
    expect(log.writeUser(b('hello\n'))).toBe(6);
    const [r] = log.recordsFrom(0);
    expect([r!.facility, r!.level, dec.decode(r!.text)]).toStrictEqual([1, 4, 'hello']);
    expect(dec.decode(formatKmsgRecord(r!))).toBe('12,0,1000000,-;hello\n');
  });
  it('parses <N>', () => {
    const { log } = setup();
    log.writeUser(b('<6>info\n'));
    log.writeUser(b('<30>daemon\n'));
    log.writeUser(b('<>zero\n'));
    log.writeUser(b('<x>kept\n'));
    log.writeUser(b('<8>fac1\n'));
    log.writeUser(b('\x016noprefix\n'));
    log.writeUser(b('<4294967303>wrap\n'));
    const recs = log.recordsFrom(0);
    expect(recs.map((r) => [r.facility, r.level, dec.decode(r.text)])).toStrictEqual([
      [1, 6, 'info'], [3, 6, 'daemon'], [1, 0, 'zero'], [1, 4, '<x>kept'], [1, 0, 'fac1'],
      [1, 4, '\x016noprefix'], [1, 7, 'wrap'],
    ]);
  });
  it('rejects more than 992 bytes; text ends at NUL; no newline leaves it open', () => {
    const { log } = setup();
    expect(log.writeUser(new Uint8Array(LOG_LINE_MAX + 1).fill(0x61))).toStrictEqual({ errno: 22 });
    expect(log.writeUser(new Uint8Array(LOG_LINE_MAX).fill(0x61))).toBe(992);
    // The NUL also hides the newline, so "ab" stays open.
    expect(log.writeUser(b('ab\0cd\n'))).toBe(6);
    expect(texts(log.recordsFrom(0))).toStrictEqual(['a'.repeat(991)]);
    expect(log.nextSeq).toBe(1);
    log.writeUser(b('next\n'));
    expect(texts(log.recordsFrom(1))).toStrictEqual(['ab', 'next']);
  });
  it('rate limits 10 writes per 5 s per opener and reports drops on release', () => {
    const { log, tick, clock } = setup();
    const rl = new DevkmsgRatelimit(clock);
    for (let i = 0; i < 12; i++) expect(log.writeUser(b('mm\n'), rl)).toBe(3);
    expect(log.recordsFrom(0)).toHaveLength(10);
    tick(5_000_000_001n);
    log.writeUser(b('late\n'), rl);
    expect(log.recordsFrom(0)).toHaveLength(11);
    log.releaseUser(rl, 'logger');
    const last = log.recordsFrom(0).at(-1)!;
    expect([last.level, last.facility, dec.decode(last.text)]).toStrictEqual([4, 0, 'logger: 2 output lines suppressed due to ratelimiting']);
    log.devkmsg = 'on';
    for (let i = 0; i < 12; i++) log.writeUser(b('x\n'), rl);
    expect(log.recordsFrom(0)).toHaveLength(24);
    log.devkmsg = 'off';
    expect(log.writeUser(b('x\n'))).toBe(2);
    expect(log.recordsFrom(0)).toHaveLength(24);
  });
});

describe('buffer bounds', () => {
  it('drops the oldest records when the data ring is full', () => {
    const { log } = setup();
    const line = b('x'.repeat(99) + '\n'); // reserve 101 -> block 112 bytes
    for (let i = 0; i < 2000; i++) log.printk(line);
    const recs = log.recordsFrom(0);
    expect(recs.length).toBe(Math.floor(131072 / 112));
    expect(log.firstSeq).toBe(2000 - recs.length);
    expect(log.nextSeq).toBe(2000);
    expect(log.dataUsed).toBeLessThanOrEqual(131072);
    expect(log.readAt(0)!.seq).toBe(log.firstSeq);
  });
  it('a block that would reach the ring end starts at the ring start instead', () => {
    const { log } = setup({ bufShift: 10 }); // 1 KiB data ring, 32 descriptors
    const line = b('x'.repeat(119) + '\n'); // reserve 121 -> block 136
    // 7 blocks end at 952; the 8th would cross 1024, so it takes [1024, 1160) and only
    // record 0 (before 1160 - 1024 = 136) has to go.
    for (let i = 0; i < 8; i++) log.printk(line);
    expect(log.recordsFrom(0).map((r) => r.seq)).toStrictEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(log.dataUsed).toBe(1024);
    log.printk(line); // [1160, 1296): records before 272 go
    expect(log.firstSeq).toBe(2);
  });
  it('holds at most 4096 records', () => {
    const { log } = setup();
    for (let i = 0; i < 5000; i++) log.printk(b('\n'));
    expect(log.recordsFrom(0).length).toBe(4096);
    expect(log.firstSeq).toBe(5000 - 4096);
  });
  it('clear moves clearSeq only', () => {
    const { log } = setup();
    log.printk(b('a\n'));
    log.printk(b('b'));
    log.clear();
    expect(log.clearSeq).toBe(1);
    expect(log.recordsFrom(0)).toHaveLength(1);
  });
});

describe('record formats', () => {
  const rec = (text: string, extra: Partial<LogRecord> = {}): LogRecord => ({
    seq: 1234, nsec: 56789012345n, usec: 56789012n, level: 6, facility: 0, cont: false, callerId: 0,
    text: enc.encode(text), ...extra,
  });
  it('/dev/kmsg line with escaping', () => {
    expect(dec.decode(formatKmsgRecord(rec('t: hello 5')))).toBe('6,1234,56789012,-;t: hello 5\n');
    expect(dec.decode(formatKmsgRecord(rec('a\nb\\c\x7f\t')))).toBe('6,1234,56789012,-;a\\x0ab\\x5cc\\x7f\\x09\n');
    expect(dec.decode(formatKmsgRecord({ ...rec(''), text: new Uint8Array([0xc3, 0xa9, 0]) }))).toBe('6,1234,56789012,-;\\xc3\\xa9\\x00\n');
    expect(dec.decode(formatKmsgRecord(rec('x', { facility: 1, level: 4, cont: true })))).toBe('12,1234,56789012,c;x\n');
  });
  it('timestamps', () => {
    expect(formatTimestamp(0n)).toBe('[    0.000000]');
    expect(formatTimestamp(1_234_567n)).toBe('[    1.234567]');
    expect(formatTimestamp(12345_678901n)).toBe('[12345.678901]');
    expect(formatTimestamp(123456_000001n)).toBe('[123456.000001]');
  });
  it('syslog lines: every line prefixed, raw adds <prio>', () => {
    expect(dec.decode(formatSyslogLine(rec('hello')))).toBe('[   56.789012] hello\n');
    expect(dec.decode(formatSyslogLine(rec('a\nb')))).toBe('[   56.789012] a\n[   56.789012] b\n');
    expect(dec.decode(formatSyslogLine(rec('a\n')))).toBe('[   56.789012] a\n[   56.789012] \n');
    expect(dec.decode(formatSyslogLine(rec('hi', { facility: 1, level: 4 }), { raw: true }))).toBe('<12>[   56.789012] hi\n');
  });
  it('syslog lines are cut to the 1024-byte record buffer', () => {
    expect(formatSyslogLine(rec('x'.repeat(991))).length).toBe(15 + 991 + 1);
    const lines = Array.from({ length: 100 }, (_, i) => `line${i}`).join('\n');
    const out = dec.decode(formatSyslogLine(rec(lines)));
    const got = out.split('\n').slice(0, -1);
    expect(got).toStrictEqual(got.map((_, i) => `[   56.789012] line${i}`)); // whole lines only
    expect(out.length).toBeLessThanOrEqual(1022);
    expect(out.length + 22).toBeGreaterThan(1022); // and as many as fit
    expect(dec.decode(formatSyslogLine(rec(lines), { bufSize: Infinity })).split('\n').length - 1).toBe(100);
    // Prefixes push the last line past the buffer: it is dropped, not cut.
    const out2 = dec.decode(formatSyslogLine(rec('a\n'.repeat(20) + 'b'.repeat(951))));
    expect(out2).toBe('[   56.789012] a\n'.repeat(20));
  });
});
