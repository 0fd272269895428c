// /proc: `kallsyms`, `modules` (seq_file, newest first), `version`, and `sys/kernel/{osrelease,tainted}`.
import { procVersion } from '../kernel/identity/identity.js';
import type { Kernel } from '../kernel/kernel.js';
import { ModuleState, type Module } from '../kernel/module.js';
import { moduleTaintLetters } from '../kernel/taint.js';
import { kallsymsText } from '../kernel/kallsyms-text.js';
import { attrFile } from './attr-file.js';
import { dir } from './dir.js';
import type { Caller, DirNode } from './node.js';

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
    show: (c) => k.visibleModules().map((m) => procModulesLine(m, seesAddresses(c))).join(''),
  });
  const tainted = attrFile({ mode: 0o644, size: 0, show: () => `${k.taint}\n` });
  const kallsyms = attrFile({ mode: 0o444, size: 0, show: (c) => kallsymsText(k, seesAddresses(c)) });
  const version = attrFile({ mode: 0o444, size: 0, show: () => procVersion(k.identity) });
  const osrelease = attrFile({ mode: 0o444, size: 0, show: () => `${k.identity.release}\n` });
  return dir(0o555, () => [
    ['kallsyms', kallsyms],
    ['modules', modules],
    ['sys', dir(0o555, () => [['kernel', dir(0o555, () => [['osrelease', osrelease], ['tainted', tainted]])]])],
    ['version', version],
  ]);
}
