// The kernel modfs emulates: one build of Linux, described by the same files kbuild builds a
// module against (a headers tree: release, version strings, .config, Module.symvers) plus the
// few binary facts module code depends on (struct offsets), measured from those headers by a
// probe (probe.ts). Everything that differs between kernel builds is read from here; nothing
// else in modfs names a release.
import type { ProbeFacts } from './probe-fields.js';

export interface SymversEntry {
  /** modversions CRC (0 when the build has no MODVERSIONS). */
  crc: number;
  /** EXPORT_SYMBOL_GPL. */
  gpl: boolean;
  /** EXPORT_SYMBOL_NS namespace, '' for none. */
  namespace: string;
  /** `vmlinux`, or the in-tree module that exports it (its path without .ko). */
  owner: string;
}

/** How the identity was chosen, for the mount's first line and the refusal hint. */
export type IdentityOrigin =
  | { how: 'bundled'; why: string }
  | { how: 'flag' | 'env' | 'lib-modules' | 'usr-src'; path: string };

export interface KernelIdentity {
  /** UTS_RELEASE, e.g. 6.1.0-57-amd64 (`uname -r`). */
  release: string;
  /** UTS_VERSION, e.g. `#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)` (`uname -v`). */
  version: string;
  /** Debian's LINUX_PACKAGE_ID (` Debian 6.1.192-3`, leading space), '' elsewhere. */
  packageId: string;
  compileBy: string;
  compileHost: string;
  compiler: string;
  /** VERMAGIC_STRING as the kernel compares it with a module's `vermagic=`. */
  vermagic: string;
  /** .config: CONFIG_ name without the prefix -> value (`y`, `m`, a number, a quoted string). */
  config: ReadonlyMap<string, string>;
  /** Module.symvers: every export of the build (vmlinux and in-tree modules). */
  symvers: ReadonlyMap<string, SymversEntry>;
  facts: ProbeFacts;
  origin: IdentityOrigin;
}

/** `y` options; a missing option is off, as kbuild treats it. */
export function enabled(id: KernelIdentity, option: string): boolean {
  return id.config.get(option) === 'y';
}

export function configNumber(id: KernelIdentity, option: string, fallback: number): number {
  const v = id.config.get(option);
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : fallback;
}

/** The kernel image's own export of `name` (not an in-tree module's), if the build has one. */
export function vmlinuxExport(id: KernelIdentity, name: string): SymversEntry | undefined {
  const e = id.symvers.get(name);
  return e && e.owner === 'vmlinux' ? e : undefined;
}

/** LINUX_VERSION_CODE as [major, minor, sublevel]. */
export function versionTriple(id: KernelIdentity): [number, number, number] {
  const c = id.facts.versionCode;
  return [c >> 16, (c >> 8) & 0xff, c & 0xff];
}

/** /proc/version (init/version-timestamp.c: linux_banner). */
export function procVersion(id: KernelIdentity): string {
  return `Linux version ${id.release} (${id.compileBy}@${id.compileHost}) (${id.compiler}) ${id.version}\n`;
}

/**
 * The tail of dump_stack's `CPU: ... Comm: ...` line (lib/dump_stack.c): release, the first word
 * of the version, then Debian's package id (which starts with a space, hence `#1  Debian`).
 */
export function dumpStackUname(id: KernelIdentity): string {
  const first = id.version.slice(0, id.version.search(/ |$/));
  return `${id.release} ${first} ${id.packageId}`;
}

/** Where the identity came from, in words (the mount's first line, the refusal hint). */
export function describeOrigin(o: IdentityOrigin): string {
  switch (o.how) {
    case 'bundled':
      return `the identity bundled with modfs (${o.why})`;
    case 'flag':
      return `--kernel ${o.path}`;
    case 'env':
      return `MODFS_KERNEL=${o.path}`;
    case 'lib-modules':
    case 'usr-src':
      return o.path;
  }
}
