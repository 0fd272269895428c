// The one client of a mounted modfs tree, as libkmod is for kmod's tools: commands only parse
// options and print. Everything here goes through ordinary file operations on the mount, so the
// CLI sees exactly what a shell user sees.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// ---------------------------------------------------------------------------------------------
// errno

/** glibc strerror() texts (Node exposes no strerror). Covers kernel-facts §0 plus what file
 *  operations on a mount can plausibly return. */
const STRERROR: Record<number, string> = {
  1: 'Operation not permitted',
  2: 'No such file or directory',
  3: 'No such process',
  4: 'Interrupted system call',
  5: 'Input/output error',
  6: 'No such device or address',
  7: 'Argument list too long',
  8: 'Exec format error',
  9: 'Bad file descriptor',
  11: 'Resource temporarily unavailable',
  12: 'Cannot allocate memory',
  13: 'Permission denied',
  14: 'Bad address',
  16: 'Device or resource busy',
  17: 'File exists',
  19: 'No such device',
  20: 'Not a directory',
  21: 'Is a directory',
  22: 'Invalid argument',
  26: 'Text file busy',
  27: 'File too large',
  28: 'No space left on device',
  29: 'Illegal seek',
  30: 'Read-only file system',
  32: 'Broken pipe',
  34: 'Numerical result out of range',
  36: 'File name too long',
  38: 'Function not implemented',
  61: 'No data available',
  74: 'Bad message',
  95: 'Operation not supported',
  107: 'Transport endpoint is not connected',
  110: 'Connection timed out',
  126: 'Required key not available',
  129: 'Key was rejected by service',
};

export function strerror(errno: number): string {
  return STRERROR[errno] ?? `Unknown error ${errno}`;
}

export const ENOENT = 2;
export const ESRCH = 3;
export const ENOEXEC = 8;
export const EAGAIN = 11;
export const EINVAL = 22;
export const EPIPE = 32;

/** The kernel errno number behind a Node fs error (its `code`, else its negated libuv errno,
 *  which on Linux is the system errno); EIO when the error carries neither. */
export function errnoOf(err: unknown): number {
  const e = err as NodeJS.ErrnoException | undefined;
  const byName = e?.code ? (os.constants.errno as Record<string, number>)[e.code] : undefined;
  if (typeof byName === 'number') return byName;
  if (typeof e?.errno === 'number' && e.errno !== 0) return Math.abs(e.errno);
  return 5;
}

/** A failed operation on the tree, carrying the errno the kernel (the daemon) returned. */
export class ErrnoError extends Error {
  constructor(
    readonly errno: number,
    what: string,
  ) {
    super(`${what}: ${strerror(errno)}`);
  }
}

/** The directory given (or defaulted) is not a modfs mount. */
export class MountError extends Error {}

/** Prints `<tool>: ERROR: <msg>` to stderr, kmod's ERR() format. */
export function kmodError(tool: string, msg: string): void {
  process.stderr.write(`${tool}: ERROR: ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------
// module names (kmod's rules)

/** kmod's name normalisation: `-` becomes `_`, and the name ends at the first `.` (so a name
 *  given as `foo-bar.ko` is `foo_bar`). */
export function normalizeModname(s: string): string {
  const dot = s.indexOf('.');
  return (dot < 0 ? s : s.slice(0, dot)).replace(/-/g, '_');
}

/** Module name for a file path: the normalised basename. */
export function pathToModname(p: string): string {
  return normalizeModname(path.basename(p));
}

// ---------------------------------------------------------------------------------------------
// the mounted tree

/** One line of /proc/modules (kernel-facts §5.2). */
export interface ProcModule {
  name: string;
  size: number;
  refcnt: number;
  /** Users (holders), newest first, without the `[permanent]` marker. */
  users: string[];
  permanent: boolean;
  state: string;
  addr: string;
  /** Taint letters plus `+`/`-`, without parentheses; '' when the field is absent. */
  flags: string;
}

export function parseProcModules(text: string): ProcModule[] {
  const out: ProcModule[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(/[ \t]+/).filter((x) => x !== '');
    if (f.length < 6) continue;
    const deps = f[3] === '-' ? [] : f[3]!.split(',').filter((x) => x !== '');
    out.push({
      name: f[0]!,
      size: Number(f[1]),
      refcnt: Number(f[2]),
      users: deps.filter((d) => d !== '[permanent]'),
      permanent: deps.includes('[permanent]'),
      state: f[4]!,
      addr: f[5]!,
      flags: f[6]?.replace(/^\(|\)$/g, '') ?? '',
    });
  }
  return out;
}

/** What kmod_module_get_initstate() distinguishes. A /sys/module/<name> directory without
 *  `initstate` is a built-in (kmod knows those from modules.builtin; a modfs built-in has no
 *  other trace, and a real kernel gives built-ins no initstate either). */
export type InitState = 'live' | 'coming' | 'going' | 'builtin' | 'absent';

export function resolveMountDir(m?: string): string {
  return path.resolve(m ?? process.env.MODFS_MOUNT ?? './mount');
}

export class ModfsClient {
  private constructor(readonly root: string) {}

  /** Resolves -m / $MODFS_MOUNT / ./mount and checks it is a modfs mount (the load control
   *  exists), so a typo'd or unmounted directory fails clearly instead of as ENOENT later. */
  static connect(m?: string): ModfsClient {
    const root = resolveMountDir(m);
    const probe = path.join(root, 'sys/kernel/modctl/load');
    if (!fs.existsSync(probe)) {
      throw new MountError(
        `${root} is not a modfs mount (no ${probe}); start one with 'modfs mount DIR' or pass -m DIR`,
      );
    }
    return new ModfsClient(root);
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  modules(): ProcModule[] {
    return parseProcModules(fs.readFileSync(this.path('proc/modules'), 'latin1'));
  }

  private sysModule(name: string, ...rest: string[]): string {
    return this.path('sys/module', name, ...rest);
  }

  initstate(name: string): InitState {
    try {
      const s = fs.readFileSync(this.sysModule(name, 'initstate'), 'latin1');
      if (s === 'live\n' || s === 'coming\n' || s === 'going\n') return s.trimEnd() as InitState;
      throw new ErrnoError(EINVAL, `unknown initstate '${s}'`);
    } catch (err) {
      if (err instanceof ErrnoError) throw err;
      return this.isDir(this.sysModule(name)) ? 'builtin' : 'absent';
    }
  }

  /** /sys/module/<name>/refcnt, or -errno when unreadable (lsmod prints that number as is). */
  refcnt(name: string): number {
    return this.readLong(this.sysModule(name, 'refcnt'));
  }

  /** lsmod's size: `coresize` from sysfs, else the /proc/modules size; -errno if neither. */
  size(name: string, fallback?: number): number {
    if (!this.isDir(this.sysModule(name))) return -ENOENT;
    const v = this.readLong(this.sysModule(name, 'coresize'));
    return v >= 0 || fallback === undefined ? v : fallback;
  }

  /** Names in /sys/module/<name>/holders in the order the directory lists them (kmod prints
   *  readdir order; fs.readdirSync would sort), or null when it cannot be read. */
  holders(name: string): string[] | null {
    let dir: fs.Dir;
    try {
      dir = fs.opendirSync(this.sysModule(name, 'holders'));
    } catch {
      return null;
    }
    const names: string[] = [];
    try {
      for (let e = dir.readSync(); e !== null; e = dir.readSync()) names.push(e.name);
    } finally {
      dir.closeSync();
    }
    return names;
  }

  /** Loads a module: one write of `ABSOLUTE_PATH[ params]` to the load control, the way
   *  finit_module gets a file and the argument string kmod joined with single spaces. */
  load(absPath: string, params: string): void {
    // The control splits at whitespace, so a path with spaces cannot be named; send the bytes
    // (init_module's way) then, which works as long as there are no parameters to pass.
    const data =
      /\s/.test(absPath) && params === ''
        ? fs.readFileSync(absPath)
        : Buffer.from(params === '' ? absPath : `${absPath} ${params}`);
    this.writeControl('load', data, fs.constants.O_WRONLY);
  }

  /** Unloads a module. Force (delete_module's O_TRUNC flag) is written as `-f NAME`: a shell's
   *  `echo NAME > unload` opens with O_TRUNC too, so the open flag cannot carry it. */
  unload(name: string, force: boolean): void {
    this.writeControl('unload', Buffer.from(force ? `-f ${name}` : name), fs.constants.O_WRONLY);
  }

  /** Sequence number of the first record after the last clear (0 when the tree has none). */
  clearSeq(): number {
    try {
      return Number.parseInt(fs.readFileSync(this.path('sys/kernel/modctl', 'clear'), 'latin1'), 10) || 0;
    } catch {
      return 0;
    }
  }

  /** Clears the log up to now (SYSLOG_ACTION_CLEAR): any write to the clear control. */
  clearLog(): void {
    this.writeControl('clear', Buffer.from('1\n'), fs.constants.O_WRONLY);
  }

  /** One open, one write, close: the errno of whichever step fails is the kernel's answer. */
  private writeControl(file: string, data: Buffer, flags: number): void {
    const p = this.path('sys/kernel/modctl', file);
    let fd: number;
    try {
      fd = fs.openSync(p, flags);
    } catch (err) {
      throw new ErrnoError(errnoOf(err), `open ${p}`);
    }
    try {
      const n = fs.writeSync(fd, data, 0, data.length, null);
      // A control consumes a request whole; a short write would split it, so treat as EIO.
      if (n !== data.length) throw new ErrnoError(5, `short write to ${p}`);
    } catch (err) {
      fs.closeSync(fd);
      throw err instanceof ErrnoError ? err : new ErrnoError(errnoOf(err), `write ${p}`);
    }
    try {
      fs.closeSync(fd);
    } catch (err) {
      throw new ErrnoError(errnoOf(err), `close ${p}`);
    }
  }

  private isDir(p: string): boolean {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  }

  private readLong(p: string): number {
    let s: string;
    try {
      s = fs.readFileSync(p, 'latin1');
    } catch (err) {
      return -errnoOf(err);
    }
    const v = Number.parseInt(s, 10);
    return Number.isNaN(v) ? -EINVAL : v;
  }
}

// ---------------------------------------------------------------------------------------------
// /dev/kmsg

/** One /dev/kmsg record (kernel-facts §9.3), text already unescaped to bytes. */
export interface KmsgRecord {
  prio: number;
  seq: number;
  usec: number;
  flag: string;
  text: Buffer;
}

/** Undoes the kernel's `\xNN` escaping (util-linux's unhexmangle): other bytes pass through. */
export function unescapeKmsg(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
      out.push(Number.parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      out.push(s.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** Parses the first line of a record, `prio,seq,usec,flag[,...];text`. Continuation lines
 *  (` KEY=value` device metadata) are not part of it. Returns null for a malformed header. */
export function parseKmsgRecord(line: string): KmsgRecord | null {
  const semi = line.indexOf(';');
  if (semi < 0) return null;
  const f = line.slice(0, semi).split(',');
  const [prio, seq, usec] = [f[0], f[1], f[2]].map((x) => Number.parseInt(x ?? '', 10));
  if (prio === undefined || Number.isNaN(prio)) return null;
  return {
    prio,
    seq: seq !== undefined && !Number.isNaN(seq) ? seq : 0,
    usec: usec !== undefined && !Number.isNaN(usec) ? usec : 0,
    flag: f[3] ?? '-',
    text: unescapeKmsg(line.slice(semi + 1)),
  };
}

/** Reads /dev/kmsg records. Without `follow` it opens O_NONBLOCK and stops at EAGAIN (or EOF,
 *  which is what a plain file gives, so a regular file can stand in for the device); with
 *  `follow` reads block for new records until the process is interrupted. The reads are
 *  asynchronous, so a waiting `dmesg -w` still hears that its output pipe broke. A real kmsg read
 *  returns one record; records are still split on line starts so several per read also work. */
export async function* readKmsg(client: ModfsClient, follow: boolean): AsyncGenerator<KmsgRecord> {
  const p = client.path('dev/kmsg');
  // /dev/kmsg starts at the oldest record; dmesg starts at the clear point (its SEEK_DATA).
  const from = client.clearSeq();
  const fh = await fs.promises.open(p, fs.constants.O_RDONLY | (follow ? 0 : fs.constants.O_NONBLOCK));
  const buf = Buffer.alloc(8192);
  let carry = '';
  try {
    for (;;) {
      let n: number;
      try {
        ({ bytesRead: n } = await fh.read(buf, 0, buf.length, null));
      } catch (err) {
        const e = errnoOf(err);
        if (e === EAGAIN) break;
        if (e === EPIPE) continue; // records were overwritten; the position moved to the oldest
        throw new ErrnoError(e, `read ${p}`);
      }
      if (n === 0) break;
      const lines = (carry + buf.toString('latin1', 0, n)).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(' ') || line === '') continue; // device metadata of the record
        const rec = parseKmsgRecord(line);
        if (rec && rec.seq >= from) yield rec;
      }
    }
    if (carry !== '') {
      const rec = parseKmsgRecord(carry);
      if (rec) yield rec;
    }
  } finally {
    await fh.close();
  }
}
