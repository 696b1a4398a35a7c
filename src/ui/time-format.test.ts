import { describe, expect, it } from 'vitest';
import { formatClock } from './time-format';

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
