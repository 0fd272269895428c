import { describe, expect, it } from 'vitest';
import {
  EINVAL, ERANGE, kstrtobool, kstrtoFromUserMax, kstrtoint, kstrtol, kstrtoll, kstrtos16, kstrtos8,
  kstrtou16, kstrtou8, kstrtouint, kstrtoul, kstrtoull, simpleStrtol, simpleStrtoll, simpleStrtoul,
  simpleStrtoull,
} from '../../src/kernel/kstrtox.js';

type Row = [input: string, expected: bigint | number | 'EINVAL' | 'ERANGE'];

function check<T>(fn: (s: string, base: number) => { value?: T; errno?: number }, rows: Row[], base = 0) {
  for (const [input, want] of rows) {
    const r = fn(input, base);
    const got = r.errno === EINVAL ? 'EINVAL' : r.errno === ERANGE ? 'ERANGE' : r.value;
    expect(got, JSON.stringify(input)).toStrictEqual(want);
  }
}

describe('kstrtoull base 0', () => {
  it('accepts the §1.2 forms', () => {
    check(kstrtoull, [
      ['0', 0n], ['5', 5n], ['+5', 5n], ['5\n', 5n], ['010', 8n], ['0x1f', 31n], ['0X1F', 31n],
      ['0xAbC', 0xabcn], ['18446744073709551615', 18446744073709551615n],
      ['0xffffffffffffffff', 0xffffffffffffffffn], ['01777777777777777777777', 0xffffffffffffffffn],
      ['00', 0n], ['0\n', 0n], ['+0', 0n],
    ]);
  });
  it('rejects with EINVAL', () => {
    check(kstrtoull, [
      ['', 'EINVAL'], ['\n', 'EINVAL'], ['abc', 'EINVAL'], [' 5', 'EINVAL'], ['5 ', 'EINVAL'],
      ['\t5', 'EINVAL'], ['5\n\n', 'EINVAL'], ['-1', 'EINVAL'], ['-0', 'EINVAL'], ['+-5', 'EINVAL'],
      ['++5', 'EINVAL'], ['0x', 'EINVAL'], ['0xg', 'EINVAL'], ['08', 'EINVAL'], ['09', 'EINVAL'],
      ['5x', 'EINVAL'], ['+', 'EINVAL'], ['0x\n', 'EINVAL'], ['1.5', 'EINVAL'], ['5\r\n', 'EINVAL'],
    ]);
  });
  it('reports overflow as ERANGE, even before trailing garbage', () => {
    check(kstrtoull, [
      ['18446744073709551616', 'ERANGE'], ['0x10000000000000000', 'ERANGE'],
      ['99999999999999999999abc', 'ERANGE'], ['02000000000000000000000', 'ERANGE'],
    ]);
  });
  it('stops at a NUL byte like a C string', () => {
    expect(kstrtoull(new Uint8Array([0x31, 0x32, 0, 0x78]), 0)).toStrictEqual({ value: 12n });
  });
});

describe('kstrtoull explicit bases', () => {
  it('base 16 skips 0x even without digits after it', () => {
    check(kstrtoull, [['ff', 255n], ['0xff', 255n], ['0x', 'EINVAL'], ['10', 16n], ['g', 'EINVAL']], 16);
  });
  it('base 10 does not detect radix', () => {
    check(kstrtoull, [['010', 10n], ['0x10', 'EINVAL'], ['a', 'EINVAL']], 10);
  });
  it('base 8 and 2', () => {
    check(kstrtoull, [['777', 511n], ['8', 'EINVAL']], 8);
    check(kstrtoull, [['1011', 11n], ['2', 'EINVAL']], 2);
  });
});

describe('signed and narrow types', () => {
  it('kstrtoll', () => {
    check(kstrtoll, [
      ['-0', 0n], ['-5', -5n], ['+5', 5n], ['-+5', 'EINVAL'], ['--5', 'EINVAL'], ['-', 'EINVAL'],
      ['9223372036854775807', 9223372036854775807n], ['9223372036854775808', 'ERANGE'],
      ['-9223372036854775808', -9223372036854775808n], ['-9223372036854775809', 'ERANGE'],
      ['-18446744073709551615', 'ERANGE'], ['-18446744073709551616', 'ERANGE'], ['-0x10', -16n],
      ['-010', -8n], ['-08', 'EINVAL'], ['-5\n', -5n], [' -5', 'EINVAL'],
    ]);
    expect(kstrtol).toBe(kstrtoll);
    expect(kstrtoul).toBe(kstrtoull);
  });
  it('kstrtoint / kstrtouint', () => {
    check(kstrtoint, [
      ['2147483647', 2147483647], ['2147483648', 'ERANGE'], ['-2147483648', -2147483648],
      ['-2147483649', 'ERANGE'], ['0x7fffffff', 2147483647], ['0xffffffff', 'ERANGE'], ['x', 'EINVAL'],
    ]);
    check(kstrtouint, [
      ['4294967295', 4294967295], ['4294967296', 'ERANGE'], ['-1', 'EINVAL'], ['0xffffffff', 4294967295],
    ]);
  });
  it('16 and 8 bit', () => {
    check(kstrtou16, [['65535', 65535], ['65536', 'ERANGE'], ['-1', 'EINVAL']]);
    check(kstrtos16, [['32767', 32767], ['32768', 'ERANGE'], ['-32768', -32768], ['-32769', 'ERANGE']]);
    check(kstrtou8, [['255', 255], ['256', 'ERANGE'], ['0377', 255], ['0x100', 'ERANGE'], ['-0', 'EINVAL']]);
    check(kstrtos8, [['127', 127], ['128', 'ERANGE'], ['-128', -128], ['-129', 'ERANGE'], ['-0', 0]]);
  });
  it('range errors come after parse errors', () => {
    check(kstrtou8, [['256x', 'EINVAL'], ['99999999999999999999999', 'ERANGE']]);
  });
});

describe('kstrtobool', () => {
  const rows: Array<[string, boolean | 'EINVAL']> = [
    ['y', true], ['Y', true], ['t', true], ['T', true], ['1', true], ['on', true], ['ON', true], ['oN', true],
    ['n', false], ['N', false], ['f', false], ['F', false], ['0', false], ['off', false], ['OFF', false], ['of', false],
    ['yes', true], ['Yellow', true], ['1abc', true], ['true', true], ['0x5', false], ['nope', false],
    ['y\n', true], ['', 'EINVAL'], ['\n', 'EINVAL'], ['o', 'EINVAL'], ['ox', 'EINVAL'], [' y', 'EINVAL'],
    ['2', 'EINVAL'], ['-1', 'EINVAL'], ['enable', 'EINVAL'],
  ];
  it.each(rows)('%j', (input, want) => {
    const r = kstrtobool(input);
    expect(r.errno === EINVAL ? 'EINVAL' : r.value).toBe(want);
  });
  it('NULL is EINVAL', () => expect(kstrtobool(null)).toStrictEqual({ errno: EINVAL }));
});

describe('simple_strto*', () => {
  it('never fails and reports the end', () => {
    expect(simpleStrtoull('123abc', 10)).toStrictEqual({ value: 123n, end: 3 });
    expect(simpleStrtoull('abc', 10)).toStrictEqual({ value: 0n, end: 0 });
    expect(simpleStrtoull('0x1f!', 0)).toStrictEqual({ value: 31n, end: 4 });
    expect(simpleStrtoull('0x', 0)).toStrictEqual({ value: 0n, end: 1 });
    expect(simpleStrtoull('0x', 16)).toStrictEqual({ value: 0n, end: 2 });
    expect(simpleStrtoull('017', 0)).toStrictEqual({ value: 15n, end: 3 });
    expect(simpleStrtoull('+5', 10)).toStrictEqual({ value: 0n, end: 0 });
    expect(simpleStrtoull(' 5', 10)).toStrictEqual({ value: 0n, end: 0 });
    expect(simpleStrtoull('18446744073709551617', 10)).toStrictEqual({ value: 1n, end: 20 });
    expect(simpleStrtoul).toBe(simpleStrtoull);
  });
  it('signed variants negate after a leading minus', () => {
    expect(simpleStrtol('-42z', 10)).toStrictEqual({ value: -42n, end: 3 });
    expect(simpleStrtol('-0x10', 0)).toStrictEqual({ value: -16n, end: 5 });
    expect(simpleStrtoll('18446744073709551615', 10)).toStrictEqual({ value: -1n, end: 20 });
    expect(simpleStrtol('--1', 10)).toStrictEqual({ value: 0n, end: 1 });
  });
  it('from_user copy limits', () => {
    expect(kstrtoFromUserMax(4)).toBe(34);
    expect(kstrtoFromUserMax(8)).toBe(66);
  });
});
