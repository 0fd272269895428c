// The fuse layer against real processes: a fixture tree served by a daemon in a child process.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileEntry } from '../helpers/compile.js';
import { startDaemon } from '../helpers/daemon.js';
import type { Daemon } from '../helpers/daemon.js';
import { bg, ensureUser, sh, sleep } from '../helpers/shell.js';

const isRoot = process.geteuid?.() === 0;
let d: Daemon;
let run: (cmd: string, user?: string) => ReturnType<typeof sh>;

describe.skipIf(!isRoot)('fuse mount of a fixture tree', () => {
  beforeAll(async () => {
    d = await startDaemon([compileEntry('test/fuse/fixture-server.ts')]);
    run = (cmd, user) => sh(cmd, { cwd: d.mountDir, user });
  });
  afterAll(async () => {
    expect(await d.stop()).toBe(0);
  });

  it('shows sysfs-like modes, sizes and types', () => {
    expect(run('stat -c "%n %a %s %F" value ro ctl kmsg nested link').stdout).toBe(
      ['value 644 4096 regular file', 'ro 444 4096 regular file', 'ctl 200 4096 regular file',
        'kmsg 644 0 regular empty file', 'nested 755 0 directory', 'link 777 18 symbolic link', ''].join('\n'),
    );
    expect(run('ls -l').stdout).toMatch(/^lrwxrwxrwx 1 root root +18 .* link -> nested\/deeper\/leaf$/m);
    expect(run('ls -a nested/deeper').stdout).toBe('.\n..\nleaf\n');
    expect(run('cat link').stdout).toBe('leaf\n');
  });

  it('reads and writes with cat, echo and printf', () => {
    expect(run('cat value').stdout).toBe('5\n');
    expect(run('echo 42 > value && cat value').stdout).toBe('42\n');
    expect(run("printf 7 > value && cat value").stdout).toBe('7\n');
  });

  it('serves a value that changed inside the daemon at its new length', () => {
    expect(run('echo grow > ctl && cat value').stdout).toBe('x'.repeat(100) + '\n');
    expect(run('echo shrink > ctl && cat value').stdout).toBe('1\n');
    expect(run('echo grow > ctl && cat value').stdout).toHaveLength(101);
  });

  it('refuses root a write to a file without write bits and a read without read bits', () => {
    const w = run('echo x > ro');
    expect(w.code).not.toBe(0);
    expect(w.stderr).toMatch(/Permission denied/);
    expect(run('cat ctl').stderr).toMatch(/Permission denied/);
    expect(run('cat ro').stdout).toBe('read-only\n');
  });

  it('lets vi save a file and makes vi fail on a refused write', () => {
    // vi -e -s, on end of input, reads commands from stderr; a pipe there makes it spin.
    expect(run("vi -e -s -c '%s/.*/42/' -c 'wq' value </dev/null >/dev/null 2>&1").code).toBe(0);
    expect(run('cat value').stdout).toBe('42\n');
    expect(run("vi -e -s -c '%s/.*/43/' -c 'wq' ro </dev/null >/dev/null 2>&1").code).toBe(1);
    expect(run('cat ro').stdout).toBe('read-only\n');
  });

  it('lets a non-root user read but not write', () => {
    const user = ensureUser();
    expect(run('cat value', user).stdout).toBe('42\n');
    expect(run('echo 1 > value', user).stderr).toMatch(/Permission denied/);
    expect(run('cat ctl', user).stderr).toMatch(/Permission denied/);
    const uid = sh(`id -u ${user}`).stdout.trim();
    expect(run('cat caller', user).stdout).toMatch(new RegExp(`^${uid} \\d+ \\d+\\n$`));
  });

  it('tells the tree who opened a file', () => {
    expect(run('cat caller').stdout).toMatch(/^0 0 \d+\n$/);
  });

  it('answers EACCES for new files and EPERM for other namespace changes, like sysfs', () => {
    expect(run('touch newfile').stderr).toMatch(/Permission denied/);
    expect(run('mkdir newdir').stderr).toMatch(/Operation not permitted/);
    expect(run('rm -f value').stderr).toMatch(/Operation not permitted/);
    expect(run('mv value other').stderr).toMatch(/Operation not permitted/);
    expect(run('touch value').code).toBe(0);
    expect(run('df . >/dev/null').code).toBe(0);
  });

  it('lets root chmod, and keeps the new mode', () => {
    expect(run('chmod 600 value && stat -c %a value').stdout).toBe('600\n');
    expect(run('chmod 644 value && stat -c %a value').stdout).toBe('644\n');
  });

  it('passes a short write through (4096-byte cap)', () => {
    const py = `import os; fd = os.open('capped', os.O_WRONLY); print(os.write(fd, b'a' * 10000))`;
    expect(run(`python3 -c "${py}"`).stdout).toBe('4096\n');
  });

  it('turns a throwing handler into EIO and keeps serving', () => {
    expect(run('cat buggy').stderr).toMatch(/Input\/output error/);
    expect(run('cat ro').stdout).toBe('read-only\n');
  });

  it('reads /dev/kmsg-style: one record per read, EINVAL, EAGAIN, blocking', async () => {
    run('echo "log first" > ctl');
    expect(run('dd if=kmsg bs=4096 count=1 status=none').stdout).toBe('6,0,0,-;first\n');
    expect(run('dd if=kmsg bs=4 count=1 status=none').stderr).toMatch(/Invalid argument/);
    const nb = run('dd if=kmsg bs=4096 iflag=nonblock status=none');
    expect(nb.stdout).toBe('6,0,0,-;first\n');
    expect(nb.stderr).toMatch(/Resource temporarily unavailable/);

    // A reader past the last record sleeps until one arrives, and other requests go on.
    const reader = bg('cat kmsg', { cwd: d.mountDir });
    await sleep(300);
    expect(reader.out()).toBe('6,0,0,-;first\n');
    expect(reader.proc.exitCode).toBe(null);
    expect(run('cat value').stdout).toBe('42\n');
    run('echo "log second" > ctl');
    for (let i = 0; i < 100 && !reader.out().includes('second'); i++) await sleep(20);
    expect(reader.out()).toBe('6,0,0,-;first\n6,1,0,-;second\n');
    reader.proc.kill('SIGTERM');
    expect(await reader.done).toBe('SIGTERM');
  });

  it('keeps serving while many reads are pending', async () => {
    const readers = Array.from({ length: 12 }, () => bg('cat kmsg', { cwd: d.mountDir }));
    await sleep(300);
    const t = Date.now();
    expect(run('cat value').stdout).toBe('42\n');
    expect(Date.now() - t).toBeLessThan(2000);
    for (const r of readers) r.proc.kill('SIGKILL');
    await Promise.all(readers.map((r) => r.done));
  });

  it('frees a blocked reader that is interrupted (Ctrl-C), and keeps serving', async () => {
    for (const sig of ['SIGINT', 'SIGKILL'] as const) {
      const reader = bg('cat kmsg', { cwd: d.mountDir });
      await sleep(400);
      expect(reader.proc.exitCode).toBe(null);
      const t = Date.now();
      reader.proc.kill(sig);
      expect(await reader.done).toBe(sig);
      expect(Date.now() - t).toBeLessThan(3000);
    }
    expect(run('cat value').stdout).toBe('42\n');
  });
});
