// modfs lsmod: kmod lsmod. Like kmod, only the names and order come from /proc/modules; size,
// use count and users come from /sys/module (so `[permanent]` is never shown).
import type { Command } from './command.js';
import { ModfsClient, MountError, errnoOf, kmodError, strerror } from './client.js';

interface Args {
  m?: string;
}

/** One lsmod row: printf("%-19s %8ld  %d") then ` user1,user2` when there are holders. */
export function lsmodLine(name: string, size: number, refcnt: number, holders: string[]): string {
  const users = holders.length > 0 ? ` ${holders.join(',')}` : '';
  return `${name.padEnd(19)} ${String(size).padStart(8)}  ${refcnt}${users}`;
}

export const LSMOD_HEADER = 'Module                  Size  Used by';

function lsmod(argv: Args): number {
  let client: ModfsClient;
  try {
    client = ModfsClient.connect(argv.m);
  } catch (err) {
    if (err instanceof MountError) return kmodError('lsmod', err.message), 1;
    throw err;
  }
  let modules;
  try {
    modules = client.modules();
  } catch (err) {
    process.stderr.write(`Error: could not get list of modules: ${strerror(errnoOf(err))}\n`);
    return 1;
  }
  const lines = [LSMOD_HEADER];
  for (const mod of modules) {
    const holders = client.holders(mod.name);
    // libkmod logs this at once on stderr; the table comes out later from stdout's buffer
    // (transcripts/callback_oops.txt: a module stuck Loading has no sysfs directory).
    if (holders === null) {
      process.stderr.write(
        `libkmod: ERROR ../libkmod/libkmod-module.c:1998 kmod_module_get_holders: could not open '/sys/module/${mod.name}/holders': No such file or directory\n`,
      );
    }
    lines.push(lsmodLine(mod.name, client.size(mod.name, mod.size), client.refcnt(mod.name), holders ?? []));
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

const command: Command<Args> = {
  command: 'lsmod',
  describe: 'Show the loaded modules (kmod lsmod)',
  builder: (y) => y,
  handler: (argv) => {
    process.exitCode = lsmod(argv);
  },
};
export default command;
