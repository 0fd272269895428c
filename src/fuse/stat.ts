// stat(2) results for tree nodes, shaped for fuse-native's getStatArray.

import type { VNode } from '../vfs/node.js';

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

export interface Attr {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  blksize: number;
  blocks: number;
  atime: Date;
  mtime: Date;
  ctime: Date;
}

/** chmod/chown results, which sysfs lets root make; the tree's nodes stay untouched. */
export interface Override {
  mode?: number;
  uid?: number;
  gid?: number;
}

/** Permission bits after any chmod. */
export function permsOf(node: VNode, ov: Override | undefined): number {
  return (ov?.mode ?? node.mode) & 0o7777;
}

export function attrOf(node: VNode, ov: Override | undefined, time: Date): Attr {
  const perms = permsOf(node, ov);
  let type: number;
  let size: number;
  let nlink = 1;
  if (node.kind === 'dir') {
    type = S_IFDIR;
    size = 0;
    // kernfs counts "." plus one ".." per subdirectory, like ext filesystems.
    nlink = 2;
    for (const child of node.children().values()) if (child.kind === 'dir') nlink++;
  } else if (node.kind === 'symlink') {
    type = S_IFLNK;
    size = Buffer.byteLength(node.target);
  } else {
    type = S_IFREG;
    size = typeof node.size === 'function' ? node.size() : node.size;
  }
  return {
    mode: type | perms,
    uid: ov?.uid ?? node.uid ?? 0,
    gid: ov?.gid ?? node.gid ?? 0,
    size,
    nlink,
    blksize: 4096,
    blocks: 0,
    atime: time,
    mtime: time,
    ctime: time,
  };
}
