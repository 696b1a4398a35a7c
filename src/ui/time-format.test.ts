import { describe, expect, it } from 'vitest';
import { formatClock, timeLeftMs } from './time-format';

describe('formatClock', () => {
  it.each<[number, string]>([
    [0, '00:00'],
    [1, '00:01'], // a started second still counts: never shows 00:00 while time is left
    [999, '00:01'],
    [1_000, '00:01'],
    [59_000, '00:59'],
    [59_001, '01:00'],
    [60_000, '01:00'],
    [40 * 60_000, '40:00'],
    [3_599_000, '59:59'],
    [3_600_000, '1:00:00'],
    [3_661_000, '1:01:01'],
    [10 * 3_600_000, '10:00:00'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatClock(ms)).toBe(text);
  });
});

describe('timeLeftMs (on the server clock)', () => {
  it.each<[deadlineAt: number | null, clientNow: number, offset: number, left: number | null, why: string]>([
    [null, 1_000, 0, null, 'no deadline before the exam starts'],
    [10_000, 4_000, 0, 6_000, 'clocks agree'],
    [10_000, 4_000, 1_000, 5_000, 'browser clock 1 s behind the server'],
    [10_000, 4_000, -2_000, 8_000, 'browser clock 2 s ahead of the server'],
    [10_000, 10_000, 0, 0, 'exactly at the deadline'],
    [10_000, 12_000, 0, 0, 'past the deadline is 0, never negative'],
    [10_000, 9_000, 5_000, 0, 'past the deadline by the server clock only'],
  ])('%s, %s, %s → %s (%s)', (deadlineAt, clientNow, offset, left) => {
    expect(timeLeftMs(deadlineAt, clientNow, offset)).toBe(left);
  });
});
