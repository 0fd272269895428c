// Linux errno numbers (x86-64) used by the emulated kernel, and the error that carries one out
// of a kernel operation to the file write that triggered it.

export const EPERM = 1;
export const ENOENT = 2;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const EAGAIN = 11;
export const EWOULDBLOCK = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOTTY = 25;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EPIPE = 32;
export const ERANGE = 34;
export const ENODATA = 61;
export const EBADMSG = 74;
export const EOVERFLOW = 75;
export const ENOKEY = 126;
/** modfs: the writer "was killed" by an oops in the module code it ran (no real errno exists). */
export const EOWNERDEAD = 130;
export const EKEYREJECTED = 129;
/** Kernel-internal: restart the system call (never reaches user space). */
export const ERESTARTSYS = 512;

/** A kernel operation failed with -errno; the message (if any) is already in the log. */
export class KernelError extends Error {
  constructor(
    public readonly errno: number,
    message?: string,
  ) {
    super(message ?? `errno ${errno}`);
  }
}

/** Negative errno in a 64-bit register value (as returned by kernel functions), else 0. */
export function errnoFromReturn(v: bigint): number {
  const s = BigInt.asIntN(64, v);
  return s < 0n && s >= -4095n ? Number(-s) : 0;
}
