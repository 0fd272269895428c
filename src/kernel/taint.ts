// Taint flags: bit order is the print order (kernel/panic.c's table).

export const TAINT_LETTERS = 'PFSRMBUDAWCIOELKXTN';

export const TAINT = {
  PROPRIETARY_MODULE: 0,
  FORCED_MODULE: 1,
  FORCED_RMMOD: 3,
  USER: 6,
  DIE: 7,
  WARN: 9,
  CRAP: 10,
  OOT_MODULE: 12,
  UNSIGNED_MODULE: 13,
  LIVEPATCH: 15,
  TEST: 18,
} as const;

/** Letters that can be per-module flags (shown in /proc/modules and sysfs `taint`). */
const MODULE_TAINTS = new Set([0, 1, 10, 12, 13, 15, 16, 17, 18]);

export function moduleTaintLetters(mask: number): string {
  let s = '';
  for (let bit = 0; bit < TAINT_LETTERS.length; bit++) {
    if (mask & (1 << bit) && MODULE_TAINTS.has(bit)) s += TAINT_LETTERS[bit];
  }
  return s;
}

/** The kernel-wide "Tainted: P           OE     " string of an oops header. */
export function globalTaintString(mask: number): string {
  if (mask === 0) return 'Not tainted';
  let s = 'Tainted: ';
  // Bit 0 prints G (GPL-only) when clear; every other clear bit prints a space.
  for (let bit = 0; bit < TAINT_LETTERS.length; bit++) s += mask & (1 << bit) ? TAINT_LETTERS[bit] : bit === 0 ? 'G' : ' ';
  return s;
}
