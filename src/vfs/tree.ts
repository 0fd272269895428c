// The whole mounted tree: /proc, /sys/module, /sys/kernel/modctl and /dev/kmsg over one kernel,
// with the entries kernel code creates (kernel/kfs.ts) under /proc, /sys/kernel, /sys/class, /dev.
import type { Kernel } from '../kernel/kernel.js';
import type { Module } from '../kernel/module.js';
import { devKmsg } from './devkmsg.js';
import { enabled } from '../kernel/identity/identity.js';
import { dir } from './dir.js';
import { modctlDir } from './modctl.js';
import type { DirNode } from './node.js';
import { procTree } from './procfs.js';
import { builtinDir, moduleDir } from './sysfs-module.js';
import { kfsDir, kfsNode } from './kfs-node.js';

export function sysfsName(name: string): string {
  return name.replace(/\//g, '!');
}

export function buildTree(k: Kernel, mountpoint: string): DirNode {
  const dirs = new WeakMap<Module, DirNode>();
  const moduleNode = (m: Module) => {
    let d = dirs.get(m);
    if (!d) dirs.set(m, (d = moduleDir(k, m)));
    return d;
  };
  const builtins = k.builtins.map((b) => [b.name, builtinDir(k, b)] as [string, DirNode]);
  // kobject names cannot hold '/': kobject_set_name_vargs shows it as '!' (a module named a/b
  // is sys/module/a!b), so no name can reach outside its directory.
  const sysModule = dir(
    0o755,
    () => [...builtins, ...k.modules.filter((m) => m.sysfs).map((m) => [sysfsName(m.name), moduleNode(m)] as [string, DirNode])],
    (cb) => k.onChange(cb),
  );
  const modctl = modctlDir(k, mountpoint);
  // Module-made entries (kobjects, debugfs, device nodes, classes) follow the fixed ones.
  const debug = kfsNode(k.files.debug);
  const sysKernel = kfsDir(k.files.sysKernel, () => [['debug', debug], ['modctl', modctl]]);
  const sysClass = kfsNode(k.files.sysClass);
  const sys = dir(0o755, () => [
    ['class', sysClass],
    ['kernel', sysKernel],
    ['module', sysModule],
  ]);
  const kmsg = devKmsg(k.log, enabled(k.identity, 'SECURITY_DMESG_RESTRICT'));
  const dev = kfsDir(k.files.dev, () => [['kmsg', kmsg]]);
  const proc = procTree(k);
  return dir(0o755, () => [
    ['dev', dev],
    ['proc', proc],
    ['sys', sys],
  ]);
}
