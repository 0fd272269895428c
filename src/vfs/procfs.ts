// /proc: `kallsyms`, `modules` (seq_file, newest first), `version`, and `sys/kernel/{osrelease,tainted}`,
// then what kernel code made with proc_create (kernel/kfs.ts).
import { procVersion } from '../kernel/identity/identity.js';
import type { Kernel } from '../kernel/kernel.js';
import { ModuleState, type Module } from '../kernel/module.js';
import { moduleTaintLetters } from '../kernel/taint.js';
import { kallsymsText } from '../kernel/kallsyms-text.js';
import { attrFile } from './attr-file.js';
import { dir } from './dir.js';
import type { Caller, DirNode } from './node.js';
import { kfsDir } from './kfs-node.js';

const STATE = ['Live', 'Loading', 'Unloading'];

/** Readers who may see kernel addresses (kptr_restrict=1: CAP_SYSLOG, i.e. root here). */
export function seesAddresses(c: Caller): boolean {
  return c.uid === 0;
}

export function procModulesLine(m: Module, showAddr: boolean): string {
  let deps = m.holders.map((h) => `${h.name},`).join('');
  if (m.permanent) deps += '[permanent],';
  if (!deps) deps = '-';
  const addr = showAddr ? m.core.base : 0n;
  const taints = moduleTaintLetters(m.taints);
  const flags = taints ? ` (${taints}${m.state === ModuleState.GOING ? '-' : m.state === ModuleState.COMING ? '+' : ''})` : '';
  return `${m.name} ${m.core.size + m.init.size} ${m.refcnt} ${deps} ${STATE[m.state]} 0x${addr.toString(16).padStart(16, '0')}${flags}\n`;
}

export function procTree(k: Kernel): DirNode {
  const modules = attrFile({
    mode: 0o444,
    size: 0,
    // Names are bytes (latin1 strings): shown as the module gave them, so that the name a
    // reader sees is the name unload accepts.
    show: (c) => Buffer.from(k.visibleModules().map((m) => procModulesLine(m, seesAddresses(c))).join(''), 'latin1'),
  });
  const tainted = attrFile({ mode: 0o644, size: 0, show: () => `${k.taint}\n` });
  const kallsyms = attrFile({ mode: 0o444, size: 0, show: (c) => kallsymsText(k, seesAddresses(c)) });
  const version = attrFile({ mode: 0o444, size: 0, show: () => procVersion(k.identity) });
  const osrelease = attrFile({ mode: 0o444, size: 0, show: () => `${k.identity.release}\n` });
  // Made once: the FUSE layer tells nodes apart by identity.
  const kernel = dir(0o555, () => [['osrelease', osrelease], ['tainted', tainted]]);
  const sys = dir(0o555, () => [['kernel', kernel]]);
  // Entries made with proc_create and friends (k.files.proc) follow the kernel's own.
  return kfsDir(k.files.proc, () => [
    ['kallsyms', kallsyms],
    ['modules', modules],
    ['sys', sys],
    ['version', version],
  ]);
}
