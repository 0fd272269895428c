// struct seq_file as kernel memory: the members seq_file.c and module code share, at the offsets of
// the emulated build (identity facts), with the accessors seq-file.ts and seq-output.ts use.
import type { Kernel } from '../kernel.js';

export function seqFields(k: Kernel) {
  const m = k.mem;
  const f = k.identity.facts;
  const F = {
    buf: BigInt(f['seq_file.buf']),
    size: BigInt(f['seq_file.size_']),
    from: BigInt(f['seq_file.from']),
    count: BigInt(f['seq_file.count']),
    padUntil: BigInt(f['seq_file.pad_until']),
    index: BigInt(f['seq_file.index']),
    readPos: BigInt(f['seq_file.read_pos']),
    op: BigInt(f['seq_file.op']),
    file: BigInt(f['seq_file.file']),
    private: BigInt(f['seq_file.private']),
  };
  const get = (s: bigint, o: bigint) => m.readU64(s + o);
  const set = (s: bigint, o: bigint, v: bigint | number) => m.writeU64(s + o, BigInt.asUintN(64, BigInt(v)));
  const num = (s: bigint, o: bigint) => Number(get(s, o));
  /** seq_has_overflowed(): count == size. */
  const overflowed = (s: bigint) => get(s, F.count) === get(s, F.size);
  /** seq_set_overflow(). */
  const setOverflow = (s: bigint) => set(s, F.count, get(s, F.size));
  return { F, get, set, num, overflowed, setOverflow };
}
