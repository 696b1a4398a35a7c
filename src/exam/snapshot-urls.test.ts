import { describe, expect, it } from 'vitest';
import { SnapshotUrls, type BlobUrls } from './snapshot-urls';

function fakeUrls(): BlobUrls & { alive: Set<string> } {
  let next = 0;
  const alive = new Set<string>();
  return {
    alive,
    createObjectURL: () => {
      const url = `blob:test/${++next}`;
      alive.add(url);
      return url;
    },
    revokeObjectURL: (url) => void alive.delete(url),
  };
}
const jpeg = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });

describe('snapshot URLs', () => {
  it('revokes the picture of every incident that closes without a decision showing it', () => {
    const urls = fakeUrls();
    const snapshots = new SnapshotUrls(urls);
    for (let i = 0; i < 100; i++) {
      snapshots.add(`inc-${i}`, jpeg);
      snapshots.closed(`inc-${i}`);
    }
    expect(urls.alive.size).toBe(0);
    expect(snapshots.live).toBe(0);
  });

  it('keeps the pictures decisions showed (the warning, the end), and those of open incidents until they close', () => {
    const urls = fakeUrls();
    const snapshots = new SnapshotUrls(urls);
    const warned = snapshots.add('warned', jpeg);
    expect(snapshots.add('warned', jpeg)).toBe(warned); // one URL per incident
    expect(snapshots.show('warned')).toBe(warned);
    snapshots.closed('warned');
    snapshots.add('open', jpeg);
    expect(snapshots.show('no-picture')).toBeNull();
    expect(urls.alive).toEqual(new Set([warned, 'blob:test/2']));
    snapshots.closed('open');
    expect(urls.alive).toEqual(new Set([warned])); // still on the warning dialog
    expect(snapshots.live).toBe(1);
  });
});
