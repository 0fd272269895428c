// fs/libfs.c, fs/read_write.c, fs/dcache.c and lib/kstrtox.c helpers that file_operations of
// modules point at or call: simple_open, the llseek variants, dput, kstrto*_from_user. Other
// areas (procfs, character devices) need the same ones; each is registered once, by whichever
// area comes first (`once`).
import type { TrapHandler } from '../../cpu/types.js';
import { EFAULT, EINVAL, ESPIPE } from '../errno.js';
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

export function registerLibfsApi(k: Kernel): void {
  const m = k.mem;
  const f = k.identity.facts;
  const once = (name: string, h: TrapHandler) => {
    if (!k.exports.has(name)) k.exports.func(name, h);
  };
  const fpos = (file: bigint) => file + BigInt(f['file.f_pos']);

  // simple_open: file->private_data = inode->i_private when there is one.
  once('simple_open', (c) => {
    const priv = m.readU64(c.arg(0) + BigInt(f['inode.i_private']));
    if (priv) m.writeU64(c.arg(1) + BigInt(f['file.private_data']), priv);
    return 0;
  });
  // default_llseek / generic llseek over f_pos and i_size; no_llseek refuses; noop_llseek stays.
  once('default_llseek', (c) => {
    const file = c.arg(0);
    const off = BigInt.asIntN(64, c.arg(1));
    const whence = Number(c.arg(2) & 0xffffffffn);
    const size = BigInt.asIntN(64, m.readU64(m.readU64(file + BigInt(f['file.f_inode'])) + BigInt(f['inode.i_size'])));
    const base = whence === SEEK_SET ? 0n : whence === SEEK_CUR ? BigInt.asIntN(64, m.readU64(fpos(file))) : whence === SEEK_END ? size : -1n;
    const to = base + off;
    if (base < 0n || to < 0n) return -EINVAL;
    m.writeU64(fpos(file), to);
    return to;
  });
  once('no_llseek', () => -ESPIPE);
  once('noop_llseek', (c) => m.readU64(fpos(c.arg(0))));
  // The dentries modules are handed (debugfs) live as long as their entry: references are
  // not counted.
  once('dput', () => {});

  // kstrto*_from_user(s, count, base, *res): at most a type's worth of bytes is copied, then parsed.
  const fromUser = (name: string, size: 1 | 2 | 4 | 8, parse: (s: Uint8Array, base: number) => KResult<bigint | number>) =>
    once(name, (c) => {
      const n = Math.min(Number(BigInt.asUintN(64, c.arg(1)) > 64n ? 64n : c.arg(1)), kstrtoFromUserMax(size));
      const bytes = k.user.copyFrom(c.arg(0), n);
      if (bytes.length < n || (n && !k.user.accessOk(c.arg(0), n))) return -EFAULT;
      const r = parse(bytes, Number(c.arg(2) & 0xffffffffn));
      if (r.errno !== undefined) return -r.errno;
      const v = BigInt.asUintN(64, BigInt(r.value));
      const res = c.arg(3);
      if (size === 1) m.writeU8(res, Number(v & 0xffn));
      else if (size === 2) m.writeU16(res, Number(v & 0xffffn));
      else if (size === 4) m.writeU32(res, Number(v & 0xffffffffn));
      else m.writeU64(res, v);
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
  once('kstrtobool_from_user', (c) => {
    const n = Math.min(Number(BigInt.asUintN(64, c.arg(1)) > 64n ? 64n : c.arg(1)), KSTRTOBOOL_FROM_USER_MAX);
    const bytes = k.user.copyFrom(c.arg(0), n);
    if (bytes.length < n) return -EFAULT;
    const r = kstrtobool(bytes);
    if (r.errno !== undefined) return -r.errno;
    m.writeU8(c.arg(2), r.value ? 1 : 0);
    return 0;
  });
}
