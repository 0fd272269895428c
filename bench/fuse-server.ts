// The modfs-style tree for bench/fuse-read.js: /sys/module/hello/parameters/value, served by
// serveUntilStopped exactly as the daemon serves its tree. Usage: node fuse-server.js MOUNT.
// BENCH_ENTRY_TIMEOUT / BENCH_ATTR_TIMEOUT set the kernel cache lifetimes (seconds).

import type { DirNode, VNode } from '../src/vfs/node.js';
import { serveUntilStopped } from '../src/fuse/lifecycle.js';

function dir(entries: Record<string, VNode>): DirNode {
  const map = new Map(Object.entries(entries));
  return { kind: 'dir', mode: 0o755, children: () => map };
}

const value = new TextEncoder().encode('5\n');
const root = dir({
  sys: dir({
    module: dir({
      hello: dir({
        parameters: dir({
          value: { kind: 'file', mode: 0o644, size: 4096, open: () => ({ read: (pos, len) => value.subarray(pos, pos + len) }) },
        }),
      }),
    }),
  }),
});

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
await serveUntilStopped(process.argv[2], root, {
  entryTimeout: num(process.env.BENCH_ENTRY_TIMEOUT),
  attrTimeout: num(process.env.BENCH_ATTR_TIMEOUT),
});
