// /sys/kernel/modctl: the control files that stand in for init_module/delete_module/syslog.
//  load   (0200) one write of "ABSOLUTE_PATH [param=value ...]", or the raw bytes of a .ko
//                (loaded once the image is complete, or at close); the write fails with the
//                errno init_module would return.
//  unload (0200) "NAME" or "-f NAME" (force, delete_module's O_TRUNC).
//  clear  (0600) write: clear the log (SYSLOG_ACTION_CLEAR); read: the first uncleared seq.
// Loads and unloads run the module's init/exit in slices (kernel/api/sched.ts): the write's
// answer waits for them, while other requests on the tree keep being served.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kernel } from '../kernel/kernel.js';
import { KernelError } from '../kernel/errno.js';
import { loadModuleAsync } from '../kernel/loader/load-module.js';
import { deleteModuleAsync } from '../kernel/unload.js';
import { attrFile } from './attr-file.js';
import { dir } from './dir.js';
import { FsError, type DirNode, type FileNode, type Handle } from './node.js';

const EINVAL = 22;
const latin1 = new TextDecoder('latin1');

/** An asynchronous kernel operation, its KernelError turned into the FsError the write reports. */
async function kernelCallAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof KernelError) throw new FsError(e.errno, e.message);
    throw e;
  }
}

export function modctlDir(k: Kernel, mountpoint: string): DirNode {
  const unload: FileNode = {
    kind: 'file',
    mode: 0o200,
    size: 4096,
    open(): Handle {
      return {
        read() {
          throw new FsError(5);
        },
        async write(_pos, data) {
          let text = latin1.decode(data).replace(/\n$/, '');
          const force = text.startsWith('-f ');
          if (force) text = text.slice(3).trim();
          await kernelCallAsync(() => deleteModuleAsync(k, text, force));
          return data.length;
        },
        truncate() {},
      };
    },
  };
  const clear = attrFile({
    mode: 0o600,
    show: () => `${k.log.clearSeq}\n`,
    store: (data) => {
      k.log.clear();
      return data.length;
    },
  });
  const load = loadFile(k, mountpoint);
  return dir(0o755, () => [
    ['clear', clear],
    ['load', load],
    ['unload', unload],
  ]);
}

/** Expected size of an ELF image from its headers, once they have arrived; else undefined. */
function expectedElfSize(b: Uint8Array): number | undefined {
  if (b.length < 64) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shoff = Number(dv.getBigUint64(40, true));
  const shnum = dv.getUint16(60, true);
  const tableEnd = shoff + shnum * 64;
  if (!Number.isSafeInteger(tableEnd) || b.length < tableEnd) return undefined;
  let end = tableEnd;
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * 64;
    const type = dv.getUint32(o + 4, true);
    if (type === 8 /* NOBITS */ || type === 0) continue;
    const e = Number(dv.getBigUint64(o + 24, true) + dv.getBigUint64(o + 32, true));
    if (Number.isSafeInteger(e)) end = Math.max(end, e);
  }
  return end;
}

function loadFile(k: Kernel, mountpoint: string): FileNode {
  return {
    kind: 'file',
    mode: 0o200,
    size: 4096,
    open(): Handle {
      let chunks: Uint8Array[] = [];
      let have = 0;
      let done = false;
      const image = () => Buffer.concat(chunks);
      const loadImage = async (bytes: Uint8Array) => {
        done = true;
        chunks = [];
        await kernelCallAsync(() => loadModuleAsync(k, bytes));
      };
      return {
        read() {
          throw new FsError(EINVAL);
        },
        async write(_pos, data) {
          if (done) return data.length; // trailing bytes (an appended signature) of a loaded image
          if (have === 0 && data[0] === 0x2f /* '/' */) {
            done = true;
            const text = latin1.decode(data).replace(/\n$/, '');
            const sp = text.search(/\s/);
            const file = sp < 0 ? text : text.slice(0, sp);
            const args = sp < 0 ? '' : text.slice(sp + 1).replace(/^\s+/, '');
            const abs = path.resolve(file);
            // Reading our own mount from the serving thread would deadlock FUSE.
            if (abs === mountpoint || abs.startsWith(mountpoint + path.sep)) throw new FsError(EINVAL);
            let bytes: Uint8Array;
            try {
              bytes = fs.readFileSync(abs);
            } catch (e) {
              throw new FsError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 2 : 5);
            }
            await kernelCallAsync(() => loadModuleAsync(k, bytes, { args, sourcePath: abs }));
            return data.length;
          }
          chunks.push(data.slice());
          have += data.length;
          const img = image();
          if (have >= 4 && !(img[0] === 0x7f && img[1] === 0x45 && img[2] === 0x4c && img[3] === 0x46)) {
            await loadImage(img); // not ELF: the kernel's magic check refuses it now
            return data.length;
          }
          const want = expectedElfSize(img);
          if (want !== undefined && have >= want) await loadImage(img);
          return data.length;
        },
        truncate() {},
        async flush() {
          // close(2) of an incomplete image: hand the kernel what arrived; its checks decide.
          if (!done && have > 0) await loadImage(image());
        },
      };
    },
  };
}

