/** Recordings on disk: idempotent by (session, seq), atomic derived files, torn files cleared, no path outside the root. */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskRecordingStore, STALE_TEMP_MS } from './disk-recording-store';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let root: string;
let store: DiskRecordingStore;
const session = randomUUID();
beforeEach(async () => {
  root = path.join(mkdtempSync(path.join(os.tmpdir(), 'tanu-disk-')), 'recordings');
  store = new DiskRecordingStore(root);
  expect(await store.init()).toBe(0);
});
afterEach(() => rmSync(path.dirname(root), { recursive: true, force: true }));

describe('DiskRecordingStore', () => {
  it('stores a chunk once: the same bytes are a duplicate, other bytes a conflict unless never acknowledged', async () => {
    const a = Buffer.from('chunk one');
    const b = Buffer.from('another chunk');
    expect(await store.putChunk(session, 1, a, sha(a))).toBe('stored');
    expect(await store.putChunk(session, 1, a, sha(a))).toBe('duplicate');
    expect(await store.putChunk(session, 1, b, sha(b))).toBe('conflict');
    expect(Buffer.from((await store.readChunk(session, 1))!).equals(a)).toBe(true);
    expect(await store.putChunk(session, 1, b, sha(b), { replaceUnacknowledged: true })).toBe('stored');
    expect(Buffer.from((await store.readChunk(session, 1))!).equals(b)).toBe(true);
    expect(await store.putChunk(session, 3, a, sha(a))).toBe('stored');
    expect(await store.listChunks(session)).toEqual([
      { seq: 1, bytes: b.length },
      { seq: 3, bytes: a.length },
    ]);
    expect(await store.totalBytes(session)).toBe(a.length + b.length);
    expect(await store.readChunk(session, 2)).toBeNull();
    expect(await store.listChunks(randomUUID())).toEqual([]);
    expect(readdirSync(path.join(root, session)).sort()).toEqual(['1.webm', '3.webm']);
  });

  it('writes derived files atomically, reads ranges, and leaves the chunks alone', async () => {
    const a = Buffer.from('chunk');
    await store.putChunk(session, 1, a, sha(a));
    await expect(
      store.writeDerived(session, 'seekable-x.webm', async (write) => {
        await write(Buffer.from('half'));
        throw new Error('build failed');
      }),
    ).rejects.toThrow('build failed');
    expect(await store.listDerived(session)).toEqual([]);
    expect(
      await store.writeDerived(session, 'seekable-x.webm', async (write) => {
        await write(Buffer.from('0123'));
        await write(Buffer.from('456789'));
      }),
    ).toBe(10);
    expect((await store.statDerived(session, 'seekable-x.webm'))?.bytes).toBe(10);
    const parts: Buffer[] = [];
    for await (const p of store.readDerived(session, 'seekable-x.webm', { start: 2, end: 5 })) parts.push(p as Buffer);
    expect(Buffer.concat(parts).toString()).toBe('2345');
    expect((await store.listDerived(session)).map((d) => d.name)).toEqual(['seekable-x.webm']);
    await store.deleteDerived(session, 'seekable-x.webm');
    expect(await store.statDerived(session, 'seekable-x.webm')).toBeNull();
    expect(await store.listChunks(session)).toEqual([{ seq: 1, bytes: 5 }]);
  });

  it('clears torn temporary files on start and refuses names that leave its folder', async () => {
    const a = Buffer.from('chunk');
    await store.putChunk(session, 1, a, sha(a));
    const torn = path.join(root, session, '2.webm.abcdef.tmp');
    writeFileSync(torn, 'half a chunk');
    expect(await new DiskRecordingStore(root).init()).toBe(1);
    expect(existsSync(torn)).toBe(false);
    expect(await store.listChunks(session)).toEqual([{ seq: 1, bytes: 5 }]);
    await expect(store.putChunk('../etc', 1, a, sha(a))).rejects.toThrow(/session id/);
    await expect(store.putChunk(session, 0, a, sha(a))).rejects.toThrow(/sequence/);
    expect(() => store.readDerived(session, '../../x.webm')).toThrow(/derived/);
    await expect(store.writeDerived(session, '7.webm', async () => undefined)).rejects.toThrow(/derived/);
  });

  it("in a folder shared by nodes, a start removes its own leftovers and another node's only when stale", async () => {
    const a = Buffer.from('chunk');
    await store.putChunk(session, 1, a, sha(a));
    const dir = path.join(root, session);
    const mine = path.join(dir, '2.webm.node-a.abcdef.tmp');
    const othersLive = path.join(dir, '3.webm.node-b.abcdef.tmp');
    const othersStale = path.join(dir, '4.webm.node-b.fedcba.tmp');
    for (const f of [mine, othersLive, othersStale]) writeFileSync(f, 'half a chunk');
    const old = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    utimesSync(othersStale, old, old);
    expect(await new DiskRecordingStore(root, { nodeId: 'node-a' }).init()).toBe(2);
    expect([existsSync(mine), existsSync(othersLive), existsSync(othersStale)]).toEqual([false, true, false]);
    // Node B's own start removes its file at once; the chunk node A wrote is untouched.
    expect(await new DiskRecordingStore(root, { nodeId: 'node-b' }).init()).toBe(1);
    expect(existsSync(othersLive)).toBe(false);
    expect(await store.listChunks(session)).toEqual([{ seq: 1, bytes: 5 }]);
    expect(() => new DiskRecordingStore(root, { nodeId: '../x' })).toThrow(/node id/);
  });
});
