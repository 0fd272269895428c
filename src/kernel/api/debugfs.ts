// fs/debugfs: directories and files modules create under /sys/kernel/debug (k.files.debug).
//
// Each entry has a struct dentry and a struct inode in kernel memory (module code keeps the
// dentry pointers, passes them back as parents, and may read d_inode(dentry)->i_private). Files of
// debugfs_create_file run the module's file_operations through KernelFile, as the full proxy does:
// the owner module is pinned (fops_get) while open, and once the file is removed its open
// descriptors read and write EIO. The typed files (u8..u64, x8..x64, size_t, atomic_t, bool,
// blob) are the kernel's own file operations, with libfs's simple_attr rules: one 24-byte buffer
// formatted at offset 0, writes of at most 23 bytes parsed with kstrtoull/kstrtoll (base 0) and
// stored at the file's width. Unlike sysfs, debugfs applies plain permission checks: root may
// open a read-only file for writing, and the write is what fails (EACCES or EINVAL).
import type { TrapContext } from '../../cpu/types.js';
import { EACCES, EEXIST, EINVAL, EIO, ENXIO, KernelError } from '../errno.js';
import { commOf, fileOperationsLayout, KernelFile } from '../file.js';
import type { Kernel } from '../kernel.js';
import { kdir, kfile, type KEntry, type KOpenFile, type Opener } from '../kfs.js';
import { kstrtobool, kstrtoll, kstrtoull } from '../kstrtox.js';
import { ModuleState } from '../module.js';
import { kernelFunction } from './kcall.js';
import type { Task } from './sched.js';

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const MAX_ERRNO = 4095n;
const enc = new TextEncoder();
const latin1 = new TextDecoder('latin1');

const READ_FRAMES = ['vfs_read+0x23f/0x310', 'ksys_read+0x6b/0xf0', 'do_syscall_64+0x5d/0xb0', 'entry_SYSCALL_64_after_hwframe+0x6e/0xd8'];

const isErr = (p: bigint) => BigInt.asUintN(64, p) >= BigInt.asUintN(64, -MAX_ERRNO);
const errPtr = (errno: number) => BigInt.asUintN(64, BigInt(-errno));

/** A typed file: how its value is read and written, and which of the two its fops have. */
interface Typed {
  kind: 'attr' | 'bool' | 'blob';
  /** simple_attr: width in bytes, printf format, signed parsing. */
  size?: 1 | 2 | 4 | 8;
  format?: (v: bigint) => string;
  signed?: boolean;
  get: boolean;
  set: boolean;
}

interface Node {
  dentry: bigint;
  inode: bigint;
  entry: KEntry;
}

const hex = (digits: number) => (v: bigint) => `0x${BigInt.asUintN(64, v).toString(16).padStart(digits, '0')}\n`;
const dec = (v: bigint) => `${BigInt.asUintN(64, v)}\n`;

export function registerDebugfsApi(k: Kernel): void {
  const m = k.mem;
  const f = k.identity.facts;
  const nodes = new Map<bigint, Node>();
  const attrRead = kernelFunction(k, 'simple_attr_read');
  const attrWrite = kernelFunction(k, 'simple_attr_write');
  const boolRead = kernelFunction(k, 'debugfs_read_file_bool');
  const boolWrite = kernelFunction(k, 'debugfs_write_file_bool');
  const blobRead = kernelFunction(k, 'read_file_blob');
  const proxyOpen = kernelFunction(k, 'full_proxy_open');

  /** A dentry (name, parent, inode) and its inode, for module code to read. */
  const makeNode = (entry: KEntry, parent: bigint, mode: number, priv: bigint): Node => {
    const dentry = k.kmalloc(f['dentry.size']);
    const inode = k.kmalloc(f['inode.size']);
    m.writeU64(dentry + BigInt(f['dentry.d_name.name']), k.kstrdup(enc.encode(entry.name)));
    m.writeU64(dentry + BigInt(f['dentry.d_parent']), parent || dentry);
    m.writeU64(dentry + BigInt(f['dentry.d_inode']), inode);
    m.writeU16(inode + BigInt(f['inode.i_mode']), mode);
    m.writeU64(inode + BigInt(f['inode.i_private']), priv);
    const n = { dentry, inode, entry };
    nodes.set(dentry, n);
    entry.data = n;
    return n;
  };
  const root = makeNode(k.files.debug, 0n, S_IFDIR | 0o700, 0n);
  // The root's name as %pd and d_name show it.
  m.writeU64(root.dentry + BigInt(f['dentry.d_name.name']), k.kstrdup(enc.encode('/')));

  const dname = (d: bigint) => latin1.decode(m.readCString(m.readU64(d + BigInt(f['dentry.d_name.name'])), 256));
  const caller = (c: TrapContext) => k.modules.find((mod) => mod.containsAddress(c.returnAddress));

  /** start_creating: the parent's node, or the errno to hand back as ERR_PTR. */
  const startCreating = (name: string, parent: bigint): Node | bigint => {
    if (parent && isErr(parent)) return parent;
    const p = parent ? nodes.get(parent) : root;
    if (!p || p.entry.kind !== 'dir' || p.entry.removed) return errPtr(2);
    const old = p.entry.children.get(name);
    if (old) {
      const pname = dname(p.dentry);
      k.log.emit(3, old.kind === 'dir' ? `debugfs: Directory '${name}' with parent '${pname}' already present!` : `debugfs: File '${name}' in directory '${pname}' already present!`);
      return errPtr(EEXIST);
    }
    return p;
  };

  const createDir = (c: TrapContext) => {
    const name = latin1.decode(m.readCString(c.arg(0), 256));
    const p = startCreating(name, c.arg(1));
    if (typeof p === 'bigint') return p;
    const e = kdir(name, 0o755);
    e.owner = caller(c);
    p.entry.add(e);
    return makeNode(e, p.dentry, S_IFDIR | 0o755, 0n).dentry;
  };

  /** __debugfs_create_file with the module's fops (or the kernel's typed ones). */
  const createFile = (c: TrapContext, name: string, mode: number, parent: bigint, data: bigint, fops: bigint, typed?: Typed): bigint => {
    const p = startCreating(name, parent);
    if (typeof p === 'bigint') return p;
    const e = kfile(name, mode & 0o7777, { open: (flags, opener) => (typed ? openTyped(e, n, typed, opener) : openFops(e, n, fops, flags, opener)) });
    e.owner = caller(c);
    // Plain permission checks (root may open any mode), not kernfs's.
    e.rootOverride = true;
    p.entry.add(e);
    const n = makeNode(e, p.dentry, S_IFREG | (mode & 0o7777), data);
    return n.dentry;
  };

  const taskFor = (opener: Opener): Task => k.sched.newTask(commOf(opener.pid), READ_FRAMES, { uid: opener.uid, gid: opener.gid }, opener.pid || undefined);

  /** full_proxy_open: pin the fops' owner, then the module's ->open; removal makes calls EIO. */
  function openFops(e: KEntry, n: Node, fops: bigint, flags: number, opener: Opener): KOpenFile {
    if (!fops) return { read: () => new Uint8Array(0), write: (_p, d) => d.length };
    // fops_get reads fops->owner: in the memory of a module that unloaded without removing its
    // files, that is a page fault here, an oops that kills the opener.
    let ownerStruct = 0n;
    const t = taskFor(opener);
    try {
      proxyOpen(t, () => void (ownerStruct = m.readU64(fops + BigInt(f['file_operations.owner']))));
    } finally {
      k.sched.exitTask(t);
    }
    const owner = ownerStruct ? k.modules.find((mod) => mod.thisModule === ownerStruct) : undefined;
    if (owner) {
      if (owner.state === ModuleState.GOING) throw new KernelError(ENXIO);
      owner.refcnt++;
      k.changed();
    }
    const unpin = () => {
      if (owner && owner.refcnt > 0) {
        owner.refcnt--;
        k.changed();
      }
    };
    const mode = m.readU16(n.inode + BigInt(f['inode.i_mode']));
    let kf: KernelFile;
    try {
      kf = new KernelFile(k, { ops: fops, layout: fileOperationsLayout(f), inode: { mode, private: m.readU64(n.inode + BigInt(f['inode.i_private'])), size: e.size }, flags, opener, frames: READ_FRAMES });
      m.writeU64(kf.file + BigInt(f['file.f_path.dentry']), n.dentry);
      kf.open();
    } catch (err) {
      unpin();
      throw err;
    }
    const live = () => {
      if (e.removed) throw new KernelError(EIO);
    };
    return {
      read: (pos, len) => (live(), kf.read(pos, len)),
      write: (pos, data) => (live(), kf.write(pos, data)),
      release: () => {
        try {
          kf.release();
        } finally {
          unpin();
        }
      },
    };
  }

  /** The kernel's typed files: simple_attr (numbers), bool and blob. */
  function openTyped(e: KEntry, n: Node, t: Typed, opener: Opener): KOpenFile {
    const task = taskFor(opener);
    const value = () => m.readU64(n.inode + BigInt(f['inode.i_private']));
    let getBuf: Uint8Array | undefined;
    const slice = (b: Uint8Array, pos: number, len: number) => b.subarray(Math.min(pos, b.length), Math.min(pos + len, b.length));
    const live = () => {
      if (e.removed) throw new KernelError(EIO);
    };
    const file: KOpenFile = {
      read(pos, len) {
        live();
        if (t.kind === 'bool') {
          if (!t.get) throw new KernelError(EINVAL);
          let b = new Uint8Array(0);
          boolRead(task, () => void (b = enc.encode(m.readU8(value()) ? 'Y\n' : 'N\n')));
          return slice(b, pos, len);
        }
        if (t.kind === 'blob') {
          let b = new Uint8Array(0);
          blobRead(task, () => {
            const blob = value();
            const data = m.readU64(blob + BigInt(f['debugfs_blob_wrapper.data']));
            const size = Number(m.readU64(blob + BigInt(f['debugfs_blob_wrapper.size'])));
            if (pos < size) b = m.readBytes(data + BigInt(pos), Math.min(len, size - pos)).slice();
          });
          return b;
        }
        // simple_attr_read: a read past offset 0 continues from the last formatted value.
        if (!t.get) throw new KernelError(EACCES);
        if (!(pos && getBuf?.length)) {
          attrRead(task, () => {
            const raw = m.readUN(value(), t.size!);
            const v = t.signed ? BigInt.asIntN(t.size! * 8, raw) : raw;
            getBuf = enc.encode(t.format!(v)).subarray(0, 23);
          });
        }
        return slice(getBuf!, pos, len);
      },
      write(_pos, data) {
        live();
        if (t.kind === 'blob') throw new KernelError(EINVAL);
        if (t.kind === 'bool') {
          if (!t.set) throw new KernelError(EINVAL);
          // debugfs_write_file_bool: kstrtobool_from_user; a word it does not know changes
          // nothing, and the write still claims the whole count.
          const r = kstrtobool(data.subarray(0, 3));
          if (r.errno === undefined) boolWrite(task, () => m.writeU8(value(), r.value ? 1 : 0));
          return data.length;
        }
        if (!t.set) throw new KernelError(EACCES);
        const text = data.subarray(0, 23);
        const r = t.signed ? kstrtoll(text, 0) : kstrtoull(text, 0);
        if (r.errno !== undefined) throw new KernelError(r.errno);
        attrWrite(task, () => {
          const p = value();
          m.writeUN(p, t.size ?? 8, BigInt.asUintN(64, r.value));
        });
        return data.length;
      },
      release: () => k.sched.exitTask(task),
    };
    // simple_attr_open calls nonseekable_open; the bool and blob files keep default_llseek.
    if (t.kind === 'attr') file.nonseekable = true;
    return file;
  }

  k.exports.func('debugfs_initialized', () => 1);
  k.exports.func('debugfs_create_dir', createDir);
  const fileExport = (c: TrapContext) =>
    createFile(c, latin1.decode(m.readCString(c.arg(0), 256)), Number(c.arg(1) & 0xffffn), c.arg(2), c.arg(3), c.arg(4));
  k.exports.func('debugfs_create_file', fileExport);
  k.exports.func('debugfs_create_file_unsafe', fileExport);
  k.exports.func('debugfs_create_file_size', (c) => {
    const d = fileExport(c);
    const n = nodes.get(d);
    if (n) {
      n.entry.size = Number(BigInt.asIntN(64, c.arg(5)));
      m.writeU64(n.inode + BigInt(f['inode.i_size']), c.arg(5));
    }
  });

  // debugfs_create_mode_unsafe: no write bit makes the read-only fops, no read bit the
  // write-only ones (for the number files: get or set left NULL).
  const typedExport = (name: string, t: Omit<Typed, 'get' | 'set'>, modeMask = 0o7777) =>
    k.exports.func(name, (c) => {
      const mode = Number(c.arg(1) & 0xffffn) & modeMask;
      const get = (mode & 0o222) === 0 || (mode & 0o444) !== 0;
      const set = (mode & 0o222) !== 0;
      return createFile(c, latin1.decode(m.readCString(c.arg(0), 256)), mode, c.arg(2), c.arg(3), 0n, { ...t, get, set });
    });
  const number = (name: string, size: 1 | 2 | 4 | 8, format: (v: bigint) => string, signed = false) =>
    typedExport(name, { kind: 'attr', size, format, signed });
  number('debugfs_create_u8', 1, dec);
  number('debugfs_create_u16', 2, dec);
  number('debugfs_create_u32', 4, dec);
  number('debugfs_create_u64', 8, dec);
  number('debugfs_create_ulong', 8, dec);
  number('debugfs_create_size_t', 8, dec);
  number('debugfs_create_x8', 1, hex(2));
  number('debugfs_create_x16', 2, hex(4));
  number('debugfs_create_x32', 4, hex(8));
  number('debugfs_create_x64', 8, hex(16));
  number('debugfs_create_atomic_t', 4, (v) => `${v}\n`, true);
  typedExport('debugfs_create_bool', { kind: 'bool' });
  // debugfs_create_blob: read-only whatever the mode asked (mode & 0444).
  typedExport('debugfs_create_blob', { kind: 'blob' }, 0o444);

  // debugfs_remove (debugfs_remove_recursive is the same function in 6.1): the entry and all
  // below it; open descriptors fail with EIO from now on.
  const remove = (d: bigint) => {
    if (!d || isErr(d)) return;
    const n = nodes.get(d);
    if (!n || n === root) return;
    for (const e of n.entry.postorder()) {
      const en = e.data as Node | undefined;
      if (en) nodes.delete(en.dentry);
    }
    n.entry.remove();
  };
  k.exports.func('debugfs_remove', (c) => remove(c.arg(0)));
  k.exports.func('debugfs_lookup_and_remove', (c) => {
    const p = c.arg(1) ? nodes.get(c.arg(1)) : root;
    const e = p?.entry.children.get(latin1.decode(m.readCString(c.arg(0), 256)));
    if (e) remove((e.data as Node).dentry);
  });
  k.exports.func('debugfs_lookup', (c) => {
    if (!c.arg(0) || isErr(c.arg(0)) || isErr(c.arg(1))) return 0;
    const p = c.arg(1) ? nodes.get(c.arg(1)) : root;
    const e = p?.entry.children.get(latin1.decode(m.readCString(c.arg(0), 256)));
    return e ? (e.data as Node).dentry : 0;
  });
}
