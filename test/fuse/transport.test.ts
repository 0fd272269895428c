// Our FUSE transport against the real kernel: the caller in each request, interrupts, poll,
// ioctl, invalidation with long cache lifetimes, and the number of requests a `cat` costs.
// The fixture tree is served by a daemon in a child process.

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileEntry } from '../helpers/compile.js';
import { startDaemon } from '../helpers/daemon.js';
import type { Daemon } from '../helpers/daemon.js';
import { bg, ensureUser, sh, sleep } from '../helpers/shell.js';
import { spawn } from 'node:child_process';

const isRoot = process.geteuid?.() === 0;
let d: Daemon;
let run: (cmd: string, user?: string) => ReturnType<typeof sh>;

/**
 * Requests served so far, by opcode name. Read through the mount, so it counts itself: one OPEN,
 * one READ (one read(2), no fstat) and one RELEASE.
 */
function counts(): Record<string, number> {
  const out: Record<string, number> = {};
  const fd = openSync(`${d.mountDir}/requests`, 'r');
  const buf = Buffer.alloc(65536);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  for (const line of buf.toString('latin1', 0, n).trim().split('\n')) {
    const [op, n] = line.split(' ');
    out[op] = Number(n);
  }
  return out;
}

function diff(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(b)) if ((b[k] ?? 0) !== (a[k] ?? 0)) out[k] = b[k] - (a[k] ?? 0);
  return out;
}

const py = (code: string, user?: string) => run(`python3 -c '${code}'`, user);

describe.skipIf(!isRoot)('our FUSE transport', () => {
  beforeAll(async () => {
    d = await startDaemon([compileEntry('test/fuse/fixture-server.ts')]);
    run = (cmd, user) => sh(cmd, { cwd: d.mountDir, user });
  });
  afterAll(async () => {
    expect(await d.stop()).toBe(0);
  });

  it('uses no libfuse', () => {
    const maps = readFileSync(`/proc/${d.proc.pid}/maps`, 'utf8');
    expect(maps).not.toMatch(/libfuse/);
  });

  it('tells the tree the uid, gid and pid of each caller, root or not', () => {
    const me = run('echo $$; exec cat caller').stdout.split('\n');
    expect(me[1]).toBe(`0 0 ${me[0]}`);
    const user = ensureUser();
    const uid = sh(`id -u ${user}`).stdout.trim();
    const gid = sh(`id -g ${user}`).stdout.trim();
    const them = run('echo $$; exec cat caller', user).stdout.split('\n');
    expect(them[1]).toBe(`${uid} ${gid} ${them[0]}`);
  });

  it('costs a warm cat of a file OPEN, GETATTR, READ, READ, RELEASE, and no LOOKUP', () => {
    run('cat value');
    const before = counts();
    expect(run('cat value').stdout).toMatch(/\n$/);
    const after = counts();
    // cat: OPEN, GETATTR (its fstat: the kernel drops a file's cached atime after each direct
    // read, fuse_invalidate_atime), READ, READ (end of file), RELEASE. counts() adds OPEN, READ,
    // RELEASE. No FLUSH (FOPEN_NOFLUSH), no LOOKUP (long entry lifetimes).
    expect(diff(before, after)).toEqual({ OPEN: 2, GETATTR: 1, READ: 3, RELEASE: 2 });
  });

  it('ends a blocked read at once when the reader gets a signal (Ctrl-C on cat)', async () => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const cat = spawn('cat', [`${d.mountDir}/kmsg`], { stdio: ['ignore', 'ignore', 'pipe'] });
      await sleep(300);
      expect(cat.exitCode).toBe(null);
      const t = process.hrtime.bigint();
      const ended = new Promise<string | number | null>((r) => cat.on('exit', (c, s) => r(s ?? c)));
      cat.kill(sig);
      expect(await ended).toBe(sig);
      // The bound for Ctrl-C; the interrupt is one request and one answer.
      expect(Number(process.hrtime.bigint() - t) / 1e6).toBeLessThan(100);
    }
    // `timeout 1 cat` ends too (SIGTERM after a second), and the tree still answers.
    const t = Date.now();
    expect(run('timeout 1 cat kmsg >/dev/null').code).toBe(124);
    expect(Date.now() - t).toBeLessThan(3000);
    expect(run('cat ro').stdout).toBe('read-only\n');
  });

  it('answers a reader whose signal handler interrupts read(2) with EINTR', () => {
    // A handler installed without SA_RESTART: the kernel returns EINTR from the blocked read.
    const code = [
      'import os, signal, ctypes',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'signal.signal(signal.SIGALRM, lambda *a: None)',
      'signal.siginterrupt(signal.SIGALRM, True)',
      'fd = os.open("kmsg", os.O_RDONLY)',
      'buf = ctypes.create_string_buffer(8192)',
      'n = 0',
      'while n >= 0:',
      '    signal.setitimer(signal.ITIMER_REAL, 0.3)',
      '    n = libc.read(fd, buf, 8192)',
      'print(n, ctypes.get_errno())',
    ].join('\n');
    expect(py(code).stdout).toBe('-1 4\n');
  });

  it('wakes poll(2) on a new record, and not before', () => {
    const code = [
      'import os, select, subprocess',
      'fd = os.open("kmsg", os.O_RDONLY | os.O_NONBLOCK)',
      'try:',
      '    while os.read(fd, 8192): pass',
      'except BlockingIOError: pass',
      'p = select.poll(); p.register(fd, select.POLLIN)',
      'print("idle", p.poll(200))',
      'subprocess.Popen(["sh", "-c", "sleep 0.3; echo log polled > ctl"])',
      'print("woken", [(f, e & select.POLLIN) for f, e in p.poll(10000)])',
      'print(os.read(fd, 8192).decode().split(";")[1].strip())',
      'r, _, _ = select.select([fd], [], [], 0.2)',
      'print("select idle", r)',
    ].join('\n');
    expect(py(code).stdout).toBe(`idle []\nwoken [(3, 1)]\npolled\nselect idle []\n`);
  });

  it('passes an ioctl to the tree, and ENOTTY where the file has none', () => {
    const code = [
      'import os, fcntl',
      'fd = os.open("ioctl", os.O_RDWR)',
      'buf = bytearray(b"abcdefgh")',
      'cmd = (3 << 30) | (8 << 16) | (ord("x") << 8) | 0x2a',
      'print(fcntl.ioctl(fd, cmd, buf, True), buf.decode())',
      'try: fcntl.ioctl(os.open("value", os.O_RDONLY), 0x5401, bytes(60))',
      'except OSError as e: print(e.errno)',
    ].join('\n');
    expect(py(code).stdout).toBe('42 hgfedcba\n25\n');
  });

  it('drops a removed directory from every reader at once, with long cache lifetimes', () => {
    run('echo add x > ctl');
    expect(run('stat -c %F dyn/x && cat dyn/x/file').stdout).toBe('directory\nx\n');
    // Cached: walking again costs no LOOKUP.
    const before = counts();
    run('stat dyn/x/file >/dev/null');
    expect(diff(before, counts()).LOOKUP).toBeUndefined();
    // Another process removes it; the next walk fails at once.
    run('echo del x > ctl');
    const r = run('stat dyn/x');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/No such file or directory/);
    expect(run('ls dyn').stdout).toBe('');
    // A listing the kernel caches is dropped when entries come, and when they go.
    expect(run('echo add z > ctl && ls dyn').stdout).toBe('z\n');
    expect(run('echo add w > ctl && ls dyn').stdout).toBe('w\nz\n');
    expect(run('echo del z > ctl && ls dyn && echo del w > ctl').stdout).toBe('w\n');
  });

  it('never shows a new directory of the same name to a shell inside the removed one', () => {
    run('echo add y > ctl');
    // The old directory is dead and empty, as a removed directory is (ls lists nothing); the
    // new one, under the same name, is a different node.
    const r = run('cd dyn/y && echo del y > ../../ctl && echo add y > ../../ctl && ls; cat file; echo "[$(ls ../../dyn)]"');
    expect(r.stderr).toMatch(/cat: file: No such file or directory/);
    expect(r.stdout).toBe('[y]\n');
    expect(run('cat dyn/y/file').stdout).toBe('y\n');
  });

  it('opens a stream nonseekable (ESPIPE) and a sysfs-like file seekable, per open', () => {
    const code = [
      'import os',
      'fd = os.open("stream", os.O_RDONLY)',
      'try: os.lseek(fd, 1, 0)',
      'except OSError as e: print(e.errno)',
      'print(os.lseek(os.open("value", os.O_RDONLY), 1, 0))',
    ].join('\n');
    expect(py(code).stdout).toBe('29\n1\n');
  });

  it('serves a cat while reads stay blocked in kmsg', async () => {
    const readers = Array.from({ length: 8 }, () => bg('cat kmsg', { cwd: d.mountDir }));
    await sleep(300);
    for (let i = 0; i < 5; i++) expect(run('cat ro').stdout).toBe('read-only\n');
    for (const r of readers) r.proc.kill('SIGKILL');
    await Promise.all(readers.map((r) => r.done));
  });
});
