// The loader's version, license and taint checks (kernel-facts §5.4, §6.5, §6.6), on copies of a
// real kbuild module with one fact changed, loaded in-process.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/kernel/kernel.js';
import { loadModule } from '../../src/kernel/loader/load-module.js';
import { KernelError } from '../../src/kernel/errno.js';
import { procModulesLine } from '../../src/vfs/procfs.js';

const HELLO = readFileSync(resolve(__dirname, '../../examples/ko/hello.ko'));

/** hello.ko with `from` replaced by `to` (same length) at its first occurrence. */
function patched(from: string, to: string, last = false): Uint8Array {
  expect(to.length).toBe(from.length);
  const b = Buffer.from(HELLO);
  const i = last ? b.lastIndexOf(from, undefined, 'latin1') : b.indexOf(from, 0, 'latin1');
  expect(i).toBeGreaterThan(0);
  b.write(to, i, 'latin1');
  return b;
}

function load(image: Uint8Array): { k: Kernel; errno: number; log: string[] } {
  const k = new Kernel({ kaslrPages: 1 });
  let errno = 0;
  try {
    loadModule(k, image);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    errno = e.errno;
  }
  const log = k.log.recordsFrom(0).map((r) => Buffer.from(r.text).toString('latin1'));
  return { k, errno, log };
}

describe('loader checks', () => {
  it('a plain kbuild module taints O and E', () => {
    const { k, errno } = load(HELLO);
    expect(errno).toBe(0);
    expect(procModulesLine(k.find('hello')!, false)).toBe('hello 16384 0 - Live 0x0000000000000000 (OE)\n');
    expect(k.taint).toBe((1 << 12) | (1 << 13));
  });

  it('a non-GPL license taints P and logs it', () => {
    const { k, log } = load(patched('license=GPL', 'license=BSD'));
    expect(log).toContain("hello: module license 'BSD' taints kernel.");
    expect(log).toContain('Disabling lock debugging due to kernel taint');
    expect(procModulesLine(k.find('hello')!, false)).toMatch(/\(POE\)\n$/);
  });

  it('a missing vermagic is a forced load: taint F', () => {
    const { k, log } = load(patched('vermagic=', 'vermagix='));
    expect(log).toContain('hello: bad vermagic: kernel tainted.');
    expect(procModulesLine(k.find('hello')!, false)).toMatch(/\(FOE\)\n$/);
  });

  it('a missing __versions section is a forced load: taint F', () => {
    // The section name is the last occurrence (the first is the `____versions` symbol).
    const { k, log } = load(patched('__versions', '__versionz', true));
    expect(log).toContain('hello: module_layout: kernel tainted.');
    expect(procModulesLine(k.find('hello')!, false)).toMatch(/\(FOE\)\n$/);
  });

  it('a different vermagic (past the release) is refused with ENOEXEC', () => {
    const { errno, log } = load(patched('SMP preempt', 'SMP voluntr'));
    expect(errno).toBe(8);
    expect(log).toContain(
      "hello: version magic '6.1.0-56-amd64 SMP voluntr mod_unload modversions ' should be '6.1.0-56-amd64 SMP preempt mod_unload modversions '",
    );
  });

  it('the release part of vermagic is ignored when the module has CRCs', () => {
    expect(load(patched('6.1.0-56-amd64 SMP', '6.1.0-99-amd64 SMP')).errno).toBe(0);
  });

  it('a CRC that disagrees makes the symbol unknown (EINVAL)', () => {
    // _printk's CRC in __versions is 0x92997ed8 (little-endian d8 7e 99 92).
    const b = Buffer.from(HELLO);
    const i = b.indexOf(Buffer.from([0xd8, 0x7e, 0x99, 0x92]));
    expect(i).toBeGreaterThan(0);
    b[i] ^= 1;
    const { errno, log } = load(b);
    expect(errno).toBe(22);
    expect(log).toContain('hello: disagrees about version of symbol _printk');
    expect(log).toContain('hello: Unknown symbol _printk (err -22)');
  });

  it('a module_layout CRC mismatch is ENOEXEC', () => {
    const b = Buffer.from(HELLO);
    const i = b.indexOf(Buffer.from([0x3f, 0x32, 0x60, 0x90])); // 0x9060323f
    expect(i).toBeGreaterThan(0);
    b[i] ^= 1;
    const { errno, log } = load(b);
    expect(errno).toBe(8);
    expect(log).toContain('hello: disagrees about version of symbol module_layout');
  });

  it('a stripped module (no symbol table) is refused', () => {
    const { errno, log } = load(stripSymtab());
    expect(errno).toBe(8);
    expect(log).toContain('hello: module has no symbols (stripped?)');
  });
});

/** hello.ko with its SHT_SYMTAB turned into SHT_PROGBITS (what `strip` leaves is no symtab). */
function stripSymtab(): Uint8Array {
  const b = Buffer.from(HELLO);
  const shoff = Number(b.readBigUInt64LE(40));
  const shnum = b.readUInt16LE(60);
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * 64;
    if (b.readUInt32LE(o + 4) === 2) b.writeUInt32LE(1, o + 4);
  }
  return b;
}
