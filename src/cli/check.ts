// modfs check FILE...: which kernel symbols a .ko imports that modfs does not implement.
// The file is read here (src/elf) and compared with the exports of an emulated kernel built in
// this process (the same table the daemon links against, for the kernel --kernel chooses) and
// with that build's Module.symvers. Exit status 1 when any import is missing.
import * as fs from 'node:fs';
import type { Command } from './command.js';
import { ElfImage } from '../elf/index.js';
import { Kernel } from '../kernel/kernel.js';
import { neededSymbols } from '../kernel/api/real-exports.js';
import { identityFor, withKernelOption, type KernelArgs } from './kernel-option.js';

interface Args extends KernelArgs {
  files?: string[];
  a?: boolean;
}

const check: Command<Args> = {
  command: 'check <files..>',
  describe: 'List the kernel symbols a .ko needs that modfs does not implement',
  builder: (y) =>
    withKernelOption(
      y
        .positional('files', { type: 'string', array: true, describe: '.ko files' })
        .option('a', { type: 'boolean', describe: 'list every imported symbol with its status' }),
    ),
  handler: (argv) => {
    const identity = identityFor(argv, 'modfs check');
    if (!identity) return;
    const k = new Kernel({ kaslrPages: 1, identity });
    for (const file of argv.files ?? []) {
      let img: ElfImage;
      try {
        img = new ElfImage(fs.readFileSync(file));
        img.header();
      } catch (e) {
        process.stderr.write(`modfs check: ${file}: ${(e as Error).message}\n`);
        process.exitCode = 1;
        continue;
      }
      let syms;
      try {
        syms = neededSymbols(k, img);
      } catch (e) {
        process.stderr.write(`modfs check: ${file}: ${(e as Error).message}\n`);
        process.exitCode = 1;
        continue;
      }
      const missing = syms.filter((s) => s.status !== 'implemented');
      if (argv.a) {
        for (const s of syms) process.stdout.write(`${file}: ${s.name} ${s.status}${s.owner ? ` (${s.owner})` : ''}\n`);
      } else if (missing.length === 0) {
        process.stdout.write(`${file}: all ${syms.length} imported symbols are implemented by modfs\n`);
      } else {
        process.stdout.write(`${file}: ${missing.length} of ${syms.length} imported symbols are not implemented by modfs:\n`);
        for (const s of missing) {
          const rel = `Linux ${identity.release}`;
          const why = s.status === 'missing' ? `exported by ${s.owner === 'vmlinux' ? 'the kernel' : `module ${s.owner}`} in ${rel}` : `not exported by ${rel} either`;
          process.stdout.write(`  ${s.name} (${why})\n`);
        }
      }
      if (missing.length) process.exitCode = 1;
    }
  },
};

export default check;
