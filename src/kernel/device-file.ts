// Opening a character device node: fs/char_dev.c's chrdev_open as the tree runs it, and the
// open file whose read, write, ioctl, poll and release run the driver's file_operations on the
// CPU as the opener (kernel/file.ts).
//
// Open, in the kernel's order: the number's cdev (kobj_lookup; none is ENXIO), a reference on
// the cdev's owner module, the cdev's fops and a reference on fops->owner (fops_get; failing is
// ENXIO), then fops->open. So an open file of a module's device holds two references on it when
// cdev->owner and fops->owner are both THIS_MODULE (refcnt shows 2), one for a misc device, and
// rmmod is refused while it is open. Release drops them after fops->release.
//
// After open the file's f_mode decides what the tree offers: no FMODE_LSEEK (nonseekable_open,
// stream_open, or no llseek handler) makes the descriptor refuse lseek (FOPEN_NONSEEKABLE);
// FMODE_STREAM passes a NULL ppos to read and write; a driver without read (write) answers
// EINVAL, as vfs_read does without FMODE_CAN_READ.
//
// Positions: the host kernel keeps the descriptor's offset and advances it by what each call
// returned, while a driver keeps *ppos itself (a driver that does not advance it is read again
// from the same place on a real kernel). So a call that continues where the previous one ended
// gets the position the driver left; a call at any other offset (after lseek, or pread) gets
// that offset. A driver's own llseek never runs: FUSE seeks without asking for SEEK_SET, SEEK_CUR
// and SEEK_END, which is what default_llseek and generic_file_llseek do for a file of size 0;
// for noop_llseek (a seek that does not move) the driver's position is always kept.
import { EINTR, EINVAL, ENODEV, ENOTTY, ENXIO, ERESTARTSYS, KernelError } from './errno.js';
import { fileOperationsLayout, KernelFile } from './file.js';
import type { Kernel } from './kernel.js';
import type { KOpenFile, Opener } from './kfs.js';
import type { CdevMapping } from './chrdev.js';
import { ModuleState } from './module.js';
import { OopsError } from './api/sched.js';

/** The kernel's path into a driver's read (6.1.0-56, from an oops in a read handler). */
const READ_FRAMES = ['vfs_read+0xa5/0x310', 'ksys_read+0x6b/0xf0', 'do_syscall_64+0x5d/0xb0', 'entry_SYSCALL_64_after_hwframe+0x6e/0xd8'];
/** ENOIOCTLCMD: vfs_ioctl turns it into ENOTTY. */
const ENOIOCTLCMD = 515;
const DEFAULT_POLLMASK = 0x1 | 0x4 | 0x40 | 0x100;

/** try_module_get / module_put on a `struct module *` (0 = built in: always succeeds). */
export function moduleGet(k: Kernel, owner: bigint): boolean {
  if (owner === 0n) return true;
  const mod = k.modules.find((m) => m.thisModule === owner);
  if (!mod) return true;
  if (mod.state === ModuleState.GOING) return false;
  mod.refcnt++;
  k.changed();
  return true;
}

export function modulePut(k: Kernel, owner: bigint): void {
  if (owner === 0n) return;
  const mod = k.modules.find((m) => m.thisModule === owner);
  if (mod && mod.refcnt > 0) {
    mod.refcnt--;
    k.changed();
  }
}

/**
 * chrdev_open for `devt` through a node of `mode` (S_IFCHR | perms): `mapping` is what the cdev
 * map holds for the number (a module's cdev, or a built-in driver such as the misc major's).
 */
export function openChrdev(
  k: Kernel,
  mapping: CdevMapping | undefined,
  devt: number,
  mode: number,
  flags: number,
  opener: Opener,
): KOpenFile {
  const f = k.identity.facts;
  const m = k.mem;
  if (!mapping || mapping.stale) throw new KernelError(ENXIO);
  let cdevOwner = 0n;
  let fops: bigint;
  let privateData = 0n;
  if (mapping.builtin) {
    // misc_open takes its own reference on the device's fops (fops_get below).
    const b = mapping.builtin.open(devt);
    fops = b.fops;
    privateData = b.privateData;
  } else {
    cdevOwner = m.readU64(mapping.cdev + BigInt(f['cdev.owner']));
    if (!moduleGet(k, cdevOwner)) throw new KernelError(ENXIO);
    fops = m.readU64(mapping.cdev + BigInt(f['cdev.ops']));
  }
  const fopsOwner = fops ? m.readU64(fops + BigInt(f['file_operations.owner'])) : 0n;
  if (!fops || !moduleGet(k, fopsOwner)) {
    modulePut(k, cdevOwner);
    throw new KernelError(mapping.builtin ? ENODEV : ENXIO);
  }
  const kf = new KernelFile(k, { ops: fops, layout: fileOperationsLayout(f), inode: { mode, rdev: devt, cdev: mapping.cdev }, flags, opener, frames: READ_FRAMES });
  if (privateData) m.writeU64(kf.file + BigInt(f['file.private_data']), privateData);
  try {
    kf.open();
  } catch (e) {
    modulePut(k, fopsOwner);
    modulePut(k, cdevOwner);
    throw userErrno(e);
  }
  return new DeviceFile(k, kf, () => {
    modulePut(k, fopsOwner);
    modulePut(k, cdevOwner);
  });
}

/** A driver's error as the caller sees it: the restart codes never leave the kernel. */
function userErrno(e: unknown): unknown {
  if (e instanceof KernelError && !(e instanceof OopsError)) {
    if (e.errno === ERESTARTSYS) return new KernelError(EINTR);
    if (e.errno === ENOIOCTLCMD) return new KernelError(ENOTTY);
  }
  return e;
}

export class DeviceFile implements KOpenFile {
  readonly nonseekable: boolean;
  private readonly stream: boolean;
  private readonly seekIgnored: boolean;
  /** Where the host's offset is after the last call, and where the driver left *ppos. */
  private hostNext = 0;
  private driverPos = 0;
  private pollTable = 0n;
  private stopPolling: (() => void) | undefined;
  /** A read or write waiting for a wake-up. */
  private parked: { stop: () => void; reject: (e: unknown) => void } | undefined;
  private released = false;

  constructor(
    private readonly k: Kernel,
    private readonly kf: KernelFile,
    private readonly puts: () => void,
  ) {
    const f = k.identity.facts;
    const fmode = k.mem.readU32(kf.file + BigInt(f['file.f_mode']));
    const llseek = kf.op(f['file_operations.llseek']);
    this.stream = (fmode & f.FMODE_STREAM) !== 0;
    // do_dentry_open drops FMODE_LSEEK when the fops have no llseek.
    this.nonseekable = (fmode & f.FMODE_LSEEK) === 0 || llseek === 0n;
    this.seekIgnored = k.exports.has('noop_llseek') && llseek === k.exports.addressOf('noop_llseek');
  }

  private posFor(pos: number): number | null {
    if (this.stream) return null;
    return pos === this.hostNext || this.seekIgnored ? this.driverPos : pos;
  }

  private moved(pos: number, n: number): void {
    if (this.stream) return;
    this.driverPos = this.kf.pos;
    this.hostNext = pos + n;
  }

  read(pos: number, len: number): Uint8Array | Promise<Uint8Array> {
    const f = this.k.identity.facts;
    if (!this.kf.op(f['file_operations.read'])) throw new KernelError(EINVAL);
    return this.sleeping(() => {
      const bytes = this.kf.read(this.posFor(pos), len);
      this.moved(pos, bytes.length);
      return bytes;
    });
  }

  write(pos: number, data: Uint8Array): number | Promise<number> {
    const f = this.k.identity.facts;
    if (!this.kf.op(f['file_operations.write'])) throw new KernelError(EINVAL);
    return this.sleeping(() => {
      const n = this.kf.write(this.posFor(pos), data);
      this.moved(pos, Math.min(n, data.length));
      return n;
    });
  }

  /**
   * Make a call that may sleep in an interruptible wait (api/waitqueue.ts): the driver then
   * returned -ERESTARTSYS after naming its queues, and the request waits until one of them is
   * woken, then makes the call again from the start, as the kernel restarts the system call.
   * A signal to the caller (FUSE INTERRUPT, abort) ends the wait with EINTR.
   */
  private sleeping<T>(call: () => T): T | Promise<T> {
    const r = this.k.waitQueues.sleepsOn(call);
    if (r.ok) return r.result;
    if (r.error instanceof KernelError && !(r.error instanceof OopsError) && r.error.errno === ERESTARTSYS && r.heads.length && !this.released) {
      return new Promise<T>((resolve, reject) => {
        const stop = this.k.waitQueues.waitAny(r.heads, () => {
          this.parked = undefined;
          // The wake-up comes from inside another call into module code: run again after it.
          setImmediate(() => {
            try {
              resolve(this.sleeping(call));
            } catch (e) {
              reject(userErrno(e));
            }
          });
        });
        this.parked = { stop, reject };
      });
    }
    throw userErrno(r.error);
  }

  abort(): void {
    const p = this.parked;
    this.parked = undefined;
    p?.stop();
    p?.reject(new KernelError(EINTR));
  }

  ioctl(cmd: number, arg: bigint, input: Uint8Array, outSize: number): { result: number; out?: Uint8Array } {
    try {
      return this.kf.ioctl(cmd, input, outSize, arg);
    } catch (e) {
      throw userErrno(e);
    }
  }

  /** ->poll(file, pt) with a real poll table; nothing ready: wait on the queues it named. */
  poll(events: number, wake: () => void): number {
    const f = this.k.identity.facts;
    if (!this.kf.op(f['file_operations.poll'])) return DEFAULT_POLLMASK;
    const m = this.k.mem;
    if (!this.pollTable) {
      this.pollTable = this.k.kmalloc(f['poll_table_struct.size']);
      m.writeU64(this.pollTable + BigInt(f['poll_table_struct._qproc']), this.k.exports.addressOf('__pollwait'));
    }
    m.writeU32(this.pollTable + BigInt(f['poll_table_struct._key']), events >>> 0);
    const { result: mask, heads } = this.k.waitQueues.collect(this.pollTable, () => this.kf.poll(this.pollTable));
    this.stopPolling?.();
    this.stopPolling = undefined;
    if ((mask & events) === 0 && heads.length) this.stopPolling = this.k.waitQueues.waitAny(heads, wake);
    return mask;
  }

  release(): void {
    this.released = true;
    this.abort();
    this.stopPolling?.();
    try {
      this.kf.release();
    } finally {
      this.k.kfree(this.pollTable);
      this.puts();
    }
  }
}
