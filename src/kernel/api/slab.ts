// The slab and vmalloc allocators as modules call them. kbuild turns kmalloc(n) with a constant n
// into kmalloc_trace(kmalloc_caches[type][index], flags, n) (the name varies by release, see
// identity/renames.ts), so the cache table is real data, shaped as the emulated build has it
// (its size and KMALLOC_SHIFT_HIGH are probe facts), whose entries point at (opaque) kmem_cache
// objects.
import type { TrapContext } from '../../cpu/types.js';
import { enabled } from '../identity/identity.js';
import type { Kernel } from '../kernel.js';
import { VMALLOC_BASE, VMALLOC_SIZE } from '../../mm/layout.js';

const GFP_ZERO = 0x100n;
const KMEM_CACHE_SIZE = 128;
const ZERO_SIZE_PTR = 16n;

export function registerSlabApi(k: Kernel): void {
  const mem = k.mem;
  /** kmem_cache address -> object size (kmalloc caches and kmem_cache_create'd ones). */
  const caches = new Map<bigint, { size: number; name: string; align: number; ctor: bigint }>();

  const alloc = (size: bigint, flags: bigint): bigint => {
    const n = Number(BigInt.asUintN(64, size));
    if (n === 0) return ZERO_SIZE_PTR;
    if (n > 1 << 30) return 0n;
    const p = k.kmalloc(n);
    if (p && flags & GFP_ZERO) mem.fill(p, 0, n);
    return p;
  };
  const free = (p: bigint): void => {
    if (p <= ZERO_SIZE_PTR) return;
    try {
      k.kfree(p);
    } catch {
      // SLUB without debugging would corrupt its freelist here; report it once and carry on.
      k.log.emit(3, `modfs: kfree of invalid or already freed pointer ${p.toString(16)}`);
    }
  };

  // kmalloc_caches[...][KMALLOC_SHIFT_HIGH + 1]: the last index is the size class; any leading
  // dimensions (cache types; random copies on 6.6+ builds) are counted from the table's size.
  const { kmallocCachesSize, kmallocShiftHigh } = k.identity.facts;
  const slots = kmallocCachesSize / 8;
  k.exports.data('kmalloc_caches', kmallocCachesSize, (table) => {
    const objs = k.kmalloc(slots * KMEM_CACHE_SIZE);
    for (let n = 0; n < slots; n++) {
      const i = n % (kmallocShiftHigh + 1);
      const c = objs + BigInt(n * KMEM_CACHE_SIZE);
      const size = i === 1 ? 96 : i === 2 ? 192 : i === 0 ? 0 : 2 ** i;
      caches.set(c, { size, name: `kmalloc-${size}`, align: 8, ctor: 0n });
      mem.writeU64(table + BigInt(n * 8), c);
    }
  }, { align: 64 });

  k.exports.func('kmalloc_trace', (c) => alloc(c.arg(2), c.arg(1)));
  k.exports.func('kmalloc_node_trace', (c) => alloc(c.arg(3), c.arg(1)));
  k.exports.func('__kmalloc', (c) => alloc(c.arg(0), c.arg(1)));
  k.exports.func('__kmalloc_node', (c) => alloc(c.arg(0), c.arg(1)));
  k.exports.func('kmalloc_large', (c) => alloc(c.arg(0), c.arg(1)));
  k.exports.func('kvmalloc_node', (c) => alloc(c.arg(0), c.arg(1)));
  // 6.10 renamed these *_noprof; 6.11 added a kmem_buckets argument after the size when
  // CONFIG_SLAB_BUCKETS is set (DECL_BUCKET_PARAMS), which moves the flags one place on.
  const flagsAt = enabled(k.identity, 'SLAB_BUCKETS') ? 2 : 1;
  k.exports.func('__kmalloc_node_noprof', (c) => alloc(c.arg(0), c.arg(flagsAt)));
  k.exports.func('__kvmalloc_node_noprof', (c) => alloc(c.arg(0), c.arg(flagsAt)));
  k.exports.func('kfree', (c) => free(c.arg(0)));
  // kvfree takes either allocator's memory (kvmalloc may fall back to vmalloc on a real kernel).
  const inVmalloc = (p: bigint) => p >= VMALLOC_BASE && p < VMALLOC_BASE + VMALLOC_SIZE;
  k.exports.func('kvfree', (c) => (inVmalloc(c.arg(0)) ? k.vmalloc.free(c.arg(0)) : free(c.arg(0))));
  k.exports.func('is_vmalloc_addr', (c) => inVmalloc(c.arg(0)));
  k.exports.func('kfree_sensitive', (c) => {
    const p = c.arg(0);
    const n = k.heap.sizeOf(p);
    if (n) mem.fill(p, 0, n);
    free(p);
  });
  k.exports.func('ksize', (c) => k.heap.sizeOf(c.arg(0)) ?? 0);
  k.exports.func('krealloc', (c: TrapContext) => {
    const old = c.arg(0);
    const n = Number(c.arg(1));
    if (n === 0) {
      free(old);
      return ZERO_SIZE_PTR;
    }
    const oldSize = old > ZERO_SIZE_PTR ? (k.heap.sizeOf(old) ?? 0) : 0;
    if (oldSize >= n) return old;
    const p = alloc(BigInt(n), c.arg(2));
    if (p && oldSize) mem.writeBytes(p, mem.readBytes(old, oldSize));
    if (p) free(old);
    return p;
  });
  k.exports.func('kmemdup', (c) => {
    const n = Number(c.arg(1));
    const p = alloc(c.arg(1), 0n);
    if (p > ZERO_SIZE_PTR) mem.writeBytes(p, mem.readBytes(c.arg(0), n));
    return p;
  });
  k.exports.func('kstrdup', (c) => (c.arg(0) === 0n ? 0n : k.kstrdup(mem.readCString(c.arg(0), 1 << 24))));
  k.exports.func('kstrndup', (c) => (c.arg(0) === 0n ? 0n : k.kstrdup(mem.readCString(c.arg(0), Number(c.arg(1))))));

  const vmalloc = (size: bigint) => k.vmalloc.alloc(Number(size), 4096) ?? 0n;
  k.exports.func('vmalloc', (c) => vmalloc(c.arg(0)));
  k.exports.func('vzalloc', (c) => vmalloc(c.arg(0)));
  k.exports.func('__vmalloc', (c) => vmalloc(c.arg(0)));
  k.exports.func('vfree', (c) => {
    if (c.arg(0) !== 0n) k.vmalloc.free(c.arg(0));
  });

  k.exports.func('kmem_cache_create', (c) => {
    const obj = k.kmalloc(KMEM_CACHE_SIZE);
    const name = new TextDecoder('latin1').decode(mem.readCString(c.arg(0), 64));
    caches.set(obj, { name, size: Number(c.arg(1)), align: Number(c.arg(2)) || 8, ctor: c.arg(4) });
    return obj;
  });
  k.exports.func('kmem_cache_alloc', (c: TrapContext) => {
    const cache = caches.get(c.arg(0));
    if (!cache) return 0n;
    const p = alloc(BigInt(cache.size), c.arg(1));
    if (p && cache.ctor) c.call(cache.ctor, [p]);
    return p;
  });
  k.exports.func('kmem_cache_free', (c) => free(c.arg(1)));
  k.exports.func('kmem_cache_destroy', (c) => {
    if (caches.delete(c.arg(0))) free(c.arg(0));
  });
}
