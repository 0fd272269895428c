// drivers/base exports for character-device drivers: class_create/__class_create,
// class_destroy, device_create, device_destroy, device_unregister. State and sysfs/devtmpfs
// layout: kernel/device-model.ts. A device node opens through kernel/device-file.ts.
//
// class_create's signature changed in 6.4 (the owner argument went, and with it the
// __class_create wrapper); both are registered and the build's Module.symvers decides which
// one a module links against.
import type { TrapContext } from '../../cpu/types.js';
import type { CharDevices } from '../chrdev.js';
import { openChrdev } from '../device-file.js';
import { DeviceModel } from '../device-model.js';
import { ENODEV, ENOMEM, KernelError } from '../errno.js';
import { formatKernel } from '../format.js';
import type { Kernel } from '../kernel.js';
import { formatHooks, variadicArgs } from './format-hooks.js';

const MAX_ERRNO = 4095n;

export function registerDeviceModelApi(k: Kernel, chr: CharDevices): DeviceModel {
  const m = k.mem;
  const f = k.identity.facts;
  const hooks = formatHooks(k);
  const devices = new DeviceModel(k, chr, (devt, mode, flags, opener) => openChrdev(k, chr.lookup(devt), devt, mode, flags, opener));
  const errPtr = (errno: number) => BigInt.asUintN(64, BigInt(-errno));
  const isErrOrNull = (p: bigint) => p === 0n || BigInt.asUintN(64, p) >= BigInt.asUintN(64, -MAX_ERRNO);
  const str = (p: bigint) => Buffer.from(m.readCString(p, 256)).toString('latin1');
  const fail = (e: unknown): bigint => {
    if (e instanceof KernelError) return errPtr(e.errno);
    throw e;
  };

  const classCreate = (name: bigint): bigint => {
    const addr = k.kmalloc(f['class.size']);
    if (!addr) return errPtr(ENOMEM);
    m.writeU64(addr + BigInt(f['class.name']), name);
    try {
      devices.createClass(addr, str(name));
    } catch (e) {
      k.kfree(addr);
      return fail(e);
    }
    return addr;
  };
  k.exports.func('__class_create', (c) => classCreate(c.arg(1)));
  k.exports.func('class_create', (c) => classCreate(c.arg(0)));
  k.exports.func('class_destroy', (c) => {
    const cls = devices.byAddr(c.arg(0));
    if (isErrOrNull(c.arg(0)) || !cls) return;
    devices.destroyClass(cls);
    k.kfree(c.arg(0));
  });

  // device_create(class, parent, devt, drvdata, fmt, ...): the name is printf'd like kobject names.
  const deviceCreate = (c: TrapContext, nameArg: number): bigint => {
    const cls = devices.byAddr(c.arg(0));
    if (isErrOrNull(c.arg(0)) || !cls) return errPtr(ENODEV);
    const name = Buffer.from(formatKernel(m.readCString(c.arg(nameArg), 1024), variadicArgs(c, nameArg + 1), hooks)).toString('latin1');
    try {
      return devices.createDevice(cls, Number(c.arg(2) & 0xffffffffn), c.arg(3), c.arg(1), name).addr;
    } catch (e) {
      return fail(e);
    }
  };
  k.exports.func('device_create', (c) => deviceCreate(c, 4));
  // device_create_with_groups(class, parent, devt, drvdata, groups, fmt, ...): groups are not made.
  k.exports.func('device_create_with_groups', (c) => deviceCreate(c, 5));
  k.exports.func('device_destroy', (c) => {
    const cls = devices.byAddr(c.arg(0));
    const d = cls && devices.findByDevt(cls, Number(c.arg(1) & 0xffffffffn));
    if (d) devices.destroyDevice(d);
  });
  k.exports.func('device_unregister', (c) => {
    const d = devices.byDeviceAddr(c.arg(0));
    if (d) devices.destroyDevice(d);
  });
  return devices;
}
