// Where things live in the emulated kernel address space (x86-64, 4-level paging, as on 6.1).

/** Direct map: kmalloc objects live here, like real slab memory. */
export const DIRECT_MAP_BASE = 0xffff888000000000n;
export const DIRECT_MAP_SIZE = 0x0000004000000000n; // 256 GiB of room; pages are mapped on demand

/** vmalloc space: vmalloc() and kernel stacks (with guard pages). */
export const VMALLOC_BASE = 0xffffc90000000000n;
export const VMALLOC_SIZE = 0x0000010000000000n;

/** Per-cpu area of CPU 0; %gs points here. */
export const PERCPU_BASE = 0xffff88807fc00000n;
export const PERCPU_SIZE = 0x40000;

/** The emulated kernel image: trap stubs for exported functions, then exported data. */
export const KERNEL_TEXT_BASE = 0xffffffff81000000n;
export const KERNEL_TEXT_SIZE = 0x200000;
export const KERNEL_DATA_BASE = 0xffffffff82000000n;
export const KERNEL_DATA_SIZE = 0x200000;

/** Module area, as on x86-64: MODULES_VADDR .. MODULES_END. KASLR adds 1..1024 pages. */
export const MODULES_VADDR = 0xffffffffc0000000n;
export const MODULES_END = 0xffffffffff000000n;

/** Kernel stacks: THREAD_SIZE on x86-64 without KASAN. */
export const THREAD_SIZE = 16384;

export function pageAlignUp(n: number): number {
  return (n + 4095) & ~4095;
}
