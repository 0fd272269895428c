// JavaScript cost per FUSE request, in-process and without a mount: the real tree, kernfs and
// Session (dist/), fed the requests a parameter's open+read+close and open+write+close produce
// (OPEN, READ, RELEASE; OPEN, WRITE, RELEASE), answered through a FuseDevice on /dev/null, so the
// figure is the daemon's own work per request plus one cheap write(2). No scheduler, no kernel
// FUSE: far less noisy than bench/latency.mjs, for comparing changes to the transport.
// Run alone: node bench/session-cpu.mjs (BENCH_SESSION_N, default 200000 requests per figure).
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, isMain, KO, REPO } from './lib.mjs';

const IN_HEADER = 40;
const Op = { LOOKUP: 1, GETATTR: 3, OPEN: 14, READ: 15, WRITE: 16, RELEASE: 18, INIT: 26 };

export async function sessionCpu(n = Number(process.env.BENCH_SESSION_N ?? 200000)) {
  // BENCH_DIST: another build to compare (the dist/ of another worktree).
  const dist = process.env.BENCH_DIST ?? join(REPO, 'dist');
  const { Kernel } = await import(join(dist, 'kernel/kernel.js'));
  const { buildTree } = await import(join(dist, 'vfs/tree.js'));
  const { Session } = await import(join(dist, 'fuse/session.js'));
  const { FuseDevice } = await import(join(dist, 'fuse/device.js'));
  const k = new Kernel();
  const fd = openSync('/dev/null', 'w');
  const dev = new FuseDevice(fd, { onRequest() {}, onClose() {} });
  // The answer each request got: FuseDevice.send is wrapped to keep the start of the last one.
  const last = Buffer.alloc(32);
  let answers = 0;
  const send = dev.send.bind(dev);
  dev.send = (buf, data) => {
    answers++;
    buf.copy(last, 0, 0, Math.min(buf.length, 32));
    send(buf, data);
  };
  const s = new Session(buildTree(k, '/nonexistent'), dev, { entryTimeout: 86400, attrTimeout: 86400, maxWrite: 61440 });
  let unique = 2;
  const req = (opcode, nodeid, body) => {
    const b = Buffer.alloc(IN_HEADER + body.length);
    b.writeUInt32LE(b.length, 0);
    b.writeUInt32LE(opcode, 4);
    b.writeBigUInt64LE(BigInt((unique += 2)), 8);
    b.writeBigUInt64LE(BigInt(nodeid), 16);
    body.copy(b, IN_HEADER);
    return b;
  };
  const init = Buffer.alloc(64);
  init.writeUInt32LE(7, 0);
  init.writeUInt32LE(40, 4);
  init.writeUInt32LE(0x1ffffff, 12);
  s.handle(req(Op.INIT, 0, init));
  const lookup = (parent, name) => {
    s.handle(req(Op.LOOKUP, parent, Buffer.from(`${name}\0`)));
    if (last.readInt32LE(4) !== 0) throw new Error(`lookup ${name}: ${last.readInt32LE(4)}`);
    return Number(last.readBigUInt64LE(16));
  };
  const path = (p) => p.split('/').reduce((id, name) => lookup(id, name), 1);
  const flush = () => new Promise((r) => setImmediate(r));
  // Load helloworld through the control file, as a user's write does.
  const load = path('sys/kernel/modctl/load');
  const openBody = (flags) => { const b = Buffer.alloc(8); b.writeUInt32LE(flags, 0); return b; };
  const writeBody = (fh, text) => {
    const b = Buffer.alloc(40 + text.length);
    b.writeBigUInt64LE(BigInt(fh), 0);
    b.writeUInt32LE(text.length, 16);
    b.write(text, 40, 'latin1');
    return b;
  };
  const fhBody = (fh, size = 0) => { const b = Buffer.alloc(24); b.writeBigUInt64LE(BigInt(fh), 0); b.writeUInt32LE(size, 16); return b; };
  s.handle(req(Op.OPEN, load, openBody(1)));
  let fh = Number(last.readBigUInt64LE(16));
  const before = answers;
  s.handle(req(Op.WRITE, load, writeBody(fh, join(KO, 'helloworld.ko'))));
  for (let i = 0; i < 500 && answers === before; i++) await flush();
  if (last.readInt32LE(4) !== 0) throw new Error(`load: ${last.readInt32LE(4)}`);
  s.handle(req(Op.RELEASE, load, fhBody(fh)));
  await flush();
  const num = path('sys/module/helloworld/parameters/num');
  // Requests prepared once (the device hands a fresh buffer per read today; the cost of that is
  // libuv's and counted by bench/latency.mjs), with the handle patched in.
  const cycle = (what) => {
    const open = req(Op.OPEN, num, openBody(what === 'read' ? 0 : 1));
    const rd = req(Op.READ, num, fhBody(0, 4096));
    const wr = req(Op.WRITE, num, writeBody(0, '10\n'));
    const rel = req(Op.RELEASE, num, fhBody(0));
    return () => {
      s.handle(open);
      const h = last.readUInt32LE(16);
      const io = what === 'read' ? rd : wr;
      io.writeUInt32LE(h, IN_HEADER);
      s.handle(io);
      if (last.readInt32LE(4) !== 0) throw new Error(`${what}: ${last.readInt32LE(4)}`);
      rel.writeUInt32LE(h, IN_HEADER);
      s.handle(rel);
    };
  };
  const out = {};
  for (const what of ['read', 'write']) {
    const f = cycle(what);
    for (let i = 0; i < 2000; i++) f();
    const ops = Math.ceil(n / 3);
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (let i = 0; i < ops; i++) f();
    const c1 = process.cpuUsage(c0);
    const ns = Number(process.hrtime.bigint() - t0);
    out[what] = { usPerRequest: ns / 1000 / (ops * 3), userUsPerRequest: c1.user / (ops * 3), sysUsPerRequest: c1.system / (ops * 3) };
  }
  closeSync(fd);
  return out;
}

if (isMain(import.meta.url)) {
  ensureBuilt();
  console.log(JSON.stringify(await sessionCpu(), null, 2));
}
