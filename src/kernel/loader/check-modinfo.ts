// Version magic, license and the modinfo-driven taints (check_modinfo, set_license).
import { ENOEXEC } from '../errno.js';
import { enabled, type KernelIdentity } from '../identity/identity.js';
import { TAINT } from '../taint.js';
import { LoadError } from './load-error.js';
import { modinfoGet, type LoadInfo } from './load-info.js';

const GPL_COMPATIBLE = new Set(['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL']);

/** What the loader needs from the kernel while checking: taint bookkeeping and the log. */
export interface TaintSink {
  /** Kernel-wide taint mask. */
  globalTaint(): number;
  /** Adds `bit` to the module and the kernel; `unreliable` is LOCKDEP_NOW_UNRELIABLE. */
  taintModule(bit: number, unreliable: boolean): void;
  warn(msg: string): void;
  err(msg: string): void;
  /** pr_notice */
  info5?(msg: string): void;
  /** The emulated build's policy: MODULE_FORCE_LOAD (else a forced load is refused). */
  forceLoadAllowed: boolean;
  /** Called when the module was refused for being built for another kernel (modfs's hint). */
  builtForOtherKernel(modVermagic: string | undefined): void;
}

/**
 * same_magic: with MODVERSIONS and a __versions section the release (up to the first space) is
 * not compared, since the CRCs check the interface; without MODVERSIONS the whole string is.
 */
export function sameMagic(mod: string, kernel: string, hasCrcs: boolean, modversions = true): boolean {
  const cut = (s: string) => (modversions && hasCrcs ? s.slice(s.indexOf(' ') < 0 ? s.length : s.indexOf(' ')) : s);
  return cut(mod) === cut(kernel);
}

/** try_to_force_load: MODULE_FORCE_LOAD=y turns the problem into taint F; without it, ENOEXEC. */
export function forceLoad(modName: string, reason: string, t: TaintSink): void {
  if (!t.forceLoadAllowed) throw new LoadError(ENOEXEC);
  if (!(t.globalTaint() & (1 << TAINT.FORCED_MODULE))) t.warn(`${modName}: ${reason}: kernel tainted.`);
  t.taintModule(TAINT.FORCED_MODULE, true);
}

export function checkModinfo(info: LoadInfo, modName: string, t: TaintSink, id: KernelIdentity): void {
  const magic = modinfoGet(info, 'vermagic');
  if (magic === undefined) forceLoad(modName, 'bad vermagic', t);
  else if (!sameMagic(magic, id.vermagic, info.versIndex !== 0, enabled(id, 'MODVERSIONS'))) {
    t.err(`${info.name}: version magic '${magic}' should be '${id.vermagic}'`);
    t.builtForOtherKernel(magic);
    throw new LoadError(ENOEXEC);
  }
  if (modinfoGet(info, 'intree') === undefined) {
    if (!(t.globalTaint() & (1 << TAINT.OOT_MODULE))) t.warn(`${modName}: loading out-of-tree module taints kernel.`);
    t.taintModule(TAINT.OOT_MODULE, false);
  }
  // A missing `retpoline` tag only warns when the host's Spectre v2 mitigation is retpoline-based;
  // the emulated CPU has no such mitigation, so no warning (documented in README).
  if (modinfoGet(info, 'staging') !== undefined) {
    t.taintModule(TAINT.CRAP, false);
    t.warn(`${modName}: module is from the staging directory, the quality is unknown, you have been warned.`);
  }
  if (modinfoGet(info, 'livepatch') !== undefined) {
    if (!(t.globalTaint() & (1 << TAINT.LIVEPATCH))) t.info5?.(`${modName}: tainting kernel with TAINT_LIVEPATCH`);
    t.taintModule(TAINT.LIVEPATCH, false);
  }
  const license = modinfoGet(info, 'license') ?? 'unspecified';
  if (!GPL_COMPATIBLE.has(license)) {
    if (!(t.globalTaint() & (1 << TAINT.PROPRIETARY_MODULE))) t.warn(`${modName}: module license '${license}' taints kernel.`);
    t.taintModule(TAINT.PROPRIETARY_MODULE, true);
  }
  if (modinfoGet(info, 'test') !== undefined) {
    if (!(t.globalTaint() & (1 << TAINT.TEST))) t.warn(`${modName}: loading test module taints kernel.`);
    t.taintModule(TAINT.TEST, false);
  }
}
