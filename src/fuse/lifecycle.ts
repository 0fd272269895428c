// Mount lifecycle around serveFuse: a clean mountpoint before, a clean exit after.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DirNode } from '../vfs/node.js';
import { detach, serveFuse } from './serve.js';
import type { ServeOptions, Served } from './serve.js';

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mount ids of everything mounted at `dir` (stacked mounts give several). */
export function mountIdsAt(dir: string, mountinfo = '/proc/self/mountinfo'): number[] {
  const want = resolve(dir);
  const ids: number[] = [];
  for (const line of readFileSync(mountinfo, 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f.length > 4 && unescapeMountPath(f[4]) === want) ids.push(Number(f[0]));
  }
  return ids;
}

export function isMounted(dir: string): boolean {
  return mountIdsAt(dir).length > 0;
}

/**
 * Probe a directory, giving up after `ms` (a hung FUSE daemon makes it sleep forever). readdir,
 * not stat: the kernel answers stat from its attribute cache for a second after the daemon died.
 */
async function probeWithin(dir: string, ms: number): Promise<'ok' | 'dead' | 'hung' | 'missing'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), ms)));
  const probe = readdir(dir).then(
    () => 'ok' as const,
    (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? ('missing' as const) : ('dead' as const)),
  );
  try {
    return await Promise.race([probe, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Make `dir` ready to mount: create it if missing, and detach a mount left behind by a daemon
 * that died (stat fails with ENOTCONN, "Transport endpoint is not connected"). A live mount
 * there is an error: another daemon is serving it.
 */
export async function prepareMountpoint(dir: string): Promise<string> {
  const mnt = resolve(dir);
  for (let i = 0; i < 8; i++) {
    const state = await probeWithin(mnt, 2000);
    if (state === 'missing') {
      mkdirSync(mnt, { recursive: true });
      continue;
    }
    if (state === 'ok' && !isMounted(mnt)) return mnt;
    if (state === 'ok') throw new Error(`${mnt} is already mounted (is another modfs running?)`);
    if (state === 'hung') throw new Error(`${mnt} is mounted by a daemon that does not answer`);
    // Dead connection: detach it, then look again (mounts can be stacked).
    await detach(mnt);
  }
  if (!existsSync(mnt)) throw new Error(`cannot create ${mnt}`);
  throw new Error(`cannot clear stale mounts at ${mnt}`);
}

export interface RunOptions extends ServeOptions {
  /** How often to look for an external unmount (fusermount -u, umount). Default 500 ms. */
  pollMs?: number;
  /** Exit the process when done (default true). */
  exit?: boolean;
  onReady?: (served: Served) => void;
}

/** How long an unmount may take before the daemon exits anyway (the exit aborts the connection). */
const UNMOUNT_GRACE_MS = 5000;

/**
 * Mount `root` at `dir` and serve until SIGINT/SIGTERM or an external unmount, then unmount and
 * exit 0. fuse-native alone keeps the process alive after an external unmount, so the mount
 * table is polled. The signal handlers go in before anything is mounted: a signal that arrives
 * while mounting still ends in a clean unmount rather than a killed daemon and a stale mount.
 */
export async function serveUntilStopped(dir: string, root: DirNode, opts: RunOptions = {}): Promise<void> {
  let stopRequested = false;
  let stopNow: ((why: string) => void) | undefined;
  const onSignal = (): void => {
    stopRequested = true;
    stopNow?.('signal');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const finish = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (opts.exit ?? true) process.exit(0);
  };

  const mnt = await prepareMountpoint(dir);
  if (stopRequested) return finish();
  const served = await serveFuse(mnt, root, opts);
  const ids = new Set(mountIdsAt(mnt));
  opts.onReady?.(served);

  await new Promise<void>((done) => {
    let stopping = false;
    const poll = setInterval(() => {
      const now = mountIdsAt(mnt);
      if (!now.some((id) => ids.has(id))) stop('external');
    }, opts.pollMs ?? 500);
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      clearInterval(poll);
      const late = setTimeout(() => {
        process.stderr.write(`modfs: unmount ${mnt} did not finish in ${UNMOUNT_GRACE_MS} ms; exiting anyway\n`);
        done();
      }, UNMOUNT_GRACE_MS);
      served.unmount().then(
        () => {
          clearTimeout(late);
          done();
        },
        (err: unknown) => {
          clearTimeout(late);
          // Already gone (external unmount) is fine; anything else is worth a line.
          if (why !== 'external') process.stderr.write(`modfs: unmount ${mnt}: ${String(err)}\n`);
          done();
        },
      );
    };
    stopNow = stop;
    if (stopRequested) stop('signal');
  });
  finish();
}
