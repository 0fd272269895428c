// modfs shell [-m DIR] [-c COMMAND [NAME [ARG...]]]: a shell in which the real tools act on the
// mount at the real paths (insmod, lsmod, dmesg, modprobe, cat /proc/modules, ...). Without -c,
// an interactive $SHELL whose prompt says so; with -c, `sh -c COMMAND` (docs/shell.md).
import type { Command } from './command.js';
import { ModfsClient, MountError } from './client.js';
import { ShellError, exitLike, interactiveArgv, prepare, runInside, type Session } from '../shell/launch.js';

interface Args {
  m?: string;
  c?: string;
  args?: string[];
}

/** Common to shell and run: connect, prepare, or print why not (exit 1). */
export function openSession(m: string | undefined, interactive: boolean): Session | null {
  try {
    const client = ModfsClient.connect(m);
    const session = prepare(client.root);
    // Notes matter to a person at a prompt; under -c they would only mix into the output.
    if (interactive) {
      for (const n of session.notes) process.stderr.write(`modfs shell: ${n}\n`);
      if (!session.modules.headers) {
        process.stderr.write(
          `modfs shell: no kernel headers for ${session.identity.release} here, so /lib/modules/${session.identity.release}/build is missing (apt-get install linux-headers-${session.identity.release})\n`,
        );
      }
    }
    return session;
  } catch (err) {
    if (err instanceof MountError || err instanceof ShellError) {
      process.stderr.write(`modfs shell: ${err.message}\n`);
      process.exitCode = 1;
      return null;
    }
    throw err;
  }
}

/** What follows `-c COMMAND` on the command line, untouched by option parsing (sh's $0, $1...). */
export function argsAfterCommand(raw: string[]): string[] {
  const at = raw.indexOf('shell');
  for (let i = at + 1; i < raw.length; i++) {
    if (raw[i] === '-c') return raw.slice(i + 2);
    if (raw[i]!.startsWith('-c') && raw[i]!.length > 2) return raw.slice(i + 1); // -cCOMMAND
    if (raw[i] === '-m') i++;
  }
  return [];
}

const command: Command<Args> = {
  command: 'shell [args..]',
  describe: 'Run a shell in which the real insmod, lsmod, dmesg, modprobe, ... act on the mount',
  builder: (y) =>
    y
      .option('c', { type: 'string', describe: 'run COMMAND with sh -c, as sh does (then NAME and ARGs are $0, $1, ...)' })
      .positional('args', { type: 'string', array: true })
      // sh -c takes everything after COMMAND as it is, options included (read raw below).
      .strict(false),
  handler: async (argv) => {
    const interactive = argv.c === undefined;
    const session = openSession(argv.m, interactive);
    if (!session) return;
    let cmd: string[];
    if (interactive) {
      cmd = interactiveArgv(session);
      process.stderr.write(
        `modfs shell: kernel ${session.identity.release} at ${session.mount}; /lib/modules is ${session.modules.base ?? 'the host\'s'}; 'exit' leaves\n`,
      );
    } else {
      cmd = ['/bin/sh', '-c', argv.c!, ...argsAfterCommand(process.argv.slice(2))];
    }
    exitLike(await runInside(session, cmd));
  },
};
export default command;
