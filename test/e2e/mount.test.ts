// `modfs mount`: clean unmount on SIGINT/SIGTERM, and recovery from a daemon killed with -9.
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mountIdsAt, startDaemon } from '../helpers/daemon.js';
import { sh } from '../helpers/shell.js';

const BIN = resolve(__dirname, '../../bin/modfs.js');

describe('modfs mount', () => {
  it('unmounts cleanly on SIGINT and on SIGTERM', async () => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const d = await startDaemon([BIN, 'mount', '{mount}']);
      expect(sh(`cat '${d.mountDir}/proc/modules'`).code).toBe(0);
      expect(await d.stop(sig)).toBe(0);
      expect(mountIdsAt(d.mountDir)).toEqual([]);
    }
  });

  it('clears the stale mount a killed daemon left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modfs-stale-'));
    const first = await startDaemon([BIN, 'mount', '{mount}'], { mountDir: dir });
    await first.stop('SIGKILL');
    expect(sh(`ls '${dir}'`).stderr).toMatch(/Transport endpoint is not connected/);
    const second = await startDaemon([BIN, 'mount', '{mount}'], { mountDir: dir });
    expect(sh(`cat '${dir}/proc/modules'`).code).toBe(0);
    expect(await second.stop()).toBe(0);
    expect(mountIdsAt(dir)).toEqual([]);
    rmdirSync(dir);
  });
});
