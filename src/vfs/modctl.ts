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
import { loadModuleAsync } from '../kernel/loader/load-module.js';
import { deleteModuleAsync } from '../kernel/unload.js';
import { MODULES_END, MODULES_VADDR } from '../mm/layout.js';
import { asFsError, attrFile } from './attr-file.js';
import { dir } from './dir.js';
import { FsError, type DirNode, type FileNode, type Handle } from './node.js';

const EINVAL = 22;
/** Bytes as a byte string, one char per byte (names are bytes, see node.ts). */
const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** An asynchronous kernel operation, its KernelError turned into the FsError the write reports. */
async function kernelCallAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw asFsError(e);
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
          let text = latin1(data).replace(/\n$/, '');
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

/**
 * The largest image that could be a module: everything the kernel keeps of it must fit the
 * module area (MODULES_VADDR..MODULES_END), so a larger write is refused at once with the errno
 * the kernel's allocation of the copy gives (ENOMEM), before it is buffered.
 */
export const MAX_IMAGE = Number(MODULES_END - MODULES_VADDR);
const ENOMEM = 12;

/**
 * A raw image arriving in writes: appended to one buffer that doubles when full, so a 64 MiB
 * image costs linear time (concatenating on every write was quadratic), and is dropped at once
 * after the load. The section table usually comes last, so the expected size is known late.
 */
class ImageBuffer {
  private buf: Uint8Array | undefined = new Uint8Array(64 * 1024);
  length = 0;
  private want: number | undefined;

  append(data: Uint8Array): void {
    const need = this.length + data.length;
    if (need > MAX_IMAGE) throw new FsError(ENOMEM);
    let buf = this.buf!;
    if (need > buf.length) {
      const grown = new Uint8Array(Math.min(MAX_IMAGE, Math.max(need, buf.length * 2)));
      grown.set(buf.subarray(0, this.length));
      buf = this.buf = grown;
    }
    buf.set(data, this.length);
    this.length = need;
  }

  bytes(): Uint8Array {
    return this.buf!.subarray(0, this.length);
  }

  /** The header (64 bytes) says this is no ELF64 x86-64 relocatable: the kernel refuses it now. */
  cannotBeModule(): boolean {
    const b = this.buf!;
    if (this.length >= 4 && !(b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46)) return true;
    if (this.length < 64) return false;
    const dv = new DataView(b.buffer, b.byteOffset, 64);
    // elf_validity_check: ET_REL, EM_X86_64 and 64-byte section headers.
    return dv.getUint16(16, true) !== 1 || dv.getUint16(18, true) !== 62 || dv.getUint16(58, true) !== 64;
  }

  /** Every byte the headers name has arrived. */
  complete(): boolean {
    this.want ??= expectedElfSize(this.bytes());
    return this.want !== undefined && this.length >= this.want;
  }

  drop(): void {
    this.buf = undefined;
  }
}

function loadFile(k: Kernel, mountpoint: string): FileNode {
  return {
    kind: 'file',
    mode: 0o200,
    size: 4096,
    open(): Handle {
      let image: ImageBuffer | undefined = new ImageBuffer();
      let done = false;
      const loadImage = async () => {
        done = true;
        const bytes = image!.bytes();
        image!.drop();
        image = undefined;
        await kernelCallAsync(() => loadModuleAsync(k, bytes));
      };
      return {
        read() {
          throw new FsError(EINVAL);
        },
        async write(_pos, data) {
          if (done) return data.length; // trailing bytes (an appended signature) of a loaded image
          if (image!.length === 0 && data[0] === 0x2f /* '/' */) {
            done = true;
            image = undefined;
            const text = latin1(data).replace(/\n$/, '');
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
          try {
            image!.append(data);
          } catch (e) {
            done = true;
            image = undefined;
            throw e;
          }
          if (image!.cannotBeModule() || image!.complete()) await loadImage();
          return data.length;
        },
        truncate() {},
        async flush() {
          // close(2) of an incomplete image: hand the kernel what arrived; its checks decide.
          if (!done && image && image.length > 0) await loadImage();
        },
      };
    },
  };
}

