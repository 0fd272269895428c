import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  argsFrom, errname, formatKernel, snprintfResult, type FormatHooks,
} from '../../src/kernel/format.js';

const enc = new TextEncoder();
const dec = new TextDecoder('latin1');

/** A fake address space: strings and buffers at fixed addresses. */
function memory(entries: Record<string, Uint8Array | string> = {}): FormatHooks & { map: Map<bigint, Uint8Array> } {
  const map = new Map<bigint, Uint8Array>();
  for (const [k, v] of Object.entries(entries)) map.set(BigInt(k), typeof v === 'string' ? enc.encode(v) : v);
  return {
    map,
    readString(addr, max) {
      const b = map.get(addr);
      if (!b) return null;
      const nul = b.indexOf(0);
      const s = nul < 0 ? b : b.subarray(0, nul);
      return s.subarray(0, Math.min(s.length, max));
    },
    readBytes(addr, len) {
      const b = map.get(addr);
      return b && b.length >= len ? b.subarray(0, len) : null;
    },
  };
}

function fmt(f: string, args: Array<bigint | number> = [], hooks?: FormatHooks): string {
  return dec.decode(formatKernel(enc.encode(f), argsFrom(args), hooks));
}

// ---------------------------------------------------------------------------------------------
// Differential test against glibc for conversions where the kernel and C99 agree.

type CArg = { t: 'int' | 'uint' | 'long' | 'ulong' | 'llong' | 'char'; v: bigint } | { t: 'str'; v: string };
const I = (v: number | bigint): CArg => ({ t: 'int', v: BigInt(v) });
const U = (v: number | bigint): CArg => ({ t: 'uint', v: BigInt(v) });
const L = (v: number | bigint): CArg => ({ t: 'long', v: BigInt(v) });
const UL = (v: number | bigint): CArg => ({ t: 'ulong', v: BigInt(v) });
const C = (v: number): CArg => ({ t: 'char', v: BigInt(v) });
const S = (v: string): CArg => ({ t: 'str', v });

const agreeing: Array<[string, CArg[]]> = [];
const ints = [0, 1, -1, 42, -42, 255, 256, 65535, 65536, 2147483647, -2147483648, 123456789];
for (const f of ['%d', '%i', '%5d', '%-5d', '%05d', '%+d', '% d', '%+ d', '%-+6d', '%.3d', '%8.3d', '%-8.3d',
  '%+.2d', '%u', '%x', '%X', '%o', '%8x', '%-8X|', '%08x', '%.5o', '%hd', '%hu', '%hx', '%hhd', '%hhu',
  '%hhx', '%ld', '%lu', '%lx', '%zu', '%zd', '%zx', '%td', '%lld', '%llx', '%Lu', '%Ld']) {
  for (const v of ints) agreeing.push([f, [f.includes('l') || f.includes('z') || f.includes('t') || f.includes('L') ? L(v) : I(v)]]);
}
const nonzero = [1, 8, 255, 4096, 0x7fffffff, -1];
for (const f of ['%#x', '%#X', '%#o', '%#10x', '%-#10x|', '%#010x', '%#.6x', '%#8o', '%#08o', '%#lx', '%#llo']) {
  for (const v of nonzero) agreeing.push([f, [f.includes('l') ? L(v) : I(v)]]);
}
for (const v of [0n, 1n, -1n, 9223372036854775807n, -9223372036854775808n, 18446744073709551615n]) {
  for (const f of ['%lld', '%llu', '%llx', '%llo', '%ld', '%lu', '%25lld', '%-25llu|', '%025ld', '%+lld', '%zd', '%zu', '%td']) {
    agreeing.push([f, [v < 0n || v > 9223372036854775807n ? UL(BigInt.asUintN(64, v)) : L(v)]]);
  }
}
agreeing.push(
  ['%c', [C(65)]], ['%5c|', [C(66)]], ['%-5c|', [C(67)]], ['[%c%c]', [C(0x7e), C(0x20)]],
  ['%s', [S('hello')]], ['%10s|', [S('hi')]], ['%-10s|', [S('hi')]], ['%.3s|', [S('abcdef')]],
  ['%8.3s|', [S('abcdef')]], ['%-8.3s|', [S('abcdef')]], ['%.10s', [S('abc')]], ['%s-%s', [S(''), S('x')]],
  ['100%%', []], ['%d%%%s', [I(5), S('z')]], ['%*d|', [I(6), I(42)]], ['%-*d|', [I(6), I(42)]],
  ['%*d|', [I(-6), I(42)]], ['%.*d|', [I(4), I(7)]], ['%*.*s|', [I(8), I(2), S('abcdef')]],
  ['%*s|', [I(-5), S('ab')]], ['%0*x', [I(8), U(0xbeef)]], ['a%sb%dc%xd', [S('S'), I(-3), U(0xab)]],
  ['%lu %ld', [UL(1n << 63n), L(-5)]], ['%u', [U(4294967295)]], ['%hhu', [I(0x1ff)]], ['%hd', [I(0x18000)]],
);
const cases = agreeing;

function cLiteral(s: string): string {
  return '"' + Array.from(enc.encode(s), (b) =>
    b === 0x22 || b === 0x5c ? '\\' + String.fromCharCode(b)
      : b >= 0x20 && b < 0x7f && b !== 0x3f ? String.fromCharCode(b) : '\\' + b.toString(8).padStart(3, '0')).join('') + '"';
}

function cArg(a: CArg): string {
  switch (a.t) {
    case 'str': return cLiteral(a.v);
    case 'int': return `(int)${BigInt.asIntN(32, a.v)}LL`;
    case 'uint': return `(unsigned)${BigInt.asUintN(32, a.v)}ULL`;
    case 'char': return `(int)${a.v}`;
    case 'long': case 'llong': return `(long long)${a.v === -(1n << 63n) ? '(-9223372036854775807LL-1)' : a.v + 'LL'}`;
    case 'ulong': return `(unsigned long long)${a.v}ULL`;
  }
}

let gccOk = true;
try { execFileSync('gcc', ['--version'], { stdio: 'ignore' }); } catch { gccOk = false; }

describe('differential against glibc printf', () => {
  it.skipIf(!gccOk)(`${cases.length} formats agree`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'modfs-fmt-'));
    try {
      const body = cases.map(([f, a]) =>
        `  n = snprintf(buf, sizeof buf, ${cLiteral(f)}${a.map((x) => ', ' + cArg(x)).join('')}); dump(buf, n);`).join('\n');
      writeFileSync(join(dir, 't.c'), `#include <stdio.h>
static char buf[4096];
static void dump(const char *b, int n) { for (int i = 0; i < n; i++) printf("%02x", (unsigned char)b[i]); printf("\\n"); }
int main(void) { int n;
${body}
  return 0; }
`);
      execFileSync('gcc', ['-w', '-O0', '-o', join(dir, 't'), join(dir, 't.c')]);
      const lines = execFileSync(join(dir, 't'), { encoding: 'latin1' }).split('\n');
      const mismatches: string[] = [];
      cases.forEach(([f, a], k) => {
        const hooks = memory();
        let next = 0x10000n;
        const vals = a.map((x) => {
          if (x.t !== 'str') return x.v;
          const addr = (next += 0x1000n);
          hooks.map.set(addr, enc.encode(x.v));
          return addr;
        });
        const ours = Buffer.from(formatKernel(enc.encode(f), argsFrom(vals), hooks)).toString('hex');
        if (ours !== lines[k]) {
          mismatches.push(`${JSON.stringify(f)} ${a.map((x) => String(x.v)).join(',')}: glibc=${Buffer.from(lines[k]!, 'hex').toString('latin1')} ours=${Buffer.from(ours, 'hex').toString('latin1')}`);
        }
      });
      expect(mismatches).toStrictEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Kernel-specific behaviour (lib/vsprintf.c 6.1), where glibc differs.

describe('numbers: kernel rules', () => {
  it.each([
    ['%#x', 0, '0x0'], ['%#X', 0, '0X0'], ['%#08x', 0, '0x000000'], ['%#08x', 16, '0x000010'],
    ['%#08x', 0xdeadbeef, '0xdeadbeef'], ['%#o', 0, '0'], ['%#.3o', 8, '0010'], ['%#5o', 0, '    0'],
    ['%.0d', 0, '0'], ['%.0x', 0, '0'], ['%.d', 0, '0'], ['%08.3d', 5, '00000005'], ['%08.3d', -5, '-0000005'],
    ['%-08d|', 5, '5       |'], ['%#.0x', 0, '0x0'],
  ] as Array<[string, number, string]>)('%s of %d', (f, v, want) => {
    expect(fmt(f, [v])).toBe(want);
  });
  it('hexint getter output (fact sheet §1.3)', () => {
    expect(fmt('%#08x\n', [0])).toBe('0x000000\n');
  });
  it('narrows per length modifier', () => {
    expect(fmt('%d %u %x', [0xffffffffn, 0x1ffffffffn, -1])).toBe('-1 4294967295 ffffffff');
    expect(fmt('%hhd %hhu %hd %hu', [0x80, 0x1ff, 0x8000, 0x1ffff])).toBe('-128 255 -32768 65535');
    expect(fmt('%ld %lu %zd %td %lld', [-1, -1, -2, -3, -4])).toBe('-1 18446744073709551615 -2 -3 -4');
  });
  it('a negative * precision means 0 (glibc: none)', () => {
    const hooks = memory({ 0x5000: 'abc' });
    expect(fmt('[%.*s]', [-1, 0x5000], hooks)).toBe('[]');
    expect(fmt('[%.*d]', [-1, 0], hooks)).toBe('[0]');
  });
  it('width and precision wrap or clamp like the bitfields', () => {
    expect(fmt('%.70000d', [1]).length).toBe(4464);
    expect(fmt('%.*d', [40000, 1]).length).toBe(32767);
    expect(fmt('%.*d', [-40000, 1])).toBe('1');
  });
  it('%c prints one byte, NUL included', () => {
    expect(formatKernel(enc.encode('a%cb'), argsFrom([0]))).toStrictEqual(new Uint8Array([0x61, 0, 0x62]));
    expect(fmt('%c', [0x141])).toBe('A');
    expect(fmt('%05c', [0x41])).toBe('    A');
  });
  it('%% ignores width', () => expect(fmt('%5%|')).toBe('%|'));
});

describe('invalid conversions stop the output', () => {
  it.each([
    ['a%jdb', 'a'], ['a%qdb', 'a'], ['a%nb', 'a'], ['x=%f!', 'x='], ['end%', 'end'], ['%lll', ''],
    ['%hhhd', ''], ['%zzd', ''], ['%LLd', ''], ['%Zd', ''], ['ok %d %y %d', 'ok 1 '],
  ])('%j', (f, want) => expect(fmt(f, [1, 2, 3])).toBe(want));
  it('stops at a NUL in the format', () => {
    expect(dec.decode(formatKernel(new Uint8Array([0x61, 0, 0x62]), argsFrom([])))).toBe('a');
  });
});

describe('%s', () => {
  const hooks = memory({ 0x5000: 'hello', 0x6000: new Uint8Array([0x68, 0x69, 0, 0x7a]) });
  it.each([
    ['%s', 0, '(null)'], ['%.3s', 0, '(nu'], ['%10s|', 0, '    (null)|'], ['%-10s|', 0, '(null)    |'],
    ['%s', 0x10, '(efault)'], ['%s', 0xfff, '(efault)'], ['%s', -22, '(efault)'], ['%s', 0x7000, '(efault)'],
    ['%s', 0x5000, 'hello'], ['%.s', 0x5000, 'hello'], ['%.0s|', 0x7000, '|'], ['%s', 0x6000, 'hi'],
  ] as Array<[string, number, string]>)('%s at %d', (f, p, want) => expect(fmt(f, [p], hooks)).toBe(want));
});

describe('%p family', () => {
  const hooks: FormatHooks = {
    ...memory({
      0x5000: new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x22, 0x33]),
      0x6000: 'str',
    }),
    hashPointer: (a) => a ^ 0x1234567800000000n ^ 0x9abcdef0n,
    lookupSymbol: (a) => a >= 0xffffffffc0001000n && a < 0xffffffffc0001040n
      ? { name: 'hello_init', offset: a - 0xffffffffc0001000n, size: 0x40n, module: 'hello' }
      : a >= 0xffffffff81000000n && a < 0xffffffff81000100n
        ? { name: 'printk', offset: a - 0xffffffff81000000n, size: 0x100n } : null,
  };
  it('plain %p hashes to 32 bits shown as 16 digits', () => {
    expect(fmt('%p', [0xffff888012345678n], hooks)).toBe(`00000000${(0x12345678n ^ 0x9abcdef0n).toString(16)}`);
    expect(fmt('%p', [0], hooks)).toBe('0000000000000000');
    expect(fmt('%p', [-22], hooks)).toBe('ffffffffffffffea');
    expect(fmt('%20p|', [0], hooks)).toBe('                   0|');
  });
  it('prints (____ptrval____) before the hash key exists', () => {
    expect(fmt('%p', [0xffff888012345678n])).toBe('(____ptrval____)');
    expect(fmt('%30p|', [0xffff888012345678n])).toBe('(____ptrval____)|');
  });
  it('%px and %pK', () => {
    expect(fmt('%px', [0xffffffffc0001000n], hooks)).toBe('ffffffffc0001000');
    expect(fmt('%px', [0x1000], hooks)).toBe('0000000000001000');
    expect(fmt('%pK', [0xffffffffc0001000n], hooks)).toBe('0000000000000000');
    expect(fmt('%pK', [0xffffffffc0001000n], { ...hooks, restrictedPointers: 'raw' })).toBe('ffffffffc0001000');
    expect(fmt('%pK', [0], { ...hooks, restrictedPointers: 'hash' })).toBe('0000000000000000');
  });
  it('symbols', () => {
    expect(fmt('%pS', [0xffffffffc0001010n], hooks)).toBe('hello_init+0x10/0x40 [hello]');
    expect(fmt('%ps', [0xffffffffc0001010n], hooks)).toBe('hello_init [hello]');
    expect(fmt('%pS', [0xffffffff81000000n], hooks)).toBe('printk+0x0/0x100');
    expect(fmt('%pB', [0xffffffffc0001040n], hooks)).toBe('hello_init+0x40/0x40 [hello]');
    expect(fmt('%pSR', [0xffffffffc0001001n], hooks)).toBe('hello_init+0x1/0x40 [hello]');
    expect(fmt('%pS', [0x1234], hooks)).toBe('0x1234');
    expect(fmt('%pS', [0], hooks)).toBe('0x0');
    expect(fmt('[%-20ps]', [0xffffffff81000010n], hooks)).toBe('[printk              ]');
    expect(fmt('%pS', [0x42], { ...memory(), symbolize: (a, o) => `sym${a}${o ? '+off' : ''}` })).toBe('sym66+off');
  });
  it('hex dumps', () => {
    expect(fmt('%ph', [0x5000], hooks)).toBe('de');
    expect(fmt('%4ph', [0x5000], hooks)).toBe('de ad be ef');
    expect(fmt('%*ph', [3, 0x5000], hooks)).toBe('de ad be');
    expect(fmt('%*phC', [3, 0x5000], hooks)).toBe('de:ad:be');
    expect(fmt('%*phD', [3, 0x5000], hooks)).toBe('de-ad-be');
    expect(fmt('%*phN', [3, 0x5000], hooks)).toBe('deadbe');
    expect(fmt('[%*ph]', [0, 0x5000], hooks)).toBe('[]');
    expect(fmt('%*ph', [4, 0], hooks)).toBe('(null)');
    expect(fmt('%*ph', [4, 0x9000], hooks)).toBe('(efault)');
  });
  it('MAC and phys addresses', () => {
    const mac = memory({ 0x5000: new Uint8Array([0, 0x11, 0x22, 0xaa, 0xbb, 0xcc, 0, 0]) });
    expect(fmt('%pM', [0x5000], mac)).toBe('00:11:22:aa:bb:cc');
    expect(fmt('%pMR', [0x5000], mac)).toBe('cc:bb:aa:22:11:00');
    expect(fmt('%pMF', [0x5000], mac)).toBe('00-11-22-aa-bb-cc');
    expect(fmt('%pm', [0x5000], mac)).toBe('001122aabbcc');
    expect(fmt('%pa', [0x5000], mac)).toBe('0x0000ccbbaa221100');
  });
  it('%pe names errors', () => {
    expect(fmt('%pe', [-22], hooks)).toBe('-EINVAL');
    expect(fmt('%pe', [-517], hooks)).toBe('-EPROBE_DEFER');
    expect(fmt('%pe', [-41], hooks)).toBe('-41');
    expect(fmt('%pe', [-4000], hooks)).toBe('-4000');
    expect(fmt('%pe', [0], hooks)).toBe('0000000000000000');
    expect(errname(11)).toBe('EAGAIN');
    expect(errname(-35)).toBe('-EDEADLK');
  });
  it('%pks, %pA and unknown extensions', () => {
    expect(fmt('%pks', [0x6000], hooks)).toBe('str');
    expect(fmt('%pk', [0x6000], hooks)).toBe('(einval)');
    expect(fmt('%pA', [0x6000], hooks)).toBe('(%pA?)');
    // All alphanumerics after %p belong to the extension.
    expect(fmt('%pxyz1|', [0x6000], hooks)).toBe('0000000000006000|');
  });
});

describe('snprintfResult', () => {
  const full = enc.encode('hello');
  it('truncates and reports both return conventions', () => {
    expect(snprintfResult(full, 3)).toStrictEqual({ bytes: new Uint8Array([0x68, 0x65, 0]), snprintf: 5, scnprintf: 2 });
    expect(snprintfResult(full, 6)).toStrictEqual({ bytes: enc.encode('hello\0'), snprintf: 5, scnprintf: 5 });
    expect(snprintfResult(full, 100).scnprintf).toBe(5);
    expect(snprintfResult(full, 1)).toStrictEqual({ bytes: new Uint8Array([0]), snprintf: 5, scnprintf: 0 });
    expect(snprintfResult(full, 0)).toStrictEqual({ bytes: new Uint8Array(0), snprintf: 5, scnprintf: 0 });
    expect(snprintfResult(full, 2 ** 31)).toStrictEqual({ bytes: new Uint8Array(0), snprintf: 0, scnprintf: 0 });
  });
});
