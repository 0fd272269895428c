// User memory: the buffer of the process whose read, write or ioctl reached a module. A module's
// file operation receives it as a `char __user *`; here it is a window in the low (user) half of
// the emulated address space holding the caller's bytes for the length of the call. Kernel code
// reaches it only through the uaccess functions (api/uaccess.ts), which check the range as
// access_ok does on x86-64 and stop at the first unmapped page, so a bad pointer is -EFAULT and
// never an oops.
import type { Memory } from '../mm/memory.js';

/** Where the window starts: an address a 64-bit process could own (below TASK_SIZE_MAX). */
export const USER_WINDOW_BASE = 0x00007f5a00000000n;
/** x86-64 with 4-level paging: the highest user address plus one, less the guard page. */
export const TASK_SIZE_MAX = 0x00007ffffffff000n;
const PAGE = 4096;

export class UserMemory {
  private mapped = 0;
  private busy = false;

  constructor(private readonly mem: Memory) {}

  /** access_ok(): the whole range lies in user space (no wrap-around). */
  accessOk(addr: bigint, n: number): boolean {
    const a = BigInt.asUintN(64, addr);
    return a + BigInt(n) <= TASK_SIZE_MAX;
  }

  /**
   * Run `f` with a user buffer of `len` bytes at a user address, holding `init` when given (a
   * write's data, an ioctl's input); returns f's result and the buffer's bytes afterwards.
   * Calls do not nest: a file operation runs to completion before the next request.
   */
  with<T>(len: number, init: Uint8Array | undefined, f: (uaddr: bigint) => T, back?: (result: T) => number): { result: T; bytes: Uint8Array } {
    if (this.busy) throw new Error('user window in use');
    const need = Math.ceil(Math.max(len, 1) / PAGE) * PAGE;
    if (need > this.mapped) {
      this.mem.map(USER_WINDOW_BASE + BigInt(this.mapped), need - this.mapped);
      this.mapped = need;
    }
    // Bytes a handler leaves unwritten but counts in its result reach the caller: they must be
    // the caller's own (modfs cannot see them; a fresh buffer holds zeros), never what an
    // earlier call of another process left in the window.
    if (init?.length) this.mem.writeBytes(USER_WINDOW_BASE, init);
    if (len > (init?.length ?? 0)) this.mem.fill(USER_WINDOW_BASE + BigInt(init?.length ?? 0), 0, len - (init?.length ?? 0));
    this.busy = true;
    try {
      const result = f(USER_WINDOW_BASE);
      // `back`: how many of the bytes the caller needs (a read's result), to copy no more.
      const n = back ? Math.max(0, Math.min(len, back(result))) : len;
      return { result, bytes: n ? this.mem.readBytes(USER_WINDOW_BASE, n) : new Uint8Array(0) };
    } finally {
      this.busy = false;
    }
  }

  /** How many bytes from `addr` on are user memory that can be touched (0 when none). */
  reachable(addr: bigint, n: number): number {
    if (n <= 0 || !this.accessOk(addr, 0)) return 0;
    const a = BigInt.asUintN(64, addr);
    let ok = 0;
    while (ok < n) {
      const p = a + BigInt(ok);
      if (p >= TASK_SIZE_MAX || !this.mem.isMapped(p)) break;
      ok += Math.min(n - ok, PAGE - Number(p % BigInt(PAGE)));
    }
    return Math.min(ok, Number(TASK_SIZE_MAX - a));
  }

  /** raw_copy_to_user: copies what it can; returns the bytes NOT copied. */
  copyTo(uaddr: bigint, data: Uint8Array): number {
    const ok = this.reachable(uaddr, data.length);
    if (ok) this.mem.writeBytes(uaddr, data.subarray(0, ok));
    return data.length - ok;
  }

  /** raw_copy_from_user: the bytes that could be read (possibly fewer than n). */
  copyFrom(uaddr: bigint, n: number): Uint8Array {
    const ok = this.reachable(uaddr, n);
    return ok ? this.mem.readBytes(uaddr, ok) : new Uint8Array(0);
  }
}
