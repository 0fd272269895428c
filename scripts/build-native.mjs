#!/usr/bin/env node
// Build native/ (the LD_PRELOAD shim and helpers) with the system's C compiler, if there is one.
// Never fails the install: without a compiler the features that need these say what is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../native/', import.meta.url));
const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
if (!have('make') || !(have('cc') || have('gcc'))) {
  process.stderr.write('modfs: no C compiler (cc) or make: native helpers not built; `modfs shell` and non-root mounts need them (apt-get install gcc make)\n');
} else {
  try {
    execFileSync('make', ['-s', '-C', dir], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    process.stderr.write('modfs: building native/ failed (see above); `modfs shell` and non-root mounts need it\n');
  }
}
