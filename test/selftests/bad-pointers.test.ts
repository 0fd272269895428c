// A wild pointer handed to a kernel library function (strlen, printk's %s, find_first_bit,
// sscanf, memchr_inv, bitmap_parselist) faults inside that function, as on Linux: the oops is
// reported with the address and the function in RIP, the loading task dies (the write fails
// with EOWNERDEAD, see README "Where modfs differs"), the module stays Loading, and the daemon
// keeps serving. The modules are built from test/selftests/faults/bad_lib.c with kbuild.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startModfs, type Modfs } from '../e2e/modfs.js';

const KDIR = process.env.KDIR ?? '/usr/src/linux-headers-6.1.0-56-amd64';
/** bad_<name>.ko calls <fn> (BAD_CALL in bad_lib.c). */
const CASES: Array<[name: string, fn: string]> = [
  ['strlen', 'strlen'],
  ['printk', '_printk'],
  ['find_bit', '_find_first_bit'],
  ['sscanf', 'sscanf'],
  ['memchr_inv', 'memchr_inv'],
  ['parselist', 'bitmap_parselist'],
];

/** Build bad_<name>.ko for every case (cached by headers and source). */
function build(): string {
  const src = readFileSync(join(ROOT, 'test/selftests/faults/bad_lib.c'));
  const key = createHash('sha256').update(KDIR).update(src).digest('hex').slice(0, 16);
  const dir = join(ROOT, 'node_modules/.cache/modfs-selftests/bad-lib', key);
  if (CASES.every(([n]) => existsSync(join(dir, `bad_${n}.ko`)))) return dir;
  const work = `${dir}.${process.pid}.tmp`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'bad_lib.h'), src);
  CASES.forEach(([n], i) => writeFileSync(join(work, `bad_${n}.c`), `#define BAD_CALL ${i}\n#include "bad_lib.h"\n`));
  writeFileSync(join(work, 'Kbuild'), `obj-m := ${CASES.map(([n]) => `bad_${n}.o`).join(' ')}\n`);
  execFileSync('make', ['-s', '-C', KDIR, `M=${work}`, 'modules'], { stdio: 'pipe', timeout: 600_000 });
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  return dir;
}

let m: Modfs | undefined;
let ko = '';
const haveHeaders = existsSync(join(KDIR, 'Makefile'));
beforeAll(async () => {
  if (!haveHeaders) return console.warn(`bad-pointers skipped: no kernel headers at ${KDIR}`);
  ko = build();
  m = await startModfs({ args: ['--kernel', KDIR] });
}, 600_000);
afterAll(async () => {
  await m?.stop();
});

describe('bad pointers into the kernel library', () => {
  it.each(CASES)('bad_%s: the oops is in %s, the daemon keeps serving', (name, fn) => {
    if (!m) return;
    m.dmesg();
    const r = m.sh(`echo "${ko}/bad_${name}.ko" > "$M/sys/kernel/modctl/load"`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Owner died/);
    const log = m.dmesg();
    expect(log).toContain('BUG: unable to handle page fault for address: ffffc90000001000');
    expect(log.find((l) => l.startsWith('RIP: 0010:'))).toMatch(new RegExp(`^RIP: 0010:${fn}\\+0x`));
    expect(m.read('proc/modules')).toMatch(new RegExp(`^bad_${name} \\d+ 1 \\S+ Loading`, 'm'));
    // Everything else still works.
    expect(m.modfs('insmod $KO/hello.ko').code).toBe(0);
    expect(m.dmesg()).toContain('Hello, world!');
    expect(m.modfs('rmmod hello').code).toBe(0);
  }, 120_000);
});
