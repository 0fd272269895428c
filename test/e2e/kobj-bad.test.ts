// Module files that misbehave where the real kernel cannot be asked (it would hang): a sysfs store
// that never returns is a soft lockup report naming the store, the writer dies, and the daemon
// goes on serving the module's other files, /proc/modules and rmmod. The show callbacks that
// fault, overflow the page or return an errno are compared with the real kernel in
// transcripts/kobjbad.txt; here they are driven once more after the lockup.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startModfs, type Modfs } from './modfs.js';

let m: Modfs;
beforeAll(async () => {
  m = await startModfs();
});
afterAll(async () => {
  await m.stop();
});

it('a store that loops is a soft lockup: the writer is killed, the daemon keeps serving', () => {
  expect(m.modfs('insmod $KO/kobjbad.ko').code).toBe(0);
  m.dmesg();
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
  expect(m.modfs('rmmod kobjbad').code).toBe(0);
  expect(m.sh('ls "$M/sys/kernel/kobjbad"').code).not.toBe(0);
}, 120_000);

