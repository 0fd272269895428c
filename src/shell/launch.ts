// Starting a program inside a modfs shell: the tree bound over the real paths (binds.ts), the
// user's /lib/modules (modules-dir.ts), the LD_PRELOAD shim and the seccomp fence (native/),
// then waiting for it and leaving with its status, as `sh -c` would.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { basename } from 'node:path';
import { readIdentity, type KernelIdentity } from './identity.js';
import { planBinds, type Plan } from './binds.js';
import { ensureMountPoint, prepareModulesDir, type ModulesDir } from './modules-dir.js';
import { NATIVE, SHELL_BIN, SHELL_ENV, missingNative } from './native.js';

export class ShellError extends Error {}

export interface Session {
  mount: string;
  identity: KernelIdentity;
  plan: Plan;
  modules: ModulesDir;
  /** Lines for the user (what is missing, what was created). */
  notes: string[];
  env: NodeJS.ProcessEnv;
  /** modfs-enter's arguments up to and including `--`. */
  enterArgs: string[];
}

const isRoot = () => process.geteuid?.() === 0;

/** Everything up to the exec: checks, directories, the bind plan and the environment. */
export function prepare(mount: string, env: NodeJS.ProcessEnv = process.env): Session {
  const missing = missingNative();
  if (missing) throw new ShellError(missing);
  let identity: KernelIdentity;
  try {
    identity = readIdentity(mount);
  } catch (e) {
    throw new ShellError(`cannot read the emulated kernel's release from ${mount}/proc/sys/kernel/osrelease: ${(e as Error).message}`);
  }
  const root = isRoot();
  const notes: string[] = [];
  const plan = planBinds(mount);
  const modules = prepareModulesDir(identity.release, env);
  notes.push(...modules.notes);
  if (modules.base) {
    const mp = ensureMountPoint(root);
    if (mp.note) notes.push(mp.note);
    if (mp.ok) plan.binds.push([modules.base, '/lib/modules']);
  }

  const preload = [NATIVE.preload, ...(env.LD_PRELOAD ?? '').split(/[: ]/).filter((p) => p && p !== NATIVE.preload)];
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    LD_PRELOAD: preload.join(':'),
    MODFS_MOUNT: mount,
    MODFS_SHELL: mount,
    MODFS_RELEASE: identity.release,
    MODFS_VERSION: identity.version,
    PATH: [SHELL_BIN, ...(env.PATH ?? '/usr/bin:/bin').split(':').filter((p) => p && p !== SHELL_BIN)].join(':'),
  };
  if (plan.rewrites.length > 0) childEnv.MODFS_REWRITE = plan.rewrites.join(':');
  else delete childEnv.MODFS_REWRITE;

  const enterArgs: string[] = [];
  if (!root) enterArgs.push('--map', String(process.getuid?.() ?? 0), String(process.getgid?.() ?? 0));
  for (const [from, to] of plan.binds) enterArgs.push('--bind', from, to);
  enterArgs.push('--fence', '--');
  return { mount, identity, plan, modules, notes, env: childEnv, enterArgs };
}

/** argv for an interactive $SHELL that says in its prompt that it is a modfs shell. */
export function interactiveArgv(session: Session): string[] {
  const sh = session.env.SHELL || '/bin/sh';
  if (basename(sh) === 'bash') return [sh, '--rcfile', `${SHELL_ENV}/bashrc`, '-i'];
  // POSIX shells read $ENV when interactive; the user's own $ENV is read from ours.
  if (session.env.ENV) session.env.MODFS_USER_ENV = session.env.ENV;
  session.env.ENV = `${SHELL_ENV}/shrc`;
  session.env.PS1 = `(modfs) ${session.env.PS1 ?? '$ '}`;
  return [sh, '-i'];
}

/** Run argv inside the session; resolves when it has ended, with the status sh would give. */
export function runInside(session: Session, argv: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(NATIVE.enter, [...session.enterArgs, ...argv], { stdio: 'inherit', env: session.env });
  // Like a shell waiting for its child: the terminal's signals are for the child (it shares our
  // process group), and ours would only orphan it; a kill aimed at us is passed on.
  const ignore = () => {};
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const handlers: Array<[NodeJS.Signals, () => void]> = [
    ['SIGINT', ignore],
    ['SIGQUIT', ignore],
    ['SIGTERM', forward('SIGTERM')],
    ['SIGHUP', forward('SIGHUP')],
  ];
  for (const [s, h] of handlers) process.on(s, h);
  return new Promise((resolve, reject) => {
    child.on('error', (e) => reject(new ShellError(`cannot start ${NATIVE.enter}: ${e.message}`)));
    child.on('exit', (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve({ code, signal });
    });
  });
}

/** Leave as the child did: its exit code, or the same signal (so a shell shows "Killed"). */
export function exitLike(r: { code: number | null; signal: NodeJS.Signals | null }): void {
  if (r.signal) {
    // The status a shell would show, should the signal not end us.
    process.exitCode = 128 + (constants.signals[r.signal] ?? 0);
    // A listener added and removed hands the signal back to its default action (Node ignores
    // SIGPIPE for itself, for one); SIGKILL and SIGSTOP take no listener and need none.
    try {
      const nop = () => {};
      process.on(r.signal, nop);
      process.off(r.signal, nop);
    } catch {
      /* uncatchable: default already */
    }
    process.kill(process.pid, r.signal);
    return;
  }
  process.exitCode = r.code ?? 1;
}
