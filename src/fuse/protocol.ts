// The FUSE kernel ABI that modfs speaks (<linux/fuse.h>, protocol 7.x): opcodes, flags and the
// byte layouts of the structures we read and write. Values were settled from the kernel's
// fs/fuse/*.c and the public header; every structure is little-endian with natural alignment.

export const FUSE_KERNEL_VERSION = 7;
/** The minor we announce. 7.31 has everything used here (NOTIFY_DELETE is 7.18, POLL 7.11,
 *  FOPEN_NOFLUSH is honoured by kernels >= 5.16 whatever the minor). The kernel takes the
 *  smaller of its own minor and ours. */
export const FUSE_KERNEL_MINOR = 31;
export const FUSE_ROOT_ID = 1n;

export const Op = {
  LOOKUP: 1,
  FORGET: 2,
  GETATTR: 3,
  SETATTR: 4,
  READLINK: 5,
  SYMLINK: 6,
  MKNOD: 8,
  MKDIR: 9,
  UNLINK: 10,
  RMDIR: 11,
  RENAME: 12,
  LINK: 13,
  OPEN: 14,
  READ: 15,
  WRITE: 16,
  STATFS: 17,
  RELEASE: 18,
  FSYNC: 20,
  SETXATTR: 21,
  GETXATTR: 22,
  LISTXATTR: 23,
  REMOVEXATTR: 24,
  FLUSH: 25,
  INIT: 26,
  OPENDIR: 27,
  READDIR: 28,
  RELEASEDIR: 29,
  FSYNCDIR: 30,
  GETLK: 31,
  SETLK: 32,
  SETLKW: 33,
  ACCESS: 34,
  CREATE: 35,
  INTERRUPT: 36,
  BMAP: 37,
  DESTROY: 38,
  IOCTL: 39,
  POLL: 40,
  NOTIFY_REPLY: 41,
  BATCH_FORGET: 42,
  FALLOCATE: 43,
  READDIRPLUS: 44,
  RENAME2: 45,
  LSEEK: 46,
  COPY_FILE_RANGE: 47,
} as const;

export const OP_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Op).map(([k, v]) => [v, k]));

/** Notification codes, sent as the error field of an out header with unique 0. */
export const Notify = { POLL: 1, INVAL_INODE: 2, INVAL_ENTRY: 3, STORE: 4, RETRIEVE: 5, DELETE: 6 } as const;

/** INIT flags (fuse_init_in.flags / fuse_init_out.flags). */
export const Init = {
  ASYNC_READ: 1 << 0,
  ATOMIC_O_TRUNC: 1 << 3,
  BIG_WRITES: 1 << 5,
  DONT_MASK: 1 << 6,
  DO_READDIRPLUS: 1 << 13,
  READDIRPLUS_AUTO: 1 << 14,
  PARALLEL_DIROPS: 1 << 18,
  MAX_PAGES: 1 << 22,
  CACHE_SYMLINKS: 1 << 23,
  NO_OPENDIR_SUPPORT: 1 << 24,
} as const;

/** fuse_open_out.open_flags. */
export const Fopen = { DIRECT_IO: 1 << 0, KEEP_CACHE: 1 << 1, NONSEEKABLE: 1 << 2, CACHE_DIR: 1 << 3, STREAM: 1 << 4, NOFLUSH: 1 << 5 } as const;

/** fuse_setattr_in.valid bits. */
export const Fattr = { MODE: 1 << 0, UID: 1 << 1, GID: 1 << 2, SIZE: 1 << 3, ATIME: 1 << 4, MTIME: 1 << 5, FH: 1 << 6 } as const;

export const IOCTL_UNRESTRICTED = 1 << 1;
export const POLL_SCHEDULE_NOTIFY = 1 << 0;

// Sizes of the fixed parts (bytes).
export const IN_HEADER = 40; // len u32, opcode u32, unique u64, nodeid u64, uid, gid, pid, padding u32
export const OUT_HEADER = 16; // len u32, error i32, unique u64
export const ATTR = 88; // fuse_attr
export const ENTRY_OUT = 40 + ATTR; // nodeid, generation, entry_valid, attr_valid u64; 2 nsec u32
export const ATTR_OUT = 16 + ATTR; // attr_valid u64, nsec u32, dummy u32
export const OPEN_OUT = 16;
export const WRITE_OUT = 8;
export const STATFS_OUT = 80;
export const INIT_OUT = 64;
export const DIRENT = 24; // ino u64, off u64, namelen u32, type u32, then the name, padded to 8
export const IOCTL_OUT = 16;
export const POLL_OUT = 8;

/** d_type values of readdir. */
export const DT = { DIR: 4, REG: 8, LNK: 10 } as const;
export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
