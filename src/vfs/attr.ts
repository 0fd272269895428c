// stat(2) as kernfs answers it for a tree node, after any chmod/chown root made.

import type { VNode } from './node.js';

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;

export interface Attr {
  /** File type and permission bits. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  blksize: number;
  blocks: number;
}

/** chmod/chown results, which sysfs lets root make (kernfs_iop_setattr keeps them). */
export interface Override {
  mode?: number;
  uid?: number;
  gid?: number;
}

/** Permission bits after any chmod. */
export function permsOf(node: VNode, ov: Override | undefined): number {
  return (ov?.mode ?? node.mode) & 0o7777;
}

/** kernfs counts "." plus one ".." per subdirectory, like ext filesystems. */
export function nlinkOf(node: VNode): number {
  if (node.kind !== 'dir') return 1;
  let n = 2;
  for (const child of node.children().values()) if (child.kind === 'dir') n++;
  return n;
}

export function attrOf(node: VNode, ov: Override | undefined): Attr {
  const perms = permsOf(node, ov);
  let type: number;
  let size: number;
  if (node.kind === 'dir') {
    type = S_IFDIR;
    size = 0;
  } else if (node.kind === 'symlink') {
    type = S_IFLNK;
    size = Buffer.byteLength(node.target, 'latin1');
  } else {
    type = S_IFREG;
    size = typeof node.size === 'function' ? node.size() : node.size;
  }
  return { mode: type | perms, uid: ov?.uid ?? node.uid ?? 0, gid: ov?.gid ?? node.gid ?? 0, size, nlink: nlinkOf(node), blksize: 4096, blocks: 0 };
}

/** A file whose size is computed on each stat must not be cached by the kernel. */
export function sizeIsLive(node: VNode): boolean {
  return node.kind === 'file' && typeof node.size === 'function';
}
