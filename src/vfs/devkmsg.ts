// /dev/kmsg: one record per read in the kernel's format, blocking at the end (EAGAIN with
// O_NONBLOCK), EPIPE after records were overwritten; a write appends one user record.
import { formatKmsgRecord } from '../kernel/kmsg-format.js';
import * as fs from 'node:fs';
import { DevkmsgRatelimit, type KernelLog } from '../kernel/log.js';
import { FsError, POLL, type FileNode, type Handle } from './node.js';

const O_NONBLOCK = 0o4000;
const O_ACCMODE = 3;
const O_WRONLY = 1;
const EPERM = 1;
const EINVAL = 22;
const EAGAIN = 11;
const EPIPE = 32;
const EINTR = 4;

/**
 * `restrict`: the build's SECURITY_DMESG_RESTRICT (dmesg_restrict's default; Debian: y). Then
 * devkmsg_open lets only CAP_SYSLOG read (check_syslog_permissions): anyone may write a record,
 * but a reader without it gets EPERM. An unknown caller (uid -1: the daemon could not tell) is
 * let through, as everywhere in the tree.
 */
export function devKmsg(log: KernelLog, restrict = false): FileNode {
  return {
    kind: 'file',
    mode: 0o644,
    size: 0,
    open(flags, caller): Handle {
      if (restrict && (flags & O_ACCMODE) !== O_WRONLY && caller.uid > 0) throw new FsError(EPERM);
      let seq = log.firstSeq;
      // Writes are rate-limited per open file (printk.devkmsg=ratelimit, the default); the count
      // of dropped lines is reported under the writer's name when it closes the file.
      const ratelimit = new DevkmsgRatelimit(() => process.hrtime.bigint());
      const comm = commOf(caller.pid);
      let cancel: (() => void) | undefined;
      const pollOffs = new Set<() => void>();
      const take = (len: number): Uint8Array | undefined => {
        if (seq < log.firstSeq) {
          seq = log.firstSeq;
          throw new FsError(EPIPE);
        }
        const rec = log.readAt(seq);
        if (!rec) return undefined;
        const out = formatKmsgRecord(rec);
        if (out.length > len) throw new FsError(EINVAL);
        seq = rec.seq + 1;
        return out;
      };
      return {
        read(_pos, len) {
          const now = take(len);
          if (now) return now;
          if (flags & O_NONBLOCK) throw new FsError(EAGAIN);
          return new Promise<Uint8Array>((resolve, reject) => {
            const off = log.onRecord(() => {
              try {
                const r = take(len);
                if (!r) return;
                off();
                cancel = undefined;
                resolve(r);
              } catch (e) {
                off();
                cancel = undefined;
                reject(e);
              }
            });
            cancel = () => {
              off();
              reject(new FsError(EINTR));
            };
          });
        },
        write(_pos, data) {
          const r = log.writeUser(data, ratelimit);
          if (typeof r === 'object') throw new FsError(r.errno);
          return data.length;
        },
        abort() {
          cancel?.();
        },
        poll(_events, wake) {
          // devkmsg_poll: readable when a record past this reader's position exists; an error
          // (POLLERR|POLLPRI) too when records it had not read were overwritten.
          if (seq < log.firstSeq) return POLL.IN | POLL.RDNORM | POLL.ERR | POLL.PRI;
          if (log.readAt(seq)) return POLL.IN | POLL.RDNORM;
          const off = log.onRecord(() => {
            off();
            pollOffs.delete(off);
            wake();
          });
          pollOffs.add(off);
          return 0;
        },
        release() {
          cancel?.();
          for (const off of pollOffs) off();
          pollOffs.clear();
          if (comm) log.releaseUser(ratelimit, comm);
        },
      };
    },
  };
}

function commOf(pid: number): string | undefined {
  if (pid <= 0) return undefined;
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return undefined;
  }
}
