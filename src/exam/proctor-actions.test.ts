import { describe, expect, it } from 'vitest';
import type { ProctorNote } from '../shared/control-room';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import { currentNote, examTimeLeftMs, graceLeftMs, NOTE_REPLY_MAX, noteReply, reinstatedState } from './proctor-actions';

const note = (id: string, at: number, kind: ProctorNote['kind'] = 'message'): ProctorNote => ({
  id,
  kind,
  text: 'x',
  incidentType: null,
  rule: null,
  minutes: null,
  outcome: null,
  at,
});

describe('currentNote: the oldest unread note is shown first', () => {
  it.each<[string, ProctorNote[] | undefined, string | null]>([
    ['none', [], null],
    ['a snapshot from before proctors could send notes (no notes)', undefined, null],
    ['one', [note('a', 5)], 'a'],
    ['oldest first, as the centre sends them', [note('a', 5), note('b', 9)], 'a'],
    ['oldest even if out of order', [note('b', 9), note('a', 5)], 'a'],
    ['the same time: the first sent', [note('a', 5), note('b', 5)], 'a'],
  ])('%s', (_name, notes, id) => {
    expect(currentNote(notes === undefined ? ({} as { notes: ProctorNote[] }) : { notes })?.id ?? null).toBe(id);
  });
  it('no snapshot, no note', () => expect(currentNote(null)).toBeNull());
});

describe('examTimeLeftMs: the countdown stands still while paused', () => {
  const deadlineAt = 1_000_000;
  it('running: on the server clock', () => {
    expect(examTimeLeftMs({ deadlineAt, paused: null }, 900_000, 40_000)).toBe(60_000);
  });
  it('paused: what was left when the pause began, whatever the time now', () => {
    const paused = { deadlineAt, paused: { at: 700_000, reason: 'check' } };
    expect(examTimeLeftMs(paused, 800_000, 0)).toBe(300_000);
    expect(examTimeLeftMs(paused, 990_000, 5_000)).toBe(300_000);
  });
  it('paused after the deadline passed: zero, never negative', () => {
    expect(examTimeLeftMs({ deadlineAt, paused: { at: 1_100_000, reason: 'x' } }, 0, 0)).toBe(0);
  });
  it('no deadline (not started), no countdown', () => {
    expect(examTimeLeftMs({ deadlineAt: null, paused: null }, 1, 0)).toBeNull();
    expect(examTimeLeftMs(null, 1, 0)).toBeNull();
  });
});

describe('reinstatedState', () => {
  it('clears the browser’s own ending and warning; stopped devices must be turned on again', () => {
    expect(reinstatedState({ camera: 'on', microphone: 'on' }, false)).toEqual({
      ending: null,
      warning: null,
      camera: 'idle',
      microphone: 'idle',
    });
  });
  it('devices still running (the ending was decided at the centre while this browser was away) stay as they are', () => {
    expect(reinstatedState({ camera: 'on', microphone: 'on' }, true)).toEqual({
      ending: null,
      warning: null,
      camera: 'on',
      microphone: 'on',
    });
  });
});

describe('graceLeftMs: rule 13’s grace after a warning, as shared/policy.ts decides it', () => {
  // env.fullscreen_exit settles after 10 s; the default grace is 15 s: the repeat comes 25 s after it began.
  const incident = { type: 'env.fullscreen_exit' as const, start: 100_000, end: null };
  it.each<[number, number]>([
    [110_000, 15_000],
    [118_500, 6_500],
    [125_000, 0],
    [200_000, 0],
  ])('at %i ms: %i ms left', (now, left) => {
    expect(graceLeftMs(incident, DEFAULT_PROCTORING, now)).toBe(left);
  });
  it('nothing counts down once the incident ended', () => {
    expect(graceLeftMs({ ...incident, end: 112_000 }, DEFAULT_PROCTORING, 113_000)).toBeNull();
  });
  it('follows the programme’s grace', () => {
    expect(graceLeftMs(incident, { ...DEFAULT_PROCTORING, warningGraceSec: 30 }, 110_000)).toBe(30_000);
  });
});

describe('noteReply', () => {
  it.each<[string, string | undefined]>([
    ['', undefined],
    ['   ', undefined],
    ['  Хорошо, понял ', 'Хорошо, понял'],
  ])('%j → %j', (text, reply) => expect(noteReply(text)).toBe(reply));
  it('cuts to the limit', () => expect(noteReply('ә'.repeat(400))).toHaveLength(NOTE_REPLY_MAX));
});
