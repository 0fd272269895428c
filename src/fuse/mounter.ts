// Getting a /dev/fuse connection mounted with nothing but the system's own tools.
//
// As root: open /dev/fuse, and let util-linux mount(8) call mount(2) with the descriptor
// inherited ("-o fd=3"); the kernel then sends FUSE_INIT on it. No libfuse anywhere.
// As another user: only the setuid fusermount3 may mount, and it hands the descriptor back over
// the Unix socket named by _FUSE_COMMFD (SCM_RIGHTS), which Node cannot receive. So
// native/modfs-fusermount.c receives it and execs the daemon again with the descriptor
// inherited (MODFS_FUSE_FD / MODFS_FUSE_MOUNT). A user namespace (unshare -Ur) would need no
// native code, but its mount is private to that namespace: the user's own shell could not see
// the tree, which defeats the point of mounting it.

import { execFile, spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ENV_FD = 'MODFS_FUSE_FD';
export const ENV_MOUNT = 'MODFS_FUSE_MOUNT';

export function isRoot(): boolean {
  return typeof process.geteuid === 'function' && process.geteuid() === 0;
}

/** The descriptor a mount helper left us for `mountpoint`, if this process was started so. */
export function inheritedDevice(mountpoint: string): number | undefined {
  const fd = Number(process.env[ENV_FD]);
  if (!Number.isInteger(fd) || fd < 0 || process.env[ENV_MOUNT] !== resolve(mountpoint)) return undefined;
  return fd;
}

export function openDevice(): number {
  try {
    return openSync('/dev/fuse', 'r+');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? '/dev/fuse does not exist (load the fuse module, or in a container pass --device /dev/fuse)'
        : `cannot open /dev/fuse: ${code}`,
    );
  }
}

export interface MountOptions {
  allowOther: boolean;
}

/** Kernel mount options shared by both ways of mounting. */
function kernelOptions(o: MountOptions): string[] {
  // default_permissions: the kernel checks modes against the attributes we give (as for sysfs).
  return ['default_permissions', ...(o.allowOther ? ['allow_other'] : [])];
}

function run(cmd: string, args: string[], stdio: Array<'ignore' | 'inherit' | 'pipe' | number>): Promise<{ code: number; stderr: string }> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { stdio: stdio as never });
    let stderr = '';
    p.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', (e) => res({ code: 127, stderr: e.message }));
    p.on('exit', (code) => res({ code: code ?? 1, stderr }));
  });
}

/**
 * Root: mount(2) through util-linux mount with the descriptor as fd 3 of the child. Asynchronous,
 * so the event loop is free to answer FUSE_INIT while mount runs.
 */
export async function mountAsRoot(mountpoint: string, fd: number, o: MountOptions): Promise<void> {
  const opts = ['fd=3', 'rootmode=40000', `user_id=0`, `group_id=0`, ...kernelOptions(o)].join(',');
  // -i: no /sbin/mount.fuse* helper; the type's subtype shows in /proc/mounts as fuse.modfs.
  const r = await run('mount', ['-i', '-t', 'fuse.modfs', '-o', opts, 'modfs', mountpoint], ['ignore', 'ignore', 'pipe', fd]);
  if (r.code !== 0) throw new Error(`mount ${mountpoint} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
}

/** native/build/modfs-fusermount, built at install when a C compiler exists. */
export function helperPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native', 'build', 'modfs-fusermount');
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '/usr/bin:/bin').split(':').some((d) => d && existsSync(join(d, cmd)));
}

/** What a non-root mount lacks on this machine, in words a user can act on; [] if nothing. */
export function missingForUserMount(): string[] {
  const missing: string[] = [];
  if (!onPath('fusermount3')) missing.push('fusermount3, the setuid mount tool (apt-get install fuse3)');
  if (!existsSync(helperPath())) {
    missing.push(
      `${helperPath()}, which receives the descriptor from fusermount3 (build it with a C compiler: ` +
        'apt-get install gcc make, then npm install or node scripts/build-native.mjs)',
    );
  }
  return missing;
}

/** fusermount3 -o for a user's mount (it adds fd, rootmode, user_id, group_id itself). */
export function userMountOptions(o: MountOptions): string {
  return ['fsname=modfs', 'subtype=modfs', ...kernelOptions(o)].join(',');
}

/** Detach the mount (lazily, so open files do not make it fail). */
export function detach(mountpoint: string): Promise<void> {
  const tries: [string, string[]][] = isRoot()
    ? [['umount', ['-l', mountpoint]], ['fusermount3', ['-uz', mountpoint]]]
    : [['fusermount3', ['-uz', mountpoint]], ['fusermount', ['-uz', mountpoint]]];
  return new Promise((res, rej) => {
    const next = (i: number, last?: Error): void => {
      if (i >= tries.length) return rej(last ?? new Error('unmount failed'));
      execFile(tries[i][0], tries[i][1], (err) => (err ? next(i + 1, err) : res()));
    };
    next(0);
  });
}
