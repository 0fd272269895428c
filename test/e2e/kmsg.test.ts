// /dev/kmsg and dmesg through the mount: record format, blocking readers, O_NONBLOCK, writes,
// and dmesg's clear/follow modes.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../helpers/shell.js';
import { ROOT, startModfs, type Modfs } from './modfs.js';

let m: Modfs;
beforeAll(async () => {
  m = await startModfs();
});
afterAll(async () => {
  await m.stop();
});

/** Start a command in the background with the same environment as m.sh. */
function background(cmd: string) {
  const p = spawn('bash', ['-c', `M='${m.dir}' KO='${ROOT}/examples/ko'; ${cmd}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
  p.stderr.on('data', (d: Buffer) => (out += d.toString('latin1')));
  const done = new Promise<number | string>((r) => p.on('exit', (c, s) => r(c ?? s ?? -1)));
  return { p, out: () => out, done };
}

async function until(f: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(50);
  }
}

describe('/dev/kmsg', () => {
  it('reads one record per read in the kernel format, escaping control bytes', () => {
    expect(m.modfs('insmod $KO/hello.ko').code).toBe(0);
    // dd with a large block size still gets exactly one record per read(2).
    const r = m.sh('dd if="$M/dev/kmsg" bs=4096 count=3 iflag=nonblock status=none');
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^4,\d+,\d+,-;hello: loading out-of-tree module taints kernel\.$/);
    expect(lines[1]).toMatch(/^5,\d+,\d+,-;hello: module verification failed: /);
    expect(lines[2]).toMatch(/^6,\d+,\d+,-;Hello, world!$/);
    expect(m.modfs('rmmod hello').code).toBe(0);
  });

  it('a buffer too small for the record is EINVAL; O_NONBLOCK at the end is EAGAIN', () => {
    expect(m.sh('dd if="$M/dev/kmsg" bs=8 count=1 iflag=nonblock status=none').stderr).toMatch(/Invalid argument/);
    const drained = m.sh('dd if="$M/dev/kmsg" bs=4096 iflag=nonblock status=none > /dev/null');
    expect(drained.stderr).toMatch(/Resource temporarily unavailable/);
  });

  it('a blocking reader wakes up for a new record; a write adds a user record', async () => {
    const reader = background('exec cat "$M/dev/kmsg"');
    await until(() => reader.out().includes('Hello, world!') || reader.out().length > 0);
    const before = reader.out().length;
    expect(m.sh('echo "<6>from userspace" > "$M/dev/kmsg"').code).toBe(0);
    await until(() => reader.out().slice(before).includes('from userspace'));
    // <6> sets the level; facility stays 1 (user) because 6 >> 3 is 0: prio 14.
    expect(reader.out()).toMatch(/\n14,\d+,\d+,-;from userspace\n/);
    reader.p.kill('SIGINT');
    await reader.done;
    // A plain write is facility 1 (user), level 4: prio 12.
    m.sh('echo plain > "$M/dev/kmsg"');
    expect(m.sh('dd if="$M/dev/kmsg" bs=4096 iflag=nonblock status=none 2>/dev/null | tail -n 1').stdout).toMatch(/^12,\d+,\d+,-;plain\n$/);
  });
});

describe('dmesg', () => {
  it('-C clears, -c reads then clears, -r shows the priority', () => {
    expect(m.modfs('dmesg -C').code).toBe(0);
    expect(m.modfs('dmesg').stdout).toBe('');
    m.modfs('insmod $KO/hello.ko');
    expect(m.modfs('dmesg -r').stdout).toMatch(/^<6>\[\s*\d+\.\d{6}\] Hello, world!\n$/);
    expect(m.modfs('dmesg -c').stdout).toMatch(/^\[\s*\d+\.\d{6}\] Hello, world!\n$/);
    expect(m.modfs('dmesg').stdout).toBe('');
    m.modfs('rmmod hello');
  });

  it('-w follows new messages until interrupted', async () => {
    const follow = background(`exec node '${ROOT}/bin/modfs.js' dmesg -w -m "$M"`);
    await sleep(1500);
    expect(m.modfs('insmod $KO/hello.ko').code).toBe(0);
    await until(() => follow.out().includes('Hello, world!'));
    follow.p.kill('SIGINT');
    await follow.done;
    m.modfs('rmmod hello');
  });
});
