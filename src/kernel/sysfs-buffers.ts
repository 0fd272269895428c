// The page a sysfs show callback writes into and the buffer a store callback reads, shared by
// module parameters (params/param-table.ts) and kobject attributes (api/sysfs.ts), as both go
// through kernfs in the kernel. Kept for the kernel's life: mapping and unmapping a fresh page on
// every read cost more than the rest of the read (measured). Callbacks run to completion one at a
// time, so one page serves them all.
import { ENOMEM, KernelError } from './errno.js';
import type { Kernel } from './kernel.js';

export const PAGE_SIZE = 4096;

/**
 * The show page, zeroed (sysfs_kf_seq_show clears it before each show). Page-aligned, as the
 * seq_file buffer kernfs hands out is: sysfs_emit refuses a buffer that is not.
 */
export function showPage(k: Kernel): bigint {
  let page = k.sysfsBuffers.showPage;
  if (page === 0n) {
    page = k.sysfsBuffers.showPage = k.heap.alloc(PAGE_SIZE, PAGE_SIZE) ?? 0n;
    if (page === 0n) throw new KernelError(ENOMEM);
  } else k.mem.fill(page, 0, PAGE_SIZE);
  return page;
}

/**
 * kernfs_fop_write_iter's copy of one write: at most PAGE_SIZE bytes, then a NUL ("guarantee
 * string termination"); the newline is left in. Returns the buffer and the length taken.
 */
export function storeBuffer(k: Kernel, data: Uint8Array): { buf: bigint; len: number } {
  const len = Math.min(data.length, PAGE_SIZE);
  let buf = k.sysfsBuffers.storeBuf;
  if (buf === 0n) {
    buf = k.sysfsBuffers.storeBuf = k.kmalloc(PAGE_SIZE + 8);
    if (buf === 0n) throw new KernelError(ENOMEM);
  }
  k.mem.writeBytes(buf, data.subarray(0, len));
  k.mem.writeU8(buf + BigInt(len), 0);
  return { buf, len };
}
