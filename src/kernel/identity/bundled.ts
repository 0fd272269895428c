// The identity shipped with modfs: Debian's 6.1.0-56-amd64 build, which the committed .ko
// fixtures (examples/, faults, the csmith corpus) were built for. Generated from that build's
// headers package by scripts/bundle-identity.mjs; read from the source tree (the same relative
// path from src/kernel/identity/ and dist/kernel/identity/).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { KernelIdentity } from './identity.js';
import type { ProbeFacts } from './probe-fields.js';
import { parseSymvers } from './symvers.js';

export const BUNDLED_RELEASE = '6.1.0-56-amd64';

/** The file format: a KernelIdentity with its maps as plain data. */
export interface BundledFile {
  release: string;
  version: string;
  packageId: string;
  compileBy: string;
  compileHost: string;
  compiler: string;
  vermagic: string;
  config: Record<string, string>;
  /** Module.symvers text. */
  symvers: string;
  facts: ProbeFacts;
}

export function bundledPath(release: string): URL {
  return new URL(`../../../src/kernel/identity/bundled/${release}.json.gz`, import.meta.url);
}

const cache = new Map<string, BundledFile>();

function load(release: string): BundledFile {
  let f = cache.get(release);
  if (!f) {
    f = JSON.parse(gunzipSync(readFileSync(bundledPath(release))).toString('utf8')) as BundledFile;
    cache.set(release, f);
  }
  return f;
}

export function isBundled(release: string): boolean {
  return release === BUNDLED_RELEASE;
}

/** The bundled identity; `why` says why it was chosen (shown at mount). */
export function bundledIdentity(why = 'default'): KernelIdentity {
  const f = load(BUNDLED_RELEASE);
  return {
    release: f.release,
    version: f.version,
    packageId: f.packageId,
    compileBy: f.compileBy,
    compileHost: f.compileHost,
    compiler: f.compiler,
    vermagic: f.vermagic,
    config: new Map(Object.entries(f.config)),
    symvers: parseSymvers(f.symvers),
    facts: f.facts,
    origin: { how: 'bundled', why },
  };
}
