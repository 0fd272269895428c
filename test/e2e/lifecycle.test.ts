// Seed 000 and the load/unload lifecycle, end to end through a real mount: insmod/rmmod (modfs'
// CLI and the raw control files), /proc/modules, /sys/module, dmesg, and the kernel's errnos.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModfs, type Modfs } from './modfs.js';

let m: Modfs;
beforeAll(async () => {
  m = await startModfs();
});
afterAll(async () => {
  await m.stop();
});

const procLine = (name: string) => m.read('proc/modules').split('\n').find((l) => l.startsWith(`${name} `));

describe('hello world (seed 000)', () => {
  it('loads, prints, shows up everywhere, and unloads', () => {
    expect(m.modfs('insmod $KO/hello.ko').code).toBe(0);
    expect(m.dmesg()).toEqual([
      'hello: loading out-of-tree module taints kernel.',
      'hello: module verification failed: signature and/or required key missing - tainting kernel',
      'Hello, world!',
    ]);
    expect(procLine('hello')).toMatch(/^hello 16384 0 - Live 0xffffffffc[0-9a-f]{4}000 \(OE\)$/);
    expect(m.read('sys/module/hello/initstate')).toBe('live\n');
    expect(m.read('sys/module/hello/refcnt')).toBe('0\n');
    expect(m.read('sys/module/hello/taint')).toBe('OE\n');
    expect(m.read('sys/module/hello/initsize')).toBe('0\n');
    expect(Number(m.read('sys/module/hello/coresize'))).toBe(16384);
    expect(m.sh('ls "$M/sys/module/hello"').stdout.split('\n').filter(Boolean)).toEqual(
      expect.arrayContaining(['coresize', 'holders', 'initsize', 'initstate', 'refcnt', 'sections', 'taint', 'uevent']),
    );
    expect(m.sh('stat -c "%a %s" "$M/sys/module/hello/refcnt" "$M/sys/module/hello/uevent"').stdout).toBe('444 4096\n200 4096\n');
    expect(m.sh('cat "$M/sys/module/hello/sections/.gnu.linkonce.this_module"').stdout).toMatch(/^0xffffffffc[0-9a-f]{7}\n$/);
    expect(m.modfs('lsmod').stdout).toMatch(/^Module {18}Size {2}Used by\nhello {18}16384 {2}0\n/);
    expect(m.modfs('rmmod hello').code).toBe(0);
    expect(m.dmesg()).toEqual(['GoodBye, cruel world!']);
    expect(procLine('hello')).toBeUndefined();
    expect(m.sh('test -e "$M/sys/module/hello"').code).not.toBe(0);
  });

  it('loads raw bytes written by cat into the control file', () => {
    expect(m.sh('cat $KO/hello.ko > "$M/sys/kernel/modctl/load"').code).toBe(0);
    expect(procLine('hello')).toBeDefined();
    expect(m.sh('echo hello > "$M/sys/kernel/modctl/unload"').code).toBe(0);
    expect(procLine('hello')).toBeUndefined();
    m.dmesg();
  });

  it('refuses a second load of the same module with EEXIST', () => {
    expect(m.modfs('insmod $KO/hello.ko').code).toBe(0);
    const r = m.modfs('insmod $KO/hello.ko');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('insmod: ERROR: could not insert module');
    expect(r.stderr).toContain('hello.ko: File exists');
    const raw = m.sh('cat $KO/hello.ko > "$M/sys/kernel/modctl/load"');
    expect(raw.stderr).toMatch(/File exists/);
    expect(m.modfs('rmmod hello').code).toBe(0);
    m.dmesg();
  });

  it('reports unloading a module that is not loaded', () => {
    expect(m.modfs('rmmod hello').stderr).toBe('rmmod: ERROR: Module hello is not currently loaded\n');
    const raw = m.sh('echo hello > "$M/sys/kernel/modctl/unload"');
    expect(raw.code).not.toBe(0);
    expect(raw.stderr).toMatch(/No such file or directory/);
  });
});

describe('init results (kernel-facts §6.8)', () => {
  it('an init returning -ENOMEM fails the load and leaves no trace', () => {
    const r = m.modfs('insmod $KO/enomem.ko');
    expect(r.stderr).toMatch(/could not insert module .*enomem\.ko: Cannot allocate memory/);
    expect(m.dmesg()).toContain('enomem: init fails with -ENOMEM on purpose');
    expect(procLine('enomem')).toBeUndefined();
    expect(m.sh('test -e "$M/sys/module/enomem"').code).not.toBe(0);
  });

  it('a positive init return warns, dumps the stack and loads anyway', () => {
    expect(m.modfs('insmod $KO/positive.ko').code).toBe(0);
    const log = m.dmesg();
    expect(log).toContain("do_init_module: 'positive'->init suspiciously returned 1, it should follow 0/-E convention");
    expect(log.some((l) => l.includes('do_init_module: loading module anyway...'))).toBe(true);
    expect(log.some((l) => l.startsWith('CPU: 0 PID: '))).toBe(true);
    expect(m.read('sys/module/positive/initstate')).toBe('live\n');
    expect(m.modfs('rmmod positive').code).toBe(0);
  });

  it('a module without exit is permanent: EBUSY, [permanent], and rmmod -f forces it', () => {
    expect(m.modfs('insmod $KO/noexit.ko').code).toBe(0);
    expect(procLine('noexit')).toMatch(/^noexit \d+ 0 \[permanent\], Live /);
    const r = m.modfs('rmmod noexit');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not remove module noexit: Device or resource busy/);
    expect(m.modfs('rmmod -f noexit').code).toBe(0);
    expect(procLine('noexit')).toBeUndefined();
    // A forced unload taints the kernel R (bit 3).
    expect(Number(m.read('proc/sys/kernel/tainted')) & 8).toBe(8);
    m.dmesg();
  });

  it('a kmalloc module allocates in init and frees in exit', () => {
    expect(m.modfs('insmod $KO/kmalloc.ko').code).toBe(0);
    expect(m.dmesg().some((l) => l.startsWith('kmalloc: allocated'))).toBe(true);
    expect(m.modfs('rmmod kmalloc').code).toBe(0);
    expect(m.dmesg().length).toBeGreaterThan(0);
  });
});

describe('bad images', () => {
  it('a non-ELF write fails with ENOEXEC and the kernel message', () => {
    // Under 64 bytes, init_module refuses the length before looking at it: no message.
    const r = m.sh('echo garbage > "$M/sys/kernel/modctl/load"');
    expect(r.stderr).toMatch(/Exec format error/);
    expect(m.dmesg()).toEqual([]);
    const big = m.sh('printf "%0100d" 0 > "$M/sys/kernel/modctl/load"');
    expect(big.stderr).toMatch(/Exec format error/);
    // util-linux dmesg shows the raw 0x7f byte of the kernel's text escaped.
    expect(m.dmesg()).toEqual(['Invalid ELF header magic: != \\x7fELF']);
  });

  it('a truncated module fails cleanly and a normal load still works', () => {
    const r = m.sh('head -c 3000 $KO/hello.ko > "$M/sys/kernel/modctl/load"');
    expect(r.code).not.toBe(0);
    m.dmesg();
    expect(m.modfs('insmod $KO/hello.ko').code).toBe(0);
    expect(m.modfs('rmmod hello').code).toBe(0);
    m.dmesg();
  });
});
