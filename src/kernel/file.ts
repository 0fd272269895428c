// struct file and struct inode for a file opened through the tree, and the calls into a module's
// operations table on them (struct file_operations, or struct proc_ops for /proc entries). The
// objects live in kernel memory at the offsets of the emulated build (identity facts), because
// module code reads them directly: file->private_data, inode->i_private (pde_data),
// iminor(inode), container_of(inode->i_cdev, ...), file->f_pos.
//
// Each call runs to completion (sched.call) as a task standing for the caller (its pid, comm and
// credentials in `current`), with the caller's buffer in user memory (uaccess.ts). A fault or a
// lockup in module code is reported as an oops and ends the call with OopsError.
import { readFileSync } from 'node:fs';
import { EINVAL, KernelError } from './errno.js';
import type { ProbeFacts } from './identity/probe-fields.js';
import type { Kernel } from './kernel.js';
import type { Opener } from './kfs.js';
import type { Task } from './api/sched.js';

/** Byte offsets of the members a file's operations table may fill (-1: the table has none). */
export interface OpsLayout {
  open: number;
  read: number;
  write: number;
  llseek: number;
  release: number;
  poll: number;
  ioctl: number;
  readIter: number;
}

export function fileOperationsLayout(f: ProbeFacts): OpsLayout {
  return {
    open: f['file_operations.open'],
    read: f['file_operations.read'],
    write: f['file_operations.write'],
    llseek: f['file_operations.llseek'],
    release: f['file_operations.release'],
    poll: f['file_operations.poll'],
    ioctl: f['file_operations.unlocked_ioctl'],
    readIter: f['file_operations.read_iter'],
  };
}

export function procOpsLayout(f: ProbeFacts): OpsLayout {
  return {
    open: f['proc_ops.proc_open'],
    read: f['proc_ops.proc_read'],
    write: f['proc_ops.proc_write'],
    llseek: f['proc_ops.proc_lseek'],
    release: f['proc_ops.proc_release'],
    poll: f['proc_ops.proc_poll'],
    ioctl: f['proc_ops.proc_ioctl'],
    readIter: f['proc_ops.proc_read_iter'],
  };
}

/** What the inode of the opened file holds. */
export interface InodeInit {
  /** st_mode with the file type (S_IFREG | 0644, S_IFCHR | 0600). */
  mode: number;
  /** dev_t in the kernel's encoding (MAJOR << MINORBITS | MINOR), for character devices. */
  rdev?: number;
  /** i_private: pde_data() for /proc entries, the debugfs data pointer. */
  private?: bigint;
  /** i_cdev: the struct cdev the device number maps to. */
  cdev?: bigint;
  ino?: number;
  size?: number;
}

export interface FileInit {
  /** Address of the operations table in kernel or module memory. */
  ops: bigint;
  layout: OpsLayout;
  inode: InodeInit;
  /** open(2) flags. */
  flags: number;
  opener: Opener;
  /** Kernel frames under the module's handler, for oops call traces (innermost first). */
  frames?: readonly string[];
}

const O_ACCMODE = 3;

/** The comm of a process of this machine (the FUSE caller), for `current->comm`. */
export function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').replace(/\n$/, '') || 'modfs';
  } catch {
    return 'modfs';
  }
}

/** An open file: struct file + struct inode in kernel memory, and the task of its opener. */
export class KernelFile {
  readonly file: bigint;
  readonly inode: bigint;
  readonly task: Task;
  private released = false;

  constructor(
    private readonly k: Kernel,
    readonly init: FileInit,
  ) {
    const f = k.identity.facts;
    const m = k.mem;
    this.task = k.sched.newTask(commOf(init.opener.pid), init.frames ?? [], { uid: init.opener.uid, gid: init.opener.gid }, init.opener.pid || undefined);
    this.inode = k.kmalloc(f['inode.size']);
    this.file = k.kmalloc(f['file.size']);
    if (!this.inode || !this.file) throw new KernelError(12);
    const i = this.inode;
    m.writeU16(i + BigInt(f['inode.i_mode']), init.inode.mode & 0xffff);
    m.writeU32(i + BigInt(f['inode.i_uid']), 0);
    m.writeU32(i + BigInt(f['inode.i_gid']), 0);
    m.writeU32(i + BigInt(f['inode.i_rdev']), init.inode.rdev ?? 0);
    m.writeU64(i + BigInt(f['inode.i_size']), BigInt(init.inode.size ?? 0));
    m.writeU64(i + BigInt(f['inode.i_ino']), BigInt(init.inode.ino ?? 0));
    m.writeU64(i + BigInt(f['inode.i_private']), init.inode.private ?? 0n);
    m.writeU64(i + BigInt(f['inode.i_cdev']), init.inode.cdev ?? 0n);
    const fl = this.file;
    const acc = init.flags & O_ACCMODE;
    // do_dentry_open: FMODE_READ/WRITE from the access mode, and lseek/pread/pwrite allowed.
    let fmode = f.FMODE_LSEEK | f.FMODE_PREAD | f.FMODE_PWRITE;
    if (acc === 0 || acc === 2) fmode |= f.FMODE_READ;
    if (acc === 1 || acc === 2) fmode |= f.FMODE_WRITE;
    m.writeU32(fl + BigInt(f['file.f_mode']), fmode);
    // O_CREAT, O_EXCL, O_NOCTTY and O_TRUNC are consumed by open itself (build_open_flags).
    m.writeU32(fl + BigInt(f['file.f_flags']), init.flags & ~(0o100 | 0o200 | 0o400 | 0o1000));
    m.writeU64(fl + BigInt(f['file.f_op']), init.ops);
    m.writeU64(fl + BigInt(f['file.f_inode']), i);
    m.writeU64(fl + BigInt(f['file.f_cred']), m.readU64(this.task.struct + BigInt(f.taskCred)));
  }

  /** The handler at `member` of the operations table (0n when the module left it NULL). */
  op(member: number): bigint {
    return member < 0 || this.init.ops === 0n ? 0n : this.k.mem.readU64(this.init.ops + BigInt(member));
  }

  get privateData(): bigint {
    return this.k.mem.readU64(this.file + BigInt(this.k.identity.facts['file.private_data']));
  }

  /** Run module code as the opener; a negative result is thrown as that errno. */
  call(fn: bigint, args: bigint[]): bigint {
    return this.k.sched.call(fn, args, this.task);
  }

  /** ->open(inode, file): 0 or the errno it returned. */
  open(): void {
    const fn = this.op(this.init.layout.open);
    if (!fn) return;
    const r = BigInt.asIntN(64, this.call(fn, [this.inode, this.file]));
    if (r < 0n) {
      this.free();
      throw new KernelError(Number(-r));
    }
  }

  /** file->f_pos, as the handler left it. */
  get pos(): number {
    return Number(BigInt.asIntN(64, this.k.mem.readU64(this.file + BigInt(this.k.identity.facts['file.f_pos']))));
  }

  /** &file->f_pos holding `pos`, or NULL for a stream (FMODE_STREAM: no position at all). */
  private setPos(pos: number | null): bigint {
    if (pos === null) return 0n;
    const p = this.file + BigInt(this.k.identity.facts['file.f_pos']);
    this.k.mem.writeU64(p, BigInt(pos));
    return p;
  }

  /**
   * ->read(file, buf, count, &pos) with the caller's buffer in user memory: the bytes the handler
   * produced. A result above count is clipped to count (the caller's buffer holds no more).
   */
  read(pos: number | null, len: number, fn = this.op(this.init.layout.read)): Uint8Array {
    if (!fn) throw new KernelError(EINVAL);
    const ppos = this.setPos(pos);
    const { result, bytes } = this.k.user.with(
      len,
      undefined,
      (ubuf) => this.call(fn, [this.file, ubuf, BigInt(len), ppos]),
      (res) => Number(BigInt.asIntN(64, res) > BigInt(len) ? BigInt(len) : BigInt.asIntN(64, res)),
    );
    const r = BigInt.asIntN(64, result);
    if (r < 0n) throw new KernelError(Number(-r));
    return bytes.subarray(0, Math.min(Number(r), len));
  }

  /** ->write(file, buf, count, &pos): the count the handler accepted. */
  write(pos: number | null, data: Uint8Array, fn = this.op(this.init.layout.write)): number {
    if (!fn) throw new KernelError(EINVAL);
    const ppos = this.setPos(pos);
    const { result } = this.k.user.with(data.length, data, (ubuf) => this.call(fn, [this.file, ubuf, BigInt(data.length), ppos]), () => 0);
    const r = BigInt.asIntN(64, result);
    if (r < 0n) throw new KernelError(Number(-r));
    return Number(r);
  }

  /**
   * ->unlocked_ioctl(file, cmd, arg): for a command that moves data (_IOR/_IOW), `arg` points at
   * a user copy of the command's input and the output is read back from the same place; for one
   * that does not (_IO), the handler gets the caller's `arg` value itself.
   */
  ioctl(cmd: number, input: Uint8Array, outSize: number, arg = 0n): { result: number; out: Uint8Array } {
    const fn = this.op(this.init.layout.ioctl);
    if (!fn) throw new KernelError(25); // ENOTTY: no ioctl handler
    const size = Math.max(input.length, outSize);
    const { result, bytes } = this.k.user.with(size, input, (ubuf) => this.call(fn, [this.file, BigInt(cmd >>> 0), size ? ubuf : arg]));
    const r = Number(BigInt.asIntN(64, result));
    if (r < 0) throw new KernelError(-r);
    return { result: r, out: bytes.subarray(0, outSize) };
  }

  /**
   * ->poll(file, pt): the mask ready now. With pt NULL the module's poll_wait() registers
   * nothing; with a poll table whose _qproc is __pollwait (api/waitqueue.ts) the queues it names
   * are recorded in k.waitQueues (collect), for __wake_up to wake the poller.
   */
  poll(pt = 0n): number {
    const fn = this.op(this.init.layout.poll);
    if (!fn) return -1;
    return Number(BigInt.asUintN(32, this.call(fn, [this.file, pt])));
  }

  /** ->release(inode, file), once; then the objects are freed. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const fn = this.op(this.init.layout.release);
    try {
      if (fn) this.call(fn, [this.inode, this.file]);
    } finally {
      this.free();
    }
  }

  /** Free the objects without calling ->release: an open that never completed (it oopsed). */
  abandon(): void {
    if (!this.released) this.free();
  }

  private free(): void {
    this.released = true;
    this.k.kfree(this.file);
    this.k.kfree(this.inode);
    this.k.sched.exitTask(this.task);
  }
}

