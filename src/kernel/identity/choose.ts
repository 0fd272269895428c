// Which kernel modfs emulates, decided as a tutorial's Makefile finds its headers
// (`KERNELDIR ?= /lib/modules/$(shell uname -r)/build`):
//   --kernel HEADERS_DIR|RELEASE, else MODFS_KERNEL (same meaning), else
//   /lib/modules/$(uname -r)/build, else the headers under /usr/src (the newest release of the
//   plain -amd64 flavour when there are several), else the bundled identity.
// A RELEASE names the bundled identity when it is the bundled one (so prebuilt fixtures keep
// loading whatever headers are installed), else /lib/modules/RELEASE/build or
// /usr/src/linux-headers-RELEASE.
import { readdirSync } from 'node:fs';
import { release as hostRelease } from 'node:os';
import { join } from 'node:path';
import { BUNDLED_RELEASE, bundledIdentity, isBundled } from './bundled.js';
import { readHeaders, isHeadersTree } from './headers.js';
import type { KernelIdentity } from './identity.js';
import { IdentityError, type ProbeOptions } from './probe.js';

export interface ChooseOptions extends ProbeOptions {
  /** The --kernel argument. */
  kernel?: string;
  env?: NodeJS.ProcessEnv;
  /** Roots, for tests: default /lib/modules and /usr/src, and the host's `uname -r`. */
  libModules?: string;
  usrSrc?: string;
  uname?: string;
}

export type ChosenIdentity = KernelIdentity & { probeCached?: boolean };

export function chooseIdentity(o: ChooseOptions = {}): ChosenIdentity {
  const env = o.env ?? process.env;
  const libModules = o.libModules ?? '/lib/modules';
  const usrSrc = o.usrSrc ?? '/usr/src';
  const probe: ProbeOptions = { env, noCache: o.noCache };
  const spec = o.kernel ?? (env.MODFS_KERNEL || undefined);
  if (spec !== undefined) {
    const how = o.kernel !== undefined ? 'flag' : 'env';
    if (spec.includes('/')) return readHeaders(spec, { how, path: spec }, probe);
    if (isBundled(spec)) return bundledIdentity(how === 'flag' ? `--kernel ${spec}` : `MODFS_KERNEL=${spec}`);
    for (const dir of [join(libModules, spec, 'build'), join(usrSrc, `linux-headers-${spec}`)]) {
      if (isHeadersTree(dir)) return readHeaders(dir, { how, path: dir }, probe);
    }
    throw new IdentityError(
      `no headers for kernel ${spec}: looked in ${join(libModules, spec, 'build')} and ${join(usrSrc, `linux-headers-${spec}`)} ` +
        `(on Debian: apt-get install linux-headers-${spec}); the bundled identity is ${BUNDLED_RELEASE}`,
    );
  }
  const running = join(libModules, o.uname ?? hostRelease(), 'build');
  if (isHeadersTree(running)) return readHeaders(running, { how: 'lib-modules', path: running }, probe);
  const installed = newestHeaders(usrSrc);
  if (installed) return readHeaders(installed, { how: 'usr-src', path: installed }, probe);
  return bundledIdentity('no kernel headers installed');
}

/** `linux-headers-6.1.0-57-amd64` -> numeric parts for ordering ([6,1,0,57]). */
function releaseKey(release: string): number[] {
  return (release.match(/\d+/g) ?? []).map(Number);
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

/** The headers tree under `root` a build would pick: newest plain -amd64, else newest of any flavour. */
export function newestHeaders(root: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => n.startsWith('linux-headers-') && isHeadersTree(join(root, n)));
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  const release = (n: string) => n.slice('linux-headers-'.length);
  // Plain flavour: the release ends in -amd64 with no other flavour word (rt, cloud) before it.
  const plain = names.filter((n) => /^[\d.]+-\d+-amd64$|^[\d.]+\+deb\d+-amd64$/.test(release(n)));
  const pool = plain.length ? plain : names;
  pool.sort((a, b) => compareKeys(releaseKey(release(b)), releaseKey(release(a))));
  return join(root, pool[0]!);
}
