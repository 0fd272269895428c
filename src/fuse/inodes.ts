// The kernel's view of the tree: FUSE node ids for vfs nodes, and how many lookups of each the
// kernel holds (it returns them with FORGET). A node id names one vfs node object for the life
// of the daemon and is never given to another: when a module is unloaded and loaded again, its
// new directory is a new node with a new id, so a shell still inside the old one does not see
// the new module's files (the kernel's nodeid:generation pair must stay unique).

import type { VNode } from '../vfs/node.js';
import { FUSE_ROOT_ID } from './protocol.js';

export class Inode {
  nlookup = 0;
  /** Children the kernel may know (looked up or listed), by name. */
  kids: Map<string, Inode> | undefined;
  /** The node left the tree: every request naming this id fails with ENOENT. */
  stale = false;
  /** Subdirectory count last told to the kernel (st_nlink), to know when to invalidate it. */
  nlinkTold = -1;
  unwatch: (() => void) | undefined;
  /** Names last listed to the kernel (READDIR), which may cache the listing; see invalidate.ts. */
  listed: string | undefined;

  constructor(
    readonly nodeid: number,
    readonly node: VNode,
    readonly parent: Inode | undefined,
    readonly name: string,
  ) {}
}

export class InodeTable {
  private readonly byId = new Map<number, Inode>();
  private next = Number(FUSE_ROOT_ID) + 1;
  readonly root: Inode;

  constructor(
    root: VNode,
    /** Called for each new directory inode (to watch it) and each inode that goes. */
    private readonly hooks: { added?(i: Inode): void; dropped?(i: Inode): void } = {},
  ) {
    this.root = new Inode(Number(FUSE_ROOT_ID), root, undefined, '');
    this.root.nlookup = 1; // the kernel holds the root for the mount's life
    this.byId.set(this.root.nodeid, this.root);
    hooks.added?.(this.root);
  }

  get size(): number {
    return this.byId.size;
  }

  get(nodeid: number): Inode | undefined {
    return this.byId.get(nodeid);
  }

  /** The inode for `node` found as `name` in `parent`: the known one if it is the same node. */
  child(parent: Inode, name: string, node: VNode): Inode {
    const kids = (parent.kids ??= new Map());
    const known = kids.get(name);
    if (known && known.node === node && !known.stale) return known;
    if (known) this.remove(known);
    const ino = new Inode(this.next++, node, parent, name);
    kids.set(name, ino);
    this.byId.set(ino.nodeid, ino);
    this.hooks.added?.(ino);
    return ino;
  }

  /** FORGET: the kernel dropped `n` of its lookups. */
  forget(ino: Inode, n: number): void {
    ino.nlookup = Math.max(0, ino.nlookup - n);
    if (ino.nlookup === 0 && ino.stale) this.drop(ino);
  }

  /**
   * `ino` and everything under it left the tree. Ids the kernel still holds stay (stale) until
   * it forgets them; the rest go now.
   */
  remove(ino: Inode): void {
    if (ino.parent?.kids?.get(ino.name) === ino) ino.parent.kids.delete(ino.name);
    const walk = (i: Inode): void => {
      i.stale = true;
      if (i.kids) for (const k of i.kids.values()) walk(k);
      i.kids = undefined;
      i.unwatch?.();
      i.unwatch = undefined;
      if (i.nlookup === 0) this.drop(i);
    };
    walk(ino);
  }

  private drop(ino: Inode): void {
    if (ino === this.root) return;
    this.byId.delete(ino.nodeid);
    this.hooks.dropped?.(ino);
  }
}
