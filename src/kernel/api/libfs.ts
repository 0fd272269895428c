// fs/libfs.c, fs/read_write.c, fs/dcache.c and lib/kstrtox.c helpers that file_operations of
// modules point at or call: simple_open, nonseekable_open/stream_open, the llseek variants, dput,
// kstrto*_from_user. Every area with files (procfs, debugfs, character devices) uses them;
// registered once, from api/index.ts.
import type { TrapContext } from '../../cpu/types.js';
import { EFAULT, EINVAL, ENXIO, ESPIPE } from '../errno.js';
import type { Kernel } from '../kernel.js';
import {
  KSTRTOBOOL_FROM_USER_MAX,
  kstrtobool,
  kstrtoFromUserMax,
  kstrtoint,
  kstrtoll,
  kstrtos16,
  kstrtos8,
  kstrtou16,
  kstrtou8,
  kstrtouint,
  kstrtoull,
  type KResult,
} from '../kstrtox.js';

const SEEK_SET = 0;
const SEEK_CUR = 1;
const SEEK_END = 2;
const SEEK_DATA = 3;
const SEEK_HOLE = 4;
/** MAX_LFS_FILESIZE on 64-bit (generic_file_llseek's bound for a char device's superblock). */
const MAX_LFS_FILESIZE = 0x7fffffffffffffffn;

export function registerLibfsApi(k: Kernel): void {
  const m = k.mem;
  const f = k.identity.facts;
  const fpos = (file: bigint) => file + BigInt(f['file.f_pos']);

  // simple_open: file->private_data = inode->i_private when there is one.
  k.exports.func('simple_open', (c) => {
    const priv = m.readU64(c.arg(0) + BigInt(f['inode.i_private']));
    if (priv) m.writeU64(c.arg(1) + BigInt(f['file.private_data']), priv);
    return 0;
  });
  // fs/open.c: what a driver's open calls to give up positions.
  const FMODE = BigInt(f['file.f_mode']);
  const clearMode = (file: bigint, clear: number, set = 0) => m.writeU32(file + FMODE, ((m.readU32(file + FMODE) & ~clear) | set) >>> 0);
  k.exports.func('nonseekable_open', (c) => (clearMode(c.arg(1), f.FMODE_LSEEK | f.FMODE_PREAD | f.FMODE_PWRITE), 0));
  k.exports.func('stream_open', (c) => (clearMode(c.arg(1), f.FMODE_LSEEK | f.FMODE_PREAD | f.FMODE_PWRITE, f.FMODE_STREAM), 0));

  // fs/read_write.c: the llseek helpers, for drivers that call them from their own llseek.
  const POS = BigInt(f['file.f_pos']);
  const sizeOf = (file: bigint) => BigInt.asIntN(64, m.readU64(m.readU64(file + BigInt(f['file.f_inode'])) + BigInt(f['inode.i_size'])));
  const setpos = (file: bigint, off: bigint, max: bigint): bigint => {
    if (off < 0n || off > max) return BigInt(-EINVAL);
    m.writeU64(file + POS, BigInt.asUintN(64, off));
    return off;
  };
  const llseekSize = (file: bigint, offset: bigint, whence: number, max: bigint, eof: bigint): bigint => {
    const pos = BigInt.asIntN(64, m.readU64(file + POS));
    switch (whence) {
      case SEEK_SET:
        return setpos(file, offset, max);
      case SEEK_END:
        return setpos(file, offset + eof, max);
      case SEEK_CUR:
        return offset === 0n ? pos : setpos(file, pos + offset, max);
      case SEEK_DATA:
        return offset >= eof ? BigInt(-ENXIO) : setpos(file, offset, max);
      case SEEK_HOLE:
        return offset >= eof ? BigInt(-ENXIO) : setpos(file, eof, max);
      default:
        return BigInt(-EINVAL);
    }
  };
  const args = (c: TrapContext) => [c.arg(0), BigInt.asIntN(64, c.arg(1)), Number(c.arg(2) & 0xffffffffn)] as const;
  k.exports.func('noop_llseek', (c) => m.readU64(c.arg(0) + POS));
  k.exports.func('no_llseek', () => -ESPIPE);
  k.exports.func('default_llseek', (c) => {
    const [file, off, whence] = args(c);
    return llseekSize(file, off, whence, MAX_LFS_FILESIZE, sizeOf(file));
  });
  k.exports.func('generic_file_llseek', (c) => {
    const [file, off, whence] = args(c);
    return llseekSize(file, off, whence, MAX_LFS_FILESIZE, sizeOf(file));
  });
  k.exports.func('fixed_size_llseek', (c) => {
    const [file, off, whence] = args(c);
    const size = BigInt.asIntN(64, c.arg(3));
    return llseekSize(file, off, whence, size, size);
  });
  k.exports.func('generic_file_llseek_size', (c) => {
    const [file, off, whence] = args(c);
    return llseekSize(file, off, whence, BigInt.asIntN(64, c.arg(3)), BigInt.asIntN(64, c.arg(4)));
  });
  k.exports.func('no_seek_end_llseek', (c) => {
    const [file, off, whence] = args(c);
    return whence === SEEK_SET || whence === SEEK_CUR ? llseekSize(file, off, whence, 0x7fffffffffffffffn, 0n) : BigInt(-EINVAL);
  });
  // The dentries modules are handed (debugfs) live as long as their entry: references are
  // not counted.
  k.exports.func('dput', () => {});

  // kstrto*_from_user(s, count, base, *res): at most a type's worth of bytes is copied, then parsed.
  const fromUser = (name: string, size: 1 | 2 | 4 | 8, parse: (s: Uint8Array, base: number) => KResult<bigint | number>) =>
    k.exports.func(name, (c) => {
      const n = Math.min(Number(BigInt.asUintN(64, c.arg(1)) > 64n ? 64n : c.arg(1)), kstrtoFromUserMax(size));
      const bytes = k.user.copyFrom(c.arg(0), n);
      if (bytes.length < n || (n && !k.user.accessOk(c.arg(0), n))) return -EFAULT;
      const r = parse(bytes, Number(c.arg(2) & 0xffffffffn));
      if (r.errno !== undefined) return -r.errno;
      m.writeUN(c.arg(3), size, BigInt.asUintN(64, BigInt(r.value)));
      return 0;
    });
  fromUser('kstrtoull_from_user', 8, kstrtoull);
  fromUser('kstrtoll_from_user', 8, kstrtoll);
  fromUser('kstrtoul_from_user', 8, kstrtoull);
  fromUser('kstrtol_from_user', 8, kstrtoll);
  fromUser('kstrtouint_from_user', 4, kstrtouint);
  fromUser('kstrtoint_from_user', 4, kstrtoint);
  fromUser('kstrtou16_from_user', 2, kstrtou16);
  fromUser('kstrtos16_from_user', 2, kstrtos16);
  fromUser('kstrtou8_from_user', 1, kstrtou8);
  fromUser('kstrtos8_from_user', 1, kstrtos8);
  k.exports.func('kstrtobool_from_user', (c) => {
    const n = Math.min(Number(BigInt.asUintN(64, c.arg(1)) > 64n ? 64n : c.arg(1)), KSTRTOBOOL_FROM_USER_MAX);
    const bytes = k.user.copyFrom(c.arg(0), n);
    if (bytes.length < n) return -EFAULT;
    const r = kstrtobool(bytes);
    if (r.errno !== undefined) return -r.errno;
    m.writeU8(c.arg(2), r.value ? 1 : 0);
    return 0;
  });
}
