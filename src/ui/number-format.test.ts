import { describe, expect, it } from 'vitest';
import { formatDay } from './day-format';
import { formatDateTime, formatNumber, formatPercent } from './number-format';

describe('numbers in the interface language', () => {
  it('kk and ru write a decimal comma, en a point', () => {
    expect(formatPercent(76.7, 'ru').replace(/\s/g, ' ')).toBe('76,7 %');
    expect(formatPercent(76.7, 'kk')).toBe('76,7%');
    expect(formatPercent(33.33, 'kk')).toBe('33,3%');
    expect(formatNumber(12345.5, 'kk').replace(/\s/g, ' ')).toBe('12 345,5');
    expect(formatPercent(76.7, 'en')).toBe('76.7%');
    expect(formatPercent(70, 'ru').replace(/\s/g, ' ')).toBe('70 %');
    expect(formatNumber(0.4342, 'ru', 2)).toBe('0,43');
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
  });
  it('dates and times in the language', () => {
    const at = Date.UTC(2026, 0, 5, 6, 0);
    expect(formatDateTime(at, 'ru', 'Asia/Almaty')).toMatch(/^05\.01\.2026,? 1[12]:00$/);
    expect(formatDateTime(at, 'en', 'UTC')).toBe('05/01/2026, 06:00');
    expect(formatDateTime(at, 'kk', 'Asia/Almaty')).toBe(formatDateTime(at, 'ru', 'Asia/Almaty'));
  });
  it('a calendar day as given, never moved by a time zone', () => {
    expect(formatDay('2026-04-16', 'ru')).toBe('16.04.2026');
    expect(formatDay('2026-04-16', 'kk')).toBe('16.04.2026');
    expect(formatDay('2026-04-16', 'en')).toBe('16/04/2026');
    expect(formatDay('2026-01-01', 'ru')).toBe('01.01.2026');
  });
});
