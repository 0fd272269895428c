// `--kernel HEADERS_DIR|RELEASE` (or MODFS_KERNEL): which kernel build to emulate, shared by the
// commands that boot an emulated kernel (mount, check). identity/choose.ts holds the rules.
import type { Argv } from 'yargs';
import { chooseIdentity, describeOrigin, IdentityError, type KernelIdentity } from '../kernel/identity/index.js';

export interface KernelArgs {
  kernel?: string;
}

export function withKernelOption<T>(y: Argv<T>): Argv<T & KernelArgs> {
  return y.option('kernel', {
    type: 'string',
    describe: 'kernel to emulate: a headers directory, or a release (default: MODFS_KERNEL, /lib/modules/$(uname -r)/build, /usr/src/linux-headers-*, else the bundled 6.1.0-56-amd64)',
  }) as Argv<T & KernelArgs>;
}

/** The identity, or undefined after printing why none could be read. */
export function identityFor(argv: KernelArgs, who: string): (KernelIdentity & { probeCached?: boolean }) | undefined {
  try {
    return chooseIdentity({ kernel: argv.kernel });
  } catch (e) {
    if (!(e instanceof IdentityError)) throw e;
    process.stderr.write(`${who}: ${e.message}\n`);
    process.exitCode = 1;
    return undefined;
  }
}

/** `modfs: emulating Linux 6.1.0-57-amd64 (#1 SMP ...) from /usr/src/linux-headers-6.1.0-57-amd64` */
export function identityLine(id: KernelIdentity): string {
  return `emulating Linux ${id.release} (${id.version}) from ${describeOrigin(id.origin)}`;
}
