// Every kernel area registers its exports here, in dependency order (params before users).
import type { Kernel } from '../kernel.js';
import { registerArchApi } from './arch.js';
import { registerBitmapApi } from './bitmap.js';
import { registerDebugfsApi } from './debugfs.js';
import { registerChrdevApi } from './chrdev.js';
import { registerDeviceModelApi } from './device-model.js';
import { registerDynamicDebugApi } from './dynamic-debug.js';
import { registerFindBitApi } from './find-bit.js';
import { registerHexdumpApi } from './hexdump.js';
import { registerLibApi } from './lib.js';
import { registerLibfsApi } from './libfs.js';
import { registerLockingApi } from './locking.js';
import { registerMiscApi } from './misc.js';
import { registerMiscdevApi } from './miscdev.js';
import { registerParamApi } from './params.js';
import { registerPrintkApi } from './printk.js';
import { registerRandomApi } from './random.js';
import { registerScanfApi } from './scanf.js';
import { registerSchedApi } from './sched.js';
import { registerSiphashApi } from './siphash.js';
import { registerSlabApi } from './slab.js';
import { registerSoftwareNodeApi } from './software-node.js';
import { registerStringApi } from './string.js';
import { registerSysfsApi } from './sysfs.js';
import { registerUuidApi } from './uuid.js';
import { registerUaccessApi } from './uaccess.js';
import { registerProcfsApi } from './procfs.js';
import { registerWaitqueueApi } from './waitqueue.js';

export function registerAllApis(k: Kernel): void {
  registerArchApi(k);
  registerPrintkApi(k);
  registerScanfApi(k);
  registerDynamicDebugApi(k);
  registerSlabApi(k);
  registerStringApi(k);
  registerUaccessApi(k);
  registerLibfsApi(k);
  registerProcfsApi(k);
  registerLibApi(k);
  registerBitmapApi(k);
  registerFindBitApi(k);
  registerParamApi(k);
  registerMiscApi(k);
  registerRandomApi(k);
  registerHexdumpApi(k);
  registerSiphashApi(k);
  registerUuidApi(k);
  registerSoftwareNodeApi(k);
  registerLockingApi(k);
  registerSchedApi(k);
  registerSysfsApi(k);
  registerDebugfsApi(k);
  registerWaitqueueApi(k);
  // Character devices: numbers and cdevs, then classes and devices (nodes open through the
  // cdev map), then the misc major built on both.
  const chr = registerChrdevApi(k);
  registerMiscdevApi(k, chr, registerDeviceModelApi(k, chr));
}
