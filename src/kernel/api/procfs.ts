// fs/proc/generic.c and fs/proc/inode.c as module code sees them: proc_create and friends add
// entries under /proc (k.files.proc, rendered by vfs/kfs-node.ts), and a file opened there runs the
// module's struct proc_ops on the CPU with a struct file and inode in kernel memory
// (kernel/file.ts). The rules that decide what a shell sees, each the 6.1 kernel's:
//  - mode 0 is 0444 for a file and 0555 for a directory; owner and group come from the parent;
//    st_size is 0 unless proc_set_size;
//  - a name already taken in its directory is a WARN ("proc_dir_entry 'DIR/NAME' already
//    registered", DIR being "/proc" at the top) and NULL;
//  - proc_create_single_data and proc_create_seq_private use the kernel's own proc_ops
//    (seq_read_iter, seq_lseek, single_release / seq_release[_private]);
//  - without ->proc_lseek the file cannot seek (proc_reg_open clears FMODE_LSEEK);
//  - removing an entry (proc_remove, remove_proc_entry, remove_proc_subtree) takes it out of the
//    tree at once, then calls ->proc_release for every descriptor still open (proc_entry_rundown):
//    their later reads and writes fail with EIO;
//  - an entry its module never removed stays listed after the module is gone, its proc_ops
//    pointing into freed module memory: opening it faults in proc_reg_open (an oops that kills
//    the opener), and a later proc_create of the same name WARNs as a duplicate. Nothing is
//    printed at unload.
import { EINVAL, EIO, ENOENT, KernelError } from '../errno.js';
import { KernelFile, procOpsLayout, type OpsLayout } from '../file.js';
import { kdir, kfile, ksymlink, type KEntry, type KOpenFile, type Opener } from '../kfs.js';
import type { Kernel } from '../kernel.js';
import { kernelWarn } from '../kernel-warn.js';
import type { Module } from '../module.js';
import type { TrapContext } from '../../cpu/types.js';
import { registerSeqFileApi, type SeqFileApi } from './seq-file.js';
import { OopsError } from './sched.js';
import { HungTask } from '../oops.js';

/** poll(2) of a file that has no ->poll: POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM. */
const DEFAULT_POLLMASK = 0x145;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IALLUGO = 0o7777;
const S_IRUGO = 0o444;
const S_IXUGO = 0o111;
/** SIZEOF_PDE for 6.1's struct proc_dir_entry: the object module code holds a pointer to. */
const PDE_SIZE = 192;

/** Where the real 6.1.0-56 build warns about a duplicate (measured on the real kernel). */
const DUP_SITE = { where: 'fs/proc/generic.c:400', fn: 'proc_register+0x19f/0x240' };
/** Other WARN sites of fs/proc/generic.c (line numbers of the source; offsets not measured). */
const NAME_SITE = { where: 'fs/proc/generic.c:175', fn: '__proc_create' };
const REMOVE_SITE = { where: 'fs/proc/generic.c:734', fn: 'remove_proc_entry' };
const NONEMPTY_SITE = { where: 'fs/proc/generic.c:740', fn: 'remove_proc_entry' };

/** The kernel path under a module's read handler (6.1.0-56), for oops call traces. */
const READ_FRAMES = ['proc_reg_read+0x56/0xa0', 'vfs_read+0xa5/0x310', 'ksys_read+0x6b/0xf0', 'do_syscall_64+0x5d/0xb0', 'entry_SYSCALL_64_after_hwframe+0x6e/0xd8'];

/** Names the emulated /proc itself has at the top (vfs/procfs.ts): module entries cannot take them. */
const FIXED_TOP = new Set(['kallsyms', 'modules', 'sys', 'version']);

interface Opened {
  file: KernelFile;
  closed: boolean;
}

/** A struct proc_dir_entry: the address module code holds, and what the kernel keeps for it. */
interface Pde {
  addr: bigint;
  name: string;
  entry: KEntry;
  parent: Pde | undefined;
  procOps: bigint;
  data: bigint;
  seqOps: bigint;
  stateSize: number;
  show: bigint;
  openers: Set<Opened>;
  owner: Module | undefined;
  /**
   * Callers that entered the module's handlers and never came back (an oops killed them): the
   * kernel's in_use count they took is never dropped, so removing the entry waits forever.
   */
  stuck: number;
}

export function registerProcfsApi(k: Kernel): void {
  const m = k.mem;
  const facts = k.identity.facts;
  const layout: OpsLayout = procOpsLayout(facts);
  const seq: SeqFileApi = registerSeqFileApi(k);
  const root: Pde = {
    addr: 0n,
    name: '/proc',
    entry: k.files.proc,
    parent: undefined,
    procOps: 0n,
    data: 0n,
    seqOps: 0n,
    stateSize: 0,
    show: 0n,
    openers: new Set(),
    owner: undefined,
    stuck: 0,
  };
  const byAddr = new Map<bigint, Pde>();
  const byEntry = new Map<KEntry, Pde>([[k.files.proc, root]]);
  /** The pde of each open file's inode (PDE(inode) for the kernel's own open/release). */
  const byInode = new Map<bigint, Pde>();

  const owner = (c: TrapContext) => k.modules.find((mod) => mod.containsAddress(c.returnAddress));
  const str = (p: bigint) => Buffer.from(m.readCString(p, 4096)).toString('latin1');
  const parentOf = (p: bigint): Pde | undefined => (p === 0n ? root : byAddr.get(p));

  // proc_reg_open reads members of the entry's proc_ops. A table in freed module memory faults
  // there, on the CPU, as the opener: that is the kernel's oops for a forgotten entry.
  k.exports.code('proc_reg_open', Uint8Array.of(0x48, 0x8b, 0x07, 0xc3)); // mov rax, [rdi]; ret
  const touch = k.exports.addressOf('proc_reg_open');
  const member = (pde: Pde, file: KernelFile, off: number): bigint => {
    if (off < 0 || pde.procOps === 0n) return 0n;
    const at = pde.procOps + BigInt(off);
    if (!m.isMapped(at)) file.call(touch, [at]);
    return m.readU64(at);
  };

  // The kernel's own proc_ops for single and seq entries.
  const hidden = (name: string, h: (c: TrapContext) => bigint | number | void) => k.exports.func(name, h, { hidden: true });
  const pdeOfInode = (inode: bigint) => {
    const pde = byInode.get(inode);
    if (!pde) throw new Error('procfs: an inode that no /proc entry opened');
    return pde;
  };
  hidden('proc_single_open', (c) => {
    const pde = pdeOfInode(c.arg(0));
    return seq.singleOpen((fn, args) => c.call(fn, args), c.arg(1), pde.show, pde.data);
  });
  hidden('proc_seq_open', (c) => {
    const pde = pdeOfInode(c.arg(0));
    return pde.stateSize ? seq.seqOpenPrivate(c.arg(1), pde.seqOps, pde.stateSize) : seq.seqOpen(c.arg(1), pde.seqOps);
  });
  hidden('proc_seq_release', (c) => {
    const pde = pdeOfInode(c.arg(0));
    return pde.stateSize ? seq.seqReleasePrivate(c.arg(1)) : c.call(seq.seqRelease, [c.arg(0), c.arg(1)]);
  });
  const table = (name: string, members: Partial<Record<keyof OpsLayout, bigint>>) => {
    k.exports.data(name, facts['proc_ops.size'], (a) => {
      for (const [key, fn] of Object.entries(members)) m.writeU64(a + BigInt(layout[key as keyof OpsLayout]), fn);
    });
    return k.exports.addressOf(name);
  };
  const singleOps = table('proc_single_ops', {
    open: k.exports.addressOf('proc_single_open'),
    readIter: seq.seqReadIter,
    llseek: seq.seqLseek,
    release: seq.singleRelease,
  });
  const seqOps = table('proc_seq_ops', {
    open: k.exports.addressOf('proc_seq_open'),
    readIter: seq.seqReadIter,
    llseek: seq.seqLseek,
    release: k.exports.addressOf('proc_seq_release'),
  });

  /** A call between use_pde and unuse_pde: an oops inside leaves the entry in use for good. */
  const inUse = <T>(pde: Pde, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof OopsError) pde.stuck++;
      throw e;
    }
  };

  /** The open(2) of a /proc file: proc_reg_open, then reads and writes through proc_reg_*. */
  const openFile = (pde: Pde, flags: number, opener: Opener): KOpenFile => {
    if (pde.entry.removed) throw new KernelError(ENOENT);
    const file = new KernelFile(k, {
      ops: pde.procOps,
      layout,
      inode: { mode: S_IFREG | pde.entry.mode, private: pde.data, size: pde.entry.size },
      flags,
      opener,
      frames: READ_FRAMES,
    });
    const rec: Opened = { file, closed: false };
    byInode.set(file.inode, pde);
    let lseek: bigint;
    try {
      lseek = inUse(pde, () => {
        member(pde, file, layout.release);
        const fn = member(pde, file, layout.llseek);
        if (!fn) m.writeU32(file.file + BigInt(facts['file.f_mode']), m.readU32(file.file + BigInt(facts['file.f_mode'])) & ~facts.FMODE_LSEEK);
        file.open();
        return fn;
      });
    } catch (e) {
      byInode.delete(file.inode);
      file.abandon();
      throw e;
    }
    pde.openers.add(rec);
    const live = () => {
      if (rec.closed || pde.entry.removed) throw new KernelError(EIO);
    };
    return {
      read(pos, len) {
        live();
        return inUse(pde, () => {
          // An entry with ->proc_read_iter reads through it alone (proc_iter_file_ops).
          const iter = member(pde, file, layout.readIter);
          if (iter === seq.seqReadIter) return file.read(pos, len, seq.seqRead);
          if (iter) throw new KernelError(EINVAL);
          const read = member(pde, file, layout.read);
          if (!read) throw new KernelError(EIO);
          return file.read(pos, len, read);
        });
      },
      write(pos, data) {
        live();
        return inUse(pde, () => {
          const write = member(pde, file, layout.write);
          if (!write) throw new KernelError(EIO);
          return file.write(pos, data, write);
        });
      },
      // proc_reg_unlocked_ioctl and proc_reg_poll: ENOTTY and DEFAULT_POLLMASK without a handler.
      ioctl(cmd, _arg, input, outSize) {
        live();
        return inUse(pde, () => {
          member(pde, file, layout.ioctl);
          return file.ioctl(cmd, input, outSize);
        });
      },
      poll() {
        if (rec.closed || pde.entry.removed) return DEFAULT_POLLMASK;
        return inUse(pde, () => {
          member(pde, file, layout.poll);
          const mask = file.poll();
          return mask < 0 ? DEFAULT_POLLMASK : mask;
        });
      },
      release: () => close(pde, rec),
      nonseekable: !lseek,
    };
  };

  /** close_pdeo: ->proc_release once, by whoever comes first (the last close or the removal). */
  const close = (pde: Pde, rec: Opened) => {
    if (rec.closed) return;
    rec.closed = true;
    pde.openers.delete(rec);
    try {
      member(pde, rec.file, layout.release);
      rec.file.release();
    } finally {
      byInode.delete(rec.file.inode);
    }
  };

  /** __xlate_proc_name: "a/b/name" under `dir` gives the directory of "a/b" and "name". */
  const xlate = (dir: Pde, name: string): [Pde, string] | undefined => {
    const parts = name.split('/');
    const last = parts.pop()!;
    let d = dir;
    for (const part of parts) {
      const next = d.entry.children.get(part);
      const pde = next && byEntry.get(next);
      if (!pde) return undefined;
      d = pde;
    }
    return [d, last];
  };

  /** __proc_create + proc_register: the new entry, or 0n after the kernel's warning. */
  const create = (c: TrapContext, nameAddr: bigint, parentAddr: bigint, make: (name: string) => KEntry, fill: (pde: Pde) => void): bigint => {
    const full = str(nameAddr);
    const parent = parentOf(parentAddr);
    if (!parent) return 0n;
    const x = xlate(parent, full);
    if (!x) {
      kernelWarn(k, NAME_SITE, `name '${full}'`, c.returnAddress);
      return 0n;
    }
    const [dir, name] = x;
    if (name.length === 0 || name.length >= 256) {
      kernelWarn(k, NAME_SITE, `name len ${name.length}`, c.returnAddress);
      return 0n;
    }
    if (name === '.' || name === '..') {
      kernelWarn(k, NAME_SITE, `name '${name}'`, c.returnAddress);
      return 0n;
    }
    if (dir === root && /^(0|[1-9][0-9]{0,9})$/.test(name) && Number(name) < 0xffffffff) {
      kernelWarn(k, NAME_SITE, `create '/proc/${name}' by hand`, c.returnAddress);
      return 0n;
    }
    const entry = make(name);
    entry.uid = dir.entry.uid;
    entry.gid = dir.entry.gid;
    entry.owner = owner(c);
    entry.rootOverride = true;
    if (dir.entry.children.has(name) || (dir === root && FIXED_TOP.has(name))) {
      kernelWarn(k, DUP_SITE, `proc_dir_entry '${dir.name}/${name}' already registered`, c.returnAddress);
      return 0n;
    }
    const addr = k.kmalloc(PDE_SIZE);
    if (!addr) return 0n;
    const pde: Pde = { addr, name, entry, parent: dir, procOps: 0n, data: 0n, seqOps: 0n, stateSize: 0, show: 0n, openers: new Set(), owner: entry.owner, stuck: 0 };
    fill(pde);
    if (entry.kind === 'file') entry.ops = { open: (flags, opener) => openFile(pde, flags, opener) };
    byAddr.set(addr, pde);
    byEntry.set(entry, pde);
    dir.entry.add(entry);
    return addr;
  };

  /** proc_create_reg: the file mode the kernel makes of `mode` (0 for a refused one). */
  const fileMode = (mode: number): number => {
    if ((mode & S_IFMT) === 0) mode |= S_IFREG;
    if ((mode & S_IALLUGO) === 0) mode |= S_IRUGO;
    return (mode & S_IFMT) === S_IFREG ? mode & S_IALLUGO : -1;
  };
  const createFile = (c: TrapContext, name: bigint, modeIn: bigint, parent: bigint, fill: (pde: Pde) => void): bigint => {
    const mode = fileMode(Number(modeIn & 0xffffn));
    if (mode < 0) return 0n;
    return create(c, name, parent, (n) => kfile(n, mode, { open: () => { throw new KernelError(ENOENT); } }), fill);
  };

  const f = (name: string, h: (c: TrapContext) => bigint | number | void) => k.exports.func(name, h);
  f('proc_create_data', (c) => createFile(c, c.arg(0), c.arg(1), c.arg(2), (p) => ((p.procOps = c.arg(3)), (p.data = c.arg(4)))));
  f('proc_create', (c) => createFile(c, c.arg(0), c.arg(1), c.arg(2), (p) => (p.procOps = c.arg(3))));
  f('proc_create_seq_private', (c) =>
    createFile(c, c.arg(0), c.arg(1), c.arg(2), (p) => {
      p.procOps = seqOps;
      p.seqOps = c.arg(3);
      p.stateSize = Number(BigInt.asUintN(32, c.arg(4)));
      p.data = c.arg(5);
    }),
  );
  f('proc_create_single_data', (c) =>
    createFile(c, c.arg(0), c.arg(1), c.arg(2), (p) => {
      p.procOps = singleOps;
      p.show = c.arg(3);
      p.data = c.arg(4);
    }),
  );
  const mkdir = (c: TrapContext, name: bigint, modeIn: number, parent: bigint, data: bigint) => {
    // _proc_mkdir: only a mode of exactly 0 becomes 0555.
    const mode = modeIn === 0 ? S_IRUGO | S_IXUGO : modeIn & S_IALLUGO;
    return create(c, name, parent, (n) => kdir(n, mode), (p) => (p.data = data));
  };
  f('proc_mkdir', (c) => mkdir(c, c.arg(0), 0, c.arg(1), 0n));
  f('proc_mkdir_mode', (c) => mkdir(c, c.arg(0), Number(c.arg(1) & 0xffffn), c.arg(2), 0n));
  f('proc_mkdir_data', (c) => mkdir(c, c.arg(0), Number(c.arg(1) & 0xffffn), c.arg(2), c.arg(3)));
  f('_proc_mkdir', (c) => mkdir(c, c.arg(0), Number(c.arg(1) & 0xffffn), c.arg(2), c.arg(3)));
  f('proc_symlink', (c) => {
    const dest = c.arg(2) ? str(c.arg(2)) : '';
    return create(c, c.arg(0), c.arg(1), (n) => ksymlink(n, dest), () => {});
  });

  f('proc_set_size', (c) => {
    const pde = byAddr.get(c.arg(0));
    if (pde) pde.entry.size = Number(BigInt.asIntN(64, c.arg(1)));
  });
  // kuid_t and kgid_t are one-member structs: passed by value in a register each.
  f('proc_set_user', (c) => {
    const pde = byAddr.get(c.arg(0));
    if (!pde) return;
    pde.entry.uid = Number(BigInt.asUintN(32, c.arg(1)));
    pde.entry.gid = Number(BigInt.asUintN(32, c.arg(2)));
  });
  f('proc_get_parent_data', (c) => pdeOfInode(c.arg(0)).parent?.data ?? 0n);

  /**
   * Out of the tree, then every descriptor's ->proc_release (proc_entry_rundown), then freed.
   * The rundown first waits for the callers inside the module's handlers; one an oops killed
   * never leaves, so the removal (and the rmmod that asked for it) sleeps forever: modfs reports
   * the hung task at once and ends the call, as it does for a lock that is never released.
   */
  const erase = (c: TrapContext, pde: Pde) => {
    pde.entry.remove();
    const gone = [...pde.entry.postorder()].map((e) => byEntry.get(e)).filter((p): p is Pde => !!p);
    for (const p of gone) {
      if (p.stuck) {
        const caller = k.symbolize(c.returnAddress) ?? `0x${c.returnAddress.toString(16)}`;
        throw new HungTask(
          `proc_entry_rundown of /proc/${p.entry.path()} waits for ${p.stuck} caller(s) an oops killed inside its handlers`,
          ['wait_for_completion', 'proc_entry_rundown', 'remove_proc_subtree', caller],
        );
      }
      for (const rec of [...p.openers]) {
        try {
          close(p, rec);
        } catch {
          /* an oops in ->proc_release is already reported; the removal goes on */
        }
      }
      byEntry.delete(p.entry);
      byAddr.delete(p.addr);
      k.kfree(p.addr);
    }
  };

  const find = (nameAddr: bigint, parentAddr: bigint): { dir: Pde; name: string; pde: Pde | undefined } | undefined => {
    const parent = parentOf(parentAddr);
    if (!parent) return undefined;
    const x = xlate(parent, str(nameAddr));
    if (!x) return undefined;
    const [dir, name] = x;
    const e = dir.entry.children.get(name);
    return { dir, name, pde: e && byEntry.get(e) };
  };
  f('remove_proc_entry', (c) => {
    const r = find(c.arg(0), c.arg(1));
    if (!r) return;
    if (!r.pde) {
      kernelWarn(k, REMOVE_SITE, `name '${str(c.arg(0))}'`, c.returnAddress);
      return;
    }
    const first = r.pde.entry.children.keys().next();
    if (!first.done) {
      kernelWarn(k, NONEMPTY_SITE, `remove_proc_entry: removing non-empty directory '${r.dir.name}/${r.name}', leaking at least '${first.value}'`, c.returnAddress);
    }
    erase(c, r.pde);
  });
  f('remove_proc_subtree', (c) => {
    const r = find(c.arg(0), c.arg(1));
    if (!r?.pde) return -ENOENT;
    erase(c, r.pde);
    return 0;
  });
  f('proc_remove', (c) => {
    const pde = byAddr.get(c.arg(0));
    if (pde) erase(c, pde);
  });
  // A module that forgot its entries leaves them in place: no moduleFreeHooks entry, nothing
  // printed; their proc_ops now point into freed memory (see member()).
}
