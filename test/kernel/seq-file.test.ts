// seq_file through a real mount: however a reader splits its reads (sizes, offsets, seeks back),
// it sees exactly the bytes of one whole read, because seq_read keeps the kernel's buffer and
// position rules (read_pos, traverse, PAGE_SIZE buffer doubled on overflow). And the bad cases:
// handlers that fault or never return end the reader (the oops or soft-lockup report in the log)
// while the daemon keeps serving; an entry removed under an open descriptor reads EIO.
// The real kernel's side of these is in transcripts/proc{seq,rw,bad}.txt.
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModfs, type Modfs } from '../e2e/modfs.js';

let m: Modfs;
beforeAll(async () => {
  m = await startModfs();
});
afterAll(async () => {
  await m.stop();
});

const F = () => join(m.dir, 'proc/procseq');
const stats = () => m.read('proc/procseq_stats');
const load = (args: string) => expect(m.modfs(`insmod ${args}`).code).toBe(0);
const unload = (name: string) => expect(m.modfs(`rmmod ${name}`).code).toBe(0);
/** Whether `cmd` (run in a subshell, so the shell survives it) died of SIGKILL. */
const killed = (cmd: string) => m.sh(`(${cmd}) >/dev/null 2>&1; echo "rc=$?"`).stdout.trim() === 'rc=137';

/** What the module prints for count items (the header, then one line per item). */
function expected(count: number, skip = 0): string {
  let s = 'id   name        square\n';
  for (let i = 1; i <= count; i++) {
    if (skip && i % skip === 0) continue;
    s += `${String(i).padEnd(4)} ${`item-${i}`.padEnd(10)}  ${i * i}\n`;
  }
  return s;
}

/** Read the whole file on one descriptor in reads of `size` bytes at the file position. */
function readInPieces(path: string, size: number): string {
  const fd = openSync(path, 'r');
  try {
    const parts: Buffer[] = [];
    const buf = Buffer.alloc(size);
    for (let n; (n = readSync(fd, buf, 0, size, null)) > 0; ) parts.push(Buffer.from(buf.subarray(0, n)));
    return Buffer.concat(parts).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

describe('seq_file reads split every way give the bytes of one read', () => {
  beforeAll(() => load('$KO/procseq.ko count=400'));
  afterAll(() => unload('procseq'));

  it('cat sees the list', () => {
    expect(m.read('proc/procseq')).toBe(expected(400));
  });

  it.each([1, 2, 7, 100, 4095, 4096, 4097, 65536])('reads of %i bytes', (size) => {
    expect(readInPieces(F(), size)).toBe(expected(400));
  });

  it('positioned reads anywhere, forwards and backwards, on one descriptor (pread traverses)', () => {
    const whole = Buffer.from(expected(400), 'latin1');
    const fd = openSync(F(), 'r');
    try {
      // A fixed walk over the file: jumps forward, back to 0, into the middle of records, past the end.
      const offsets = [0, 5, 4090, 4100, 17, 9000, 9000, 8999, 0, whole.length - 3, whole.length, whole.length + 10, 1234];
      for (const off of offsets) {
        const buf = Buffer.alloc(50);
        const n = readSync(fd, buf, 0, 50, off);
        expect(buf.subarray(0, n).toString('latin1')).toBe(whole.subarray(off, off + 50).toString('latin1'));
      }
    } finally {
      closeSync(fd);
    }
  });

  it('dd skip= and count= cut the same bytes out', () => {
    const whole = expected(400);
    for (const [bs, skip, count] of [[7, 3, 4], [1, 4095, 3], [1000, 5, 2], [33, 124, 9]] as const) {
      const r = m.sh(`dd if="$M/proc/procseq" bs=${bs} skip=${skip} count=${count} 2>/dev/null`);
      expect(r.stdout).toBe(whole.slice(bs * skip, bs * (skip + count)));
    }
  });

  it('each read shows records until the buffer holds what was asked: one start/stop per read', () => {
    const before = stats();
    const [s0] = before.match(/\d+/g)!.map(Number);
    // head -c 30: one read of 30 bytes; the first record (the header) and the next fill it.
    m.sh('head -c 30 "$M/proc/procseq" >/dev/null');
    const [s1] = stats().match(/\d+/g)!.map(Number);
    expect(s1! - s0!).toBe(1);
  });
});

describe('records that need more than one page, and SEQ_SKIP', () => {
  it('a record longer than PAGE_SIZE is shown again into a doubled buffer and read whole', () => {
    load('$KO/procseq.ko count=2 wide=1');
    const text = m.read('proc/procseq');
    expect(text.length).toBe(5062);
    expect(text.split('\n').filter((l) => l.startsWith('# padding')).length).toBe(100);
    // cat: the header overflows 4096 once (show again at 8192), then the two items.
    expect(stats()).toBe('start 3 next 3 stop 3 show 4\n');
    unload('procseq');
  });

  it('->show returning SEQ_SKIP drops the record', () => {
    load('$KO/procseq.ko count=10 skip=4');
    expect(m.read('proc/procseq')).toBe(expected(10, 4));
    unload('procseq');
  });
});

describe('removal', () => {
  it('an entry removed under an open descriptor reads EIO', () => {
    load('$KO/procbad.ko');
    const fd = openSync(join(m.dir, 'proc/procbad/over'), 'r');
    try {
      unload('procbad');
      expect(() => readSync(fd, Buffer.alloc(10), 0, 10, null)).toThrow(/EIO/);
    } finally {
      closeSync(fd);
    }
    expect(m.sh('ls "$M/proc/procbad"').code).not.toBe(0);
  });

  it('a seq_file descriptor open at removal: ->proc_release (single_release) runs then, reads EIO after', () => {
    load('$KO/procseq.ko count=3');
    const fd = openSync(F(), 'r');
    try {
      const buf = Buffer.alloc(10);
      expect(readSync(fd, buf, 0, 10, null)).toBe(10);
      unload('procseq');
      expect(() => readSync(fd, buf, 0, 10, null)).toThrow(/EIO/);
    } finally {
      closeSync(fd);
    }
  });

  it('an entry the module forgot outlives it: opening it oopses, loading again warns', () => {
    load('$KO/procbad.ko leak=1');
    unload('procbad');
    m.dmesg();
    expect(m.sh('stat -c %a "$M/proc/procbad_leak"').stdout).toBe('444\n');
    expect(killed('cat "$M/proc/procbad_leak"')).toBe(true);
    expect(m.dmesg().join('\n')).toMatch(/BUG: unable to handle page fault for address: ffffffffc/);
    load('$KO/procbad.ko leak=1');
    const log = m.dmesg();
    expect(log).toContain("proc_dir_entry '/proc/procbad_leak' already registered");
    expect(log).toContain('procbad: proc_create("procbad_leak") returned NULL');
    // The tree stays consistent: one procbad_leak, the new directory beside it.
    expect(m.sh('ls "$M/proc" | grep -c "^procbad"').stdout).toBe('2\n');
    unload('procbad');
  });
});

// Last: after these the module can never be unloaded (a reader died inside its handlers).
describe('bad handlers', () => {
  beforeAll(() => load('$KO/procbad.ko'));

  it('a ->show error reaches the reader as its errno', () => {
    const r = m.sh('cat "$M/proc/procbad/seqerr"');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Operation not permitted/);
  });

  it('a NULL dereference in ->proc_read kills the reader with an oops; the daemon serves on', () => {
    m.dmesg();
    expect(killed('cat "$M/proc/procbad/null"')).toBe(true);
    const log = m.dmesg().join('\n');
    expect(log).toMatch(/BUG: kernel NULL pointer dereference, address: 0000000000000000/);
    expect(log).toMatch(/Comm: cat /);
    expect(log).toMatch(/null_read\+0x[0-9a-f]+\/0x[0-9a-f]+ \[procbad\]/);
    expect(m.read('proc/procbad/over')).toBe('over\n\0');
  });

  it('a read handler that never returns is a soft lockup at the instruction budget; the daemon serves on', () => {
    // spins=0: the handler loops forever. A real kernel reports after 22 s and keeps spinning
    // (the reader never returns); modfs stops the call at its budget and kills the reader.
    expect(m.sh('echo 0 > "$M/sys/module/procbad/parameters/spins"').code).toBe(0);
    m.dmesg();
    expect(killed('cat "$M/proc/procbad/spin"')).toBe(true);
    const log = m.dmesg().join('\n');
    expect(log).toMatch(/watchdog: BUG: soft lockup - CPU#0 stuck for 22s! \[cat:\d+\]/);
    expect(log).toMatch(/spin_read\+0x[0-9a-f]+\/0x[0-9a-f]+ \[procbad\]/);
    expect(m.sh('echo 10 > "$M/sys/module/procbad/parameters/spins"').code).toBe(0);
    expect(m.read('proc/procbad/spin')).toBe('spun 10\n');
    expect(m.read('proc/modules')).toMatch(/^procbad /m);
  }, 120_000);

  it('rmmod then waits forever for the killed readers: reported as a hung task, the module stays Unloading', () => {
    m.dmesg();
    expect(killed(`node '${join(__dirname, '../../bin/modfs.js')}' rmmod -m "$M" procbad`)).toBe(true);
    const log = m.dmesg();
    expect(log).toContainEqual(expect.stringMatching(/^INFO: task .*:\d+ blocked for more than 120 seconds\.$/));
    expect(log.join('\n')).toMatch(/proc_entry_rundown of \/proc\/procbad\/(null|spin) waits/);
    expect(m.read('proc/modules')).toMatch(/^procbad \d+ -1 - Unloading /m);
    // proc_remove took the directory out of /proc before it waited: a fresh lookup fails (a real
    // kernel still finds it through a dentry cached before, which modfs does not model).
    expect(m.sh('ls "$M/proc/procbad"').code).not.toBe(0);
  });
});
