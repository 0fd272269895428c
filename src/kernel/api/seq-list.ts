// The iteration helpers of fs/seq_file.c for modules whose records are a list_head or hlist
// (seq_list_start/_head/_next and the hlist and _rcu variants): walks of the list in kernel memory,
// next pointers at offset 0, the position counted as the kernel counts it.
import type { TrapContext } from '../../cpu/types.js';
import type { Kernel } from '../kernel.js';

const SEQ_START_TOKEN = 1n;
const s64 = (v: bigint) => BigInt.asIntN(64, v);

export function registerSeqListApi(k: Kernel): void {
  const m = k.mem;
  const fn = (name: string, h: (c: TrapContext) => bigint | number | boolean | void) => k.exports.func(name, h);

  // list_head iteration helpers (next at offset 0 of struct list_head).
  const listStart = (head: bigint, posIn: bigint): bigint => {
    let pos = s64(posIn);
    for (let lh = m.readU64(head); lh !== head; lh = m.readU64(lh)) if (pos-- === 0n) return lh;
    return 0n;
  };
  fn('seq_list_start', (c) => listStart(c.arg(0), c.arg(1)));
  fn('seq_list_start_head', (c) => (c.arg(1) === 0n ? c.arg(0) : listStart(c.arg(0), s64(c.arg(1)) - 1n)));
  fn('seq_list_next', (c) => {
    const lh = m.readU64(c.arg(0));
    m.writeU64(c.arg(2), m.readU64(c.arg(2)) + 1n);
    return lh === c.arg(1) ? 0n : lh;
  });
  fn('seq_list_start_rcu', (c) => listStart(c.arg(0), c.arg(1)));
  fn('seq_list_start_head_rcu', (c) => (c.arg(1) === 0n ? c.arg(0) : listStart(c.arg(0), s64(c.arg(1)) - 1n)));
  fn('seq_list_next_rcu', (c) => {
    const lh = m.readU64(c.arg(0));
    m.writeU64(c.arg(2), m.readU64(c.arg(2)) + 1n);
    return lh === c.arg(1) ? 0n : lh;
  });
  // hlist: head->first at 0, node->next at 0.
  const hlistStart = (head: bigint, posIn: bigint): bigint => {
    let pos = s64(posIn);
    for (let n = m.readU64(head); n; n = m.readU64(n)) if (pos-- === 0n) return n;
    return 0n;
  };
  const hlistNext = (c: TrapContext) => {
    m.writeU64(c.arg(2), m.readU64(c.arg(2)) + 1n);
    return c.arg(0) === SEQ_START_TOKEN ? m.readU64(c.arg(1)) : m.readU64(c.arg(0));
  };
  fn('seq_hlist_start', (c) => hlistStart(c.arg(0), c.arg(1)));
  fn('seq_hlist_start_head', (c) => (c.arg(1) === 0n ? SEQ_START_TOKEN : hlistStart(c.arg(0), s64(c.arg(1)) - 1n)));
  fn('seq_hlist_next', hlistNext);
  fn('seq_hlist_start_rcu', (c) => hlistStart(c.arg(0), c.arg(1)));
  fn('seq_hlist_start_head_rcu', (c) => (c.arg(1) === 0n ? SEQ_START_TOKEN : hlistStart(c.arg(0), s64(c.arg(1)) - 1n)));
  fn('seq_hlist_next_rcu', hlistNext);
}
