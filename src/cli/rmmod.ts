// modfs rmmod [-f] NAME...: kmod rmmod over /sys/module and the unload control.
import * as fs from 'node:fs';
import type { Command } from './command.js';
import { ErrnoError, ModfsClient, MountError, kmodError, normalizeModname, pathToModname, strerror } from './client.js';

interface Args {
  m?: string;
  f?: boolean;
  names?: string[];
}

/** kmod's checks before delete_module (kernel-facts §7.3); false when the module must be
 *  skipped, after printing why. */
function checkInUse(client: ModfsClient, name: string): boolean {
  // kmod 30 on the real kernel (transcripts/modules.txt): a built-in such as printk is not
  // reported as builtin; the holders lookup fails, then the missing refcnt says it all.
  const state = client.initstate(name);
  if (state === 'absent') return kmodError('rmmod', `Module ${name} is not currently loaded`), false;
  const holders = client.holders(name);
  if (holders === null) {
    kmodError(
      'rmmod',
      `../libkmod/libkmod-module.c:1998 kmod_module_get_holders() could not open '/sys/module/${name}/holders': No such file or directory`,
    );
  }
  if (holders && holders.length > 0) {
    return kmodError('rmmod', `Module ${name} is in use by: ${holders.join(' ')}`), false;
  }
  const refcnt = client.refcnt(name);
  if (refcnt > 0) return kmodError('rmmod', `Module ${name} is in use`), false;
  if (refcnt < 0) return kmodError('rmmod', 'Module unloading is not supported'), false;
  return true;
}

function rmmod(argv: Args): number {
  const names = argv.names ?? [];
  if (names.length === 0) return kmodError('rmmod', 'missing module name.'), 1;
  let client: ModfsClient;
  try {
    client = ModfsClient.connect(argv.m);
  } catch (err) {
    if (err instanceof MountError) return kmodError('rmmod', err.message), 1;
    throw err;
  }
  let failed = 0;
  for (const arg of names) {
    // Like kmod: an argument naming an existing file is a module path (`foo-bar.ko` -> foo_bar).
    const name = fs.existsSync(arg) ? pathToModname(arg) : normalizeModname(arg);
    if (!argv.f && !checkInUse(client, name)) {
      failed++;
      continue;
    }
    try {
      client.unload(name, argv.f === true);
    } catch (err) {
      if (!(err instanceof ErrnoError)) throw err;
      // EOWNERDEAD: exit oopsed (or slept forever) and the kernel's rmmod task is gone with it; die
      // the same way, as insmod does for init (the report is in the log).
      if (err.errno === 130) process.kill(process.pid, 'SIGKILL');
      const text = strerror(err.errno);
      // kmod 30 as Debian builds it also logs libkmod's own error line first.
      kmodError('rmmod', `../libkmod/libkmod-module.c:856 kmod_module_remove_module() could not remove '${name}': ${text}`);
      kmodError('rmmod', `could not remove module ${arg}: ${text}`);
      failed++;
    }
  }
  return failed === 0 ? 0 : 1;
}

const command: Command<Args> = {
  command: 'rmmod [names..]',
  describe: 'Remove modules (kmod rmmod): writes NAME to sys/kernel/modctl/unload',
  builder: (y) =>
    y
      .positional('names', { type: 'string', array: true, describe: 'module names or .ko paths' })
      .option('f', {
        alias: 'force',
        type: 'boolean',
        describe: 'skip the in-use checks and force the unload (opens unload with O_TRUNC)',
      }),
  handler: (argv) => {
    process.exitCode = rmmod(argv);
  },
};
export default command;
