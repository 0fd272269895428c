// lib/kobject.c: kobjects as modules use them. The struct kobject lives in kernel or module
// memory at the build's offsets (name, parent, ktype, sd, kref), because module code reads them
// inline (kobject_name(), container_of); what only the kernel looks at (initialised, in sysfs)
// is kept in the Sysfs state (sysfs.ts).
//
// Lifetime, as in 6.1: the last kobject_put removes the directory if kobject_del was not called,
// calls the ktype's release(), frees the name and drops the parent's reference. A module that
// never puts its kobject leaves the directory and its files behind after unload: they keep
// pointing into the module's freed memory, so reading one faults, and loading the module again
// fails to create the same name (transcripts/kobjleak.txt).
import type { TrapContext } from '../../cpu/types.js';
import { EEXIST, EINVAL, ENOENT, ENOMEM } from '../errno.js';
import { formatKernel } from '../format.js';
import type { Kernel } from '../kernel.js';
import { dumpStack } from '../oops.js';
import { hashPointer } from '../ptr-hash.js';
import { formatHooks, variadicArgs } from './format-hooks.js';
import { kernelWarn } from './kernel-warn.js';
import { createGroups, removeGroups, type Kobj, type Sysfs } from './sysfs.js';

const KTYPE_SIZE = 64;
const ERRNO_NAMES: Record<number, string> = { [EEXIST]: 'EEXIST' };

export function registerKobjectApi(k: Kernel, s: Sysfs): void {
  const m = k.mem;
  const f = k.identity.facts;
  const hooks = formatHooks(k);
  const at = (p: bigint, key: keyof typeof f) => p + BigInt(f[key] as number);
  const ptr = (p: bigint) => hashPointer(p).toString(16).padStart(16, '0');
  const kref = (kobj: bigint) => m.readU32(at(kobj, 'kobject.kref'));
  const setKref = (kobj: bigint, v: number) => m.writeU32(at(kobj, 'kobject.kref'), v >>> 0);

  // kobj_sysfs_ops: show and store through the kobj_attribute around the attribute.
  const kattrCall = (member: 'kobj_attribute.show' | 'kobj_attribute.store') => (c: TrapContext) => {
    const fn = m.readU64(c.arg(1) + BigInt(f[member]));
    if (!fn) return -5; // -EIO: the attribute has no such callback
    return c.call(fn, member === 'kobj_attribute.show' ? [c.arg(0), c.arg(1), c.arg(2)] : [c.arg(0), c.arg(1), c.arg(2), c.arg(3)]);
  };
  k.exports.func('kobj_attr_show', kattrCall('kobj_attribute.show'), { hidden: true });
  k.exports.func('kobj_attr_store', kattrCall('kobj_attribute.store'), { hidden: true });
  k.exports.data('kobj_sysfs_ops', 16, (a) => {
    m.writeU64(at(a, 'sysfs_ops.show'), k.exports.addressOf('kobj_attr_show'));
    m.writeU64(at(a, 'sysfs_ops.store'), k.exports.addressOf('kobj_attr_store'));
  }, { align: 8 });
  const kobjSysfsOps = k.exports.addressOf('kobj_sysfs_ops');

  // dynamic_kobj_ktype (kobject_create's): release kfrees the kobject.
  k.exports.func('dynamic_kobj_release', (c) => k.kfree(c.arg(0)), { hidden: true });
  const dynamicKtype = k.kmalloc(KTYPE_SIZE);
  m.writeU64(at(dynamicKtype, 'kobj_type.release'), k.exports.addressOf('dynamic_kobj_release'));
  m.writeU64(at(dynamicKtype, 'kobj_type.sysfs_ops'), kobjSysfsOps);

  // kernel_kobj: /sys/kernel, whose directory is the tree's k.files.sysKernel.
  const kernelKobj = k.kmalloc(f['kobject.size']);
  m.writeU64(at(kernelKobj, 'kobject.name'), k.kstrdup(new TextEncoder().encode('kernel')));
  m.writeU64(at(kernelKobj, 'kobject.ktype'), dynamicKtype);
  setKref(kernelKobj, 1);
  s.kobjs.set(kernelKobj, { addr: kernelKobj, dir: k.files.sysKernel, initialized: true, inSysfs: true, nameOwned: false });
  k.exports.data('kernel_kobj', 8, (a) => m.writeU64(a, kernelKobj), { align: 8 });

  const rec = (kobj: bigint): Kobj => {
    let r = s.kobjs.get(kobj);
    if (!r) s.kobjs.set(kobj, (r = { addr: kobj, dir: undefined, initialized: false, inSysfs: false, nameOwned: false }));
    return r;
  };

  function init(kobj: bigint, ktype: bigint, c?: TrapContext): void {
    const frames = ['dump_stack_lvl+0x44/0x5c', ...(c ? [k.symbolize(c.returnAddress) ?? ''] : [])];
    if (!kobj || !ktype) {
      k.log.emit(3, `kobject (${ptr(kobj)}): ${!kobj ? 'invalid kobject pointer!' : 'must have a ktype to be initialized properly!\n'}`);
      dumpStack(k, k.sched.current, frames);
      return;
    }
    const r = rec(kobj);
    if (r.initialized) {
      k.log.emit(3, `kobject (${ptr(kobj)}): tried to init an initialized object, something is seriously wrong.`);
      dumpStack(k, k.sched.current, frames);
    }
    setKref(kobj, 1);
    r.initialized = true;
    r.inSysfs = false;
    m.writeU64(at(kobj, 'kobject.ktype'), ktype);
  }

  /** kobject_set_name_vargs: a kernel copy, '/' shown as '!'. */
  function setName(kobj: bigint, name: Uint8Array): number {
    const bytes = name.map((b) => (b === 0x2f ? 0x21 : b));
    const p = k.kstrdup(bytes);
    if (!p) return -ENOMEM;
    const r = rec(kobj);
    if (r.nameOwned) k.kfree(m.readU64(at(kobj, 'kobject.name')));
    m.writeU64(at(kobj, 'kobject.name'), p);
    r.nameOwned = true;
    return 0;
  }

  /** kobject_add_internal: the directory and the ktype's default groups. */
  function addInternal(kobj: bigint, c?: TrapContext): number {
    const name = s.kobjName(kobj);
    if (!name) {
      kernelWarn(k, `kobject: (${ptr(kobj)}): attempted to be registered with empty name!`, 'lib/kobject.c:219 kobject_add_internal+0x22d/0x260', c);
      return -EINVAL;
    }
    const parent = get(m.readU64(at(kobj, 'kobject.parent')));
    const r = rec(kobj);
    let err = s.createDir(r, parent, c);
    if (!err) {
      const ktype = m.readU64(at(kobj, 'kobject.ktype'));
      err = ktype ? createGroups(s, kobj, m.readU64(at(ktype, 'kobj_type.default_groups')), c) : 0;
      if (err) s.removeDir(r);
    }
    if (err) {
      put(parent, c);
      m.writeU64(at(kobj, 'kobject.parent'), 0n);
      if (err === -EEXIST)
        k.log.emit(3, `kobject_add_internal failed for ${name} with -${ERRNO_NAMES[EEXIST]}, don't try to register things with the same name in the same directory.`);
      else k.log.emit(3, `kobject_add_internal failed for ${name} (error: ${err} parent: ${parent ? s.kobjName(parent) : "'none'"})`);
    } else r.inSysfs = true;
    return err;
  }

  function addVarg(kobj: bigint, parent: bigint, name: Uint8Array, c?: TrapContext): number {
    const err = setName(kobj, name);
    if (err) {
      k.log.emit(3, 'kobject: can not set name properly!');
      return err;
    }
    m.writeU64(at(kobj, 'kobject.parent'), parent);
    return addInternal(kobj, c);
  }

  function get(kobj: bigint): bigint {
    if (kobj) setKref(kobj, kref(kobj) + 1);
    return kobj;
  }

  /** __kobject_del: default groups, then the directory with everything left in it. */
  function del(kobj: bigint, c?: TrapContext): void {
    const r = rec(kobj);
    const ktype = m.readU64(at(kobj, 'kobject.ktype'));
    if (ktype) removeGroups(s, kobj, m.readU64(at(ktype, 'kobj_type.default_groups')), c);
    s.removeDir(r, c);
    r.inSysfs = false;
    m.writeU64(at(kobj, 'kobject.parent'), 0n);
  }

  function put(kobj: bigint, c?: TrapContext): void {
    if (!kobj) return;
    const n = kref(kobj);
    // kref_put on a count already at zero: refcount_t saturates and warns (lib/refcount.c).
    if (n === 0) return;
    setKref(kobj, n - 1);
    if (n - 1 === 0) cleanup(kobj, c);
  }

  /** kobject_cleanup: out of sysfs if still there, release(), the name, the parent's reference. */
  function cleanup(kobj: bigint, c?: TrapContext): void {
    const r = rec(kobj);
    let parent = m.readU64(at(kobj, 'kobject.parent'));
    const ktype = m.readU64(at(kobj, 'kobject.ktype'));
    const release = ktype ? m.readU64(at(ktype, 'kobj_type.release')) : 0n;
    const name = m.readU64(at(kobj, 'kobject.name'));
    if (r.inSysfs) del(kobj, c);
    else parent = 0n;
    s.kobjs.delete(kobj);
    if (release) s.call(c, release, [kobj]);
    if (name && r.nameOwned) k.kfree(name);
    put(parent, c);
  }

  const nameArg = (c: TrapContext, fmtIndex: number) => formatKernel(m.readCString(c.arg(fmtIndex), 4096), variadicArgs(c, fmtIndex + 1), hooks);

  k.exports.func('kobject_init', (c) => init(c.arg(0), c.arg(1), c));
  k.exports.func('kobject_add', (c) => {
    const kobj = c.arg(0);
    if (!kobj) return -EINVAL;
    if (!rec(kobj).initialized) {
      k.log.emit(3, `kobject '${s.kobjName(kobj)}' (${ptr(kobj)}): tried to add an uninitialized object, something is seriously wrong.`);
      dumpStack(k, k.sched.current, ['dump_stack_lvl+0x44/0x5c', k.symbolize(c.returnAddress) ?? '']);
      return -EINVAL;
    }
    return addVarg(kobj, c.arg(1), nameArg(c, 2), c);
  });
  k.exports.func('kobject_init_and_add', (c) => {
    init(c.arg(0), c.arg(1), c);
    return addVarg(c.arg(0), c.arg(2), nameArg(c, 3), c);
  });
  k.exports.func('kobject_create_and_add', (c) => {
    const kobj = k.kmalloc(f['kobject.size']);
    if (!kobj) return 0;
    init(kobj, dynamicKtype, c);
    const err = addVarg(kobj, c.arg(1), m.readCString(c.arg(0), 4096), c);
    if (err) {
      k.log.emit(4, `kobject_create_and_add: kobject_add error: ${err}`);
      put(kobj, c);
      return 0;
    }
    return kobj;
  });
  k.exports.func('kobject_get', (c) => get(c.arg(0)));
  k.exports.func('kobject_put', (c) => put(c.arg(0), c));
  k.exports.func('kobject_del', (c) => {
    const kobj = c.arg(0);
    if (!kobj) return;
    const parent = m.readU64(at(kobj, 'kobject.parent'));
    del(kobj, c);
    put(parent, c);
  });
  void ENOENT;
}
