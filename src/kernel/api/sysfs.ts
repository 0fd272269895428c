// fs/sysfs for kobjects modules create: a kobject's directory, its attribute files and named
// attribute groups, rendered under /sys/kernel (k.files.sysKernel). The kobjects themselves
// (references, release, kernel_kobj) are in kobject.ts; both share the Sysfs state below.
//
// An attribute file runs the kobject's sysfs_ops as kernfs does (fs/sysfs/file.c,
// fs/kernfs/file.c): a read at offset 0 (or at an offset the last read did not end at) calls
// ->show with a zeroed, page-aligned PAGE_SIZE buffer and serves the bytes from that snapshot; a
// result of PAGE_SIZE or more is cut to PAGE_SIZE - 1 with the "fill_read_buffer" complaint. A
// write hands ->store at most PAGE_SIZE bytes, NUL-terminated, whatever the file offset. Both
// run as kernel functions on the CPU (kcall.ts) with the opener as `current`, so a callback that
// faults is an oops that kills the reader, and a module that left its files behind faults when
// they are read, as on a real kernel.
import type { TrapContext } from '../../cpu/types.js';
import { EACCES, EEXIST, EINVAL, ENODEV, ENOENT, KernelError } from '../errno.js';
import { commOf } from '../file.js';
import type { Kernel } from '../kernel.js';
import { kdir, kfile, type KEntry, type KOpenFile, type Opener } from '../kfs.js';
import type { Module } from '../module.js';
import { dumpStack, HungTask } from '../oops.js';
import { OopsError } from './sched.js';
import { hashPointer } from '../ptr-hash.js';
import { PAGE_SIZE, showPage, storeBuffer } from '../sysfs-buffers.js';
import { formatKernel, snprintfResult } from '../format.js';
import { formatHooks, variadicArgs } from './format-hooks.js';
import { kernelFunction } from './kcall.js';
import type { Task } from './sched.js';
import { kernelWarn } from './kernel-warn.js';
import { registerKobjectApi } from './kobject.js';

/** What lib/kobject.c keeps in a kobject besides what module code reads (name, parent, ktype, kref). */
export interface Kobj {
  addr: bigint;
  /** kobj->sd: the directory, while the kobject is in sysfs. */
  dir: KEntry | undefined;
  initialized: boolean;
  inSysfs: boolean;
  /** The name string was allocated by the kernel (kfree'd at cleanup). */
  nameOwned: boolean;
}

/** An attribute file: the kobject and struct attribute its callbacks receive. */
interface AttrData {
  kobj: bigint;
  attr: bigint;
  /** Notifications (sysfs_notify) so far, and the pollers waiting for the next one. */
  events: number;
  pollers: Set<() => void>;
  /**
   * A show or store was killed by an oops: the task never dropped its active reference, so
   * kernfs can never drain the file (removing it waits for ever). Once removal has begun
   * (deactivated), descriptors still open read and write ENODEV.
   */
  activeLeaked: boolean;
  deactivated: boolean;
}

const O_ACCMODE = 3;
const SYSFS_PREALLOC = 0o10000;
const POLL_DEFAULT = 0x1 | 0x4 | 0x40 | 0x100;
const POLL_ERR_PRI = 0x8 | 0x2;
const latin1 = new TextDecoder('latin1');

/** The kernel's frames under a sysfs read and write (6.1.0-56), for oops call traces. */
const READ_FRAMES = ['sysfs_kf_seq_show+0xa3/0xe0', 'seq_read_iter+0x122/0x450', 'vfs_read+0x23f/0x310', 'ksys_read+0x6b/0xf0', 'do_syscall_64+0x5d/0xb0', 'entry_SYSCALL_64_after_hwframe+0x6e/0xd8'];
const WRITE_FRAMES = ['kernfs_fop_write_iter+0x11c/0x1f0', 'vfs_write+0x2cb/0x3f0', 'ksys_write+0x6b/0xf0', 'do_syscall_64+0x5d/0xb0', 'entry_SYSCALL_64_after_hwframe+0x6e/0xd8'];
/** %pS of the kernel's own show callback, with its size in the real build. */
const KOBJ_ATTR_SHOW = 'kobj_attr_show+0x0/0x20';

export class Sysfs {
  readonly kobjs = new Map<bigint, Kobj>();
  private readonly f;
  private readonly seqShow;
  private readonly kfWrite;

  constructor(readonly k: Kernel) {
    this.f = k.identity.facts;
    this.seqShow = kernelFunction(k, 'sysfs_kf_seq_show');
    this.kfWrite = kernelFunction(k, 'sysfs_kf_write');
  }

  u64(addr: bigint, off: number): bigint {
    return this.k.mem.readU64(addr + BigInt(off));
  }

  cstr(addr: bigint): string {
    return addr === 0n ? '' : latin1.decode(this.k.mem.readCString(addr, 4096));
  }

  kobjName(kobj: bigint): string {
    return this.cstr(this.u64(kobj, this.f['kobject.name']));
  }

  /** kernfs_path of a directory: "/kernel/..." below the sysfs root. */
  path(e: KEntry): string {
    const p = e.path();
    return p ? `/kernel/${p}` : '/kernel';
  }

  /** The module whose code is calling (for the entries it creates). */
  caller(c: TrapContext | undefined): Module | undefined {
    return c ? this.k.modules.find((m) => m.containsAddress(c.returnAddress)) : undefined;
  }

  /** sysfs_warn_dup: the complaint and a stack dump; the caller returns -EEXIST. */
  warnDup(parent: KEntry, name: string, frames: string[]): void {
    this.k.log.emit(4, `sysfs: cannot create duplicate filename '${this.path(parent)}/${name}'`);
    dumpStack(this.k, this.k.sched.current, ['dump_stack_lvl+0x44/0x5c', 'sysfs_warn_dup.cold+0x17/0x23', ...frames]);
  }

  /** sysfs_create_dir_ns: the kobject's directory under its parent's. */
  createDir(rec: Kobj, parent: bigint, c?: TrapContext): number {
    const pdir = parent ? this.kobjs.get(parent)?.dir : undefined;
    // A kobject without a parent belongs in /sys itself, which module code cannot reach here:
    // modfs renders only /sys/kernel, so that is refused as a parent without a directory is.
    if (!pdir) return -ENOENT;
    const name = this.kobjName(rec.addr);
    const d = kdir(name, 0o755);
    d.owner = this.caller(c);
    d.data = rec.addr;
    if (!pdir.add(d)) {
      this.warnDup(pdir, name, ['sysfs_create_dir_ns+0xca/0xe0', 'kobject_add_internal+0xba/0x260', ...(c ? [this.k.symbolize(c.returnAddress) ?? ''] : [])]);
      return -EEXIST;
    }
    rec.dir = d;
    return 0;
  }

  removeDir(rec: Kobj, c?: TrapContext): void {
    this.kill(rec.dir, c);
    rec.dir = undefined;
  }

  /** sysfs_add_file_mode_ns: one attribute file in `parent` (the kobject's directory or a group's). */
  addFile(parent: KEntry, kobj: bigint, attr: bigint, mode: number, c?: TrapContext): number {
    const k = this.k;
    const f = this.f;
    const ktype = this.u64(kobj, f['kobject.ktype']);
    const ops = ktype ? this.u64(ktype, f['kobj_type.sysfs_ops']) : 0n;
    if (!ops) {
      kernelWarn(k, `missing sysfs attribute operations for kobject: ${this.kobjName(kobj)}`, 'fs/sysfs/file.c:264 sysfs_add_file_mode_ns+0x11e/0x130', c);
      return -EINVAL;
    }
    const hasShow = this.u64(ops, f['sysfs_ops.show']) !== 0n;
    const hasStore = this.u64(ops, f['sysfs_ops.store']) !== 0n;
    const name = this.cstr(this.u64(attr, f['attribute.name']));
    const data: AttrData = { kobj, attr, events: 0, pollers: new Set(), activeLeaked: false, deactivated: false };
    const e = kfile(name, mode & 0o777, { open: (flags, opener) => this.open(e, data, hasShow, hasStore, flags, opener) }, PAGE_SIZE);
    e.owner = this.caller(c);
    e.data = data;
    if (!parent.add(e)) {
      this.warnDup(parent, name, ['sysfs_add_file_mode_ns+0x116/0x130', 'sysfs_create_file_ns+0x6e/0xa0', ...(c ? [k.symbolize(c.returnAddress) ?? ''] : [])]);
      return -EEXIST;
    }
    return 0;
  }

  /** kernfs_fop_open of an attribute: the kernfs_ops chosen at creation decide what may open it. */
  private open(e: KEntry, d: AttrData, hasShow: boolean, hasStore: boolean, flags: number, opener: Opener): KOpenFile {
    if (d.deactivated) throw new KernelError(ENODEV);
    const acc = flags & O_ACCMODE;
    if (acc !== 1 && !hasShow) throw new KernelError(EACCES);
    if (acc !== 0 && !hasStore) throw new KernelError(EACCES);
    const k = this.k;
    const task = k.sched.newTask(commOf(opener.pid), READ_FRAMES, { uid: opener.uid, gid: opener.gid }, opener.pid || undefined);
    let snapshot: Uint8Array | undefined;
    let next = 0;
    let seen = d.events;
    return {
      read: (pos, len) => {
        if (e.removed || d.deactivated) throw new KernelError(ENODEV);
        // seq_read_iter: a read where the last one ended continues from the buffer; any other
        // offset runs the show again (traverse from the start).
        if (!snapshot || pos === 0 || pos !== next) {
          seen = d.events;
          snapshot = undefined;
          snapshot = this.active(d, () => this.show(task, d));
        }
        const out = snapshot.subarray(Math.min(pos, snapshot.length), Math.min(pos + len, snapshot.length));
        next = pos + out.length;
        return out;
      },
      write: (_pos, data) => {
        if (e.removed || d.deactivated) throw new KernelError(ENODEV);
        if (data.length === 0) return 0;
        return this.active(d, () => this.store(task, d, data));
      },
      poll: (_events, wake) => {
        // kernfs_generic_poll: POLLERR|POLLPRI once notified since this descriptor last read.
        if (seen !== d.events) return POLL_DEFAULT | POLL_ERR_PRI;
        d.pollers.add(wake);
        return POLL_DEFAULT;
      },
      release: () => k.sched.exitTask(task),
    };
  }

  /** A callback under the file's active reference; an oops in it leaves the reference held. */
  private active<T>(d: AttrData, f: () => T): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof OopsError) d.activeLeaked = true;
      throw err;
    }
  }

  /**
   * kernfs_remove: deactivate the subtree, wait for its active references to drain, unlink it.
   * A reference left by a killed callback never drains: the remover hangs (the hung-task report,
   * as the kernel's watchdog gives it after 120 s). The nodes are deactivated by then, which
   * lookups treat as gone (transcripts/kobjbad.txt), so they are unlinked all the same.
   */
  kill(e: KEntry | undefined, c?: TrapContext): void {
    if (!e) return;
    let stuck: KEntry | undefined;
    for (const x of e.postorder()) {
      const d = x.data as AttrData | undefined;
      if (x.kind !== 'file' || !d || typeof d !== 'object') continue;
      d.deactivated = true;
      if (d.activeLeaked) stuck ??= x;
    }
    const path = stuck && this.path(stuck);
    e.remove();
    if (stuck) {
      const where = c ? (this.k.symbolize(c.returnAddress) ?? '') : '';
      throw new HungTask(`kernfs_drain: ${path} is still active (its show or store was killed by an oops)`, ['kernfs_drain', '__kernfs_remove', where]);
    }
  }

  /** sysfs_kf_seq_show: the show callback's output, cut to PAGE_SIZE - 1. */
  private show(task: Task, d: AttrData): Uint8Array {
    const k = this.k;
    const f = this.f;
    let bytes = new Uint8Array(0);
    const r = this.seqShow({ ...task, frames: READ_FRAMES }, (c) => {
      const ops = this.u64(this.u64(d.kobj, f['kobject.ktype']), f['kobj_type.sysfs_ops']);
      const show = this.u64(ops, f['sysfs_ops.show']);
      const page = showPage(k);
      let n = BigInt.asIntN(64, c.call(show, [d.kobj, d.attr, page]));
      if (n < 0n) return n;
      if (n >= BigInt(PAGE_SIZE)) {
        const sym = show === k.exports.addressOf('kobj_attr_show') ? KOBJ_ATTR_SHOW : (k.symbolize(show) ?? `0x${show.toString(16)}`);
        k.log.emit(4, `fill_read_buffer: ${sym} returned bad count`);
        n = BigInt(PAGE_SIZE - 1);
      }
      bytes = k.mem.readBytes(page, Number(n)).slice();
      return n;
    });
    const n = BigInt.asIntN(64, r);
    if (n < 0n) throw new KernelError(Number(-n));
    return bytes;
  }

  /** sysfs_kf_write: ->store(kobj, attr, buf, count); its result is the write's. */
  private store(task: Task, d: AttrData, data: Uint8Array): number {
    const f = this.f;
    const { buf, len } = storeBuffer(this.k, data);
    const r = this.kfWrite({ ...task, frames: WRITE_FRAMES }, (c) => {
      const ops = this.u64(this.u64(d.kobj, f['kobject.ktype']), f['kobj_type.sysfs_ops']);
      return c.call(this.u64(ops, f['sysfs_ops.store']), [d.kobj, d.attr, buf, BigInt(len)]);
    });
    const n = Number(BigInt.asIntN(64, r));
    if (n < 0) throw new KernelError(-n);
    return n;
  }

  /** internal_create_group (update = 0). */
  createGroup(kobj: bigint, grp: bigint, c?: TrapContext): number {
    const k = this.k;
    const f = this.f;
    const rec = this.kobjs.get(kobj);
    if (!kobj || !rec?.dir || !grp) return -EINVAL;
    const attrs = this.u64(grp, f['attribute_group.attrs']);
    const binAttrs = this.u64(grp, f['attribute_group.bin_attrs']);
    const gname = this.u64(grp, f['attribute_group.name']);
    if (!attrs && !binAttrs) {
      kernelWarn(k, `sysfs: (bin_)attrs not set by subsystem for group: ${this.kobjName(kobj)}/${this.cstr(gname)}`, 'fs/sysfs/group.c:124 internal_create_group+0x36e/0x3a0', c);
      return -EINVAL;
    }
    let parent = rec.dir;
    if (gname) {
      const name = this.cstr(gname);
      const d = kdir(name, 0o755);
      d.owner = this.caller(c);
      if (!rec.dir.add(d)) {
        this.warnDup(rec.dir, name, ['internal_create_group+0x35b/0x3a0', ...(c ? [k.symbolize(c.returnAddress) ?? ''] : [])]);
        return -EEXIST;
      }
      parent = d;
    }
    let err = 0;
    const isVisible = this.u64(grp, f['attribute_group.is_visible']);
    for (let i = 0; attrs && !err; i++) {
      const attr = this.u64(attrs, i * 8);
      if (!attr) break;
      let mode = k.mem.readU16(attr + BigInt(f['attribute.mode']));
      if (isVisible) {
        mode = Number(BigInt.asUintN(16, this.call(c, isVisible, [kobj, attr, BigInt(i)])));
        if (!mode) continue;
      }
      if (mode & ~(SYSFS_PREALLOC | 0o664)) {
        const name = this.cstr(this.u64(attr, f['attribute.name']));
        kernelWarn(k, `Attribute ${name}: Invalid permissions 0${mode.toString(8)}`, 'fs/sysfs/group.c:59 internal_create_group+0x2f5/0x3a0', c);
      }
      mode &= SYSFS_PREALLOC | 0o664;
      err = this.addFile(parent, kobj, attr, mode, c);
    }
    // bin_attrs (binary attributes) are not rendered: their read/write/mmap take a struct file.
    if (err) {
      this.removeFiles(parent, attrs);
      if (gname) parent.remove();
    }
    return err;
  }

  /** sysfs_remove_group: the group's files, and its directory when it has a name. */
  removeGroup(kobj: bigint, grp: bigint, c?: TrapContext): void {
    const f = this.f;
    const rec = this.kobjs.get(kobj);
    if (!rec?.dir || !grp) return;
    const gname = this.u64(grp, f['attribute_group.name']);
    let parent = rec.dir;
    if (gname) {
      const name = this.cstr(gname);
      const d = rec.dir.children.get(name);
      if (!d) {
        kernelWarn(this.k, `sysfs group '${name}' not found for kobject '${this.kobjName(kobj)}'`, 'fs/sysfs/group.c:282 sysfs_remove_group+0x80/0x90', c);
        return;
      }
      parent = d;
    }
    this.removeFiles(parent, this.u64(grp, f['attribute_group.attrs']), c);
    if (gname) this.kill(parent, c);
  }

  private removeFiles(parent: KEntry, attrs: bigint, c?: TrapContext): void {
    for (let i = 0; attrs; i++) {
      const attr = this.u64(attrs, i * 8);
      if (!attr) break;
      this.removeByName(parent, this.cstr(this.u64(attr, this.f['attribute.name'])), c);
    }
  }

  removeByName(parent: KEntry | undefined, name: string, c?: TrapContext): number {
    const e = parent?.children.get(name);
    if (!e) return -ENOENT;
    this.kill(e, c);
    return 0;
  }

  /** Module code called from a trap (nested) or from the kernel's own path. */
  call(c: TrapContext | undefined, fn: bigint, args: bigint[]): bigint {
    return c ? c.call(fn, args) : this.k.callModule(fn, args);
  }

  /** sysfs_notify: wake the pollers of one attribute. */
  notify(e: KEntry | undefined): void {
    const d = e?.data as AttrData | undefined;
    if (!d || e?.kind !== 'file') return;
    d.events++;
    const wake = [...d.pollers];
    d.pollers.clear();
    for (const w of wake) w();
  }
}

export function registerSysfsApi(k: Kernel): Sysfs {
  const s = new Sysfs(k);
  const m = k.mem;
  const f = k.identity.facts;
  const name = (attr: bigint) => s.cstr(s.u64(attr, f['attribute.name']));

  k.exports.func('sysfs_create_file_ns', (c) => {
    const [kobj, attr] = [c.arg(0), c.arg(1)];
    const dir = s.kobjs.get(kobj)?.dir;
    if (!kobj || !dir || !attr) return -EINVAL;
    return s.addFile(dir, kobj, attr, m.readU16(attr + BigInt(f['attribute.mode'])), c);
  });
  k.exports.func('sysfs_remove_file_ns', (c) => {
    s.removeByName(s.kobjs.get(c.arg(0))?.dir, name(c.arg(1)), c);
  });
  k.exports.func('sysfs_create_files', (c) => {
    const [kobj, list] = [c.arg(0), c.arg(1)];
    const dir = s.kobjs.get(kobj)?.dir;
    let err = 0;
    let i = 0;
    for (; !err; i++) {
      const attr = m.readU64(list + BigInt(i * 8));
      if (!attr) break;
      err = !dir ? -EINVAL : s.addFile(dir, kobj, attr, m.readU16(attr + BigInt(f['attribute.mode'])), c);
    }
    if (err) while (--i >= 0) s.removeByName(dir, name(m.readU64(list + BigInt(i * 8))));
    return err;
  });
  k.exports.func('sysfs_remove_files', (c) => {
    const dir = s.kobjs.get(c.arg(0))?.dir;
    for (let i = 0; ; i++) {
      const attr = m.readU64(c.arg(1) + BigInt(i * 8));
      if (!attr) break;
      s.removeByName(dir, name(attr), c);
    }
  });
  k.exports.func('sysfs_create_group', (c) => s.createGroup(c.arg(0), c.arg(1), c));
  k.exports.func('sysfs_remove_group', (c) => s.removeGroup(c.arg(0), c.arg(1), c));
  k.exports.func('sysfs_create_groups', (c) => createGroups(s, c.arg(0), c.arg(1), c));
  k.exports.func('sysfs_remove_groups', (c) => removeGroups(s, c.arg(0), c.arg(1), c));
  k.exports.func('sysfs_notify', (c) => {
    let e = s.kobjs.get(c.arg(0))?.dir;
    if (e && c.arg(1)) e = e.children.get(s.cstr(c.arg(1)));
    if (e && c.arg(2)) e = e.children.get(s.cstr(c.arg(2)));
    s.notify(e);
  });

  // sysfs_emit/sysfs_emit_at: vscnprintf into the show page; a pointer that is not the start of
  // a page (or an offset outside it) is refused with a WARN and nothing written.
  const emit = (c: TrapContext, buf: bigint, at: number, fmtArg: number) => {
    if (!buf || (buf & 0xfffn) !== 0n || at < 0 || at >= PAGE_SIZE) {
      const what = fmtArg === 1 ? `invalid sysfs_emit: buf:${hex(buf)}` : `invalid sysfs_emit_at: buf:${hex(buf)} at:${at}`;
      kernelWarn(k, what, fmtArg === 1 ? 'fs/sysfs/file.c:735 sysfs_emit+0x8a/0xb0' : 'fs/sysfs/file.c:765 sysfs_emit_at+0x9b/0xc0', c);
      return 0;
    }
    const text = formatKernel(m.readCString(c.arg(fmtArg), 4096), variadicArgs(c, fmtArg + 1), hooks);
    const r = snprintfResult(text, PAGE_SIZE - at);
    if (r.bytes.length) m.writeBytes(buf + BigInt(at), r.bytes);
    return r.scnprintf;
  };
  const hooks = formatHooks(k);
  const hex = (p: bigint) => hashPointer(p).toString(16).padStart(16, '0');
  k.exports.func('sysfs_emit', (c) => emit(c, c.arg(0), 0, 1));
  k.exports.func('sysfs_emit_at', (c) => emit(c, c.arg(0), Number(BigInt.asIntN(32, c.arg(1))), 2));

  registerKobjectApi(k, s);
  return s;
}

function createGroups(s: Sysfs, kobj: bigint, groups: bigint, c?: TrapContext): number {
  if (!groups) return 0;
  const m = s.k.mem;
  let err = 0;
  for (let i = 0; ; i++) {
    const g = m.readU64(groups + BigInt(i * 8));
    if (!g) break;
    err = s.createGroup(kobj, g, c);
    if (err) {
      while (--i >= 0) s.removeGroup(kobj, m.readU64(groups + BigInt(i * 8)), c);
      break;
    }
  }
  return err;
}

function removeGroups(s: Sysfs, kobj: bigint, groups: bigint, c?: TrapContext): void {
  if (!groups) return;
  for (let i = 0; ; i++) {
    const g = s.k.mem.readU64(groups + BigInt(i * 8));
    if (!g) break;
    s.removeGroup(kobj, g, c);
  }
}

export { createGroups, removeGroups };
