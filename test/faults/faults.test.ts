// The fault modules (examples/faults) through a real mount: each report is compared, in a normal
// form (oracle.ts), with what the real Debian 6.1 kernel printed for the same .ko under QEMU
// (transcripts/faults/), and the writer's errno, the module's state, the taint and the daemon's
// health are checked afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModfs, type Modfs } from '../e2e/modfs.js';
import { FAULTS_KO, normalize, oracleLog } from './oracle.js';

let m: Modfs;
beforeAll(async () => {
  m = await startModfs();
});
afterAll(async () => {
  await m.stop();
});

const load = (ko: string, args = '') => m.sh(`echo "${FAULTS_KO}/${ko}.ko${args ? ` ${args}` : ''}" > "$M/sys/kernel/modctl/load"`);
const unload = (name: string) => m.sh(`echo "${name}" > "$M/sys/kernel/modctl/unload"`);
const procLine = (name: string) => m.read('proc/modules').split('\n').find((l) => l.startsWith(`${name} `));
const OWNER_DIED = /Owner died/;

/** Load (or run `cmd`) and compare the new log with the transcript's lines after `oracleCmd`. */
function expectLikeOracle(name: string, oracleCmd: string, got: string[]): void {
  expect(normalize(got)).toEqual(normalize(oracleLog(name, oracleCmd)));
}

describe('oops in init', () => {
  it('NULL pointer store: the page-fault oops, the writer killed, the module left Loading', () => {
    m.dmesg();
    const r = load('null_deref');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(OWNER_DIED);
    expectLikeOracle('null_deref', 'insmod null_deref.ko', m.dmesg());
    // As the real kernel leaves it (transcripts/faults/null_deref.txt).
    expect(procLine('null_deref')).toMatch(/^null_deref \d+ 1 - Loading 0xffffffffc[0-9a-f]+ \(OE\+\)$/);
    expect(m.read('sys/module/null_deref/initstate')).toBe('coming\n');
    expect(m.read('sys/module/null_deref/refcnt')).toBe('1\n');
    expect(m.read('sys/module/null_deref/taint')).toBe('OE\n');
    expect(m.modfs('rmmod null_deref').stderr).toMatch(/Device or resource busy|is in use/);
    expect(unload('-f null_deref').stderr).toMatch(/Device or resource busy/);
    // A second load of the name: the real kernel waits forever; modfs says EBUSY at once.
    expect(load('null_deref').stderr).toMatch(/Device or resource busy/);
    // Everything else keeps working.
    expect(m.modfs('insmod $KO/hello.ko').code).toBe(0);
    expect(m.dmesg()).toContain('Hello, world!');
    expect(procLine('hello')).toMatch(/ Live /);
    expect(m.modfs('rmmod hello').code).toBe(0);
    m.dmesg();
  });

  it('an unmapped read (bad_addr_write and bad_addr_gp are QEMU-only transcripts: the module stays Loading)', () => {
    expect(load('bad_addr').stderr).toMatch(OWNER_DIED);
    expectLikeOracle('bad_addr_read', 'insmod bad_addr.ko', m.dmesg());
  });

  it('BUG_ON: kernel BUG at file:line and the invalid-opcode oops', () => {
    expect(load('bug_init').stderr).toMatch(OWNER_DIED);
    const log = m.dmesg();
    expect(log).toContain('kernel BUG at examples/faults/bug_init.c:17!');
    expectLikeOracle('bug_init', 'insmod bug_init.ko', log);
    expect(procLine('bug_init')).toMatch(/ 1 - Loading .* \(OE\+\)$/);
  });

  it('divide by zero', () => {
    expect(load('divzero').stderr).toMatch(OWNER_DIED);
    expectLikeOracle('divzero', 'insmod divzero.ko', m.dmesg());
  });

  it('runaway recursion hits the stack guard page', () => {
    expect(load('recursion').stderr).toMatch(OWNER_DIED);
    const log = m.dmesg();
    expect(log.find((l) => l.startsWith('BUG: TASK stack guard page was hit at '))).toBeDefined();
    // The real trace lists every frame of the 16 KiB stack; compare up to the first frames.
    const real = normalize(oracleLog('recursion', 'insmod recursion.ko'));
    const got = normalize(log);
    const cut = (a: string[]) => [...a.slice(0, a.indexOf(' <TASK>') + 2), ...a.slice(a.indexOf(' recursion_init+0x18/SIZE [recursion]'))];
    expect(cut(got)).toEqual(cut(real));
  });

  it('panic() is reported and the daemon keeps serving', () => {
    expect(load('panic_init').stderr).toMatch(OWNER_DIED);
    const log = m.dmesg();
    const real = oracleLog('panic_init', 'insmod panic_init.ko');
    expect(normalize(log)).toEqual(normalize(real));
    expect(m.read('proc/modules')).toMatch(/^panic_init \d+ 1 - Loading/m);
  });

  it('taints the kernel D', () => {
    expect(Number(m.read('proc/sys/kernel/tainted')) & (1 << 7)).not.toBe(0);
    expect(m.modfs('insmod $KO/hello.ko').code).toBe(0);
    expect(m.modfs('rmmod hello').code).toBe(0);
    m.dmesg();
  });
});

describe('WARN', () => {
  it('reports, taints W, continues, and WARN_ONCE and WARN_ON_ONCE fire once', () => {
    expect(load('warn_init').code).toBe(0);
    const log = m.dmesg();
    expect(log).toContain('warn_init: loaded, 5 checks were true');
    expect(log.filter((l) => l.startsWith('WARNING: CPU: 0 PID: '))).toHaveLength(3);
    expectLikeOracle('warn_init', 'insmod warn_init.ko', log);
    expect(procLine('warn_init')).toMatch(/^warn_init \d+ 0 - Live .* \(OE\)$/);
    expect(m.modfs('rmmod warn_init').code).toBe(0);
    expect(m.dmesg()).toEqual(['warn_init: unloaded']);
    // WARN state lives in the module's own __bug_table/.data.once: a reload warns again.
    expect(load('warn_init').code).toBe(0);
    expect(m.dmesg().filter((l) => l.startsWith('WARNING: '))).toHaveLength(3);
    expect(m.modfs('rmmod warn_init').code).toBe(0);
    m.dmesg();
  });
});

describe('faults outside init', () => {
  it('BUG_ON in a parameter setter oopses the sysfs write; the module stays Live', () => {
    expect(load('bug_param').code).toBe(0);
    const p = '"$M/sys/module/bug_param/parameters/limit"';
    expect(m.sh(`echo 50 > ${p}`).code).toBe(0);
    m.dmesg();
    const r = m.sh(`echo 101 > ${p}`);
    expect(r.stderr).toMatch(OWNER_DIED);
    const log = m.dmesg();
    expect(log).toContain('kernel BUG at examples/faults/bug_param.c:23!');
    expect(log.find((l) => l.startsWith('RIP: 0010:'))).toMatch(/^RIP: 0010:limit_set\+0x[0-9a-f]+\/0x[0-9a-f]+ \[bug_param\]$/);
    expect(procLine('bug_param')).toMatch(/ 0 - Live .* \(OE\)$/);
    // The value was not stored; the other parameter still works (a real kernel would now hang
    // every parameter access of this module on the lock the killed writer held).
    expect(m.read('sys/module/bug_param/parameters/limit')).toBe('50\n');
    expect(m.read('sys/module/bug_param/parameters/other')).toBe('7\n');
    expect(m.modfs('rmmod bug_param').code).toBe(0);
    m.dmesg();
  });

  it('an oops in exit kills rmmod and leaves the module Unloading with refcnt -1', () => {
    expect(load('exit_fault').code).toBe(0);
    m.dmesg();
    expect(unload('exit_fault').stderr).toMatch(OWNER_DIED);
    expectLikeOracle('exit_fault', 'rmmod exit_fault', m.dmesg());
    expect(procLine('exit_fault')).toMatch(/^exit_fault \d+ -1 - Unloading 0xffffffffc[0-9a-f]+ \(OE-\)$/);
    expect(m.read('sys/module/exit_fault/initstate')).toBe('going\n');
    expect(m.read('sys/module/exit_fault/refcnt')).toBe('-1\n');
    expect(unload('exit_fault').stderr).toMatch(/Device or resource busy/);
    expect(unload('-f exit_fault').stderr).toMatch(/Device or resource busy/);
  });
});

describe('runaway code', () => {
  it('an endless init is a soft lockup: reported, the load fails, the daemon keeps serving', () => {
    expect(load('lockup').stderr).toMatch(OWNER_DIED);
    const log = m.dmesg();
    expect(log[1]).toMatch(/^watchdog: BUG: soft lockup - CPU#0 stuck for 22s! \[insmod:\d+\]$/);
    // The real insmod ran in the background: its lines are those before the first command.
    // Where the watchdog caught the loop differs run to run.
    const rip = (a: string[]) => a.map((l) => l.replace(/^RIP: 0010:lockup_init\+0x[0-9a-f]+/, 'RIP: 0010:lockup_init+LOOP'));
    expect(rip(normalize(log))).toEqual(rip(normalize(oracleLog('lockup', ''))));
    expect(Number(m.read('proc/sys/kernel/tainted')) & (1 << 14)).not.toBe(0);
    expect(procLine('lockup')).toMatch(/^lockup \d+ 1 - Loading .* \(OE\+\)$/);
    // The spin count the module reached is readable: the daemon answers.
    expect(Number(m.read('sys/module/lockup/parameters/spins'))).toBeGreaterThan(1_000_000);
  });
});

describe('kernel API breadth (api.ko)', () => {
  it('prints what the real kernel printed, line for line', () => {
    expect(load('api').code).toBe(0);
    const log = m.dmesg();
    // (the once-per-boot taint lines depend on what loaded before)
    const api = (a: string[]) => a.filter((l) => l.startsWith('api: ') && !/taints kernel\.$|module verification failed/.test(l));
    // Under QEMU's software emulation the real kernel's udelay/mdelay finished early against
    // ktime (the transcript says "no"); modfs' virtual clock advances by exactly the delay.
    const real = api(oracleLog('api', 'insmod api.ko')).map((l) => l.replace(/(took >= 2\.1 ms:) no$/, '$1 yes'));
    expect(api(log)).toEqual(real);
    // dump_stack() from init: the banner and the frames, as the real kernel printed them.
    const dump = (a: string[]) => normalize(a).filter((l) => !l.startsWith('api: '));
    expect(dump(log)).toEqual(dump(oracleLog('api', 'insmod api.ko')));
    expect(m.modfs('rmmod api').code).toBe(0);
    expect(m.dmesg()).toEqual(oracleLog('api', 'rmmod api'));
  });
});

describe('symbols modfs does not implement', () => {
  it('adds a modfs line after each Unknown symbol the real kernel exports', () => {
    const r = load('needs_pci');
    expect(r.stderr).toMatch(/No such file or directory/);
    expect(m.dmesg()).toEqual([
      'needs_pci: Unknown symbol __pci_register_driver (err -2)',
      'modfs: __pci_register_driver is exported by the kernel in Linux 6.1.0-56-amd64 but modfs does not implement it',
      'needs_pci: Unknown symbol pci_unregister_driver (err -2)',
      'modfs: pci_unregister_driver is exported by the kernel in Linux 6.1.0-56-amd64 but modfs does not implement it',
    ]);
  });

  it('modfs check lists them (exit status 1), and passes a module modfs can run', () => {
    const r = m.modfs(`check ${FAULTS_KO}/needs_pci.ko`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `${FAULTS_KO}/needs_pci.ko: 2 of 4 imported symbols are not implemented by modfs:\n` +
        '  __pci_register_driver (exported by the kernel in Linux 6.1.0-56-amd64)\n' +
        '  pci_unregister_driver (exported by the kernel in Linux 6.1.0-56-amd64)\n',
    );
    const ok = m.modfs(`check ${FAULTS_KO}/api.ko`);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/api\.ko: all \d+ imported symbols are implemented by modfs\n$/);
  });
});


describe('bad_addr variants (a fresh daemon each: an oopsed module keeps its name)', () => {
  for (const [exp, args] of [
    ['bad_addr_write', 'write=1'],
    ['bad_addr_gp', 'noncanonical=1'],
  ] as const) {
    it(`${exp}: insmod bad_addr.ko ${args}`, async () => {
      const d = await startModfs();
      try {
        const r = d.sh(`echo "${FAULTS_KO}/bad_addr.ko ${args}" > "$M/sys/kernel/modctl/load"`);
        expect(r.stderr).toMatch(OWNER_DIED);
        expect(normalize(d.dmesg())).toEqual(normalize(oracleLog(exp, `insmod bad_addr.ko ${args}`)));
      } finally {
        await d.stop();
      }
    });
  }
});
