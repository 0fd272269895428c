import type { DirNode, VNode } from './node.js';

/**
 * A directory whose entries are computed on each lookup (kernel state changes underneath).
 * `watch`, for directories whose entries come and go, tells a listener after changes.
 */
export function dir(mode: number, entries: () => Array<[string, VNode] | undefined | false>, watch?: (cb: () => void) => () => void): DirNode {
  const d: DirNode = {
    kind: 'dir',
    mode,
    children: () => new Map(entries().filter((e): e is [string, VNode] => !!e)),
  };
  if (watch) d.watch = watch;
  return d;
}
