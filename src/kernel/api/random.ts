// drivers/char/random.c and lib/random32.c as modules see them. The "random" numbers come from
// one deterministic generator (xorshift64), so a module's output is the same run after run;
// the pool is always initialised (rng_is_initialized, wait_for_random_bytes never wait).
// prandom_* are the kernel's Tausworthe generator over the caller's own state, bit for bit.
import type { Kernel } from '../kernel.js';

export function registerRandomApi(k: Kernel): void {
  const m = k.mem;
  let seed = 0x243f6a8885a308d3n;
  const rnd = () => {
    seed ^= (seed << 13n) & 0xffffffffffffffffn;
    seed ^= seed >> 7n;
    seed ^= (seed << 17n) & 0xffffffffffffffffn;
    return seed;
  };
  const u32 = () => rnd() & 0xffffffffn;
  k.exports.func('get_random_u8', () => rnd() & 0xffn);
  k.exports.func('get_random_u16', () => rnd() & 0xffffn);
  k.exports.func('get_random_u32', () => u32());
  k.exports.func('get_random_u64', () => rnd());
  k.exports.func('get_random_bytes', (c) => {
    const n = Number(c.arg(1));
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = Number(rnd() & 0xffn);
    if (n) m.writeBytes(c.arg(0), b);
  });
  // __get_random_u32_below(ceil): Lemire's multiply-and-reject, so a value below ceil comes
  // out uniform; ceil 0 gives the raw 32-bit value.
  k.exports.func('__get_random_u32_below', (c) => {
    const ceil = BigInt.asUintN(32, c.arg(0));
    let mult = ceil * u32();
    if (ceil === 0n) return mult;
    if ((mult & 0xffffffffn) < ceil) {
      const bound = BigInt.asUintN(32, -ceil) % ceil;
      while ((mult & 0xffffffffn) < bound) mult = ceil * u32();
    }
    return mult >> 32n;
  });
  k.exports.func('rng_is_initialized', () => true);
  k.exports.func('wait_for_random_bytes', () => 0);
  k.exports.func('add_device_randomness', () => undefined);

  // struct rnd_state { u32 s1, s2, s3, s4; }: one Tausworthe step per call (prandom_u32_state).
  const step = (state: bigint): number => {
    const taus = (s: number, a: number, b: number, c: number, d: number) => (((s & c) << d) ^ (((s << a) ^ s) >>> b)) >>> 0;
    const s1 = taus(m.readU32(state), 6, 13, 4294967294, 18);
    const s2 = taus(m.readU32(state + 4n), 2, 27, 4294967288, 2);
    const s3 = taus(m.readU32(state + 8n), 13, 21, 4294967280, 7);
    const s4 = taus(m.readU32(state + 12n), 3, 12, 4294967168, 13);
    m.writeU32(state, s1);
    m.writeU32(state + 4n, s2);
    m.writeU32(state + 8n, s3);
    m.writeU32(state + 12n, s4);
    return (s1 ^ s2 ^ s3 ^ s4) >>> 0;
  };
  k.exports.func('prandom_u32_state', (c) => step(c.arg(0)));
  k.exports.func('prandom_bytes_state', (c) => {
    const [state, buf, n] = [c.arg(0), c.arg(1), Number(c.arg(2))];
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = step(state);
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
    }
    if (n) m.writeBytes(buf, out);
  });
  // prandom_seed_full_state(per-cpu state): seeds from the pool, minimums applied, 10 warm-up
  // steps. One possible CPU.
  k.exports.func('prandom_seed_full_state', (c) => {
    const state = c.arg(0) + m.readU64(k.cpu.gsBase + 0x110n); // per_cpu_ptr(p, 0): p + this_cpu_off
    const mins = [2, 8, 16, 128];
    mins.forEach((min, i) => {
      const s = Number(u32());
      m.writeU32(state + BigInt(4 * i), s < min ? s + min : s);
    });
    for (let i = 0; i < 10; i++) step(state);
  });
}
