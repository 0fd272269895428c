// Which of the tree's files cover which real paths inside the shell.
//
// The tree mirrors the real layout (DIR/proc/modules is /proc/modules), so the rule is by place:
// - directories the tree owns outright are bound whole: /sys/module, /sys/class, and each
//   /sys/kernel/<x> the tree has (except modctl, the control files, which stay reachable under
//   DIR only);
// - /proc and /dev belong to the host as well, so the tree's files there are bound one by one;
// - a file the host lacks cannot be a mount point (procfs lets nobody create one: a kernel built
//   without modules has no /proc/modules), so the shim redirects its path instead (paths.c); so
//   it does for files module code creates later under /proc, /dev and /sys/kernel (dynamic()).
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export interface Plan {
  /** [source under the mount, real path], in mount order. */
  binds: Array<[string, string]>;
  /** Real paths the host lacks, redirected by the shim into the mount. */
  rewrites: string[];
}

/** What the host has at a path (injected by tests). */
export type Probe = (path: string) => 'file' | 'dir' | 'none';

export const hostProbe: Probe = (p) => {
  let st: Stats;
  try {
    st = lstatSync(p);
  } catch {
    return 'none';
  }
  return st.isDirectory() ? 'dir' : 'file';
};

/** Directories under sys/kernel that are control plumbing, not kernel paths. */
const PRIVATE = new Set(['sys/kernel/modctl']);

export function planBinds(mount: string, probe: Probe = hostProbe): Plan {
  const plan: Plan = { binds: [], rewrites: [] };
  const treeHas = (rel: string) => probe(join(mount, rel));
  const list = (rel: string): string[] => {
    try {
      return readdirSync(join(mount, rel)).sort();
    } catch {
      return [];
    }
  };

  const wholeDir = (rel: string) => {
    if (PRIVATE.has(rel) || treeHas(rel) !== 'dir') return;
    // A directory cannot be redirected by name (every path below it would need it): without the
    // host directory it is simply absent from the shell.
    if (probe(`/${rel}`) === 'dir') plan.binds.push([join(mount, rel), `/${rel}`]);
  };
  const fileByFile = (rel: string): void => {
    for (const name of list(rel)) {
      const sub = `${rel}/${name}`;
      const kind = treeHas(sub);
      if (kind === 'dir') {
        fileByFile(sub);
      } else if (kind === 'file') {
        if (probe(`/${sub}`) === 'none') plan.rewrites.push(`/${sub}`);
        else plan.binds.push([join(mount, sub), `/${sub}`]);
      }
    }
  };

  wholeDir('sys/module');
  // Device classes (device_create) are the emulated kernel's alone inside the shell.
  wholeDir('sys/class');
  for (const name of list('sys/kernel')) wholeDir(`sys/kernel/${name}`);
  fileByFile('proc');
  fileByFile('dev');
  return plan;
}
