/** How dates, moments and numbers print on the documents, per language. */
import { describe, expect, it } from 'vitest';
import { formatDate, formatMoment, formatOffset, formatShare, formatUtcOffset, isoDateMs } from './format';

const nbsp = (s: string) => s.replace(/\u00a0/g, ' ');

describe('document formats', () => {
  it('a calendar day in the language, never shifted by a zone, unbreakable', () => {
    expect(nbsp(formatDate('2026-01-05', 'ru'))).toBe('5 января 2026 г.');
    expect(nbsp(formatDate('2026-01-05', 'kk'))).toBe('2026 ж. 5 қаңтар');
    expect(nbsp(formatDate('2026-12-31', 'ru'))).toBe('31 декабря 2026 г.');
    expect(formatDate('2026-01-05', 'ru')).not.toContain(' ');
  });

  it('refuses what is not a real YYYY-MM-DD day', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '05.01.2026', '2026-1-5', '']) expect(() => isoDateMs(bad), bad).toThrow();
    expect(isoDateMs('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
  });

  it('a moment in the centre zone (Almaty is UTC+5 since March 2024), 24-hour clock', () => {
    const ms = Date.UTC(2026, 0, 5, 6, 14, 37);
    expect(formatMoment(ms, 'ru', 'Asia/Almaty')).toBe('05.01.2026, 11:14');
    expect(formatMoment(ms, 'kk', 'Asia/Almaty', true)).toBe('05.01.2026, 11:14:37');
    expect(formatMoment(Date.UTC(2026, 0, 5, 18, 30), 'ru', 'Asia/Almaty')).toBe('05.01.2026, 23:30');
    expect(formatUtcOffset(ms, 'Asia/Almaty')).toBe('UTC+05:00');
    expect(formatUtcOffset(ms, 'UTC')).toBe('UTC+00:00');
  });

  it('shares with a decimal comma', () => {
    expect(nbsp(formatShare(23, 30, 'ru'))).toBe('76,7 %');
    expect(formatShare(23, 30, 'kk')).toBe('76,7%');
    expect(nbsp(formatShare(21, 30, 'ru'))).toBe('70 %');
  });

  it('a place in the recording as h:mm:ss', () => {
    expect(formatOffset(0)).toBe('0:00:00');
    expect(formatOffset(865_400)).toBe('0:14:25');
    expect(formatOffset(3_600_000 + 61_000)).toBe('1:01:01');
  });
});
