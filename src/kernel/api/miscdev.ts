// drivers/char/misc.c: the misc major (10, a built-in driver whose open finds the device by
// minor), the "misc" class with its devnode (the device's mode and nodename), misc_register /
// misc_deregister, and /proc/misc.
//
// Dynamic minors are handed out from 127 down (DYNAMIC_MINORS = 128 in this 6.1); the kernel's
// own misc devices (builtin-devices.ts) hold theirs from boot, so the first module gets 124 as
// on the real guest. Fixed minors are refused with -EBUSY when any device has them.
import { BUILTIN_MISC } from '../builtin-devices.js';
import type { CharDevices } from '../chrdev.js';
import type { DeviceModel, Device } from '../device-model.js';
import { EBUSY, ENODEV, ENXIO, KernelError } from '../errno.js';
import type { Kernel } from '../kernel.js';
import { kfile } from '../kfs.js';

const MISC_MAJOR = 10;
const MISC_DYNAMIC_MINOR = 255;
const DYNAMIC_MINORS = 128;

interface Misc {
  /** The struct miscdevice (0n for the kernel's own). */
  addr: bigint;
  minor: number;
  name: string;
  dynamic: boolean;
  device?: Device;
  /** Its module was freed without misc_deregister: the struct is freed memory now. */
  gone?: boolean;
}

export function registerMiscdevApi(k: Kernel, chr: CharDevices, devices: DeviceModel): void {
  const m = k.mem;
  const f = k.identity.facts;
  const MINOR = BigInt(f['miscdevice.minor']);
  const NAME = BigInt(f['miscdevice.name']);
  const FOPS = BigInt(f['miscdevice.fops']);
  const THIS_DEVICE = BigInt(f['miscdevice.this_device']);
  const NODENAME = BigInt(f['miscdevice.nodename']);
  const MODE = BigInt(f['miscdevice.mode']);
  const LIST = BigInt(f['miscdevice.list']);
  const str = (p: bigint) => (p === 0n ? '' : Buffer.from(m.readCString(p, 256)).toString('latin1'));

  /** misc_list: newest first (list_add at the head, so later devices override earlier ones). */
  const list: Misc[] = [];
  const minors = new Array<boolean>(DYNAMIC_MINORS).fill(false);
  for (const [minor, name] of BUILTIN_MISC) {
    list.unshift({ addr: 0n, minor, name, dynamic: false });
    const i = DYNAMIC_MINORS - minor - 1;
    if (i >= 0 && i < DYNAMIC_MINORS) minors[i] = true;
  }

  // The misc major: register_chrdev(MISC_MAJOR, "misc", &misc_fops) at boot (its region is in
  // builtin-devices.ts); misc_open is the driver below.
  const cdev = k.kmalloc(f['cdev.size']);
  chr.mapCdev({
    dev: chr.mkdev(MISC_MAJOR, 0),
    count: 256,
    cdev,
    builtin: {
      name: 'misc',
      open(devt) {
        const c = list.find((x) => x.minor === chr.minor(devt) && x.addr !== 0n);
        if (!c) throw new KernelError(ENODEV);
        // The real kernel would read the freed miscdevice here; modfs refuses the open.
        if (c.gone) throw new KernelError(ENXIO);
        return { fops: m.readU64(c.addr + FOPS), privateData: c.addr };
      },
    },
  });
  // misc_devnode: the device's mode and nodename, read from its struct miscdevice.
  const classAddr = k.kmalloc(f['class.size']);
  const miscClass = devices.createClass(classAddr, 'misc', (d) => {
    const misc = d.drvdata;
    const mode = m.readU16(misc + MODE);
    const node = m.readU64(misc + NODENAME);
    return { mode: mode || undefined, name: node ? str(node) : undefined };
  });

  k.exports.func('misc_register', (c) => {
    const addr = c.arg(0);
    const list0 = addr + LIST;
    m.writeU64(list0, list0);
    m.writeU64(list0 + 8n, list0);
    const requested = m.readU32(addr + MINOR);
    const dynamic = requested === MISC_DYNAMIC_MINOR;
    let minor = requested;
    if (dynamic) {
      const i = minors.indexOf(false);
      if (i < 0) return -EBUSY;
      minor = DYNAMIC_MINORS - i - 1;
      minors[i] = true;
      m.writeU32(addr + MINOR, minor);
    } else if (list.some((x) => x.minor === minor)) {
      return -EBUSY;
    }
    const name = str(m.readU64(addr + NAME));
    const entry: Misc = { addr, minor, name, dynamic };
    try {
      entry.device = devices.createDevice(miscClass, chr.mkdev(MISC_MAJOR, minor), addr, 0n, name);
    } catch (e) {
      if (dynamic) {
        minors[DYNAMIC_MINORS - minor - 1] = false;
        m.writeU32(addr + MINOR, MISC_DYNAMIC_MINOR);
      }
      if (e instanceof KernelError) return -e.errno;
      throw e;
    }
    m.writeU64(addr + THIS_DEVICE, entry.device.addr);
    list.unshift(entry);
    return 0;
  });

  k.exports.func('misc_deregister', (c) => {
    const addr = c.arg(0);
    const i = list.findIndex((x) => x.addr === addr && addr !== 0n);
    // WARN_ON(list_empty(&misc->list)): never registered, nothing to do.
    if (i < 0) return;
    const [entry] = list.splice(i, 1);
    if (entry!.device) devices.destroyDevice(entry!.device);
    const bit = DYNAMIC_MINORS - entry!.minor - 1;
    if (bit >= 0 && bit < DYNAMIC_MINORS) minors[bit] = false;
  });

  // A module freed without misc_deregister leaves its entry on the list (no warning).
  k.moduleFreeHooks.push((mod) => {
    for (const x of list) if (x.addr && mod.containsAddress(x.addr)) x.gone = true;
  });

  // /proc/misc (misc_seq_show): "%3i %s\n" per device, newest first.
  k.files.proc.add(
    kfile('misc', 0o444, {
      open: () => {
        const text = Buffer.from(list.map((x) => `${String(x.minor).padStart(3)} ${x.name}\n`).join(''), 'latin1');
        return { read: (pos, len) => text.subarray(pos, pos + len) };
      },
    }),
  );
}
