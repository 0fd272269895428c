// /lib/modules inside the shell: a directory of the user's, so `make modules_install`,
// `depmod -a` and `modprobe NAME` work as on a machine running the emulated kernel, without
// touching the host's modules.
//
// It lives at ${XDG_DATA_HOME:-~/.local/share}/modfs/lib/modules and is bound over /lib/modules
// as a whole (the host's other releases are not the emulated kernel's business). Each release
// gets `build` (and `source`) links to its headers, as the headers package makes them, so a
// tutorial Makefile's KERNELDIR ?= /lib/modules/$(shell uname -r)/build builds against the
// kernel modfs emulates, and the files an installed kernel ships that kmod reads
// (modules.builtin, modules.builtin.modinfo, modules.order) when the host has them.
import * as fs from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Files of an installed kernel's /lib/modules/<release> that depmod and modprobe read. */
const SEEDS = ['modules.builtin', 'modules.builtin.modinfo', 'modules.order'];

export function modulesBase(env: NodeJS.ProcessEnv = process.env): string {
  const data = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(env.HOME || homedir(), '.local/share');
  return join(data, 'modfs/lib/modules');
}

export interface ModulesDir {
  /** The directory bound over /lib/modules, or null when it could not be made. */
  base: string | null;
  /** Where kmod will find this release's modules inside the shell. */
  releaseDir: string;
  /** The headers `build` points at, or null when this machine has none for the release. */
  headers: string | null;
  /** What went wrong or was done, for the user (one line each). */
  notes: string[];
}

function realDir(p: string): string | null {
  try {
    const r = fs.realpathSync(p);
    return fs.statSync(r).isDirectory() ? r : null;
  } catch {
    return null;
  }
}

/** The headers for `release`: the host's /lib/modules/<release>/build, else Debian's path. */
export function findHeaders(release: string): string | null {
  return realDir(`/lib/modules/${release}/build`) ?? realDir(`/usr/src/linux-headers-${release}`);
}

function link(target: string, at: string): void {
  try {
    if (fs.readlinkSync(at) === target) return;
    fs.unlinkSync(at);
  } catch {
    /* absent, or a file of the user's: symlinkSync tells */
  }
  try {
    fs.symlinkSync(target, at);
  } catch {
    /* a real directory the user put there wins */
  }
}

export function prepareModulesDir(release: string, env: NodeJS.ProcessEnv = process.env): ModulesDir {
  const base = modulesBase(env);
  const releaseDir = join(base, release);
  const notes: string[] = [];
  const headers = findHeaders(release);
  try {
    fs.mkdirSync(releaseDir, { recursive: true });
  } catch (e) {
    notes.push(
      `cannot create ${releaseDir} (${(e as NodeJS.ErrnoException).code}): /lib/modules stays the host's; ` +
        `set XDG_DATA_HOME to a directory you can write`,
    );
    return { base: null, releaseDir, headers, notes };
  }
  if (headers) link(headers, join(releaseDir, 'build'));
  const hostSource = realDir(`/lib/modules/${release}/source`);
  if (hostSource) link(hostSource, join(releaseDir, 'source'));
  for (const f of SEEDS) {
    const to = join(releaseDir, f);
    if (fs.existsSync(to)) continue;
    try {
      fs.copyFileSync(`/lib/modules/${release}/${f}`, to);
    } catch {
      /* the host has no installed kernel of this release: kmod does without */
    }
  }
  return { base, releaseDir, headers, notes };
}

/**
 * The mount point /lib/modules must exist on the host. Root may create it (an empty directory
 * changes nothing for the host's kmod, which then finds no modules, as before); a user cannot,
 * and is told so.
 */
export function ensureMountPoint(isRoot: boolean, at = '/lib/modules'): { ok: boolean; note?: string } {
  if (realDir(at)) return { ok: true };
  if (!isRoot) {
    return {
      ok: false,
      note:
        `${at} does not exist on this machine and only root can create it; inside the shell ` +
        `${at} is therefore missing (modprobe and depmod fail). Ask an administrator to run ` +
        `'mkdir ${at}' (an empty directory is enough), or install a kernel headers package.`,
    };
  }
  try {
    fs.mkdirSync(at, { mode: 0o755 });
    return { ok: true, note: `created ${at} on this machine (an empty directory: the mount point for your modules)` };
  } catch (e) {
    return { ok: false, note: `cannot create ${at}: ${(e as Error).message}` };
  }
}
