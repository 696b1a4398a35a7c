import { describe, expect, it } from 'vitest';
import type { QueueItem, SignalSample } from '../shared/control-room';
import type { FeedEvent } from '../shared/protocol';
import {
  addFeedEvent,
  appendSignals,
  countAlert,
  isAlertEvent,
  isAlertItem,
  mergeFeed,
  mergeQueueItem,
  mergeQueueSnapshot,
  NO_ALERTS,
} from './control-room-merge';

const ev = (index: number, at = index, sessionId = 's'): FeedEvent => ({
  sessionId,
  candidateName: 'A',
  index,
  type: 'answer.saved',
  origin: 'server',
  at,
  clientAt: null,
  data: {},
  level: 'info',
});
const item = (incidentId: string, at: number, over: Partial<QueueItem> = {}): QueueItem => ({
  sessionId: 's',
  candidateName: 'A',
  programmeCode: 'P',
  incidentId,
  type: 'face.absent',
  rule: '13',
  confidence: 0.8,
  at,
  start: at,
  end: null,
  evidence: true,
  violation: true,
  roomScan: false,
  review: null,
  ...over,
});
const sample = (t: number): SignalSample => ({ t, faces: 1, yaw: 0, pitch: 0, levelDb: -50, speech: 0 });

describe('feed', () => {
  it('merges a snapshot without duplicates, newest first, bounded', () => {
    const merged = mergeFeed([ev(3), ev(2)], [ev(2), ev(1), ev(4)], 3);
    expect(merged.map((e) => e.index)).toEqual([4, 3, 2]);
  });
  it('adds a pushed event on top, refuses a resend, stays bounded', () => {
    expect(addFeedEvent([ev(1)], ev(1))).toBeNull();
    let feed: FeedEvent[] = [];
    for (let i = 0; i < 1000; i++) feed = addFeedEvent(feed, ev(i))!;
    expect(feed).toHaveLength(300);
    expect(feed[0]!.index).toBe(999);
  });
});

describe('queue', () => {
  it('puts a new item by its time, newest first', () => {
    const { queue, added } = mergeQueueItem([item('b', 20), item('a', 10)], item('c', 30));
    expect(added).toBe(true);
    expect(queue.map((q) => q.incidentId)).toEqual(['c', 'b', 'a']);
    expect(mergeQueueItem(queue, item('m', 15)).queue.map((q) => q.incidentId)).toEqual(['c', 'b', 'm', 'a']);
  });
  it('replaces a changed item in its place (a decision), not as new', () => {
    const decided = item('a', 10, {
      review: { decision: 'dismissed', comment: null, by: { userId: 'u', name: 'N', role: 'proctor' }, at: 50 },
    });
    const { queue, added } = mergeQueueItem([item('b', 20), item('a', 10)], decided);
    expect(added).toBe(false);
    expect(queue[1]!.review?.decision).toBe('dismissed');
  });
  it('stays within its limit over a working day', () => {
    let queue: QueueItem[] = [];
    for (let i = 0; i < 2000; i++) queue = mergeQueueItem(queue, item(`i${i}`, i)).queue;
    expect(queue).toHaveLength(500);
    expect(queue[0]!.incidentId).toBe('i1999');
    expect(mergeQueueItem(queue, item('old', -1)).added).toBe(false);
  });
  it('a snapshot updates known items and keeps order and the limit', () => {
    const merged = mergeQueueSnapshot([item('a', 10), item('b', 5)], [item('a', 10, { end: 12 }), item('c', 30)], 2);
    expect(merged.map((q) => q.incidentId)).toEqual(['c', 'a']);
    expect(merged[1]!.end).toBe(12);
  });
});

describe('signals', () => {
  it('appends in time order without duplicates and keeps the last 120', () => {
    let s: SignalSample[] = [];
    for (let i = 0; i < 50; i++) s = appendSignals(s, [sample(i * 3), sample(i * 3 + 1), sample(i * 3 + 2)]);
    expect(s).toHaveLength(120);
    expect(s.at(-1)!.t).toBe(149);
    expect(appendSignals([sample(2), sample(1)], [sample(2), sample(0)]).map((x) => x.t)).toEqual([0, 1, 2]);
  });
});

describe('alerts', () => {
  it('counts new violations and the centre warning once per candidate within 10 s', () => {
    let a = countAlert(NO_ALERTS, 's1', 0);
    a = countAlert(a, 's1', 2_000); // its warning, a moment later
    a = countAlert(a, 's2', 3_000);
    expect(a.unseen).toBe(2);
    a = countAlert(a, 's1', 15_000);
    expect(a.unseen).toBe(3);
    expect(a.seq).toBe(3);
    expect(Object.keys(countAlert(a, 's3', 100_000).recent)).toEqual(['s3']);
  });
  it('only new, undecided violations and rule 13 events alert', () => {
    expect(isAlertItem(item('a', 1), true)).toBe(true);
    expect(isAlertItem(item('a', 1), false)).toBe(false);
    expect(isAlertItem(item('a', 1, { violation: false }), true)).toBe(false);
    expect(isAlertEvent({ ...ev(1), type: 'policy.warning' })).toBe(true);
    expect(isAlertEvent({ ...ev(1), type: 'policy.terminated' })).toBe(true);
    expect(isAlertEvent({ ...ev(1), type: 'incident.open' })).toBe(false);
  });
});
