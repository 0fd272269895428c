// lib/siphash.c exports. x86-64 has efficient unaligned access, so only the __*_unaligned entry
// points exist (siphash() and hsiphash() call them for any buffer); the key is two u64 words.
import type { TrapContext } from '../../cpu/types.js';
import type { Kernel } from '../kernel.js';
import { hsiphash, leBytes, siphash } from '../siphash.js';

export function registerSiphashApi(k: Kernel): void {
  const m = k.mem;
  const key = (p: bigint): [bigint, bigint] => [m.readU64(p), m.readU64(p + 8n)];
  const hashOf = (f: typeof siphash) => (data: Uint8Array, keyAddr: bigint) => f(data, ...key(keyAddr));

  k.exports.func('__siphash_unaligned', (c) => hashOf(siphash)(m.readBytes(c.arg(0), Number(c.arg(1))), c.arg(2)));
  k.exports.func('__hsiphash_unaligned', (c) => hashOf(hsiphash)(m.readBytes(c.arg(0), Number(c.arg(1))), c.arg(2)));

  /** name(first, ..., nth, key): the hash of the arguments' little-endian bytes. */
  const fixed = (name: string, f: typeof siphash, n: number, width: 4 | 8) =>
    k.exports.func(name, (c: TrapContext) => {
      const vals = Array.from({ length: n }, (_, i) => c.arg(i));
      return hashOf(f)(leBytes(vals, width), c.arg(n));
    });
  for (const n of [1, 2, 3, 4]) fixed(`siphash_${n}u64`, siphash, n, 8);
  fixed('siphash_1u32', siphash, 1, 4);
  fixed('siphash_3u32', siphash, 3, 4);
  for (const n of [1, 2, 3, 4]) fixed(`hsiphash_${n}u32`, hsiphash, n, 4);
}
