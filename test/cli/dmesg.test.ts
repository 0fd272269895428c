import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseKmsgRecord, unescapeKmsg } from '../../src/cli/client.js';
import { formatDmesgRecord } from '../../src/cli/dmesg.js';
import { ensureBuilt, makeTree, modfs, readTree } from './helpers.js';

beforeAll(ensureBuilt);

const fmt = (line: string, raw = false) => formatDmesgRecord(parseKmsgRecord(line)!, raw).toString('utf8');

describe('kmsg record parsing', () => {
  it('reads prio, seq, usec, flag and unescapes \\xNN', () => {
    const r = parseKmsgRecord('6,1234,56789012,-;t: a\\x5cb\\x0ac')!;
    expect(r).toMatchObject({ prio: 6, seq: 1234, usec: 56789012, flag: '-' });
    expect(r.text.toString('latin1')).toBe('t: a\\b\nc');
    expect(parseKmsgRecord('12,5,1,c,caller=T1;x')!.flag).toBe('c');
    expect(parseKmsgRecord('garbage')).toBeNull();
    expect([...unescapeKmsg('\\xc3\\xa9\\xzz')]).toEqual([0xc3, 0xa9, 0x5c, 0x78, 0x7a, 0x7a]);
  });
});

describe("util-linux dmesg's default format", () => {
  it('prefixes [%5ld.%06ld] and a space', () => {
    expect(fmt('6,0,0,-;hello')).toBe('[    0.000000] hello\n');
    expect(fmt('4,1,100123456,-;t: loading out-of-tree module taints kernel.')).toBe(
      '[  100.123456] t: loading out-of-tree module taints kernel.\n',
    );
    expect(fmt('6,2,123456789012,-;big')).toBe('[123456.789012] big\n');
  });

  it('-r puts the syslog <prio> first', () => {
    expect(fmt('12,3,1500000,-;from user', true)).toBe('<12>[    1.500000] from user\n');
  });

  it('indents the further lines of a multi-line record by the prefix width', () => {
    expect(fmt('6,0,2000000,-;one\\x0atwo\\x0athree')).toBe('[    2.000000] one\n               two\n               three\n');
    expect(fmt('6,0,2000000,-;one\\x0atwo', true)).toBe('<6>[    2.000000] one\n                  two\n');
    expect(fmt('6,0,2000000,-;trailing\\x0a')).toBe('[    2.000000] trailing\n\n');
  });

  it('re-escapes unprintable bytes, keeps tabs and printable UTF-8, prints an empty record as a blank line', () => {
    expect(fmt('6,0,0,-;a\\x01b\\x7fc\\x09d')).toBe('[    0.000000] a\\x01b\\x7fc\td\n');
    expect(fmt('6,0,0,-;caf\\xc3\\xa9 \\xff')).toBe('[    0.000000] café \\xff\n');
    expect(fmt('6,0,0,-;')).toBe('\n');
  });
});

describe('modfs dmesg', () => {
  const LOG =
    '4,0,100123456,-;t: loading out-of-tree module taints kernel.\n' +
    '6,1,100124001,-;hello\\x0aworld\n SUBSYSTEM=x\n DEVICE=y\n' +
    '12,2,101000000,-;user note\n';

  it('prints every record of dev/kmsg, skipping device metadata lines', () => {
    const dir = makeTree([], [], LOG);
    const r = modfs(['dmesg', '-m', dir]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      '[  100.123456] t: loading out-of-tree module taints kernel.\n' +
        '[  100.124001] hello\n' +
        '               world\n' +
        '[  101.000000] user note\n',
    );
    expect(modfs(['dmesg', '-m', dir, '-r']).stdout.split('\n')[3]).toBe('<12>[  101.000000] user note');
    expect(readTree(dir, 'sys/kernel/modctl/clear')).toBe('');
  });

  it('-C only writes the clear control; -c reads, then clears', () => {
    const dir = makeTree([], [], LOG);
    expect(modfs(['dmesg', '-m', dir, '-C'])).toMatchObject({ code: 0, stdout: '' });
    expect(readTree(dir, 'sys/kernel/modctl/clear')).not.toBe('');
    const dir2 = makeTree([], [], LOG);
    const r = modfs(['dmesg', '-m', dir2, '--read-clear']);
    expect(r.stdout.split('\n')).toHaveLength(5);
    expect(readTree(dir2, 'sys/kernel/modctl/clear')).not.toBe('');
  });

  it('refuses -C with -c or -r, as util-linux does', () => {
    expect(modfs(['dmesg', '-m', makeTree(), '-C', '-c']).code).toBe(1);
    expect(modfs(['dmesg', '-m', makeTree(), '-c', '-r']).code).toBe(1);
  });

  it('reports read and clear failures in util-linux words', () => {
    const dir = makeTree();
    fs.rmSync(path.join(dir, 'dev/kmsg'));
    expect(modfs(['dmesg', '-m', dir])).toMatchObject({
      code: 1,
      stderr: 'dmesg: read kernel buffer failed: No such file or directory\n',
    });
    fs.rmSync(path.join(dir, 'sys/kernel/modctl/clear'));
    fs.symlinkSync('/dev/full', path.join(dir, 'sys/kernel/modctl/clear'));
    expect(modfs(['dmesg', '-m', dir, '-C'])).toMatchObject({
      code: 1,
      stderr: 'dmesg: clear kernel buffer failed: No space left on device\n',
    });
  });
});
