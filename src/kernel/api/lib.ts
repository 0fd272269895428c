// Out-of-line helpers from lib/ that inline kernel APIs call: the software popcount behind
// hweight*() (arch/x86/lib/hweight.S, reached when alternatives are not applied) and refcount_t's
// saturation report (lib/refcount.c). The bitmap helpers are in bitmap.ts.
import type { Kernel } from '../kernel.js';
import { TAINT } from '../taint.js';
import { popcount64 } from '../bitops.js';

/** INT_MIN / 2: where a refcount_t is parked once it misbehaved. */
const REFCOUNT_SATURATED = 0xc0000000;

export function registerLibApi(k: Kernel): void {
  const m = k.mem;
  const popcount = (v: bigint): number => popcount64(BigInt.asUintN(64, v));
  k.exports.func('__sw_hweight8', (c) => popcount(c.arg(0) & 0xffn));
  k.exports.func('__sw_hweight16', (c) => popcount(c.arg(0) & 0xffffn));
  k.exports.func('__sw_hweight32', (c) => popcount(c.arg(0) & 0xffffffffn));
  k.exports.func('__sw_hweight64', (c) => popcount(c.arg(0)));

  // refcount_warn_saturate(r, type): park the count, then WARN_ONCE with the event's text.
  const events = [
    'saturated; leaking memory',
    'saturated; leaking memory',
    'addition on 0; use-after-free',
    'underflow; use-after-free',
    'decrement hit 0; leaking memory',
  ];
  k.exports.func('refcount_warn_saturate', (c) => {
    m.writeU32(c.arg(0), REFCOUNT_SATURATED);
    const what = events[Number(c.arg(1) & 0xffffffffn)] ?? 'unknown saturation event!?';
    const site = `refcount_t: ${what}`;
    if (k.onceDone.has(site)) return;
    k.onceDone.add(site);
    k.log.emit(4, `${site}.`);
    k.addTaint(TAINT.WARN, false);
  });
}
