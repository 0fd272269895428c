// Character device numbers (fs/char_dev.c): the regions of chrdevs[] that register_chrdev_region,
// alloc_chrdev_region and register_chrdev take (what /proc/devices lists), and the map from a
// device number to the struct cdev that serves it (cdev_add's kobj_map), which is what opening
// a device node consults. The two are independent, as in the kernel: a cdev can be added for a
// number nobody registered, and a registered region without a cdev opens as ENXIO.
import { BUILTIN_BLKDEVS, BUILTIN_CHRDEVS } from './builtin-devices.js';
import { EBUSY, EINVAL } from './errno.js';
import type { Kernel } from './kernel.js';

/** include/linux/fs.h (6.1). */
export const CHRDEV_MAJOR_MAX = 512;
const CHRDEV_MAJOR_HASH_SIZE = 255;
const CHRDEV_MAJOR_DYN_END = 234;
const CHRDEV_MAJOR_DYN_EXT_START = 511;
const CHRDEV_MAJOR_DYN_EXT_END = 384;
/** struct char_device_struct's name[64]: strlcpy keeps 63 bytes. */
const NAME_MAX = 63;

export interface Region {
  major: number;
  baseminor: number;
  minorct: number;
  name: string;
  /** The cdev register_chrdev made for the region (freed by unregister_chrdev). */
  cdev: bigint;
}

/** A built-in driver's open (misc_open): the fops to use and the file's private_data. */
export interface BuiltinOpen {
  fops: bigint;
  privateData: bigint;
}

/** A driver built into the kernel that serves a range of numbers (the misc major). */
export interface BuiltinDriver {
  name: string;
  /** Find what serves `devt`; throws KernelError (misc_open: ENODEV) when nothing does. */
  open(devt: number): BuiltinOpen;
}

/** One cdev_add(): `count` numbers from `dev` go to the cdev at `cdev` (or a built-in driver). */
export interface CdevMapping {
  dev: number;
  count: number;
  cdev: bigint;
  builtin?: BuiltinDriver;
  /** The cdev was in a module's memory and the module is gone (it never called cdev_del). */
  stale?: boolean;
}

export class CharDevices {
  readonly minorBits: number;
  /** chrdevs[]: each bucket sorted by major, then first minor. */
  private readonly chrdevs: Region[][] = Array.from({ length: CHRDEV_MAJOR_HASH_SIZE }, () => []);
  /** kobj_map: newest first; lookup takes the smallest range holding the number. */
  private readonly map: CdevMapping[] = [];

  constructor(private readonly k: Kernel) {
    this.minorBits = k.identity.facts.MINORBITS;
    for (const [major, baseminor, minorct, name] of BUILTIN_CHRDEVS) this.register(major, baseminor, minorct, name);
  }

  get minorMask(): number {
    return 2 ** this.minorBits - 1;
  }

  mkdev(major: number, minor: number): number {
    return ((major * 2 ** this.minorBits) + minor) >>> 0;
  }

  major(dev: number): number {
    return Math.floor((dev >>> 0) / 2 ** this.minorBits);
  }

  minor(dev: number): number {
    return (dev >>> 0) % 2 ** this.minorBits;
  }

  private findDynamicMajor(): number {
    for (let i = CHRDEV_MAJOR_HASH_SIZE - 1; i >= CHRDEV_MAJOR_DYN_END; i--) if (this.chrdevs[i]!.length === 0) return i;
    for (let i = CHRDEV_MAJOR_DYN_EXT_START; i >= CHRDEV_MAJOR_DYN_EXT_END; i--) {
      if (!this.chrdevs[i % CHRDEV_MAJOR_HASH_SIZE]!.some((r) => r.major === i)) return i;
    }
    return -EBUSY;
  }

  /** __register_chrdev_region: the new region, or -errno (the kernel's message logged). */
  register(major: number, baseminor: number, minorct: number, name: string): Region | number {
    major >>>= 0;
    baseminor >>>= 0;
    if (major >= CHRDEV_MAJOR_MAX) {
      this.k.log.emit(3, `CHRDEV "${name}" major requested (${major}) is greater than the maximum (${CHRDEV_MAJOR_MAX - 1})`);
      return -EINVAL;
    }
    // The kernel compares an int count with an unsigned bound: a negative count is huge.
    if ((minorct >>> 0) > ((this.minorMask + 1 - baseminor) >>> 0)) {
      const last = (baseminor + minorct - 1) >>> 0;
      this.k.log.emit(
        3,
        `CHRDEV "${name}" minor range requested (${baseminor}-${last}) is out of range of maximum range (0-${this.minorMask}) for a single major`,
      );
      return -EINVAL;
    }
    if (major === 0) {
      const got = this.findDynamicMajor();
      if (got < 0) {
        this.k.log.emit(3, `CHRDEV "${name}" dynamic allocation region is full`);
        return got;
      }
      major = got;
    }
    const bucket = this.chrdevs[major % CHRDEV_MAJOR_HASH_SIZE]!;
    let at = 0;
    for (; at < bucket.length; at++) {
      const cur = bucket[at]!;
      if (cur.major < major) continue;
      if (cur.major > major) break;
      if (cur.baseminor + cur.minorct <= baseminor) continue;
      if (cur.baseminor >= baseminor + minorct) break;
      return -EBUSY;
    }
    const r: Region = { major, baseminor, minorct, name: name.slice(0, NAME_MAX), cdev: 0n };
    bucket.splice(at, 0, r);
    return r;
  }

  /** __unregister_chrdev_region: the region with exactly these numbers, taken out. */
  unregister(major: number, baseminor: number, minorct: number): Region | undefined {
    const bucket = this.chrdevs[(major >>> 0) % CHRDEV_MAJOR_HASH_SIZE]!;
    const i = bucket.findIndex((r) => r.major === major >>> 0 && r.baseminor === baseminor >>> 0 && r.minorct === minorct);
    return i < 0 ? undefined : bucket.splice(i, 1)[0];
  }

  /** register_chrdev_region(from, count, name): one region per major the range touches. */
  registerRange(from: number, count: number, name: string): number {
    const to = (from + count) >>> 0;
    for (let n = from >>> 0; n < to; ) {
      const next = Math.min(this.mkdev(this.major(n) + 1, 0), to);
      const r = this.register(this.major(n), this.minor(n), next - n, name);
      if (typeof r === 'number') {
        for (let p = from >>> 0; p < n; ) {
          const pn = this.mkdev(this.major(p) + 1, 0);
          this.unregister(this.major(p), this.minor(p), pn - p);
          p = pn;
        }
        return r;
      }
      n = next;
    }
    return 0;
  }

  /** unregister_chrdev_region(from, count). */
  unregisterRange(from: number, count: number): void {
    const to = (from + count) >>> 0;
    for (let n = from >>> 0; n < to; ) {
      const next = Math.min(this.mkdev(this.major(n) + 1, 0), to);
      this.unregister(this.major(n), this.minor(n), next - n);
      n = next;
    }
  }

  /** cdev_add's kobj_map(): numbers dev..dev+count-1 now open the cdev. */
  mapCdev(m: CdevMapping): void {
    this.map.unshift(m);
  }

  /** kobj_unmap(): the newest mapping of exactly these numbers goes. */
  unmap(dev: number, count: number): CdevMapping | undefined {
    const i = this.map.findIndex((e) => e.dev === dev >>> 0 && e.count === count);
    return i < 0 ? undefined : this.map.splice(i, 1)[0];
  }

  /** kobj_lookup(): the mapping that serves `dev` (smallest range, newest among equals). */
  lookup(dev: number): CdevMapping | undefined {
    let best: CdevMapping | undefined;
    for (const e of this.map) {
      if ((dev >>> 0) < e.dev || (dev >>> 0) - e.dev >= e.count) continue;
      if (!best || e.count < best.count) best = e;
    }
    return best;
  }

  /** Mappings whose cdev satisfies `inside` (a module's memory, at unload). */
  mappingsWhere(inside: (cdev: bigint) => boolean): CdevMapping[] {
    return this.map.filter((e) => !e.builtin && inside(e.cdev));
  }

  /** /proc/devices (fs/proc/devices.c): each major in order, then the block devices. */
  procDevices(): string {
    let out = 'Character devices:\n';
    for (let major = 0; major < CHRDEV_MAJOR_MAX; major++) {
      for (const r of this.chrdevs[major % CHRDEV_MAJOR_HASH_SIZE]!) {
        if (r.major === major) out += `${String(major).padStart(3)} ${r.name}\n`;
      }
    }
    out += '\nBlock devices:\n';
    for (const [major, name] of [...BUILTIN_BLKDEVS].sort((a, b) => a[0] - b[0])) out += `${String(major).padStart(3)} ${name}\n`;
    return out;
  }
}
