// modfs run [-m DIR] -- PROGRAM [ARG...]: one program inside a modfs shell, without a shell
// (docs/shell.md): `modfs run -- lsmod`, `modfs run -- modprobe -r consumer`.
import type { Command } from './command.js';
import { exitLike, runInside } from '../shell/launch.js';
import { openSession } from './shell.js';

interface Args {
  m?: string;
  program?: string;
  args?: string[];
  '--'?: Array<string | number>;
}

const command: Command<Args> = {
  command: 'run [program] [args..]',
  describe: 'Run PROGRAM inside a modfs shell (the real tools act on the mount)',
  builder: (y) =>
    y
      .positional('program', { type: 'string', describe: 'the program (after --)' })
      .positional('args', { type: 'string', array: true }),
  handler: async (argv) => {
    const argvList = [...(argv.program !== undefined ? [argv.program] : []), ...(argv.args ?? []), ...(argv['--'] ?? [])].map(String);
    if (argvList.length === 0) {
      process.stderr.write('modfs run: give a program: modfs run [-m DIR] -- PROGRAM [ARG...]\n');
      process.exitCode = 2;
      return;
    }
    const session = openSession(argv.m, false);
    if (!session) return;
    exitLike(await runInside(session, argvList));
  },
};
export default command;
