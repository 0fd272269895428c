// modfs kernel [--kernel X] [-F FIELD]: which kernel build a mount would emulate, and from where,
// without mounting (the same choice `modfs mount` makes; scripts/build-examples.sh asks it which
// headers to build against).
import type { Command } from './command.js';
import { Kernel } from '../kernel/kernel.js';
import { describeOrigin } from '../kernel/identity/index.js';
import { identityFor, withKernelOption, type KernelArgs } from './kernel-option.js';

interface Args extends KernelArgs {
  F?: string;
}

const FIELDS = ['release', 'version', 'vermagic', 'from', 'headers', 'exports'] as const;

const kernel: Command<Args> = {
  command: 'kernel',
  describe: 'Show which kernel build modfs emulates (as a mount would choose it)',
  builder: (y) => withKernelOption(y.option('F', { type: 'string', choices: FIELDS, describe: 'print only this field' })),
  handler: (argv) => {
    const id = identityFor(argv, 'modfs kernel');
    if (!id) return;
    const k = new Kernel({ identity: id, kaslrPages: 1 });
    let vmlinux = 0;
    let linked = 0;
    for (const [name, e] of id.symvers) {
      if (e.owner !== 'vmlinux') continue;
      vmlinux++;
      if (k.exports.link(name)) linked++;
    }
    const values: Record<(typeof FIELDS)[number], string> = {
      release: id.release,
      version: id.version,
      vermagic: id.vermagic,
      from: describeOrigin(id.origin),
      headers: id.origin.how === 'bundled' ? '' : id.origin.path,
      exports: `${vmlinux} exported by vmlinux, ${linked} implemented by modfs`,
    };
    if (argv.F) {
      process.stdout.write(`${values[argv.F as (typeof FIELDS)[number]]}\n`);
      return;
    }
    for (const f of FIELDS) process.stdout.write(`${`${f}:`.padEnd(10)} ${values[f] || '(none: bundled identity)'}\n`);
  },
};

export default kernel;
