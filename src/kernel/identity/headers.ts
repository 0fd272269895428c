// A kernel identity read from a headers tree (what `make -C DIR M=$PWD modules` builds against:
// Debian's /usr/src/linux-headers-<release>, /lib/modules/<release>/build, or a built kernel).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IdentityOrigin, KernelIdentity } from './identity.js';
import { IdentityError, probeBuild, type ProbeOptions } from './probe.js';
import { parseKconfig, parseSymvers } from './symvers.js';

function read(dir: string, rel: string): string | undefined {
  try {
    return readFileSync(join(dir, rel), 'latin1');
  } catch {
    return undefined;
  }
}

/** `#define NAME "value"` from a generated header. */
function define(text: string | undefined, name: string): string | undefined {
  const m = text?.match(new RegExp(`^#define\\s+${name}\\s+"((?:[^"\\\\]|\\\\.)*)"`, 'm'));
  return m?.[1]?.replace(/\\(.)/g, '$1');
}

/** Is `dir` something kbuild can build an external module against? */
export function isHeadersTree(dir: string): boolean {
  return existsSync(join(dir, 'Makefile')) && existsSync(join(dir, 'Module.symvers')) && existsSync(join(dir, '.config'));
}

/**
 * The release a headers tree is for, without probing it: UTS_RELEASE, what `uname -r` prints.
 * Debian's include/config/kernel.release holds the upstream version (6.1.192) instead, because
 * its packaging overrides KERNELRELEASE only in .kernelvariables; it is the fallback.
 */
export function headersRelease(dir: string): string | undefined {
  return define(read(dir, 'include/generated/utsrelease.h'), 'UTS_RELEASE') || read(dir, 'include/config/kernel.release')?.trim();
}

export function readHeaders(dir: string, origin: IdentityOrigin, opts: ProbeOptions = {}): KernelIdentity & { probeCached: boolean } {
  if (!existsSync(dir)) throw new IdentityError(`${dir}: no such directory`);
  for (const f of ['Makefile', '.config', 'Module.symvers']) {
    if (!existsSync(join(dir, f))) throw new IdentityError(`${dir} is not a kernel headers tree: it has no ${f}`);
  }
  const release = headersRelease(dir);
  if (!release) throw new IdentityError(`${dir} is not a kernel headers tree: it has no include/generated/utsrelease.h`);
  const compile = read(dir, 'include/generated/compile.h');
  // UTS_VERSION moved from compile.h to utsversion.h in 6.0.
  const version = define(read(dir, 'include/generated/utsversion.h'), 'UTS_VERSION') ?? define(compile, 'UTS_VERSION') ?? '#1 SMP';
  const probe = probeBuild(dir, release, opts);
  return {
    release,
    version,
    packageId: define(read(dir, 'include/generated/package.h'), 'LINUX_PACKAGE_ID') ?? '',
    compileBy: define(compile, 'LINUX_COMPILE_BY') ?? 'unknown',
    compileHost: define(compile, 'LINUX_COMPILE_HOST') ?? 'unknown',
    compiler: define(compile, 'LINUX_COMPILER') ?? 'unknown compiler',
    vermagic: probe.vermagic,
    config: parseKconfig(read(dir, '.config') ?? ''),
    symvers: parseSymvers(read(dir, 'Module.symvers') ?? ''),
    facts: probe.facts,
    origin,
    probeCached: probe.cached,
  };
}
