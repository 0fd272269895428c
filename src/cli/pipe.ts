// Behaving as a tool does in a pipe: when the reader of our output goes away (`modfs dmesg |
// head -1`), a C tool's next write raises SIGPIPE and it dies of it, silently, status 141. Node
// ignores SIGPIPE and reports EPIPE as an 'error' event instead (an uncaught one: a stack trace,
// status 1), so main.ts turns that event back into the signal.
import { spawn } from 'node:child_process';
import { existsSync, fstatSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Die of SIGPIPE, as the kernel would have killed a C tool at this write. */
export function dieOfSigpipe(): never {
  // Node sets SIGPIPE to ignored at start-up; a listener added and removed again hands the
  // signal back to its default action, which ends the process.
  const nop = () => {};
  process.on('SIGPIPE', nop);
  process.off('SIGPIPE', nop);
  process.kill(process.pid, 'SIGPIPE');
  // Not reached: the signal is delivered before kill() returns to us. Keep the status right
  // should it ever be blocked.
  process.exit(141);
}

/** Every command: EPIPE on stdout is the reader's going, not an error; stderr's is ignored. */
export function handleBrokenPipes(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') dieOfSigpipe();
    throw e;
  });
  process.stderr.on('error', () => {});
}

const PIPEWATCH = fileURLToPath(new URL('../../native/build/modfs-pipewatch', import.meta.url));

/**
 * For commands that wait (dmesg -w): end as soon as the pipe on stdout has no reader, not at the
 * next write, which may be hours away. Needs native/ built; without it the next write still
 * ends us. Returns a function that stops watching.
 */
export function exitWhenReaderGoes(): () => void {
  let isPipe = false;
  try {
    isPipe = fstatSync(1).isFIFO();
  } catch {
    /* no stdout */
  }
  if (!isPipe || !existsSync(PIPEWATCH)) return () => {};
  const watcher = spawn(PIPEWATCH, [], { stdio: ['ignore', 'inherit', 'ignore'] });
  watcher.on('exit', (code) => {
    if (code === 0) dieOfSigpipe();
  });
  watcher.unref();
  return () => watcher.kill();
}
