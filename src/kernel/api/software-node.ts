// drivers/base/swnode.c, the part modules reach without a device: registering static
// `struct software_node`s (name, parent, properties), finding the firmware node the kernel made
// for one, and the fwnode_operations that %pfw and the fwnode_* helpers call through.
//
// The kernel's struct swnode is private; here it is a kernel object whose first member is the
// struct fwnode_handle (ops pointer included, so is_software_node() holds) and whose other
// facts (the node, the parent, the kobject name) are kept on the TypeScript side. The sysfs
// directory /sys/kernel/software_nodes/<name> is not created.
import { EEXIST, EINVAL, ENOMEM } from '../errno.js';
import type { Kernel } from '../kernel.js';


interface Swnode {
  fwnode: bigint;
  node: bigint;
  parent: Swnode | undefined;
  /** kobject_name(): the node's name, or "node<id>" for a nameless one. */
  name: bigint;
  /** ida id among its siblings (for "node<id>"). */
  id: number;
}

export function registerSoftwareNodeApi(k: Kernel): void {
  const m = k.mem;
  // struct software_node, fwnode_handle and fwnode_operations as the emulated build lays them out.
  const L = k.identity.facts;
  const NAME = BigInt(L['software_node.name']);
  const PARENT = BigInt(L['software_node.parent']);
  const NODE_SIZE = BigInt(L['software_node.size']);
  const OPS = BigInt(L['fwnode_handle.ops']);

  const byNode = new Map<bigint, Swnode>();
  const byFwnode = new Map<bigint, Swnode>();
  const usedIds = new Map<Swnode | undefined, Set<number>>();
  const swnodeOf = (fwnode: bigint) => byFwnode.get(fwnode);

  // "" and "/", the two prefixes software_node_get_name_prefix returns.
  const emptyPrefix = k.kstrdup(new Uint8Array(0));
  const slashPrefix = k.kstrdup(Uint8Array.of(0x2f));
  // software_node_ops: a kernel data object of pointers to these (static) functions.
  const opTable: Array<[offset: bigint, name: string, fn: (fwnode: bigint) => bigint]> = [
    [0n, 'get', (f) => f], // .get is the first member; references are not counted here
    [BigInt(L['fwnode_operations.put']), 'put', () => 0n],
    [BigInt(L['fwnode_operations.get_name']), 'get_name', (f) => swnodeOf(f)?.name ?? 0n],
    // "" at the root; below it the prefix of the first ancestor that is not a software node,
    // and with none (always, here), "/".
    [BigInt(L['fwnode_operations.get_name_prefix']), 'get_name_prefix', (f) => (swnodeOf(f)?.parent ? slashPrefix : emptyPrefix)],
    [BigInt(L['fwnode_operations.get_parent']), 'get_parent', (f) => swnodeOf(f)?.parent?.fwnode ?? 0n],
  ];
  for (const [, name, fn] of opTable) k.exports.func(`software_node_${name}`, (c) => fn(c.arg(0)), { hidden: true });
  // (static in swnode.c, so not an export: a kernel heap object)
  const opsAddr = k.kmalloc(L['fwnode_operations.size']);
  m.fill(opsAddr, 0, L['fwnode_operations.size']);
  for (const [off, name] of opTable) m.writeU64(opsAddr + off, k.exports.addressOf(`software_node_${name}`));

  const register = (node: bigint): number => {
    const parentNode = m.readU64(node + PARENT);
    const parent = parentNode ? byNode.get(parentNode) : undefined;
    if (byNode.has(node)) return -EEXIST;
    if (parentNode && !parent) return -EINVAL;
    const ids = usedIds.get(parent) ?? new Set<number>();
    usedIds.set(parent, ids);
    let id = 0;
    while (ids.has(id)) id++;
    const namePtr = m.readU64(node + NAME);
    const name = k.kstrdup(namePtr ? m.readCString(namePtr, 1 << 16) : new TextEncoder().encode(`node${id}`));
    const fwnode = k.kmalloc(L['fwnode_handle.size']);
    if (!fwnode || !name) return -ENOMEM;
    ids.add(id);
    m.fill(fwnode, 0, L['fwnode_handle.size']);
    m.writeU64(fwnode + OPS, opsAddr);
    const s: Swnode = { fwnode, node, parent, name, id };
    byNode.set(node, s);
    byFwnode.set(fwnode, s);
    return 0;
  };
  const unregister = (node: bigint): void => {
    const s = byNode.get(node);
    if (!s) return;
    byNode.delete(node);
    byFwnode.delete(s.fwnode);
    usedIds.get(s.parent)?.delete(s.id);
    k.kfree(s.fwnode);
    k.kfree(s.name);
  };
  /** Entries of a zero-terminated array of struct software_node (ends at a NULL name). */
  const entries = (nodes: bigint): bigint[] => {
    const out: bigint[] = [];
    for (let p = nodes; m.readU64(p + NAME) !== 0n; p += NODE_SIZE) out.push(p);
    return out;
  };

  k.exports.func('software_node_register', (c) => register(c.arg(0)));
  k.exports.func('software_node_unregister', (c) => unregister(c.arg(0)));
  k.exports.func('software_node_register_nodes', (c) => {
    const list = entries(c.arg(0));
    for (const n of list) {
      const parent = m.readU64(n + PARENT);
      const ret = parent && !byNode.has(parent) ? -EINVAL : register(n);
      if (ret) {
        for (const u of [...list].reverse()) unregister(u);
        return ret;
      }
    }
    return 0;
  });
  k.exports.func('software_node_unregister_nodes', (c) => {
    for (const n of entries(c.arg(0)).reverse()) unregister(n);
  });
  k.exports.func('software_node_fwnode', (c) => byNode.get(c.arg(0))?.fwnode ?? 0n);
  k.exports.func('to_software_node', (c) => swnodeOf(c.arg(0))?.node ?? 0n);
  k.exports.func('is_software_node', (c) => {
    const f = c.arg(0);
    return f !== 0n && f < 0xfffffffffffff001n && m.readU64(f + OPS) === opsAddr;
  });
}
