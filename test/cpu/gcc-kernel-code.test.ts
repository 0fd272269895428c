// Code compiled by gcc 12 with kbuild's x86-64 flags (-mcmodel=kernel, retpolines, return thunks,
// stack protector on %gs, no SSE) runs on the interpreter and matches the same C run natively.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Memory } from '../../src/mm/memory.js';
import { X86Cpu } from '../../src/cpu/x86-cpu.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'funcs.c');
const KFLAGS = ('-O2 -mcmodel=kernel -mno-red-zone -fno-pic -fno-pie -mno-sse -mno-mmx -mno-sse2 -mno-3dnow ' +
  '-mno-avx -mno-80387 -mno-fp-ret-in-387 -mskip-rax-setup -fno-asynchronous-unwind-tables ' +
  '-fcf-protection=branch -fno-jump-tables -mindirect-branch=thunk-extern -mindirect-branch-register ' +
  '-mfunction-return=thunk-extern -mharden-sls=all -fstack-protector-strong -fno-strict-aliasing ' +
  '-fno-delete-null-pointer-checks -falign-jumps=1 -falign-loops=1 -mpreferred-stack-boundary=3').split(' ');
const BASE = 0xffffffffc0200000n;
const DATA = 0xffff888000200000n;
const PERCPU = 0xffff88807fc00000n;
const STACK_CHK_FAIL = 0xffffffff81000040n;
const REGS = ['rax', 'rcx', 'rdx', 'rbx', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

const MAIN = `#include <stdio.h>
#include "funcs.c"
int main(void) {
  printf("%lx\\n", fnv("hello modfs"));
  printf("%x\\n", crc32b((const unsigned char *)"123456789", 9));
  int a[10] = {5, -3, 9, 0, 22, 7, -8, 1, 1, 4}; isort(a, 10); for (int i = 0; i < 10; i++) printf("%d%s", a[i], i < 9 ? " " : "\\n");
  printf("%ld\\n%ld\\n", divmix(-1000003, 17, 0xfedcba9876543210ul, 12345), divmix(77, -5, 99, 100));
  printf("%d %d %d %d\\n", classify(1), classify(9), classify(100), classify(-4));
  printf("%ld %ld %ld\\n", apply(0, 3, 4), apply(1, 3, 4), apply(5, 3, 4));
  printf("%lx\\n%lx\\n", mulhi(0xfedcba9876543210ul, 0x123456789abcdef1ul), (u64)smulhi(-0x7edcba9876543210l, 0x123456789abcdef1l));
  printf("%d %d\\n", bits(0x0001000000000100ul), bits(0));
  char buf[32]; fmt(buf, 18446744073709551615ul); printf("%s\\n", buf);
  printf("%ld\\n", ack(2, 3));
  printf("%lx\\n", rotmix(0x8123456789abcdefu, 13));
  printf("%d %d\\n", cmpstr("abc", "abd"), cmpstr("same", "same"));
  return 0;
}
`;

describe('gcc kernel-flags code', () => {
  let expected: string[] = [];
  let mem: Memory;
  let cpu: X86Cpu;
  const syms = new Map<string, bigint>();
  const sym = (n: string): bigint => syms.get(n)!;
  let strAt = DATA;
  const str = (s: string): bigint => {
    const a = strAt;
    mem.writeBytes(a, new TextEncoder().encode(s + '\0'));
    strAt += BigInt(s.length + 8) & ~7n;
    return a;
  };
  const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
  const call = (n: string, args: bigint[]): bigint => cpu.call(sym(n), args);

  beforeAll(() => {
    const dir = join(tmpdir(), 'modfs-gcc-kernel');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.c'), MAIN);
    writeFileSync(join(dir, 'funcs.c'), readFileSync(FIXTURE));
    execFileSync('gcc', ['-O2', '-o', join(dir, 'native'), join(dir, 'main.c')]);
    expected = execFileSync(join(dir, 'native'), { encoding: 'utf8' }).trim().split('\n');
    execFileSync('gcc', [...KFLAGS, '-c', '-o', join(dir, 'k.o'), join(dir, 'funcs.c')]);
    const thunks = ['.text', '.globl __x86_return_thunk', '__x86_return_thunk: ret; int3',
      ...REGS.flatMap((r) => [`.globl __x86_indirect_thunk_${r}`, `__x86_indirect_thunk_${r}: jmp *%${r}; int3`])];
    writeFileSync(join(dir, 'thunks.s'), thunks.join('\n') + '\n');
    execFileSync('as', ['--64', '-o', join(dir, 'thunks.o'), join(dir, 'thunks.s')]);
    execFileSync('ld', ['-m', 'elf_x86_64', '--no-warn-rwx-segments', '-N', '-e', '0', `-Ttext=0x${BASE.toString(16)}`,
      '--defsym', `__stack_chk_fail=0x${STACK_CHK_FAIL.toString(16)}`, '-o', join(dir, 'k.elf'), join(dir, 'k.o'), join(dir, 'thunks.o')]);
    execFileSync('objcopy', ['-O', 'binary', '-R', '.note.gnu.property', '-R', '.comment', join(dir, 'k.elf'), join(dir, 'k.bin')]);
    for (const l of execFileSync('nm', [join(dir, 'k.elf')], { encoding: 'utf8' }).split('\n')) {
      const m = /^([0-9a-f]+) \w (\S+)$/.exec(l.trim());
      if (m) syms.set(m[2]!, BigInt('0x' + m[1]!));
    }
    const image = new Uint8Array(readFileSync(join(dir, 'k.bin')));
    mem = new Memory();
    mem.map(BASE, Math.ceil((image.length + 4096) / 4096) * 4096);
    mem.writeBytes(BASE, image);
    mem.map(DATA, 0x10000);
    mem.map(PERCPU, 0x1000);
    mem.writeU64(PERCPU + 0x28n, 0x5ca1ab1e0ddba11n); // stack canary
    cpu = new X86Cpu(mem);
    cpu.gsBase = PERCPU;
    cpu.registerTrap(STACK_CHK_FAIL, '__stack_chk_fail', () => {
      throw new Error('stack protector fired');
    });
  });

  it('hashes, checksums, sorts, divides, switches and calls through pointers', () => {
    expect(call('fnv', [str('hello modfs')]).toString(16)).toBe(expected[0]);
    const digits = str('123456789');
    expect(call('crc32b', [digits, 9n]).toString(16)).toBe(expected[1]);
    const arr = DATA + 0x1000n;
    [5, -3, 9, 0, 22, 7, -8, 1, 1, 4].forEach((v, k) => mem.writeU32(arr + BigInt(4 * k), v >>> 0));
    call('isort', [arr, 10n]);
    const sorted = Array.from({ length: 10 }, (_, k) => mem.readU32(arr + BigInt(4 * k)) | 0);
    expect(sorted.join(' ')).toBe(expected[2]);
    expect(s64(call('divmix', [BigInt.asUintN(64, -1000003n), 17n, 0xfedcba9876543210n, 12345n])).toString()).toBe(expected[3]);
    expect(s64(call('divmix', [77n, BigInt.asUintN(64, -5n), 99n, 100n])).toString()).toBe(expected[4]);
    const cls = [1n, 9n, 100n, BigInt.asUintN(64, -4n)].map((x) => BigInt.asIntN(32, call('classify', [x])));
    expect(cls.join(' ')).toBe(expected[5]);
    const ap = [[0n, 3n, 4n], [1n, 3n, 4n], [5n, 3n, 4n]].map((a) => s64(call('apply', a)));
    expect(ap.join(' ')).toBe(expected[6]);
    expect(call('mulhi', [0xfedcba9876543210n, 0x123456789abcdef1n]).toString(16)).toBe(expected[7]);
    expect(call('smulhi', [BigInt.asUintN(64, -0x7edcba9876543210n), 0x123456789abcdef1n]).toString(16)).toBe(expected[8]);
    const bits = [0x0001000000000100n, 0n].map((x) => BigInt.asIntN(32, call('bits', [x])));
    expect(bits.join(' ')).toBe(expected[9]);
  });

  it('formats numbers with a stack-protected buffer, recurses, rotates, compares strings', () => {
    const buf = DATA + 0x2000n;
    const n = call('fmt', [buf, 18446744073709551615n]);
    expect(new TextDecoder().decode(mem.readBytes(buf, Number(n)))).toBe(expected[10]);
    expect(call('ack', [2n, 3n]).toString()).toBe(expected[11]);
    expect(call('rotmix', [0x8123456789abcdefn, 13n]).toString(16)).toBe(expected[12]);
    const c = [['abc', 'abd'], ['same', 'same']].map(([a, b]) => BigInt.asIntN(32, call('cmpstr', [str(a!), str(b!)])));
    expect(c.join(' ')).toBe(expected[13]);
  });

  it('copies a struct', () => {
    const src = DATA + 0x3000n;
    const dst = DATA + 0x3100n;
    for (let k = 0; k < 12; k++) mem.writeU64(src + BigInt(8 * k), BigInt(k * 1000 + 1));
    mem.writeU32(src + 96n, 41);
    call('copybig', [dst, src]);
    expect(mem.readU64(dst + 88n)).toBe(11001n);
    expect(mem.readU32(dst + 96n)).toBe(42);
  });
});
