// fs/char_dev.c's exports (device number regions, cdevs, register_chrdev), the open/llseek
// helpers of fs/open.c and fs/read_write.c that drivers name in their file_operations, and
// /proc/devices. The state is kernel/chrdev.ts; opening a node is kernel/device-file.ts.
//
// What a module forgets at unload stays, as on the real kernel (nothing warns): its regions keep
// their numbers and names in /proc/devices. A cdev it never deleted maps its numbers to freed
// memory, which the real kernel would trip over at the next open; modfs refuses that open with
// ENXIO instead.
import type { TrapContext } from '../../cpu/types.js';
import { CharDevices, type Region } from '../chrdev.js';
import { EBUSY, EINVAL, ENOMEM, ENXIO, ESPIPE } from '../errno.js';
import type { Kernel } from '../kernel.js';
import { kfile } from '../kfs.js';


export function registerChrdevApi(k: Kernel): CharDevices {
  const m = k.mem;
  const f = k.identity.facts;
  const chr = new CharDevices(k);
  const str = (p: bigint) => (p === 0n ? '(null)' : Buffer.from(m.readCString(p, 256)).toString('latin1'));
  const u32 = (v: bigint) => Number(v & 0xffffffffn);
  const i32 = (v: bigint) => Number(BigInt.asIntN(32, v));
  const CDEV_DEV = BigInt(f['cdev.dev']);
  const CDEV_COUNT = BigInt(f['cdev.count']);
  /** cdevs made by cdev_alloc (ktype_cdev_dynamic: freed when deleted). */
  const dynamic = new Set<bigint>();

  const cdevInit = (p: bigint, fops: bigint) => {
    m.fill(p, 0, f['cdev.size']);
    const list = p + BigInt(f['cdev.list']);
    m.writeU64(list, list);
    m.writeU64(list + 8n, list);
    m.writeU64(p + BigInt(f['cdev.ops']), fops);
  };
  const cdevAlloc = (): bigint => {
    const p = k.kmalloc(f['cdev.size']);
    if (p) {
      cdevInit(p, 0n);
      dynamic.add(p);
    }
    return p;
  };
  const cdevAdd = (p: bigint, dev: number, count: number): number => {
    m.writeU32(p + CDEV_DEV, dev);
    m.writeU32(p + CDEV_COUNT, count);
    // WHITEOUT_DEV is 0:0; cdev_add refuses it (after a WARN_ON).
    if (dev === 0) return -EBUSY;
    chr.mapCdev({ dev, count, cdev: p });
    return 0;
  };
  const cdevDel = (p: bigint) => {
    chr.unmap(m.readU32(p + CDEV_DEV), m.readU32(p + CDEV_COUNT));
    if (dynamic.delete(p)) k.kfree(p);
  };

  k.exports.func('register_chrdev_region', (c) => chr.registerRange(u32(c.arg(0)), u32(c.arg(1)), str(c.arg(2))));
  k.exports.func('alloc_chrdev_region', (c) => {
    const r = chr.register(0, u32(c.arg(1)), i32(c.arg(2)), str(c.arg(3)));
    if (typeof r === 'number') return r;
    m.writeU32(c.arg(0), chr.mkdev(r.major, r.baseminor));
    return 0;
  });
  k.exports.func('unregister_chrdev_region', (c) => chr.unregisterRange(u32(c.arg(0)), u32(c.arg(1))));

  k.exports.func('__register_chrdev', (c) => {
    const [major, baseminor, count] = [u32(c.arg(0)), u32(c.arg(1)), i32(c.arg(2))];
    const fops = c.arg(4);
    const r = chr.register(major, baseminor, count, str(c.arg(3)));
    if (typeof r === 'number') return r;
    const p = cdevAlloc();
    if (!p) {
      chr.unregister(r.major, baseminor, count);
      return -ENOMEM;
    }
    m.writeU64(p + BigInt(f['cdev.owner']), m.readU64(fops + BigInt(f['file_operations.owner'])));
    m.writeU64(p + BigInt(f['cdev.ops']), fops);
    cdevAdd(p, chr.mkdev(r.major, baseminor), count);
    r.cdev = p;
    return major ? 0 : r.major;
  });
  k.exports.func('__unregister_chrdev', (c) => {
    const r: Region | undefined = chr.unregister(u32(c.arg(0)), u32(c.arg(1)), i32(c.arg(2)));
    if (r?.cdev) cdevDel(r.cdev);
  });

  k.exports.func('cdev_init', (c) => cdevInit(c.arg(0), c.arg(1)));
  k.exports.func('cdev_alloc', () => cdevAlloc());
  k.exports.func('cdev_add', (c) => cdevAdd(c.arg(0), u32(c.arg(1)), u32(c.arg(2))));
  k.exports.func('cdev_del', (c) => cdevDel(c.arg(0)));
  k.exports.func('cdev_set_parent', (c) => m.writeU64(c.arg(0) + BigInt(f['cdev.kobj'] + f['kobject.parent']), c.arg(1)));

  // /proc/devices: proc_create_seq("devices", 0, ...) shows as 0444, size 0, made at boot.
  k.files.proc.add(
    kfile('devices', 0o444, {
      open: () => {
        const text = Buffer.from(chr.procDevices(), 'latin1');
        return { read: (pos, len) => text.subarray(pos, pos + len) };
      },
    }),
  );

  // A module freed with a cdev still mapped: its numbers now point at freed memory.
  k.moduleFreeHooks.push((mod) => {
    // (register_chrdev's cdev is the kernel's own, but its ops are the module's.)
    const gone = (p: bigint) => mod.containsAddress(p) || mod.containsAddress(m.readU64(p + BigInt(f['cdev.ops'])));
    for (const e of chr.mappingsWhere(gone)) e.stale = true;
  });

  return chr;
}
