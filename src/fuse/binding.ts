// Loads fuse-native so that it works on a machine with no system libfuse2.
//
// fuse-native's prebuilt addon (prebuilds/linux-x64/node.napi.node) has DT_NEEDED libfuse.so.2.
// The package ships that library as prebuilds/linux-x64/libfuse.so (SONAME libfuse.so.2), but
// nothing puts it on the loader's search path, so on a fresh machine the require fails.
//
// Trick: before requiring fuse-native, dlopen the shipped library ourselves with
// RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE. glibc resolves a later DT_NEEDED by matching the SONAME of
// objects already loaded, before searching the file system, so the addon binds to ours.
// process.dlopen throws "did not self-register" (the library is not a Node addon) and Node then
// dlcloses it; RTLD_NODELETE (0x1000, not in os.constants.dlopen) keeps it mapped anyway. Without
// NODELETE the trick fails (measured). We preload unconditionally, even when a system libfuse2
// exists, so every machine runs the same libfuse the prebuild was built against.
//
// Fallback, if the preload ever stops working (another libc, a Node that refuses the flag): the
// caller can re-exec node with LD_LIBRARY_PATH pointing at a directory holding a libfuse.so.2
// symlink (see libfuseDirForReexec); that must happen before node starts, as the loader reads
// LD_LIBRARY_PATH only once.

import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { existsSync, mkdirSync, symlinkSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const RTLD_NODELETE = 0x1000; // glibc value; Node does not export it

/** Minimal typing of what we use from fuse-native (it ships no types). */
export interface FuseCtor {
  new (mnt: string, ops: Record<string, unknown>, opts?: Record<string, unknown>): FuseInstance;
  [errno: string]: unknown;
}
export interface FuseInstance {
  mnt: string;
  _fuseOptions(): string;
  mount(cb: (err: Error | null) => void): void;
  _thread: Buffer | null;
}

function packageDir(): string {
  return dirname(require.resolve('fuse-native/package.json'));
}

/** The libfuse.so.2 shipped inside fuse-native. */
export function bundledLibfuse(): string {
  return join(packageDir(), 'prebuilds', `${process.platform}-${process.arch}`, 'libfuse.so');
}

function preloadBundled(): void {
  const lib = bundledLibfuse();
  if (!existsSync(lib)) return;
  const flags = constants.dlopen.RTLD_NOW | constants.dlopen.RTLD_GLOBAL | RTLD_NODELETE;
  try {
    process.dlopen({ exports: {} }, lib, flags);
  } catch {
    // Expected: "Module did not self-register". The library stays mapped thanks to NODELETE.
  }
}

let cached: { Fuse: FuseCtor; binding: Record<string, unknown> } | undefined;

/** fuse-native's class and its raw native binding (for unmount bookkeeping). */
export function loadFuse(): { Fuse: FuseCtor; binding: Record<string, unknown> } {
  if (cached) return cached;
  preloadBundled();
  try {
    const Fuse = require('fuse-native') as FuseCtor;
    // Same module node-gyp-build returned to fuse-native (require cache), so state is shared.
    const binding = require('node-gyp-build')(packageDir()) as Record<string, unknown>;
    cached = { Fuse, binding };
    return cached;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(
      `cannot load fuse-native (${msg}). Workaround: run node with ` +
        `LD_LIBRARY_PATH=${libfuseDirForReexec()}`,
    );
  }
}

/**
 * A directory containing a libfuse.so.2 symlink to the bundled library, created on demand under
 * node_modules/.cache/modfs, for the LD_LIBRARY_PATH fallback.
 */
export function libfuseDirForReexec(): string {
  const dir = join(dirname(packageDir()), '.cache', 'modfs', 'lib');
  const link = join(dir, 'libfuse.so.2');
  try {
    mkdirSync(dir, { recursive: true });
    let ok = false;
    try {
      ok = readlinkSync(link) === bundledLibfuse();
    } catch {
      ok = false;
    }
    if (!ok) symlinkSync(bundledLibfuse(), link);
  } catch {
    // Best effort: the message that names this directory is still useful.
  }
  return dir;
}
