// modfs insmod FILE [params...]: kmod insmod over the load control.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from './command.js';
import {
  ENOENT, ENOEXEC, ESRCH, EINVAL, ErrnoError, ModfsClient, MountError, errnoOf, kmodError, strerror,
} from './client.js';

interface Args {
  m?: string;
  file?: string;
  params?: string[];
  '--'?: Array<string | number>;
}

/** kmod's wording for init_module errors; everything else is strerror(). */
export function insmodStrerror(errno: number): string {
  switch (errno) {
    case ENOEXEC: return 'Invalid module format';
    case ENOENT: return 'Unknown symbol in module';
    case ESRCH: return 'Module has wrong symbol version';
    case EINVAL: return 'Invalid parameters';
    default: return strerror(errno);
  }
}

/** modfs' stand-in errno for "the writer was killed by an oops" (src/kernel/errno.ts). */
const EOWNERDEAD = 130;

function insmod(argv: Args): number {
  const file = argv.file;
  if (file === undefined) return kmodError('insmod', 'missing filename.'), 1;
  // yargs turns a lone `-` into an empty positional, so look at the raw arguments for it.
  if (file === '-' || (file === '' && process.argv.includes('-'))) return kmodError('insmod', 'this tool does not support loading from stdin!'), 1;
  // kmod joins the arguments with single spaces and no quoting; the kernel splits them again.
  // getopt removes only the first `--`; any later one reaches the kernel (which stops there).
  const params = [...(argv.params ?? []), ...((argv['--'] as string[] | undefined) ?? []).map(String)].join(' ');
  const abs = path.resolve(file);

  // kmod_module_new_from_path: the file must exist.
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (err) {
    return kmodError('insmod', `could not load module ${file}: ${strerror(errnoOf(err))}`), 1;
  }
  try {
    // kmod opens and maps the file before the syscall; those failures (unreadable, directory,
    // empty: mmap of 0 bytes is EINVAL) get the same insert wording as kernel errors.
    const fd = fs.openSync(abs, 'r');
    try {
      fs.readSync(fd, Buffer.alloc(6), 0, 6, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (st.size === 0) throw new ErrnoError(EINVAL, 'empty file');
    ModfsClient.connect(argv.m).load(abs, params);
  } catch (err) {
    if (err instanceof MountError) return kmodError('insmod', err.message), 1;
    const e = err instanceof ErrnoError ? err.errno : errnoOf(err);
    // EOWNERDEAD: the module oopsed and the kernel killed the task that loaded it. Die the same
    // way, so the shell reports "Killed" and status 137 as it does for a real insmod.
    if (e === EOWNERDEAD) process.kill(process.pid, 'SIGKILL');
    return kmodError('insmod', `could not insert module ${file}: ${insmodStrerror(e)}`), 1;
  }
  return 0;
}

const command: Command<Args> = {
  command: 'insmod [file] [params..]',
  describe: 'Insert a module (kmod insmod): writes "PATH [params]" to sys/kernel/modctl/load',
  builder: (y) =>
    y
      .positional('file', { type: 'string', describe: 'the .ko file' })
      .positional('params', { type: 'string', array: true, describe: 'name=value parameters' }),
  handler: (argv) => {
    process.exitCode = insmod(argv);
  },
};
export default command;
