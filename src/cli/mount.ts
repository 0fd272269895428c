// modfs mount DIR: boot the emulated kernel and serve its tree in the foreground until SIGINT or
// SIGTERM (or an external unmount).
import * as path from 'node:path';
import type { Command } from './command.js';
import { Kernel } from '../kernel/kernel.js';
import { buildTree } from '../vfs/tree.js';
import { serveUntilStopped } from '../fuse/lifecycle.js';
import { defaultCallerPaths } from '../fuse/serve.js';
import { identityFor, identityLine, withKernelOption, type KernelArgs } from './kernel-option.js';

interface MountArgs extends KernelArgs {
  dir: string;
  debug?: boolean;
}

const mount: Command<MountArgs> = {
  command: 'mount <dir>',
  describe: 'Mount the emulated module subsystem at DIR and serve it in the foreground',
  builder: (y) =>
    withKernelOption(
      y
        .positional('dir', { type: 'string', demandOption: true, describe: 'mount point (created if missing)' })
        .option('debug', { type: 'boolean', describe: 'log FUSE operations to stderr' }),
    ),
  handler: async (argv) => {
    const dir = path.resolve(argv.dir);
    const identity = identityFor(argv, 'modfs mount');
    if (!identity) return;
    process.stderr.write(`modfs: ${identityLine(identity)}\n`);
    const kernel = new Kernel({ identity });
    const root = buildTree(kernel, dir);
    try {
      await serveUntilStopped(dir, root, {
        debug: argv.debug,
        // Modules come and go: a cached dentry would show /sys/module/<m> after rmmod (and hide it
        // after insmod), so every lookup asks the tree.
        entryTimeout: 0,
        // /dev/kmsg names its writer when it reports rate-limited lines.
        callerPaths: (p) => defaultCallerPaths(p) || p === '/dev/kmsg',
        onReady: () => process.stderr.write(`modfs: mounted at ${dir}\n`),
      });
    } catch (e) {
      process.stderr.write(`modfs: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  },
};

export default mount;
