// The open /dev/fuse descriptor: requests are read on the main thread, driven by epoll, and
// answers are written with one write(2) each. See transport.md for why (and what it was measured
// against: blocking reads in the libuv thread pool, and a worker thread).
//
// libuv treats a character device like /dev/fuse as a plain file, whose reads it would run in
// the thread pool (one thread asleep per outstanding read). Opened as a pipe handle instead, the
// descriptor joins the event loop's epoll set: each readable event gives one read(2), and each
// read(2) of /dev/fuse returns exactly one whole request, so each 'data' chunk is one request.
// Node's read buffer is 64 KiB, which bounds max_write (the kernel refuses a read whose buffer
// could not hold a WRITE of max_write bytes).

import * as fs from 'node:fs';
import { closeSync } from 'node:fs';
import * as net from 'node:net';

/** Node's stream read buffer (libuv suggests 64 KiB per read). */
export const READ_BUFFER = 64 * 1024;

interface PipeBinding {
  Pipe: new (type: number) => { open(fd: number): number };
  constants: { SOCKET: number };
}

export interface DeviceEvents {
  onRequest(buf: Buffer): void;
  /** The connection ended: unmounted (ENODEV on read), aborted, or closed by us. */
  onClose(why: string): void;
}

export class FuseDevice {
  private socket: net.Socket | undefined;
  private closed = false;
  /** Notifications go out one at a time, each in the thread pool (see notify). */
  private notifyChain: Promise<void> = Promise.resolve();
  writeErrors = 0;

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
    const handle = new Pipe(constants.SOCKET);
    const rc = handle.open(this.fd);
    if (rc !== 0) throw new Error(`cannot watch /dev/fuse descriptor ${this.fd} (uv error ${rc})`);
    this.socket = new net.Socket({ handle: handle as never, readable: true, writable: false } as net.SocketConstructorOpts);
    this.socket.on('data', (buf: Buffer) => this.events.onRequest(buf));
    const end = (why: string): void => {
      if (this.closed) return;
      this.closed = true;
      this.events.onClose(why);
    };
    // ENODEV on read is the unmount (no DESTROY comes for a `-t fuse` mount).
    this.socket.on('error', (e: NodeJS.ErrnoException) => end(e.code ?? String(e)));
    this.socket.on('end', () => end('eof'));
    this.socket.on('close', () => end('close'));
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
    try {
      // The header's length covers the data that follows it in the same write.
      if (data && data.length) {
        buf.writeUInt32LE(buf.length + data.length, 0);
        fs.writevSync(this.fd, [buf, data]);
      }
      else fs.writeSync(this.fd, buf);
    } catch (e) {
      this.writeErrors++;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENODEV' && code !== 'EBADF') {
        process.stderr.write(`modfs fuse: answer of ${buf.readUInt32LE(0)} bytes refused: ${code}\n`);
      }
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
        fs.write(this.fd, buf, 0, buf.length, null, () => res());
      });
    this.notifyChain = this.notifyChain.then(run);
    return this.notifyChain;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.socket) this.socket.destroy();
    else closeSync(this.fd);
  }
}
