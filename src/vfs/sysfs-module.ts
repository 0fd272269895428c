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
  const ro = (show: () => string) => attrFile({ mode: 0o444, show });
  const coresize = ro(() => `${m.core.size}\n`);
  const initsize = ro(() => `${m.init.size}\n`);
  const initstate = ro(() => `${INITSTATE[m.state] ?? 'unformed'}\n`);
  const refcnt = ro(() => `${m.refcnt}\n`);
  const taint = ro(() => `${moduleTaintLetters(m.taints)}\n`);
  const srcversion = m.modinfoValue('srcversion');
  const version = m.modinfoValue('version');
  const uevent = attrFile({ mode: 0o200, store: (d) => d.length });
  const params = m.params.filter((p) => p.perm !== 0).map((p) => [p.name, paramFile(k, p)] as [string, FileNode]);
  const parameters = params.length ? dir(0o755, () => params) : undefined;
  const sections = dir(0o755, () => m.sections.map((s) => [s.name, sectionFile(s.addr)] as [string, FileNode]));
  const notes = m.sections.filter((s) => s.note);
  const notesDir = notes.length
    ? dir(0o755, () => notes.map((s) => [s.name, attrFile({ mode: 0o444, size: s.size, show: () => s.note! })] as [string, FileNode]))
    : undefined;
  const holders = dir(0o755, () =>
    m.holders.map((h) => [h.name, { kind: 'symlink', mode: 0o777, target: `../../${h.name}` } as SymlinkNode]),
  );
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

function paramFile(k: Kernel, p: ModuleParam): FileNode {
  const writable = (p.perm & 0o222) !== 0;
  return attrFile({
    mode: p.perm & 0o664,
    show: () => paramShow(k, p),
    store: writable ? (data) => paramStore(k, p, data) : undefined,
  });
}
