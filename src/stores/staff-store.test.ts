import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QueueItem } from '../shared/control-room';
import type { DashboardSnapshot, LiveSession } from '../shared/protocol';
import {
  applyDashboard,
  applyQueueItem,
  applySession,
  applySignals,
  applyThumb,
  inOneUpdate,
  markAlertsSeen,
  staffStore,
} from './staff-store';

const session = (id: string): LiveSession => ({
  sessionId: id,
  candidateName: id,
  status: 'in_progress',
  language: 'kk',
  answered: 0,
  total: 30,
  startedAt: 1,
  deadlineAt: 2,
  connected: true,
  incidentCount: 0,
  warned: false,
  result: null,
  recording: null,
  backlog: null,
  programmeId: 'p',
  programmeCode: 'P',
  createdAt: 0,
  stage: 'exam',
  colour: 'ok',
  openViolations: 0,
  latestIncident: null,
  paused: null,
  identityLocked: false,
  assignedTo: null,
});
const snapshot = (ids: string[]): DashboardSnapshot => ({
  serverNow: Date.now(),
  sessions: ids.map(session),
  feed: [],
  queue: [],
  me: { userId: 'u', name: 'U', role: 'proctor' },
});
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);

afterEach(() => vi.restoreAllMocks());

describe('the staff store', () => {
  it('keeps one thumbnail per known candidate and revokes the replaced and the departed', () => {
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    applyDashboard(snapshot(['a', 'b']));
    applyThumb({ sessionId: 'zzz', jpeg, at: 1 });
    expect(staffStore.getState().thumbs.zzz).toBeUndefined();
    applyThumb({ sessionId: 'a', jpeg, at: 1 });
    const first = staffStore.getState().thumbs.a!.url;
    applyThumb({ sessionId: 'a', jpeg: jpeg.buffer, at: 2 });
    expect(revoke).toHaveBeenCalledWith(first);
    const second = staffStore.getState().thumbs.a!.url;
    expect(second).not.toBe(first);
    applyDashboard(snapshot(['b']));
    expect(revoke).toHaveBeenCalledWith(second);
    expect(staffStore.getState().thumbs).toEqual({});
  });

  it('a batch of pushes is one store update: subscribers are told once, and the state is what the pushes one by one give', () => {
    const pushes = () => {
      applyDashboard(snapshot(['a', 'b']));
      applySession({ ...session('a'), answered: 5 });
      applyThumb({ sessionId: 'b', jpeg, at: 3 });
      applySession({ ...session('b'), answered: 7 });
      applySignals({ sessionId: 'a', samples: [{ t: 1, faces: 1, yaw: 0, pitch: 0, levelDb: -40, speech: 0 }] });
    };
    const told: number[] = [];
    const off = staffStore.subscribe(() => told.push(1));
    pushes();
    const oneByOne = told.length;
    const { sessions, signals } = staffStore.getState();
    applyDashboard(snapshot([]));
    told.length = 0;
    inOneUpdate(pushes);
    off();
    expect(oneByOne).toBe(5);
    expect(told).toHaveLength(1);
    expect(staffStore.getState().sessions).toEqual(sessions);
    expect(staffStore.getState().signals).toEqual(signals);
    expect(Object.keys(staffStore.getState().thumbs)).toEqual(['b']); // the thumb saw the candidate the same batch brought
    // Nothing applied, nothing told.
    const quiet = staffStore.subscribe(() => told.push(1));
    inOneUpdate(() => applyThumb({ sessionId: 'nobody', jpeg, at: 4 }));
    quiet();
    expect(told).toHaveLength(1);
  });

  it('bounds the signals per candidate and ignores unknown candidates', () => {
    applyDashboard(snapshot(['a']));
    for (let i = 0; i < 300; i++)
      applySignals({ sessionId: 'a', samples: [{ t: i, faces: 1, yaw: 0, pitch: 0, levelDb: -40, speech: 0 }] });
    applySignals({ sessionId: 'nobody', samples: [{ t: 1, faces: 1, yaw: 0, pitch: 0, levelDb: -40, speech: 0 }] });
    expect(staffStore.getState().signals.a).toHaveLength(120);
    expect(staffStore.getState().signals.nobody).toBeUndefined();
  });

  it('counts a new violation as an alert once, and clears the count when seen', () => {
    applyDashboard(snapshot(['a']));
    markAlertsSeen();
    const item: QueueItem = {
      sessionId: 'a',
      candidateName: 'a',
      programmeCode: 'P',
      incidentId: 'incident-1',
      type: 'object.phone',
      rule: '13',
      confidence: 0.9,
      at: 5,
      start: 5,
      end: null,
      evidence: true,
      violation: true,
      roomScan: false,
      review: null,
    };
    applyQueueItem(item);
    applyQueueItem({ ...item, end: 9 }); // the same incident, closed: not new
    expect(staffStore.getState().alerts.unseen).toBe(1);
    markAlertsSeen();
    expect(staffStore.getState().alerts.unseen).toBe(0);
    expect(staffStore.getState().queue).toHaveLength(1);
  });
});
