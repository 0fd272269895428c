// One FUSE connection's requests, translated into Kernfs calls (vfs/kernfs.ts holds the rules;
// this file only decodes, calls and encodes). Requests are answered in any order: a read that
// waits (/dev/kmsg, module code running in slices) stays pending while others are answered, and
// FUSE_INTERRUPT for it makes its handle give up at once.

import { Kernfs } from '../vfs/kernfs.js';
import type { Attr } from '../vfs/attr.js';
import { sizeIsLive } from '../vfs/attr.js';
import { FsError, type Caller, type DirNode } from '../vfs/node.js';
import type { FuseDevice } from './device.js';
import { E, errnoOf } from './errno.js';
import { Inode, InodeTable } from './inodes.js';
import { Invalidator, listingKey, pollWakeupMessage } from './invalidate.js';
import {
  DIRENT, DT, ENTRY_OUT, Fattr, Fopen, FUSE_KERNEL_MINOR, FUSE_KERNEL_VERSION, IN_HEADER, Init, INIT_OUT, IOCTL_OUT,
  OP_NAMES, OPEN_OUT, OUT_HEADER, Op, POLL_OUT, POLL_SCHEDULE_NOTIFY, S_IFMT, S_IFDIR, S_IFLNK, STATFS_OUT, WRITE_OUT,
} from './protocol.js';
import {
  answer, attrAnswer, direntSize, entryAnswer, errorAnswer, nameAt, parseRequest, putDirent, putEntry, u64,
  type Request, type Validity,
} from './wire.js';

export interface SessionOptions {
  /** Kernel dentry and attribute cache lifetimes, seconds. Changes are notified (invalidate.ts). */
  entryTimeout: number;
  attrTimeout: number;
  /** Largest WRITE the kernel may send (bounded by the read buffer, see device.ts). */
  maxWrite: number;
  /** One line per request on stderr. */
  debug?: boolean;
}

/** Flags we ask for at INIT (the kernel grants those it has). */
const WANT_FLAGS =
  Init.ASYNC_READ | Init.ATOMIC_O_TRUNC | Init.BIG_WRITES | Init.DO_READDIRPLUS | Init.READDIRPLUS_AUTO | Init.PARALLEL_DIROPS | Init.CACHE_SYMLINKS;

/** Requests whose answers may wait for notifications: they hold no directory lock. */
const MAY_WAIT = new Set<number>([Op.WRITE, Op.FLUSH, Op.IOCTL, Op.READ, Op.RELEASE, Op.FSYNC, Op.POLL]);

/** Opcodes counted in an array (the rest, CUSE_INIT and any future one, in a Map). */
const COUNTED = 64;

const EOPNOTSUPP = 95;

interface Pending {
  fh: number;
}

export class Session {
  readonly kernfs: Kernfs;
  readonly inodes: InodeTable;
  readonly inval: Invalidator;
  private readonly pending = new Map<number, Pending>();
  private readonly valid: Validity;
  private readonly time = Math.floor(Date.now() / 1000);
  private minor = 0;
  /**
   * The kernel opens directories without asking (FUSE_NO_OPENDIR_SUPPORT, Linux >= 5.1): OPENDIR
   * is answered ENOSYS once, and from then on no OPENDIR or RELEASEDIR is sent, which saves two
   * requests per directory open (kmod's lsmod opens two directories per module). READDIR then
   * lists the live children from the offset, as kernfs's readdir walks the live list.
   */
  private zeroMessageOpendir = false;
  /** Counts per opcode, for the benchmark's requests-per-`cat` figure. */
  private readonly opCounts = new Float64Array(COUNTED);
  private readonly otherCounts = new Map<number, number>();
  onDestroy?: () => void;

  constructor(
    root: DirNode,
    private readonly dev: FuseDevice,
    private readonly opts: SessionOptions,
  ) {
    this.kernfs = new Kernfs(root);
    this.inval = new Invalidator(() => this.inodes, dev);
    this.inodes = new InodeTable(root, { added: (i) => this.inval.added(i) });
    this.valid = { entry: opts.entryTimeout, attr: opts.attrTimeout };
  }

  /** Requests seen, by opcode. */
  get counts(): Map<number, number> {
    const m = new Map<number, number>();
    this.opCounts.forEach((n, op) => n && m.set(op, n));
    for (const [op, n] of this.otherCounts) m.set(op, n);
    return m;
  }

  /**
   * One request: the first `len` bytes of `buf`, which are valid only during the call (the
   * device reads the next request into the same buffer). Never throws.
   */
  handle(buf: Buffer, len = buf.length): void {
    const req = parseRequest(buf, len);
    if (!req) {
      process.stderr.write(`modfs fuse: dropped a malformed request of ${len} bytes\n`);
      return;
    }
    if (req.opcode < COUNTED) this.opCounts[req.opcode]++;
    else this.otherCounts.set(req.opcode, (this.otherCounts.get(req.opcode) ?? 0) + 1);
    if (this.opts.debug) process.stderr.write(`fuse: ${OP_NAMES[req.opcode] ?? req.opcode} #${req.unique} node ${req.nodeid} pid ${req.pid} uid ${req.uid}\n`);
    try {
      this.dispatch(req);
    } catch (e) {
      this.fail(req, errnoOf(e, `${OP_NAMES[req.opcode] ?? req.opcode} node ${req.nodeid}`));
    }
  }

  private send(req: Request, out: Buffer, data?: Uint8Array): void {
    this.dev.send(out, data);
    void req;
  }

  private fail(req: Request, errno: number): void {
    if (req.opcode === Op.FORGET || req.opcode === Op.BATCH_FORGET || req.opcode === Op.INTERRUPT) return;
    this.send(req, errorAnswer(req.unique, errno));
  }

  private ok(req: Request): void {
    this.send(req, answer(req.unique, 0));
  }

  /**
   * Finish a request whose result may come later. A pending one is remembered for INTERRUPT;
   * answers of requests that hold no directory lock wait until the kernel has applied the
   * notifications their work made necessary (see invalidate.ts).
   */
  private settle<T>(req: Request, fh: number, value: T | Promise<T>, encode: (v: T) => [Buffer, Uint8Array?]): void {
    if (!(value instanceof Promise) && !(this.inval.pending && MAY_WAIT.has(req.opcode))) {
      // The common case, answered at once: no closures.
      let out: [Buffer, Uint8Array?];
      try {
        out = encode(value);
      } catch (e) {
        return this.fail(req, errnoOf(e, `${OP_NAMES[req.opcode]} answer`));
      }
      return this.send(req, out[0], out[1]);
    }
    const done = (v: T): void => {
      let out: [Buffer, Uint8Array?];
      try {
        out = encode(v);
      } catch (e) {
        return finish(() => this.fail(req, errnoOf(e, `${OP_NAMES[req.opcode]} answer`)));
      }
      finish(() => this.send(req, out[0], out[1]));
    };
    const finish = (send: () => void): void => {
      this.pending.delete(req.unique);
      if (MAY_WAIT.has(req.opcode) && this.inval.pending) void this.inval.flushBounded().then(send);
      else send();
    };
    if (value instanceof Promise) {
      this.pending.set(req.unique, { fh });
      value.then(done, (e: unknown) => finish(() => this.fail(req, errnoOf(e, `${OP_NAMES[req.opcode]} node ${req.nodeid}`))));
    } else {
      done(value);
    }
  }

  private inode(nodeid: number): Inode {
    const ino = this.inodes.get(nodeid);
    if (!ino || ino.stale) throw new FsError(E.ENOENT);
    return ino;
  }

  private caller(req: Request): Caller {
    return { uid: req.uid, gid: req.gid, pid: req.pid };
  }

  private attrOf(ino: Inode): Attr {
    const a = this.kernfs.attr(ino.node);
    if (ino.node.kind === 'dir') ino.nlinkTold = a.nlink;
    return a;
  }

  private attrValid(ino: Inode): number {
    return sizeIsLive(ino.node) ? 0 : this.valid.attr;
  }

  private entry(req: Request, ino: Inode): Buffer {
    const a = this.attrOf(ino);
    ino.nlookup++;
    const v = sizeIsLive(ino.node) ? { entry: this.valid.entry, attr: 0 } : this.valid;
    return entryAnswer(req.unique, ino.nodeid, 0, a, v, this.time);
  }

  private dispatch(req: Request): void {
    const b = req.buf;
    const H = IN_HEADER;
    switch (req.opcode) {
      case Op.INIT:
        return this.init(req);
      case Op.LOOKUP: {
        const parent = this.inode(req.nodeid);
        if (parent.node.kind !== 'dir') throw new FsError(E.ENOTDIR);
        const name = nameAt(req);
        const node = parent.node.children().get(name);
        if (!node) throw new FsError(E.ENOENT);
        return this.send(req, this.entry(req, this.inodes.child(parent, name, node)));
      }
      case Op.FORGET: {
        const ino = this.inodes.get(req.nodeid);
        if (ino) this.inodes.forget(ino, u64(b, H));
        return;
      }
      case Op.BATCH_FORGET: {
        const count = b.readUInt32LE(H);
        for (let i = 0, off = H + 8; i < count && off + 16 <= req.len; i++, off += 16) {
          const ino = this.inodes.get(u64(b, off));
          if (ino) this.inodes.forget(ino, u64(b, off + 8));
        }
        return;
      }
      case Op.GETATTR: {
        // fstat(2) of a descriptor whose file was removed still answers, as for any inode.
        const ino = this.inodes.get(req.nodeid) ?? this.inode(req.nodeid);
        return this.send(req, attrAnswer(req.unique, ino.nodeid, this.attrOf(ino), this.attrValid(ino), this.time));
      }
      case Op.SETATTR:
        return this.setattr(req);
      case Op.READLINK: {
        const target = this.kernfs.readlink(this.inode(req.nodeid).node);
        return this.send(req, answer(req.unique, 0), Buffer.from(target, 'latin1'));
      }
      case Op.OPEN: {
        const ino = this.inode(req.nodeid);
        const o = this.kernfs.open(ino.node, b.readUInt32LE(H), this.caller(req));
        // direct_io: every read reaches the tree, so a value changed inside the daemon is never
        // served stale from the page cache. No flush step: close(2) costs no FLUSH request.
        let flags = o.directIo ? Fopen.DIRECT_IO : 0;
        if (!o.flushes) flags |= Fopen.NOFLUSH;
        if (o.nonseekable) flags |= Fopen.NONSEEKABLE;
        const out = answer(req.unique, OPEN_OUT);
        out.writeUInt32LE(o.fh, OUT_HEADER);
        out.writeUInt32LE(flags, OUT_HEADER + 8);
        return this.send(req, out);
      }
      case Op.READ: {
        const fh = u64(b, H);
        const pos = u64(b, H + 8);
        const size = b.readUInt32LE(H + 16);
        const data = this.kernfs.read(fh, pos, size, this.caller(req));
        if (!(data instanceof Promise) && !this.inval.pending) {
          return this.send(req, answer(req.unique, 0), data.length > size ? data.subarray(0, size) : data);
        }
        return this.settle(req, fh, data, (d) => [answer(req.unique, 0), d.length > size ? d.subarray(0, size) : d]);
      }
      case Op.WRITE: {
        const fh = u64(b, H);
        const pos = u64(b, H + 8);
        const size = b.readUInt32LE(H + 16);
        const at = H + 40;
        if (at + size > req.len) throw new FsError(E.EINVAL);
        // A copy: the handle may keep the bytes (an image arriving in pieces, a write that waits)
        // and the read buffer holds the next request soon.
        const n = this.kernfs.write(fh, pos, Buffer.from(b.subarray(at, at + size)), this.caller(req));
        return this.settle(req, fh, n, (v) => {
          const out = answer(req.unique, WRITE_OUT);
          out.writeUInt32LE(v, OUT_HEADER);
          return [out];
        });
      }
      case Op.STATFS: {
        const s = this.kernfs.statfs();
        const out = answer(req.unique, STATFS_OUT);
        const o = OUT_HEADER;
        out.writeBigUInt64LE(BigInt(s.blocks), o);
        out.writeBigUInt64LE(BigInt(s.bfree), o + 8);
        out.writeBigUInt64LE(BigInt(s.bavail), o + 16);
        out.writeBigUInt64LE(BigInt(s.files), o + 24);
        out.writeBigUInt64LE(BigInt(s.ffree), o + 32);
        out.writeUInt32LE(s.bsize, o + 40);
        out.writeUInt32LE(s.namemax, o + 44);
        out.writeUInt32LE(s.frsize, o + 48);
        return this.send(req, out);
      }
      case Op.RELEASE:
        this.kernfs.release(u64(b, H));
        return this.ok(req);
      case Op.FLUSH: {
        const fh = u64(b, H);
        return this.settle(req, fh, this.kernfs.flush(fh), () => [answer(req.unique, 0)]);
      }
      case Op.FSYNC:
      case Op.FSYNCDIR:
        return this.ok(req);
      case Op.OPENDIR: {
        if (this.zeroMessageOpendir) {
          const node = this.inode(req.nodeid).node;
          if (node.kind !== 'dir') throw new FsError(E.ENOTDIR);
          return this.fail(req, E.ENOSYS);
        }
        const fh = this.kernfs.opendir(this.inode(req.nodeid).node);
        const out = answer(req.unique, OPEN_OUT);
        out.writeUInt32LE(fh, OUT_HEADER);
        return this.send(req, out);
      }
      case Op.READDIR:
      case Op.READDIRPLUS:
        return this.readdir(req, req.opcode === Op.READDIRPLUS);
      case Op.RELEASEDIR:
        this.kernfs.releasedir(u64(b, H));
        return this.ok(req);
      case Op.ACCESS:
        this.kernfs.access(this.inode(req.nodeid).node, b.readUInt32LE(H), this.caller(req));
        return this.ok(req);
      case Op.CREATE:
      case Op.MKNOD:
        this.inode(req.nodeid);
        return this.kernfs.create();
      case Op.MKDIR:
      case Op.SYMLINK:
      case Op.LINK:
        this.inode(req.nodeid);
        return this.kernfs.refuse();
      case Op.UNLINK:
      case Op.RMDIR:
      case Op.RENAME:
      case Op.RENAME2: {
        // The name must exist (ENOENT first, as the VFS looks it up before asking).
        const parent = this.inode(req.nodeid);
        const name = nameAt(req, req.opcode === Op.RENAME ? H + 8 : req.opcode === Op.RENAME2 ? H + 16 : H);
        const node = parent.node.kind === 'dir' ? parent.node.children().get(name) : undefined;
        if (!node) throw new FsError(E.ENOENT);
        return this.kernfs.refuse(node);
      }
      case Op.SETXATTR:
      case Op.GETXATTR:
      case Op.LISTXATTR:
      case Op.REMOVEXATTR:
        // No extended attributes, like sysfs without security labels. ENOSYS, not EOPNOTSUPP:
        // the kernel then stops asking (fc->no_getxattr...) and tells callers EOPNOTSUPP itself,
        // which vi's ACL copy accepts; otherwise every write(2) costs a GETXATTR of
        // security.capability (file_remove_privs).
        return this.fail(req, E.ENOSYS);
      case Op.INTERRUPT: {
        const p = this.pending.get(u64(b, H));
        if (p) this.kernfs.interrupt(p.fh);
        return;
      }
      case Op.DESTROY:
        this.ok(req);
        this.onDestroy?.();
        return;
      case Op.IOCTL:
        return this.ioctl(req);
      case Op.POLL: {
        const fh = u64(b, H);
        const kh = b.readBigUInt64LE(H + 8);
        const flags = b.readUInt32LE(H + 16);
        const events = b.readUInt32LE(H + 20);
        let woken = false;
        const wake = (): void => {
          if (woken || !(flags & POLL_SCHEDULE_NOTIFY)) return;
          woken = true;
          void this.dev.notify(pollWakeupMessage(kh));
        };
        const revents = this.kernfs.poll(fh, events, wake);
        const out = answer(req.unique, POLL_OUT);
        out.writeUInt32LE(revents >>> 0, OUT_HEADER);
        return this.send(req, out);
      }
      case Op.NOTIFY_REPLY:
        return;
      case Op.FALLOCATE:
        return this.fail(req, EOPNOTSUPP);
      default:
        // LSEEK, locks, BMAP, COPY_FILE_RANGE...: ENOSYS makes the kernel do them itself.
        return this.fail(req, E.ENOSYS);
    }
  }

  private init(req: Request): void {
    const b = req.buf;
    const major = b.readUInt32LE(IN_HEADER);
    const minor = b.readUInt32LE(IN_HEADER + 4);
    const maxReadahead = b.readUInt32LE(IN_HEADER + 8);
    const offered = b.readUInt32LE(IN_HEADER + 12);
    if (major !== FUSE_KERNEL_VERSION) {
      // A newer major: answer ours alone, and the kernel asks again or gives up.
      const out = answer(req.unique, 8);
      out.writeUInt32LE(FUSE_KERNEL_VERSION, OUT_HEADER);
      out.writeUInt32LE(FUSE_KERNEL_MINOR, OUT_HEADER + 4);
      return this.send(req, out);
    }
    this.minor = Math.min(minor, FUSE_KERNEL_MINOR);
    this.zeroMessageOpendir = (offered & Init.NO_OPENDIR_SUPPORT) !== 0;
    // Kernels before 7.23 expect the 24-byte answer.
    const size = this.minor < 23 ? 24 : INIT_OUT;
    const out = answer(req.unique, size);
    const o = OUT_HEADER;
    out.writeUInt32LE(FUSE_KERNEL_VERSION, o);
    out.writeUInt32LE(FUSE_KERNEL_MINOR, o + 4);
    out.writeUInt32LE(maxReadahead, o + 8);
    out.writeUInt32LE((offered & WANT_FLAGS) >>> 0, o + 12);
    out.writeUInt16LE(64, o + 16); // max_background: releases and async reads in flight
    out.writeUInt16LE(48, o + 18); // congestion_threshold
    out.writeUInt32LE(this.opts.maxWrite, o + 20);
    if (size > 24) out.writeUInt32LE(1, o + 24); // time_gran: 1 ns
    this.send(req, out);
  }

  private setattr(req: Request): void {
    const b = req.buf;
    const H = IN_HEADER;
    const ino = this.inode(req.nodeid);
    const valid = b.readUInt32LE(H);
    const fh = valid & Fattr.FH ? u64(b, H + 8) : undefined;
    const ch: { mode?: number; uid?: number; gid?: number; size?: number } = {};
    if (valid & Fattr.SIZE) ch.size = u64(b, H + 16);
    if (valid & Fattr.MODE) ch.mode = b.readUInt32LE(H + 68);
    if (valid & Fattr.UID) ch.uid = b.readUInt32LE(H + 76);
    if (valid & Fattr.GID) ch.gid = b.readUInt32LE(H + 80);
    // Times (touch) are accepted and not kept: kernfs files show the mount's times.
    const a = this.kernfs.setattr(ino.node, ch, fh);
    if (ino.node.kind === 'dir') ino.nlinkTold = a.nlink;
    this.send(req, attrAnswer(req.unique, ino.nodeid, a, this.attrValid(ino), this.time));
  }

  private readdir(req: Request, plus: boolean): void {
    const b = req.buf;
    const dirIno = this.inode(req.nodeid);
    const fh = u64(b, IN_HEADER);
    const offset = u64(b, IN_HEADER + 8);
    const size = b.readUInt32LE(IN_HEADER + 16);
    const list = fh === 0 ? this.kernfs.listing(dirIno.node) : this.kernfs.entries(fh);
    dirIno.listed = listingKey(list.map(([n]) => n));
    const out = answer(req.unique, size);
    let at = OUT_HEADER;
    const total = list.length + 2;
    for (let i = offset; i < total; i++) {
      const dots = i < 2;
      const name = dots ? (i === 0 ? '.' : '..') : list[i - 2][0];
      const bytes = Buffer.from(name, 'latin1');
      const need = direntSize(bytes.length, plus);
      if (at + need > out.length) break;
      let ino: Inode | undefined;
      let type: number;
      if (dots) {
        ino = i === 0 ? dirIno : (dirIno.parent ?? dirIno);
        type = DT.DIR;
      } else {
        ino = this.inodes.child(dirIno, name, list[i - 2][1]);
        const k = ino.node.kind;
        type = k === 'dir' ? DT.DIR : k === 'symlink' ? DT.LNK : DT.REG;
      }
      if (plus) {
        // An entry with attributes counts as a lookup the kernel will FORGET; "." and ".." are
        // never linked by the kernel, so they carry node id 0.
        if (!dots) {
          const a = this.attrOf(ino);
          ino.nlookup++;
          const v = sizeIsLive(ino.node) ? { entry: this.valid.entry, attr: 0 } : this.valid;
          putEntry(out, at, ino.nodeid, 0, a, v, this.time);
        }
        putDirent(out, at + ENTRY_OUT, ino.nodeid, i + 1, type, bytes);
      } else {
        putDirent(out, at, ino.nodeid, i + 1, type, bytes);
      }
      at += need;
    }
    out.writeUInt32LE(at, 0);
    this.send(req, out.subarray(0, at));
  }

  private ioctl(req: Request): void {
    const b = req.buf;
    const H = IN_HEADER;
    const fh = u64(b, H);
    const cmd = b.readUInt32LE(H + 12);
    const arg = b.readBigUInt64LE(H + 16);
    const inSize = b.readUInt32LE(H + 24);
    const outSize = b.readUInt32LE(H + 28);
    const input = Buffer.from(b.subarray(H + 32, Math.min(req.len, H + 32 + inSize)));
    const r = this.kernfs.ioctl(fh, cmd, arg, input, outSize, this.caller(req));
    this.settle(req, fh, r, (v) => {
      const data = v.out ? v.out.subarray(0, outSize) : undefined;
      const out = answer(req.unique, IOCTL_OUT);
      out.writeInt32LE(v.result | 0, OUT_HEADER);
      return [out, data];
    });
  }
}

// Re-exported for the tests of the wire format.
export { DIRENT, S_IFMT, S_IFDIR, S_IFLNK };
