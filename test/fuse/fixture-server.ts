// A handmade tree served over FUSE for the fuse layer's tests: `node fixture-server.js MOUNT`.
// Files (modes as in the tree):
//   value 0644      a sysfs-like attribute; /ctl changes it from inside the daemon
//   ro 0444         read-only; no write method
//   ctl 0200        write-only commands: "grow", "shrink", "set TEXT", "log TEXT"
//   kmsg 0644       /dev/kmsg-like: one record per read, blocks, EAGAIN with O_NONBLOCK
//   caller 0444     "uid gid pid" of whoever opened it
//   capped 0644     takes at most 4096 bytes per write; reads back the total taken
//   buggy 0444      its read throws a plain Error (a bug): must become EIO
//   nested/deeper/leaf 0644, link -> nested/deeper/leaf
//   dyn/                entries come and go: ctl "add NAME" / "del NAME" (a watched directory)
//   requests 0444       FUSE requests served so far, "OPNAME count" per line
//   stream 0444         nonseekable: lseek gives ESPIPE
//   ioctl 0644          ioctl(cmd, buf) answers cmd's low byte and the buffer reversed

import { FsError } from '../../src/vfs/node.js';
import type { Caller, DirNode, FileNode, Handle, VNode } from '../../src/vfs/node.js';
import { serveUntilStopped } from '../../src/fuse/lifecycle.js';
import type { Served } from '../../src/fuse/serve.js';
import { OP_NAMES } from '../../src/fuse/protocol.js';

const EINVAL = 22;
const EAGAIN = 11;
const EINTR = 4;
const O_NONBLOCK = 0o4000;

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

function dir(entries: Record<string, VNode>): DirNode {
  const map = new Map(Object.entries(entries));
  return { kind: 'dir', mode: 0o755, children: () => map };
}

/** A sysfs-like attribute: contents regenerated on every read from offset 0. */
function attr(mode: number, show: () => string, store?: (s: string) => number): FileNode {
  return {
    kind: 'file',
    mode,
    size: 4096,
    open(): Handle {
      const h: Handle = { read: (pos, len) => enc(show()).subarray(pos, pos + len) };
      if (store) h.write = (_pos, data) => store(dec(data));
      return h;
    },
  };
}

let value = '5\n';
let cappedTotal = 0;
const records: string[] = [];
const waiters = new Set<() => void>();

function log(text: string): void {
  records.push(`6,${records.length},0,-;${text}\n`);
  for (const w of [...waiters]) w();
}

const kmsg: FileNode = {
  kind: 'file',
  mode: 0o644,
  size: 0,
  open(flags): Handle {
    let next = 0;
    let cancel: ((e: Error) => void) | undefined;
    const take = (len: number): Uint8Array => {
      const rec = enc(records[next]);
      if (rec.length > len) throw new FsError(EINVAL);
      next++;
      return rec;
    };
    return {
      poll(_events, wake) {
        if (next < records.length) return 0x41; // POLLIN | POLLRDNORM
        waiters.add(function w() {
          waiters.delete(w);
          wake();
        });
        return 0;
      },
      read(_pos, len) {
        if (next < records.length) return take(len);
        if (flags & O_NONBLOCK) throw new FsError(EAGAIN);
        return new Promise<Uint8Array>((resolve, reject) => {
          const wake = (): void => {
            waiters.delete(wake);
            cancel = undefined;
            try {
              resolve(take(len));
            } catch (e) {
              reject(e);
            }
          };
          cancel = (e) => {
            waiters.delete(wake);
            reject(e);
          };
          waiters.add(wake);
        });
      },
      write(_pos, data) {
        log(dec(data).replace(/\n$/, ''));
        return data.length;
      },
      abort() {
        cancel?.(new FsError(EINTR));
      },
    };
  },
};

const callerFile: FileNode = {
  kind: 'file',
  mode: 0o444,
  size: 4096,
  open(_flags, caller: Caller): Handle {
    const text = `${caller.uid} ${caller.gid} ${caller.pid}\n`;
    return { read: (pos, len) => enc(text).subarray(pos, pos + len) };
  },
};

const dynEntries = new Map<string, VNode>();
const dynWatchers = new Set<() => void>();
const dyn: DirNode = {
  kind: 'dir',
  mode: 0o755,
  children: () => dynEntries,
  watch: (cb) => (dynWatchers.add(cb), () => dynWatchers.delete(cb)),
};
function dynChange(): void {
  for (const w of [...dynWatchers]) w();
}

const ioctlFile: FileNode = {
  kind: 'file',
  mode: 0o644,
  size: 4096,
  open: (): Handle => ({
    read: () => new Uint8Array(0),
    ioctl: (cmd, _arg, input, outSize) => ({ result: cmd & 0xff, out: Uint8Array.from(input).reverse().subarray(0, outSize) }),
  }),
};

const root = dir({
  value: attr(0o644, () => value, (s) => ((value = s.endsWith('\n') ? s : s + '\n'), s.length)),
  ro: attr(0o444, () => 'read-only\n'),
  ctl: attr(0o200, () => '', (s) => {
    const [cmd, ...rest] = s.replace(/\n$/, '').split(' ');
    const arg = rest.join(' ');
    if (cmd === 'grow') value = 'x'.repeat(100) + '\n';
    else if (cmd === 'shrink') value = '1\n';
    else if (cmd === 'set') value = arg + '\n';
    else if (cmd === 'log') log(arg);
    else if (cmd === 'add') {
      dynEntries.set(arg, dir({ file: attr(0o444, () => `${arg}\n`) }));
      dynChange();
    } else if (cmd === 'del') {
      dynEntries.delete(arg);
      dynChange();
    }
    else throw new FsError(EINVAL);
    return s.length;
  }),
  kmsg,
  caller: callerFile,
  capped: attr(0o644, () => `${cappedTotal}\n`, (s) => {
    const n = Math.min(Buffer.byteLength(s), 4096);
    cappedTotal += n;
    return n;
  }),
  buggy: attr(0o444, () => {
    throw new Error('deliberate bug in a show callback');
  }),
  nested: dir({ deeper: dir({ leaf: attr(0o644, () => 'leaf\n', (s) => s.length) }) }),
  link: { kind: 'symlink', mode: 0o777, target: 'nested/deeper/leaf' },
  dyn,
  ioctl: ioctlFile,
  stream: { kind: 'file', mode: 0o444, size: 0, open: () => ({ read: () => enc('s\n'), nonseekable: true }) } as FileNode,
  requests: attr(0o444, () => [...(served?.session.counts ?? new Map<number, number>())].map(([op, n]) => `${OP_NAMES[op] ?? op} ${n}\n`).join('')),
});
let served: Served | undefined;

const mountpoint = process.argv[2];
if (!mountpoint) {
  process.stderr.write('usage: fixture-server MOUNTPOINT\n');
  process.exit(2);
}
await serveUntilStopped(mountpoint, root, {
  debug: process.env.FIXTURE_DEBUG === '1',
  onReady: (s) => {
    served = s;
    process.stdout.write('ready\n');
  },
});
