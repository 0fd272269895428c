// The tree mounted by root is visible to every user, with modes enforced as on a real system.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser } from '../helpers/shell.js';
import { startModfs, type Modfs } from './modfs.js';

let m: Modfs;
let user: string;
beforeAll(async () => {
  user = ensureUser();
  m = await startModfs();
  expect(m.modfs('insmod $KO/types.ko').code).toBe(0);
});
afterAll(async () => {
  m.modfs('rmmod types');
  await m.stop();
});

const as = (cmd: string) => m.sh(cmd, { user });

describe('a non-root user', () => {
  it('reads /proc/modules with addresses zeroed (root sees them)', () => {
    expect(m.read('proc/modules')).toMatch(/^types \d+ 0 - Live 0xffffffffc[0-9a-f]{7} \(OE\)\n/);
    const r = as('cat "$M/proc/modules"');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^types \d+ 0 - Live 0x0000000000000000 \(OE\)\n/);
  });

  it('reads 0644 and 0444 parameters but cannot write them', () => {
    expect(as('cat "$M/sys/module/types/parameters/myint"').stdout).toBe('-42\n');
    expect(as('cat "$M/sys/module/types/parameters/ro_int"').stdout).toBe('7\n');
    const w = as('echo 5 > "$M/sys/module/types/parameters/myint"');
    expect(w.code).not.toBe(0);
    expect(w.stderr).toMatch(/Permission denied/);
    expect(m.read('sys/module/types/parameters/myint')).toBe('-42\n');
  });

  it('cannot read a 0600 parameter or a section address file', () => {
    expect(as('cat "$M/sys/module/types/parameters/owner"').stderr).toMatch(/Permission denied/);
    expect(as('cat "$M/sys/module/types/sections/.gnu.linkonce.this_module"').stderr).toMatch(/Permission denied/);
  });

  it('cannot load or unload modules', () => {
    const l = as('echo "$KO/hello.ko" > "$M/sys/kernel/modctl/load"');
    expect(l.stderr).toMatch(/Permission denied/);
    const u = as('echo types > "$M/sys/kernel/modctl/unload"');
    expect(u.stderr).toMatch(/Permission denied/);
    expect(m.read('proc/modules')).toMatch(/^types /);
  });

  it('may not read the kernel log (dmesg_restrict=1, as Debian builds it)', () => {
    // transcripts/nonroot.txt: `head -n 1 /dev/kmsg` as nobody on the real kernel.
    const r = as('timeout 5 head -n 3 "$M/dev/kmsg"');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Operation not permitted/);
    expect(m.sh('timeout 5 head -n 1 "$M/dev/kmsg"').stdout).toMatch(/^\d+,\d+,\d+,-;/);
  });
});
