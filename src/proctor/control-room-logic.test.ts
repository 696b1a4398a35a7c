import { describe, expect, it } from 'vitest';
import type { QueueItem, StaffActor } from '../shared/control-room';
import type { LiveSession } from '../shared/protocol';
import {
  availableActions,
  defaultScope,
  filterSessions,
  keepQueueFocus,
  NO_FILTER,
  queueKey,
  ranksOf,
  sessionsByIncident,
  settledOrder,
  sessionTimeLeft,
  sortSessions,
  sparkRuns,
  titleWithCount,
} from './control-room-logic';

const me: StaffActor = { userId: 'p1', name: 'Proctor One', role: 'proctor' };
const NOW = 1_000_000;

function session(id: string, over: Partial<LiveSession> = {}): LiveSession {
  return {
    sessionId: id,
    candidateName: `Candidate ${id}`,
    status: 'in_progress',
    language: 'kk',
    answered: 0,
    total: 30,
    startedAt: NOW - 60_000,
    deadlineAt: NOW + 30 * 60_000,
    connected: true,
    incidentCount: 0,
    warned: false,
    result: null,
    recording: null,
    backlog: null,
    programmeId: 'elec',
    programmeCode: 'EL-4',
    createdAt: NOW - 120_000,
    stage: 'exam',
    colour: 'ok',
    openViolations: 0,
    latestIncident: null,
    paused: null,
    identityLocked: false,
    assignedTo: null,
    ...over,
  };
}

function item(incidentId: string, sessionId: string, over: Partial<QueueItem> = {}): QueueItem {
  return {
    sessionId,
    candidateName: 'X',
    programmeCode: 'EL-4',
    incidentId,
    type: 'face.absent',
    rule: '13',
    confidence: 0.9,
    at: NOW,
    start: NOW,
    end: null,
    evidence: false,
    violation: true,
    roomScan: false,
    review: null,
    ...over,
  };
}

describe('time left', () => {
  it('counts down on the centre clock and freezes while paused', () => {
    const s = session('a', { deadlineAt: NOW + 10_000 });
    expect(sessionTimeLeft(s, NOW)).toBe(10_000);
    expect(sessionTimeLeft(s, NOW + 20_000)).toBe(0);
    const paused = session('a', { deadlineAt: NOW + 10_000, paused: { at: NOW - 5_000, reason: 'x' } });
    expect(sessionTimeLeft(paused, NOW)).toBe(15_000);
    expect(sessionTimeLeft(paused, NOW + 60_000)).toBe(15_000);
  });
  it('is null before the start and after the end', () => {
    expect(sessionTimeLeft(session('a', { deadlineAt: null }), NOW)).toBeNull();
    expect(sessionTimeLeft(session('a', { status: 'submitted' }), NOW)).toBeNull();
  });
});

describe('sorting', () => {
  const calm = session('calm', { candidateName: 'Ә' });
  const warned = session('warned', { warned: true, incidentCount: 1 });
  const open = session('open', { openViolations: 2, incidentCount: 2 });
  const many = session('many', { incidentCount: 5 });
  const done = session('done', { status: 'terminated', openViolations: 9 });
  const soon = session('soon', { deadlineAt: NOW + 60_000 });

  it('by risk: open violations, then the warning, then incidents; finished exams last', () => {
    expect(sortSessions([calm, done, many, warned, open], 'risk', NOW).map((s) => s.sessionId)).toEqual([
      'open',
      'warned',
      'many',
      'calm',
      'done',
    ]);
  });
  it('by time left: the least first, without a clock after', () => {
    const notStarted = session('ns', { deadlineAt: null, status: 'issued' });
    expect(sortSessions([notStarted, calm, soon, done], 'time', NOW).map((s) => s.sessionId)).toEqual(['soon', 'calm', 'ns', 'done']);
  });
  it('between settles cards keep their places; cards that came since follow in live order; a settle takes the live order', () => {
    const settled = sortSessions([calm, many, warned], 'risk', NOW); // warned, many, calm
    const ranks = ranksOf(settled);
    // calm now has the most incidents, and two candidates joined: the live order would put calm first.
    const calmNow = { ...calm, incidentCount: 9 };
    const joinedA = session('ja', { incidentCount: 20 });
    const joinedB = session('jb');
    const live = sortSessions([calmNow, many, warned, joinedA, joinedB], 'risk', NOW);
    expect(live.map((s) => s.sessionId)).toEqual(['warned', 'ja', 'calm', 'many', 'jb']);
    const shown = settledOrder(live, ranks);
    expect(shown.map((s) => s.sessionId)).toEqual(['warned', 'many', 'calm', 'ja', 'jb']);
    expect(shown.find((s) => s.sessionId === 'calm')!.incidentCount).toBe(9); // places are kept, facts are live
    // A card filtered out since simply leaves; the next settle is the live order.
    expect(
      settledOrder(
        live.filter((s) => s.sessionId !== 'many'),
        ranks,
      ).map((s) => s.sessionId),
    ).toEqual(['warned', 'calm', 'ja', 'jb']);
    expect(settledOrder(live, ranksOf(live))).toEqual(live);
  });
  it('a paused exam sorts by its frozen time', () => {
    const paused = session('p', { deadlineAt: NOW + 30 * 60_000, paused: { at: NOW - 29 * 60_000, reason: 'x' } });
    expect(sortSessions([soon, paused], 'time', NOW).map((s) => s.sessionId)).toEqual(['soon', 'p']);
  });
  it('does not change its input', () => {
    const list = [calm, open];
    sortSessions(list, 'risk', NOW);
    expect(list).toEqual([calm, open]);
  });
});

describe('filtering', () => {
  const mine = session('m', { assignedTo: me, candidateName: 'Сейтқали Айгерім', colour: 'warned' });
  const other = session('o', { assignedTo: { ...me, userId: 'p2' }, programmeId: 'weld', programmeCode: 'WD-3' });
  const free = session('f', { latestIncident: { type: 'object.phone', at: NOW } });

  it('mine / all', () => {
    expect(filterSessions([mine, other, free], { ...NO_FILTER, scope: 'mine' }, me).map((s) => s.sessionId)).toEqual(['m']);
    expect(filterSessions([mine, other, free], NO_FILTER, me)).toHaveLength(3);
    expect(filterSessions([mine], { ...NO_FILTER, scope: 'mine' }, null)).toEqual([]);
  });
  it('by colour, programme and search (case-insensitive, Kazakh letters)', () => {
    expect(filterSessions([mine, other, free], { ...NO_FILTER, colour: 'warned' }, me).map((s) => s.sessionId)).toEqual(['m']);
    expect(filterSessions([mine, other, free], { ...NO_FILTER, programme: 'weld' }, me).map((s) => s.sessionId)).toEqual(['o']);
    expect(filterSessions([mine, other, free], { ...NO_FILTER, search: 'СЕЙТҚАЛИ' }, me).map((s) => s.sessionId)).toEqual(['m']);
    expect(filterSessions([mine, other, free], { ...NO_FILTER, search: 'wd-3' }, me).map((s) => s.sessionId)).toEqual(['o']);
  });
  it('by incident type, from the queue and the latest incident', () => {
    const byIncident = sessionsByIncident([item('i1', 'o', { type: 'audio.speech' })], [mine, other, free]);
    expect(filterSessions([mine, other, free], { ...NO_FILTER, incident: 'audio.speech' }, me, byIncident).map((s) => s.sessionId)).toEqual(
      ['o'],
    );
    expect(filterSessions([mine, other, free], { ...NO_FILTER, incident: 'object.phone' }, me, byIncident).map((s) => s.sessionId)).toEqual(
      ['f'],
    );
    expect(filterSessions([mine, other, free], { ...NO_FILTER, incident: 'head.away' }, me, byIncident)).toEqual([]);
  });
  it('default scope: mine when anything is assigned to me', () => {
    expect(defaultScope([other, free], me)).toBe('all');
    expect(defaultScope([other, mine], me)).toBe('mine');
    expect(defaultScope([mine], null)).toBe('all');
  });
});

describe('the queue keyboard', () => {
  const ids = ['a', 'b', 'c'];
  it('moves with the arrows, Home and End, and stops at the ends', () => {
    expect(queueKey(ids, 'a', { key: 'ArrowDown' })).toEqual({ kind: 'focus', id: 'b' });
    expect(queueKey(ids, 'c', { key: 'ArrowDown' })).toEqual({ kind: 'focus', id: 'c' });
    expect(queueKey(ids, 'a', { key: 'ArrowUp' })).toEqual({ kind: 'focus', id: 'a' });
    expect(queueKey(ids, 'b', { key: 'Home' })).toEqual({ kind: 'focus', id: 'a' });
    expect(queueKey(ids, 'a', { key: 'End' })).toEqual({ kind: 'focus', id: 'c' });
    expect(queueKey(ids, null, { key: 'ArrowDown' })).toEqual({ kind: 'focus', id: 'a' });
  });
  it('C confirms, D dismisses, Enter opens: on any keyboard layout', () => {
    expect(queueKey(ids, 'b', { key: 'c', code: 'KeyC' })).toEqual({ kind: 'confirm', id: 'b' });
    expect(queueKey(ids, 'b', { key: 'с', code: 'KeyC' })).toEqual({ kind: 'confirm', id: 'b' }); // Cyrillic layout
    expect(queueKey(ids, 'b', { key: 'D' })).toEqual({ kind: 'dismiss', id: 'b' });
    expect(queueKey(ids, 'b', { key: 'в', code: 'KeyD' })).toEqual({ kind: 'dismiss', id: 'b' });
    expect(queueKey(ids, 'b', { key: 'Enter' })).toEqual({ kind: 'open', id: 'b' });
    expect(queueKey(ids, 'b', { key: 'x', code: 'KeyX' })).toBeNull();
    expect(queueKey([], null, { key: 'ArrowDown' })).toBeNull();
    expect(queueKey(ids, null, { key: 'c' })).toBeNull();
  });
  it('keeps focus on the same item when new ones arrive on top', () => {
    expect(keepQueueFocus(['new', 'a', 'b'], ['a', 'b'], 'b')).toBe('b');
  });
  it('moves to the neighbour when the focused item falls off', () => {
    expect(keepQueueFocus(['a', 'c'], ['a', 'b', 'c'], 'b')).toBe('c');
    expect(keepQueueFocus(['x', 'a'], ['a', 'b'], 'b')).toBe('a');
    expect(keepQueueFocus(['x'], ['a'], 'a')).toBe('x');
    expect(keepQueueFocus([], ['a'], 'a')).toBeNull();
    expect(keepQueueFocus(['a'], [], null)).toBe('a');
  });
});

describe('the tab title', () => {
  it('shows the unseen count and replaces an old one', () => {
    expect(titleWithCount('Tanu', 3)).toBe('(3) Tanu');
    expect(titleWithCount('(3) Tanu', 4)).toBe('(4) Tanu');
    expect(titleWithCount('(3) Tanu', 0)).toBe('Tanu');
    expect(titleWithCount('Tanu', 1200, (n) => n.toLocaleString('ru-RU'))).toBe(`(${(1200).toLocaleString('ru-RU')}) Tanu`);
    expect(titleWithCount(`(${(1200).toLocaleString('ru-RU')}) Tanu`, 0)).toBe('Tanu');
  });
});

describe('sparklines', () => {
  it('maps values into the box, clamps, and breaks the line at gaps', () => {
    expect(sparkRuns([0, 10], 0, 10, 100, 10)).toEqual(['0.0,10.0 100.0,0.0']);
    expect(sparkRuns([0, null, 5, 20], 0, 10, 30, 10)).toEqual(['0.0,10.0', '20.0,5.0 30.0,0.0']);
    expect(sparkRuns([null, null], 0, 1)).toEqual([]);
    expect(sparkRuns([1], 1, 1, 10, 10)).toEqual(['0.0,10.0']);
  });
});

describe('the actions offered', () => {
  it('fit the exam state', () => {
    expect(availableActions(session('a'), null)).toEqual(['message', 'warn', 'pause', 'add-time', 'end']);
    expect(availableActions(session('a', { paused: { at: NOW, reason: 'x' } }), null)).toEqual([
      'message',
      'warn',
      'resume',
      'add-time',
      'end',
    ]);
    expect(availableActions(session('a', { status: 'terminated' }), 60_000)).toEqual(['reinstate']);
    expect(availableActions(session('a', { status: 'issued', identityLocked: true }), null)).toEqual([
      'message',
      'end',
      'identity-approve',
      'identity-reject',
    ]);
    expect(availableActions(session('a', { status: 'submitted' }), null)).toEqual([]);
  });
});
