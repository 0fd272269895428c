// modfs command line: one yargs command per file (see command.ts), all clients of the tree.
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { Command } from './command.js';
import mount from './mount.js';
import insmod from './insmod.js';
import rmmod from './rmmod.js';
import lsmod from './lsmod.js';
import modinfo from './modinfo.js';
import dmesg from './dmesg.js';
import check from './check.js';
import kernel from './kernel.js';
import shell from './shell.js';
import run from './run.js';
import { handleBrokenPipes } from './pipe.js';

const commands: Command[] = [mount, insmod, rmmod, lsmod, modinfo, dmesg, check, kernel, shell, run];

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

handleBrokenPipes();

let cli = yargs(hideBin(process.argv))
  .scriptName('modfs')
  .usage('$0 <command> [options]')
  .option('m', {
    type: 'string',
    global: true,
    describe: 'modfs mount directory (default $MODFS_MOUNT, else ./mount)',
  })
  // Module parameters and names are text: `insmod x.ko n=010` must pass "010", not 10.
  .parserConfiguration({ 'parse-positional-numbers': false, 'parse-numbers': false, 'populate--': true })
  .demandCommand(1, 'Give a command; see --help')
  .strict()
  .help()
  .version(pkg.version);
for (const c of commands) cli = cli.command(c);
await cli.parseAsync();
