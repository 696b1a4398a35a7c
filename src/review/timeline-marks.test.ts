import { describe, expect, it } from 'vitest';
import type { FeedEvent } from '../shared/protocol';
import { assignLanes, chapters, stepIncident, trackMarks } from './timeline-marks';

let index = 0;
const ev = (type: string, at: number, data: unknown = {}, clientAt: number | null = null): FeedEvent =>
  ({
    sessionId: 's',
    candidateName: 'c',
    index: index++,
    type,
    origin: clientAt === null ? 'server' : 'client',
    at,
    clientAt,
    data,
    level: type.startsWith('policy') ? 'incident' : 'info',
  }) as FeedEvent;

describe('trackMarks', () => {
  it('incidents by level (violation, technical, dismissed), warnings, the end, actions, answers; on the browser clock', () => {
    index = 0;
    const events = [
      ev('consent.given', 1_000),
      ev('incident.open', 10_500, { incident: { id: 'inc-a', type: 'face.multiple', start: 10_000 } }, 10_400),
      ev('policy.warning', 10_600),
      ev('incident.open', 20_500, { incident: { id: 'inc-b', type: 'tech.offline', start: 20_000 } }, 20_400),
      ev('incident.open', 30_500, { incident: { id: 'inc-c', type: 'object.phone', start: 30_000 } }, 30_400),
      ev('incident.dismissed', 40_000, { incidentId: 'inc-c' }),
      ev('answer.saved', 35_000),
      ev('policy.terminated', 50_000),
      ev('exam.question_viewed', 36_000, { index: 1 }, 36_100),
    ];
    const marks = trackMarks(events, 200);
    expect(marks.map((m) => [m.kind, m.level, m.at, m.incidentId])).toEqual([
      ['incident', 'violation', 10_000, 'inc-a'],
      ['warning', 'warning', 10_800, null],
      ['incident', 'technical', 20_000, 'inc-b'],
      ['incident', 'dismissed', 30_000, 'inc-c'],
      ['answer', 'info', 35_200, null],
      ['action', 'info', 40_200, null],
      ['end', 'ended', 50_200, null],
    ]);
    const at = (m: { at: number }) => m.at / 1000;
    expect(stepIncident(marks, at, 0, 1)?.incidentId).toBe('inc-a');
    expect(stepIncident(marks, at, 10, 1)?.incidentId).toBe('inc-b');
    expect(stepIncident(marks, at, 20, -1)?.incidentId).toBe('inc-a');
    expect(stepIncident(marks, at, 31, 1)).toBeNull();
  });
});

describe('chapters', () => {
  it('identity from consent to its last entry, then the room scan to its completion; none when the steps are off', () => {
    index = 0;
    const events = [
      ev('consent.given', 1_000),
      ev('identity.failed', 20_000),
      ev('identity.verified', 40_000),
      ev('room_scan.completed', 70_000),
      ev('session.started', 90_000),
      ev('identity.checked', 200_000),
    ];
    expect(chapters(events, 0)).toEqual([
      { kind: 'identity', from: 1_000, to: 40_000 },
      { kind: 'room_scan', from: 40_000, to: 70_000 },
    ]);
    expect(chapters([ev('consent.given', 1_000), ev('session.started', 2_000)], 0)).toEqual([]);
  });
});

describe('assignLanes', () => {
  it('puts marks closer than the gap in separate lanes, and reuses a lane once there is room', () => {
    expect(assignLanes([10, 10.2, 10.4, 20, 20.5, 30], 1)).toEqual([0, 1, 2, 0, 1, 0]);
    expect(assignLanes([30, 10, 10.5], 1)).toEqual([0, 0, 1]);
    expect(assignLanes([], 1)).toEqual([]);
  });
});
