#!/usr/bin/env node
// Write src/kernel/identity/bundled/<release>.json.gz: the identity modfs falls back to when no
// kernel headers are installed, read from a Debian headers package exactly as a mount reads one
// (release, version strings, .config, Module.symvers, the probe's binary facts).
//
//   npm run build && node scripts/bundle-identity.mjs [/usr/src/linux-headers-6.1.0-56-amd64]
//
// The bundled release is the one the committed .ko fixtures are built for (BUNDLED_RELEASE in
// src/kernel/identity/bundled.ts); rebuild both together.
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { readHeaders } = await import(`${root}dist/kernel/identity/headers.js`);
const { formatSymvers } = await import(`${root}dist/kernel/identity/symvers.js`);
const { BUNDLED_RELEASE } = await import(`${root}dist/kernel/identity/bundled.js`);

const dir = process.argv[2] ?? `/usr/src/linux-headers-${BUNDLED_RELEASE}`;
const id = readHeaders(dir, { how: 'flag', path: dir }, { noCache: true });
if (id.release !== BUNDLED_RELEASE) {
  console.error(`bundle-identity: ${dir} is ${id.release}, but BUNDLED_RELEASE is ${BUNDLED_RELEASE}`);
  process.exit(1);
}
const file = {
  release: id.release,
  version: id.version,
  packageId: id.packageId,
  compileBy: id.compileBy,
  compileHost: id.compileHost,
  compiler: id.compiler,
  vermagic: id.vermagic,
  config: Object.fromEntries(id.config),
  symvers: formatSymvers(id.symvers),
  facts: id.facts,
};
const out = `${root}src/kernel/identity/bundled/${id.release}.json.gz`;
mkdirSync(`${root}src/kernel/identity/bundled`, { recursive: true });
// mtime 0 in the gzip header: the same headers give the same bytes.
writeFileSync(out, gzipSync(Buffer.from(JSON.stringify(file, null, 1) + '\n'), { level: 9 }));
console.log(`bundle-identity: ${out} (${id.symvers.size} exports, ${id.config.size} config options)`);
console.log(JSON.stringify(id.facts));
