import type { DirNode, VNode } from './node.js';

/** A directory whose entries are computed on each lookup (kernel state changes underneath). */
export function dir(mode: number, entries: () => Array<[string, VNode] | undefined | false>): DirNode {
  return {
    kind: 'dir',
    mode,
    children: () => new Map(entries().filter((e): e is [string, VNode] => !!e)),
  };
}
