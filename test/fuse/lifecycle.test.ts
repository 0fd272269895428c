// Daemon lifecycle: clean exits, stale mounts after kill -9, external unmounts, a fresh machine.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, compileEntry } from '../helpers/compile.js';
import { mountIdsAt, startDaemon } from '../helpers/daemon.js';
import { sh } from '../helpers/shell.js';

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

  it('loads fuse-native with no system libfuse.so.2', () => {
    // Hide the system library in a private mount namespace; the bundled one must be used.
    const sys = spawnSync('sh', ['-c', 'readlink -f "$(ldconfig -p | awk \'/libfuse.so.2 /{print $NF; exit}\')"'], { encoding: 'utf8' }).stdout.trim();
    const js = compileEntry('src/fuse/binding.ts');
    const probe = `import(${JSON.stringify(js)}).then(m => { m.loadFuse(); console.log('loaded'); })`;
    const hide = sys ? `mount --bind /dev/null ${sys} && ` : '';
    const inNs = (code: string) =>
      spawnSync('unshare', ['-m', 'sh', '-c', `${hide}exec "$0" -e "$1"`, process.execPath, code], { cwd: REPO, encoding: 'utf8' });
    const r = inNs(probe);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('loaded\n');
    // And the plain require fails there, so the test does prove something.
    if (sys) {
      const plain = `try { require("fuse-native"); console.log("plain ok") } catch (e) { console.log("plain failed") }`;
      const p = inNs(plain);
      expect(p.stdout).toBe('plain failed\n');
    }
  });
});
