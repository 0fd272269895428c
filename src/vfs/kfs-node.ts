// Render the kernel's own file trees (kernel/kfs.ts: /proc entries, sysfs kobjects, debugfs,
// device nodes) as vfs nodes. One node per entry, made once: the FUSE layer tells nodes apart by
// identity. A module's handler that oopses kills the caller, as the oops kills the task that made
// the call on a real kernel; the request itself then answers EIO.
import { asFsError } from './attr-file.js';
import type { KEntry, KOpenFile } from '../kernel/kfs.js';
import { OopsError } from '../kernel/api/sched.js';
import { FsError, type Caller, type DirNode, type FileNode, type Handle, type VNode } from './node.js';

const EIO = 5;
const nodes = new WeakMap<KEntry, VNode>();

/** What a failed file operation answers `caller`: an oops kills it first (then EIO). */
function failure(caller: Caller, e: unknown): unknown {
  if (!(e instanceof OopsError)) return asFsError(e);
  if (caller.pid > 0 && caller.pid !== process.pid) {
    try {
      process.kill(caller.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  return new FsError(EIO, e.message);
}

/** Run a kernel file operation for `caller`, turning kernel errors into the caller's errno. */
function fileCall<T>(caller: Caller, f: () => T): T {
  try {
    const r = f();
    // An operation that waits (a driver's sleep) settles later: its failure is turned alike.
    if (r instanceof Promise) return r.catch((e: unknown) => Promise.reject(failure(caller, e))) as T;
    return r;
  } catch (e) {
    throw failure(caller, e);
  }
}

function handleOf(f: KOpenFile, opener: Caller): Handle {
  const h: Handle = {
    read: (pos, len, caller = opener) => fileCall(caller, () => f.read(pos, len, caller)),
    release: () => {
      try {
        fileCall(opener, () => f.release?.());
      } catch {
        /* release has no one to answer */
      }
    },
  };
  if (f.write) h.write = (pos, data, caller = opener) => fileCall(caller, () => f.write!(pos, data, caller));
  // O_TRUNC on a kernel file: accepted and ignored (procfs and sysfs have no size to cut).
  h.truncate = () => {};
  if (f.abort) h.abort = () => f.abort!();
  if (f.poll) h.poll = (events, wake) => fileCall(opener, () => f.poll!(events, wake));
  if (f.ioctl) h.ioctl = (cmd, arg, input, outSize, caller) => fileCall(caller, () => f.ioctl!(cmd, arg, input, outSize, caller));
  if (f.nonseekable) h.nonseekable = true;
  return h;
}

/** The vfs node of a kernel entry; `extra` adds fixed entries of a directory (listed first). */
export function kfsNode(e: KEntry, extra?: () => Array<[string, VNode]>): VNode {
  let n = nodes.get(e);
  if (n) return n;
  if (e.kind === 'dir') {
    const d: DirNode = {
      kind: 'dir',
      mode: e.mode,
      children: () => {
        const m = new Map<string, VNode>(extra?.() ?? []);
        for (const [name, c] of e.children) if (!m.has(name)) m.set(name, kfsNode(c));
        return m;
      },
      watch: (cb) => e.watch(cb),
    };
    n = d;
  } else if (e.kind === 'symlink') {
    n = { kind: 'symlink', mode: 0o777, target: e.target };
  } else {
    const f: FileNode = {
      kind: 'file',
      mode: e.mode,
      size: () => e.size,
      rootOverride: e.rootOverride,
      open(flags, caller) {
        if (e.removed || !e.ops) throw new FsError(2);
        return handleOf(fileCall(caller, () => e.ops!.open(flags, caller)), caller);
      },
    };
    n = f;
  }
  // uid/gid may change later (proc_set_user): read them through getters.
  Object.defineProperty(n, 'uid', { get: () => e.uid, enumerable: true });
  Object.defineProperty(n, 'gid', { get: () => e.gid, enumerable: true });
  Object.defineProperty(n, 'mode', { get: () => e.mode, enumerable: true });
  nodes.set(e, n);
  return n;
}

/** A fixed directory of vfs nodes followed by the entries of a kernel tree. */
export function kfsDir(e: KEntry, fixed: () => Array<[string, VNode]>): DirNode {
  return kfsNode(e, fixed) as DirNode;
}
