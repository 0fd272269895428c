// Daemon lifecycle: clean exits, stale mounts after kill -9, external unmounts, a fresh machine,
// npx, and a non-root user's mount.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, compileEntry } from '../helpers/compile.js';
import { mountIdsAt, startDaemon } from '../helpers/daemon.js';
import { ensureUser, sh, sleep } from '../helpers/shell.js';

const isRoot = process.geteuid?.() === 0;

describe.skipIf(!isRoot)('fuse daemon lifecycle', () => {
  const server = (): string => compileEntry('test/fuse/fixture-server.ts');

  it('unmounts and exits 0 on SIGTERM and on SIGINT', async () => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const d = await startDaemon([server()]);
      expect(sh('cat value', { cwd: d.mountDir }).stdout).toBe('5\n');
      expect(await d.stop(sig)).toBe(0);
      expect(mountIdsAt(d.mountDir)).toEqual([]);
    }
  });

  it('clears the stale mount a kill -9 leaves, and mounts again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modfs-stale-'));
    const first = await startDaemon([server()], { mountDir: dir });
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    // readdir reaches the daemon; stat might be answered from the attribute cache.
    expect(() => readdirSync(dir)).toThrow(/ENOTCONN/);
    const second = await startDaemon([server()], { mountDir: dir });
    expect(sh('cat value', { cwd: dir }).stdout).toBe('5\n');
    expect(await second.stop()).toBe(0);
    expect(mountIdsAt(dir)).toEqual([]);
  });

  it('exits 0 after an external unmount', async () => {
    const d = await startDaemon([server()]);
    expect(sh(`umount -l ${d.mountDir}`).code).toBe(0);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((r) => (timer = setTimeout(() => r('still running'), 5000)));
    expect(await Promise.race([d.exited, late])).toBe(0);
    clearTimeout(timer);
  });

  it('creates a missing mountpoint', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'modfs-new-')), 'a', 'b');
    const d = await startDaemon([server()], { mountDir: dir });
    expect(sh('cat ro', { cwd: dir }).stdout).toBe('read-only\n');
    expect(await d.stop()).toBe(0);
  });

  it('mounts as root with no libfuse and no fusermount on the machine', async () => {
    // Hide every libfuse and fusermount in a private mount namespace; util-linux mount remains.
    const hide = spawnSync('sh', ['-c', 'ls /usr/lib/*/libfuse*.so* /lib/*/libfuse*.so* /usr/bin/fusermount* /bin/fusermount* 2>/dev/null'], { encoding: 'utf8' })
      .stdout.split('\n').filter(Boolean).map((f) => `mount --bind /dev/null ${f}`).join(' && ');
    const dir = mkdtempSync(join(tmpdir(), 'modfs-nolib-'));
    const js = server();
    const script = `${hide || 'true'} && (node "$0" "$1" & pid=$!; for i in $(seq 100); do grep -q " $1 " /proc/self/mountinfo && break; sleep 0.1; done; cat "$1/ro"; kill $pid; wait $pid; echo "exit $?")`;
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, js, dir], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout).toBe('ready\nread-only\nexit 0\n');
  });

  it('unmounts when `npx modfs mount` is sent SIGTERM', async () => {
    const d = await startDaemon(['modfs', 'mount', '{mount}'], { command: 'npx', cwd: REPO });
    expect(sh('cat proc/modules', { cwd: d.mountDir }).code).toBe(0);
    d.proc.kill('SIGTERM');
    await d.exited;
    // npx may exit before its child: the daemon sees its parent go and unmounts.
    for (let i = 0; i < 100 && mountIdsAt(d.mountDir).length; i++) await sleep(50);
    expect(mountIdsAt(d.mountDir)).toEqual([]);
  });

  it('mounts as a non-root user through fusermount3 and the native helper', async () => {
    const user = ensureUser();
    const dir = mkdtempSync(join(tmpdir(), 'modfs-user-'));
    chmodSync(dir, 0o755);
    sh(`chown ${user} ${dir}`);
    const bin = join(REPO, 'bin/modfs.js');
    const start = () => spawn('runuser', ['-u', user, '--', process.execPath, bin, 'mount', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    const waitMount = async (want: boolean) => {
      for (let i = 0; i < 200 && (mountIdsAt(dir).length > 0) !== want; i++) await sleep(50);
      expect(mountIdsAt(dir).length > 0).toBe(want);
    };
    let p = start();
    try {
      await waitMount(true);
      // Only the user sees the tree (no allow_other); addresses are hidden from a non-root reader.
      expect(sh(`ls ${dir}/sys/kernel/modctl`, { user }).stdout).toBe('clear\nload\nunload\n');
      expect(sh(`stat ${dir}/proc`).stderr).toMatch(/Permission denied/);
      p.kill('SIGTERM');
      await waitMount(false);
      // A kill -9 leaves a stale mount, which the user's next mount clears (fusermount3 -uz).
      p = start();
      await waitMount(true);
      sh(`pkill -9 -u ${user} -f "${bin} mount ${dir}"`);
      await sleep(300);
      const stale = mountIdsAt(dir);
      expect(sh(`ls ${dir}`, { user }).stderr).toMatch(/Transport endpoint is not connected/);
      p = start();
      for (let i = 0; i < 200 && (mountIdsAt(dir).length !== 1 || mountIdsAt(dir)[0] === stale[0]); i++) await sleep(50);
      expect(sh(`cat ${dir}/proc/modules`, { user }).code).toBe(0);
      p.kill('SIGTERM');
      await waitMount(false);
    } finally {
      // Whatever failed above, leave no mount behind for other tests.
      p.kill('SIGKILL');
      if (mountIdsAt(dir).length) sh(`umount -l ${dir}`);
    }
  });

  it('tells a non-root user exactly what a mount lacks', () => {
    const user = ensureUser();
    const dir = mkdtempSync(join(tmpdir(), 'modfs-user-'));
    sh(`chown ${user} ${dir}`);
    const bin = join(REPO, 'bin/modfs.js');
    // No helper (native/build hidden under an empty tmpfs) and no fusermount3 on PATH.
    const script = `mount -t tmpfs none ${join(REPO, 'native/build')} && runuser -u ${user} -- env PATH=/nonexistent ${process.execPath} ${bin} mount ${dir}`;
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/mounting as a non-root user needs fusermount3, the setuid mount tool \(apt-get install fuse3\)/);
    expect(r.stderr).toMatch(/native\/build\/modfs-fusermount, which receives the descriptor from fusermount3 \(build it with a C compiler/);
    expect(mountIdsAt(dir)).toEqual([]);
  });
});
