// The character and block device numbers the kernel itself holds at boot, before any module
// registers one: what decides which major alloc_chrdev_region() hands out (it counts down from
// 254 past these) and which fixed numbers are refused. Recorded from Debian's 6.1.0-56 kernel
// booted under QEMU by scripts/oracle/run.sh (/proc/devices, /proc/misc and ls -l /dev of that
// guest; /proc/devices is the first command of transcripts/regchr.txt). The minor ranges are
// those the registering drivers ask for (fs/char_dev.c callers: mem, tty, vt, input, pty, ...).
// Other builds modfs emulates get the same table: their own built-in drivers are not known.

/** One region of chrdevs[]: major, first minor, number of minors, name. */
export type BuiltinRegion = readonly [major: number, baseminor: number, minorct: number, name: string];

/** Character device regions, in the order the kernel registered them (its list order). */
export const BUILTIN_CHRDEVS: readonly BuiltinRegion[] = [
  [1, 0, 256, 'mem'],
  [4, 0, 1, '/dev/vc/0'],
  [4, 1, 63, 'tty'],
  [4, 64, 32, 'ttyS'],
  [5, 0, 1, '/dev/tty'],
  [5, 1, 1, '/dev/console'],
  [5, 2, 1, '/dev/ptmx'],
  [7, 0, 256, 'vcs'],
  [10, 0, 256, 'misc'],
  [13, 0, 1024, 'input'],
  [29, 0, 256, 'fb'],
  [128, 0, 1 << 20, 'ptm'],
  [136, 0, 1 << 20, 'pts'],
  [153, 0, 256, 'spi'],
  // alloc_chrdev_region() at boot, from 254 down
  [254, 0, 256, 'gpiochip'],
  [253, 0, 256, 'tpm'],
  [252, 0, 256, 'dax'],
  [251, 0, 256, 'rtc'],
  [250, 0, 256, 'pps'],
  [249, 0, 256, 'ptp'],
  [248, 0, 256, 'bsg'],
  [247, 0, 256, 'cxl'],
];

/** Block device majors (register_blkdev): /proc/devices lists them after the character ones. */
export const BUILTIN_BLKDEVS: ReadonlyArray<readonly [major: number, name: string]> = [[259, 'blkext']];

/** Built-in misc devices (drivers/char/misc.c's list), oldest first: minor, name. */
export const BUILTIN_MISC: ReadonlyArray<readonly [minor: number, name: string]> = [
  [127, 'vga_arbiter'],
  [183, 'hw_random'],
  [231, 'snapshot'],
  [126, 'userfaultfd'],
  [228, 'hpet'],
  [1, 'psaux'],
  [125, 'cpu_dma_latency'],
];
