// /sys/module/<name>/: the attributes of kernel/module/sysfs.c and the parameter files of
// kernel/params.c, rendered from live kernel state on every read.
import type { Kernel } from '../kernel/kernel.js';
import type { Module, ModuleParam } from '../kernel/module.js';
import type { BuiltinModule } from '../kernel/builtin.js';
import { moduleTaintLetters } from '../kernel/taint.js';
import { paramShow, paramStore } from '../kernel/params/param-table.js';
import { attrFile } from './attr-file.js';
import { dir } from './dir.js';
import { FsError, type DirNode, type FileNode, type SymlinkNode } from './node.js';
import { seesAddresses } from './procfs.js';

const INITSTATE = ['live', 'coming', 'going'];

export function moduleDir(k: Kernel, m: Module): DirNode {
  // Every file of a module dies with it: a descriptor kept open across rmmod reads ENODEV and
  // can never reach a module loaded since (kernfs active references). Asked on every open, read
  // and write: `sysfs` is set once the module is on the list and cleared before it leaves it
  // (load-module.ts, freeModule), so it alone answers, without a walk of the list (0.7 µs a
  // request with 1000 modules loaded).
  const active = (): boolean => m.sysfs;
  const ro = (show: () => string) => attrFile({ mode: 0o444, show, active });
  const coresize = ro(() => `${m.core.size}\n`);
  const initsize = ro(() => `${m.init.size}\n`);
  const initstate = ro(() => `${INITSTATE[m.state] ?? 'unformed'}\n`);
  const refcnt = ro(() => `${m.refcnt}\n`);
  const taint = ro(() => `${moduleTaintLetters(m.taints)}\n`);
  const srcversion = m.modinfoValue('srcversion');
  const version = m.modinfoValue('version');
  const uevent = attrFile({ mode: 0o200, store: (d) => d.length, active });
  const params = m.params.filter((p) => p.perm !== 0).map((p) => [p.name, paramFile(k, p, active)] as [string, FileNode]);
  const parameters = params.length ? dir(0o755, () => params) : undefined;
  // Nodes are made once per module: the FUSE layer tells files apart by node identity.
  let sectionFiles: Array<[string, FileNode]> | undefined;
  const sections = dir(0o755, () => (sectionFiles ??= m.sections.map((s) => [s.name, sectionFile(s.addr)] as [string, FileNode])));
  const notes = m.sections.filter((s) => s.note);
  const noteFiles = notes.map((s) => [s.name, attrFile({ mode: 0o444, size: s.size, show: () => s.note!, active })] as [string, FileNode]);
  const notesDir = notes.length ? dir(0o755, () => noteFiles) : undefined;
  const links = new WeakMap<Module, SymlinkNode>();
  const link = (h: Module): SymlinkNode => {
    let l = links.get(h);
    if (!l) links.set(h, (l = { kind: 'symlink', mode: 0o777, target: `../../${h.name.replace(/\//g, '!')}` }));
    return l;
  };
  const holders = dir(0o755, () => m.holders.map((h) => [h.name.replace(/\//g, '!'), link(h)] as [string, SymlinkNode]), (cb) => k.onChange(cb));
  const srcFile = srcversion !== undefined ? ro(() => `${srcversion}\n`) : undefined;
  const versionFile = version !== undefined ? ro(() => `${version}\n`) : undefined;
  return dir(0o755, () => [
    ['coresize', coresize],
    ['holders', holders],
    ['initsize', initsize],
    ['initstate', initstate],
    ['notes', notesDir!],
    ['parameters', parameters!],
    ['refcnt', refcnt],
    ['sections', sections],
    ['srcversion', srcFile!],
    ['taint', taint],
    ['uevent', uevent],
    ['version', versionFile!],
  ].filter(([, n]) => n) as Array<[string, FileNode | DirNode]>);

  /** sections/<name>: 19 bytes, readable whole at offset 0 only (a bin attribute in the kernel). */
  function sectionFile(addr: bigint): FileNode {
    return {
      kind: 'file',
      mode: 0o400,
      size: 19,
      active,
      open(_flags, caller) {
        const text = new TextEncoder().encode(`0x${(seesAddresses(caller) ? addr : 0n).toString(16).padStart(16, '0')}\n`);
        return {
          read(pos, len) {
            if (pos >= text.length) return new Uint8Array(0);
            if (pos > 0) throw new FsError(22);
            return text.subarray(0, Math.min(len, text.length));
          },
        };
      },
    };
  }
}

/** /sys/module/<builtin>/: only parameters/ and uevent. */
export function builtinDir(k: Kernel, b: BuiltinModule): DirNode {
  const params = b.params.filter((p) => p.perm !== 0).map((p) => [p.name, paramFile(k, p)] as [string, FileNode]);
  const parameters = dir(0o755, () => params);
  const uevent = attrFile({ mode: 0o200, store: (d) => d.length });
  return dir(0o755, () => [
    ['parameters', parameters],
    ['uevent', uevent],
  ]);
}

function paramFile(k: Kernel, p: ModuleParam, active?: () => boolean): FileNode {
  const writable = (p.perm & 0o222) !== 0;
  return attrFile({
    mode: p.perm & 0o664,
    active,
    show: () => paramShow(k, p),
    store: writable ? (data) => paramStore(k, p, data) : undefined,
  });
}
