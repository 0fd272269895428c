// Load one .ko into a fresh emulated kernel, run its init, unload it, and return the lines its
// code printed (the loader's own taint notices are dropped). Shared by the differential tests.
import { BLOCK_HOT, setBlockThreshold } from '../../src/cpu/block.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { loadModule } from '../../src/kernel/loader/load-module.js';
import { deleteModule } from '../../src/kernel/unload.js';

export interface ModuleRun {
  lines: string[];
  instructions: number;
  /** Set when loading or init failed (the errno or exception text). */
  error?: string;
}

/** Lines the kernel itself prints when any out-of-tree unsigned module loads. */
const LOADER_NOISE = /^[\w-]+: (loading out-of-tree module taints kernel\.|module verification failed: .*)$/;

/**
 * `hot` sets how often an instruction runs before its trace is compiled (1: at once, so nearly
 * all code runs compiled; default: the product's threshold).
 */
export function runModule(image: Uint8Array, budget: number, hot?: number): ModuleRun {
  const saved = BLOCK_HOT;
  if (hot !== undefined) setBlockThreshold(hot);
  try {
    return runIn(image, budget);
  } finally {
    setBlockThreshold(saved === Infinity ? 0 : saved);
  }
}

function runIn(image: Uint8Array, budget: number): ModuleRun {
  const k = new Kernel({ budget, kaslrPages: 1 });
  const from = k.log.nextSeq;
  const i0 = k.cpu.instructionCount;
  let error: string | undefined;
  let name: string | undefined;
  try {
    name = loadModule(k, image).name;
  } catch (e) {
    error = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
  }
  const instructions = k.cpu.instructionCount - i0;
  if (name !== undefined) {
    try {
      deleteModule(k, name, false);
    } catch (e) {
      error = `unload: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const dec = new TextDecoder('latin1');
  const lines: string[] = [];
  for (const r of k.log.recordsFrom(from)) {
    const text = dec.decode(r.text).replace(/\n$/, '');
    if (!LOADER_NOISE.test(text)) lines.push(...text.split('\n'));
  }
  return { lines, instructions, ...(error !== undefined ? { error } : {}) };
}
