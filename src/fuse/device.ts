// The open /dev/fuse descriptor: requests are read on the main thread, driven by epoll, and
// answers are written with one write(2) each. See transport.md for why (and what it was measured
// against: blocking reads in the libuv thread pool, and a worker thread).
//
// libuv treats a character device like /dev/fuse as a plain file, whose reads it would run in
// the thread pool (one thread asleep per outstanding read). Opened as a pipe handle instead, the
// descriptor joins the event loop's epoll set: each readable event gives one read(2), and each
// read(2) of /dev/fuse returns exactly one whole request. Every read goes into the same 64 KiB
// buffer (the stream handle's user-buffer mode), so a request costs no allocation; the buffer
// bounds max_write (the kernel refuses a read whose buffer could not hold a WRITE of max_write
// bytes). Requests already queued after an answer are read at once (drain.ts).

import * as fs from 'node:fs';
import { closeSync } from 'node:fs';
import { getSystemErrorName } from 'node:util';
import { makeDrain } from './drain.js';

/** The buffer every request is read into (libuv suggests 64 KiB per read). */
export const READ_BUFFER = 64 * 1024;

/** Requests read one after another in one turn of the event loop (drain.ts). */
const DRAIN_MAX = 16;

/** Answers up to this size are copied into one buffer with their header: one write(2). */
const INLINE_DATA = 4096;

interface PipeBinding {
  Pipe: new (type: number) => unknown;
  constants: { SOCKET: number };
}

interface StreamBinding {
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
  kLastWriteWasAsync: number;
  WriteWrap: new () => WriteReq;
}

/** A write request object of the stream handle: used only if a write could not finish at once. */
interface WriteReq {
  oncomplete?: () => void;
  buffer?: unknown;
}

/** The libuv stream handle as Node's own net code drives it. */
interface RawHandle {
  open(fd: number): number;
  onread: (ab?: ArrayBuffer) => unknown;
  /** Read into `buf` every time instead of a fresh buffer per read (Node's net `onread` option). */
  useUserBuffer?(buf: Uint8Array): void;
  /** uv_try_write and, only if that could not write it all, a queued write; 0 or a uv error. */
  writeBuffer?(req: WriteReq, buf: Uint8Array): number;
  writev?(req: WriteReq, chunks: Uint8Array[], allBuffers: boolean): number;
  readStart(): number;
  readStop(): number;
  close(): void;
}

const UV_EOF = -4095;

/** The largest header that precedes data in an answer (out header and fuse_ioctl_out). */
const OUT_HEADER_MAX = 64;

function uvName(n: number): string {
  try {
    return getSystemErrorName(n);
  } catch {
    return `uv error ${n}`;
  }
}

export interface DeviceEvents {
  /**
   * One request: the first `len` bytes of `buf`. The bytes are valid only during the call: the
   * next request is read into the same buffer, so whatever must outlive the call is copied.
   */
  onRequest(buf: Buffer, len: number): void;
  /** The connection ended: unmounted (ENODEV on read), aborted, or closed by us. */
  onClose(why: string): void;
}

export class FuseDevice {
  private handle: RawHandle | undefined;
  /** Answers go through the handle's own write (set once started), else fs.writeSync. */
  private writer: { req: WriteReq; state: Int32Array; async: number } | undefined;
  private closed = false;
  /** Where answers with small data are assembled: header and data, one write(2). */
  private out = Buffer.allocUnsafe(OUT_HEADER_MAX + INLINE_DATA);
  /** Notifications go out one at a time, each in the thread pool (see notify). */
  private notifyChain: Promise<void> = Promise.resolve();
  writeErrors = 0;
  /** Log each notification's outcome on stderr. */
  debug = false;

  constructor(
    readonly fd: number,
    private readonly events: DeviceEvents,
  ) {}

  /**
   * Start reading. Only once mount(2) has attached the descriptor to a connection: before that
   * the device polls as EPOLLERR and read(2) fails with EPERM.
   */
  start(): void {
    const { Pipe, constants } = (process as unknown as { binding(n: string): PipeBinding }).binding('pipe_wrap');
    const handle = new Pipe(constants.SOCKET) as unknown as RawHandle;
    const rc = handle.open(this.fd);
    if (rc !== 0) throw new Error(`cannot watch /dev/fuse descriptor ${this.fd} (uv error ${rc})`);
    this.handle = handle;
    // The handle's read callback, without a net.Socket's stream machinery on top (a Readable
    // push and an emit per request, measured at several microseconds). The byte count (or a
    // negative uv error) arrives in streamBaseState. With a user buffer libuv reads into it and
    // passes no ArrayBuffer; otherwise (a Node without useUserBuffer) each read comes in a fresh
    // buffer, which costs a 64 KiB allocation, a copy and a GC-tracked ArrayBuffer per request.
    const { streamBaseState, kReadBytesOrError, kArrayBufferOffset, kLastWriteWasAsync, WriteWrap } = (process as unknown as { binding(n: string): StreamBinding }).binding('stream_wrap');
    // After each request, the ones already queued are read at once (drain.ts), up to a bound
    // that lets timers and notifications run in between.
    const drain = typeof handle.useUserBuffer === 'function' ? makeDrain(this.fd, READ_BUFFER) : undefined;
    if (typeof handle.useUserBuffer === 'function') {
      const buf = drain ? drain.buf : Buffer.allocUnsafe(READ_BUFFER);
      handle.useUserBuffer(buf);
      handle.onread = () => {
        const n = streamBaseState[kReadBytesOrError];
        if (n < 0) return this.end(n === UV_EOF ? 'eof' : uvName(n));
        if (n > 0) this.events.onRequest(buf, n);
        if (drain) {
          for (let i = 0; i < DRAIN_MAX && !this.closed; i++) {
            const m = drain.read();
            if (m <= 0) break;
            this.events.onRequest(buf, m);
          }
        }
        return undefined;
      };
    } else {
      handle.onread = (ab?: ArrayBuffer) => {
        const n = streamBaseState[kReadBytesOrError];
        if (n < 0 || !ab) return this.end(n === UV_EOF ? 'eof' : uvName(n));
        if (n > 0) this.events.onRequest(Buffer.from(ab, streamBaseState[kArrayBufferOffset], n), n);
        return undefined;
      };
    }
    // Answers: the handle's write is uv_try_write, one write(2) like fs.writeSync but without
    // its argument checks, request object and exception (about 0.4 µs less per answer), and an
    // interrupted request's ENOENT comes back as a number. It would queue a write that could
    // not finish at once; /dev/fuse never does that (a write is copied whole or refused).
    if (typeof handle.writeBuffer === 'function' && typeof handle.writev === 'function' && typeof WriteWrap === 'function') {
      const req = new WriteWrap();
      req.oncomplete = () => undefined;
      this.writer = { req, state: streamBaseState, async: kLastWriteWasAsync };
    }
    const err = handle.readStart();
    if (err !== 0) this.end(uvName(err));
  }

  /** One write(2) of `chunks` (one or two); undefined, or the error's code. */
  private write(chunks: Uint8Array[]): string | undefined {
    const w = this.writer;
    const h = this.handle;
    if (w && h) {
      const rc = chunks.length === 1 ? h.writeBuffer!(w.req, chunks[0]) : h.writev!(w.req, chunks, true);
      if (w.state[w.async]) {
        // Queued after all: the request object and the bytes belong to that write now, and
        // uv_try_write refuses while libuv's queue is not empty. Answers may go in any order.
        process.stderr.write('modfs fuse: an answer was queued by libuv; writing synchronously from now on\n');
        w.req.buffer = chunks;
        this.out = Buffer.allocUnsafe(this.out.length);
        this.writer = undefined;
      }
      return rc < 0 ? uvName(rc) : undefined;
    }
    try {
      if (chunks.length === 1) fs.writeSync(this.fd, chunks[0]);
      else fs.writevSync(this.fd, chunks);
      return undefined;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code ?? 'EIO';
    }
  }

  private end(why: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handle?.readStop();
    this.handle?.close();
    this.events.onClose(why);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * One answer. ENOENT means the kernel no longer waits for it (the request was interrupted
   * and answered, or the connection was aborted); no write error may stop the daemon.
   */
  send(buf: Buffer, data?: Uint8Array): void {
    if (this.closed) return;
    let code: string | undefined;
    // The header's length covers the data that follows it in the same write.
    if (!data || !data.length) code = this.write([buf]);
    else if (data.length <= INLINE_DATA && buf.length <= OUT_HEADER_MAX) {
      // Small data rides in one buffer: one write(2) is cheaper than a writev(2) of two.
      const one = this.out;
      const n = buf.length + data.length;
      buf.copy(one, 0);
      one.set(data, buf.length);
      one.writeUInt32LE(n, 0);
      code = this.write([one.subarray(0, n)]);
    } else {
      buf.writeUInt32LE(buf.length + data.length, 0);
      code = this.write([buf, data]);
    }
    if (code === undefined) return;
    this.writeErrors++;
    if (code !== 'ENOENT' && code !== 'ENODEV' && code !== 'EBADF') {
      process.stderr.write(`modfs fuse: answer of ${buf.readUInt32LE(0)} bytes refused: ${code}\n`);
    }
  }

  /**
   * An unsolicited notification. The kernel may take a directory's lock to apply it, and that
   * lock can be held by a task waiting for an answer from us: so notifications are written from
   * a thread-pool thread, never from the thread that answers requests, and the main thread keeps
   * answering meanwhile. Resolves when the kernel has applied it (or refused it: ENOENT for an
   * entry it does not cache).
   */
  notify(buf: Buffer): Promise<void> {
    const run = (): Promise<void> =>
      new Promise((res) => {
        if (this.closed) return res();
        fs.write(this.fd, buf, 0, buf.length, null, (err) => {
          if (this.debug) process.stderr.write(`fuse: notify ${buf.readInt32LE(4)} of ${buf.length} bytes: ${err ? err.code : 'ok'}\n`);
          res();
        });
      });
    this.notifyChain = this.notifyChain.then(run);
    return this.notifyChain;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.handle) {
      this.handle.readStop();
      this.handle.close();
    } else closeSync(this.fd);
  }
}
