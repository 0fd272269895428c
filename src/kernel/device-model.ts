// Device classes and the devices made in them (drivers/base/{class,core}.c, devtmpfs): what
// class_create() and device_create() leave in the tree.
//
// - /sys/class/<class>/ per class; per device /sys/class/<class>/<name>/ with `dev` ("MAJOR:MINOR"
//   when the device has a number), `uevent` (MAJOR, MINOR, DEVNAME, DEVMODE as dev_uevent
//   reports them), `subsystem` and `power/`. On the real kernel that directory lives under
//   /sys/devices/virtual/<class>/ and the class entry is a symlink to it; modfs has no
//   /sys/devices, so the class entry is the directory itself.
// - /dev/<node> as devtmpfs makes it: the name from the class's devnode() (or the device name
//   with '!' as '/'), mode from devnode() or 0600, owned by root; directories in the name are
//   made as needed and removed when empty. It cannot be a real character device on a FUSE mount
//   (the host would open its own driver for that number), so it is a regular file whose open
//   dispatches by its number (device-file.ts).
import type { CharDevices } from './chrdev.js';
import { EEXIST, ENOMEM, KernelError } from './errno.js';
import type { Kernel } from './kernel.js';
import { kdir, kfile, ksymlink, type KEntry, type KOpenFile, type Opener } from './kfs.js';
import { dumpStack } from './oops.js';

/** What a class's devnode() says about a device's node. */
export interface Devnode {
  name?: string;
  mode?: number;
}

export interface DevClass {
  /** The struct class module code holds (0n for none). */
  addr: bigint;
  name: string;
  dir: KEntry;
  devices: Device[];
  /** A built-in class's devnode() (misc_devnode); module classes set class->devnode in memory. */
  devnode?: (d: Device) => Devnode;
}

export interface Device {
  /** The struct device (allocated by device_create). */
  addr: bigint;
  devt: number;
  name: string;
  cls: DevClass;
  drvdata: bigint;
  dir: KEntry;
  /** The /dev entry and the path it was made at. */
  node?: KEntry;
  nodePath?: string;
  nodeMode: number;
}

const S_IFCHR = 0o020000;

/** How a device node opens: by number, to the driver registered for it (device-file.ts). */
export type NodeOpener = (devt: number, mode: number, flags: number, opener: Opener) => KOpenFile;

export class DeviceModel {
  private readonly classes: DevClass[] = [];

  constructor(
    private readonly k: Kernel,
    private readonly chr: CharDevices,
    private readonly openNode: NodeOpener,
  ) {}

  byAddr(addr: bigint): DevClass | undefined {
    return this.classes.find((c) => c.addr === addr && addr !== 0n);
  }

  /** sysfs_warn_dup + kobject_add_internal's complaint: the kernel's words for a taken name. */
  private duplicate(path: string, name: string): KernelError {
    this.k.log.emit(4, `sysfs: cannot create duplicate filename '${path}'`);
    dumpStack(this.k, this.k.sched.current, ['dump_stack_lvl+0x44/0x5c', 'sysfs_warn_dup.cold+0x17/0x24']);
    this.k.log.emit(3, `kobject_add_internal failed for ${name} with -EEXIST, don't try to register things with the same name in the same directory.`);
    return new KernelError(EEXIST);
  }

  /** class_register: /sys/class/<name>. */
  createClass(addr: bigint, name: string, devnode?: (d: Device) => Devnode): DevClass {
    const sysName = name.replace(/\//g, '!');
    const dir = kdir(sysName, 0o755);
    if (!this.k.files.sysClass.add(dir)) throw this.duplicate(`/class/${sysName}`, sysName);
    const c: DevClass = { addr, name, dir, devices: [], devnode };
    this.classes.push(c);
    return c;
  }

  /** class_destroy: the class directory goes (with any device the driver left in it). */
  destroyClass(c: DevClass): void {
    for (const d of [...c.devices]) this.destroyDevice(d);
    c.dir.remove();
    this.classes.splice(this.classes.indexOf(c), 1);
  }

  /** device_create: a struct device, its sysfs directory and its node. */
  createDevice(c: DevClass, devt: number, drvdata: bigint, parent: bigint, name: string): Device {
    const f = this.k.identity.facts;
    const m = this.k.mem;
    const sysName = name.replace(/\//g, '!');
    if (c.dir.children.has(sysName)) throw this.duplicate(`/devices/virtual/${c.dir.name}/${sysName}`, sysName);
    const addr = this.k.kmalloc(f['device.size']);
    if (!addr) throw new KernelError(ENOMEM);
    const kname = this.k.kstrdup(Buffer.from(sysName, 'latin1'));
    m.writeU64(addr + BigInt(f['device.kobj'] + f['kobject.name']), kname);
    m.writeU32(addr + BigInt(f['device.devt']), devt);
    m.writeU64(addr + BigInt(f['device.class']), c.addr);
    m.writeU64(addr + BigInt(f['device.parent']), parent);
    m.writeU64(addr + BigInt(f['device.driver_data']), drvdata);
    const dir = kdir(sysName, 0o755);
    const d: Device = { addr, devt, name: sysName, cls: c, drvdata, dir, nodeMode: 0 };
    const hasNumber = this.chr.major(devt) !== 0;
    if (hasNumber) dir.add(this.attr('dev', 0o444, () => `${this.chr.major(devt)}:${this.chr.minor(devt)}\n`));
    dir.add(kdir('power', 0o755));
    dir.add(ksymlink('subsystem', `../../../../class/${c.dir.name}`));
    dir.add(this.attr('uevent', 0o644, () => this.uevent(d), true));
    c.dir.add(dir);
    c.devices.push(d);
    if (hasNumber) this.makeNode(d);
    return d;
  }

  /** device_unregister: node, sysfs directory and struct device go. */
  destroyDevice(d: Device): void {
    const c = d.cls;
    const i = c.devices.indexOf(d);
    if (i < 0) return;
    c.devices.splice(i, 1);
    this.removeNode(d);
    d.dir.remove();
    const f = this.k.identity.facts;
    this.k.kfree(this.k.mem.readU64(d.addr + BigInt(f['device.kobj'] + f['kobject.name'])));
    this.k.kfree(d.addr);
  }

  /** device_destroy(class, devt): the class's device with that number, if any. */
  findByDevt(c: DevClass, devt: number): Device | undefined {
    return c.devices.find((d) => d.devt === devt);
  }

  byDeviceAddr(addr: bigint): Device | undefined {
    for (const c of this.classes) for (const d of c.devices) if (d.addr === addr) return d;
    return undefined;
  }

  /** device_get_devnode: the node's path under /dev and mode (0 = devtmpfs's default). */
  private devnode(d: Device): { name: string; mode: number } {
    const f = this.k.identity.facts;
    let info: Devnode = {};
    if (d.cls.devnode) info = d.cls.devnode(d);
    else if (d.cls.addr) {
      const fn = this.k.mem.readU64(d.cls.addr + BigInt(f['class.devnode']));
      if (fn) info = this.callDevnode(fn, d);
    }
    return { name: info.name ?? d.name.replace(/!/g, '/'), mode: (info.mode ?? 0) & 0o7777 };
  }

  /** A driver's class->devnode(dev, &mode): the name it returns is kfree'd after use. */
  private callDevnode(fn: bigint, d: Device): Devnode {
    const k = this.k;
    const modeAt = k.kmalloc(8);
    try {
      const name = k.callModule(fn, [d.addr, modeAt]);
      const mode = k.mem.readU16(modeAt);
      let s: string | undefined;
      if (name !== 0n) {
        s = Buffer.from(k.mem.readCString(name, 256)).toString('latin1');
        k.kfree(name);
      }
      return { name: s, mode: mode || undefined };
    } finally {
      k.kfree(modeAt);
    }
  }

  private uevent(d: Device): string {
    let s = '';
    if (this.chr.major(d.devt) !== 0) {
      s += `MAJOR=${this.chr.major(d.devt)}\nMINOR=${this.chr.minor(d.devt)}\n`;
      const n = this.devnode(d);
      s += `DEVNAME=${n.name}\n`;
      if (n.mode) s += `DEVMODE=0${(n.mode & 0o777).toString(8)}\n`;
    }
    return s;
  }

  /** A sysfs attribute of the device: 4096 bytes by stat, the text of `show` when read. */
  private attr(name: string, mode: number, show: () => string, writable = false): KEntry {
    const e = kfile(
      name,
      mode,
      {
        open: () => {
          let text: Buffer | undefined;
          const file: KOpenFile = {
            read: (pos, len) => (text ??= Buffer.from(show(), 'latin1')).subarray(pos, pos + len),
          };
          // uevent_store: a synthetic uevent for udev; there is no udev to tell, the write is taken.
          if (writable) file.write = (_pos, data) => data.length;
          return file;
        },
      },
      4096,
    );
    return e;
  }

  /** devtmpfs_create_node: /dev/<name> (directories on the way made 0755). */
  private makeNode(d: Device): void {
    const { name, mode } = this.devnode(d);
    const parts = name.split('/').filter((p) => p);
    if (!parts.length) return;
    let at = this.k.files.dev;
    for (const p of parts.slice(0, -1)) {
      let next = at.children.get(p);
      if (!next) at.add((next = kdir(p, 0o755)));
      if (next.kind !== 'dir') return;
      at = next;
    }
    const perm = mode || 0o600;
    const devt = d.devt;
    const node = kfile(parts[parts.length - 1]!, perm, { open: (flags, opener) => this.openNode(devt, S_IFCHR | node.mode, flags, opener) });
    // devtmpfs leaves a node of that name alone (the first device keeps it).
    if (!at.add(node)) return;
    d.node = node;
    d.nodePath = parts.join('/');
    d.nodeMode = perm;
  }

  /** devtmpfs_delete_node: the node, then each directory on its path that is now empty. */
  private removeNode(d: Device): void {
    const node = d.node;
    if (!node) return;
    let dir = node.parent;
    node.remove();
    d.node = undefined;
    while (dir && dir !== this.k.files.dev && dir.children.size === 0) {
      const up: KEntry | undefined = dir.parent;
      dir.remove();
      dir = up;
    }
  }
}
