/** LiveWatch replicas on two nodes: each change reaches the other, a joining node catches up, the dead are pruned. */
import { describe, expect, it } from 'vitest';
import { LiveWatch, type WatchChange } from './live-watch';
import type { ThumbRequest } from '../shared/control-room';

function twoReplicas() {
  const told: Record<'a' | 'b', Array<[string, ThumbRequest]>> = { a: [], b: [] };
  let a: LiveWatch;
  let b: LiveWatch;
  // What one node sends, the other applies (the adapter's serverSideEmit in the centre).
  a = new LiveWatch({ request: (id, r) => told.a.push([id, r]) }, (change) => b.apply(change));
  b = new LiveWatch({ request: (id, r) => told.b.push([id, r]) }, (change) => a.apply(change));
  return { a, b, told };
}

describe('LiveWatch across nodes', () => {
  it('a proctor watching on node A makes node B ask its candidate for thumbnails, then for signals, then stop', () => {
    const { a, b, told } = twoReplicas();
    a.watch('staff-1', ['s1', 's2'], null);
    expect(b.requestFor('s1')).toEqual({ intervalMs: 4_000, signals: false });
    expect(told.b).toContainEqual(['s1', { intervalMs: 4_000, signals: false }]);
    a.watch('staff-1', ['s1'], 's1');
    expect(b.requestFor('s1')).toEqual({ intervalMs: 1_000, signals: true });
    expect(b.requestFor('s2')).toEqual({ intervalMs: 0, signals: false });
    expect(b.thumbWatchers('s1')).toEqual(['staff-1']);
    b.addSignals('s1', [{ t: 1, faces: 1, yaw: 0, pitch: 0, levelDb: -50, speech: 0 }]);
    expect(a.recentSignals('s1')).toHaveLength(1); // the drill-down on node A shows what node B received
    a.forget('staff-1');
    expect(b.requestFor('s1').intervalMs).toBe(0);
  });

  it("the live camera opened on A is known on B (it relays the candidate's signalling there) and closed on both", () => {
    const { a, b } = twoReplicas();
    const view = { staffSocketId: 'staff-1', by: { userId: 'u1', name: 'Proctor', role: 'proctor' as const }, openedAt: 5 };
    a.openLive('s1', view);
    expect(b.liveViewer('s1')).toEqual(view);
    expect(b.closeLive('s1', 'staff-2')).toBeNull(); // only the proctor who opened it
    expect(b.closeLive('s1', 'staff-1')).toEqual(view);
    expect(a.liveViewer('s1')).toBeNull();
  });

  it("a node that joins late catches up from the others' own sockets; watchers of sockets gone everywhere are pruned", () => {
    const { a } = twoReplicas();
    a.watch('staff-1', ['s1'], null);
    a.watch('staff-9', ['s9'], null); // a socket of a node that died, known to A only as a replica
    const late = new LiveWatch({ request: () => undefined });
    const changes: WatchChange[] = a.changesOf(new Set(['staff-1'])); // A answers for its own sockets only
    expect(changes).toEqual([{ op: 'watch', staffSocketId: 'staff-1', sessionIds: ['s1'], detail: null }]);
    for (const change of changes) late.apply(change);
    expect(late.requestFor('s1').intervalMs).toBe(4_000);
    a.prune(new Set(['staff-1']));
    expect(a.requestFor('s9').intervalMs).toBe(0);
    expect(a.requestFor('s1').intervalMs).toBe(4_000);
  });
});
