// Module files that misbehave where the real kernel cannot be asked (it would hang): a sysfs store
// that never returns is a soft lockup report naming the store, the writer dies, and the daemon
// goes on serving the module's other files, /proc/modules and rmmod. The show callbacks that
// fault, overflow the page or return an errno are compared with the real kernel in
// transcripts/kobjbad.txt; here they are driven once more after the lockup.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startModfs, type Modfs } from './modfs.js';

// Each test has its own mount: kobjbad can be wedged (the second test), and no test relies on
// what another left loaded.
let m: Modfs;
beforeEach(async () => {
  m = await startModfs();
  expect(m.modfs('insmod $KO/kobjbad.ko').code).toBe(0);
  m.dmesg();
});
afterEach(async () => {
  await m.stop();
});

it('a store that loops is a soft lockup: the writer is killed, the daemon keeps serving', () => {
  const r = m.sh('sh -c \'echo 1 > "$M/sys/kernel/kobjbad/spin"\'; echo "rc=$?"; cat "$M/sys/kernel/kobjbad/ok"');
  expect(r.stdout).toContain('rc=137');
  expect(r.stdout).toMatch(/^ok$/m);
  const log = m.dmesg();
  expect(log).toContainEqual(expect.stringMatching(/^watchdog: BUG: soft lockup - CPU#0 stuck for 22s! \[sh:\d+\]$/));
  expect(log).toContainEqual(expect.stringMatching(/^RIP: 0010:spin_store\+0x[0-9a-f]+\/0x[0-9a-f]+ \[kobjbad\]$/));
  expect(log).toContainEqual(' kernfs_fop_write_iter+0x11c/0x1f0');

  // The other misbehaving callbacks, after the lockup: still the kernel's answers.
  const again = m.sh('cd "$M/sys/kernel/kobjbad"; wc -c < long; cat errno; echo "rc=$?"; cat fault; echo "rc=$?"; cat ok');
  expect(again.stdout).toMatch(/^4095\nrc=1\nrc=137\nok\n$/);
  expect(again.stderr).toContain('No such device or address');
  const log2 = m.dmesg();
  expect(log2).toContain('fill_read_buffer: kobj_attr_show+0x0/0x20 returned bad count');
  expect(log2).toContain('BUG: kernel NULL pointer dereference, address: 0000000000000000');

  expect(m.read('proc/modules')).toMatch(/^kobjbad \d+ 0 - Live /m);
}, 120_000);

it('after an oops in a show, removing the file never finishes: rmmod hangs, the module stays Unloading', () => {
  // The killed reader of `fault` never dropped the file's active reference (kernfs), so the
  // exit's kobject_put waits in kernfs_drain for ever; the real kernel's hung-task watchdog
  // reports it after 120 s, modfs at once. The kobject's files are deactivated, which lookups
  // treat as gone (as transcripts/kobjbad.txt shows), and every other file still answers.
  expect(m.sh('cat "$M/sys/kernel/kobjbad/fault"; echo "rc=$?"').stdout).toContain('rc=137');
  m.dmesg();
  const r = m.modfs('rmmod kobjbad');
  expect(r.code).not.toBe(0);
  const log = m.dmesg();
  expect(log).toContainEqual(expect.stringMatching(/^INFO: task rmmod:\d+ blocked for more than 120 seconds\.$/));
  expect(log).toContainEqual(expect.stringMatching(/kernfs_drain: \/kernel\/kobjbad\/fault is still active/));
  expect(m.read('proc/modules')).toMatch(/^kobjbad \d+ -1 - Unloading 0x[0-9a-f]+ \(OE-\)$/m);
  const ls = m.sh('ls "$M/sys/kernel/kobjbad"');
  expect(ls.code).not.toBe(0);
  expect(ls.stderr).toContain('No such file or directory');
  expect(m.read('sys/module/kobjbad/initstate')).toBe('going\n');
}, 120_000);

