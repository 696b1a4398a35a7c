import { describe, expect, it } from 'vitest';
import { formatDateTime, formatNumber, formatPercent } from './number-format';

describe('numbers in the interface language', () => {
  it('kk and ru write a decimal comma, en a point', () => {
    expect(formatPercent(76.7, 'ru').replace(/\s/g, ' ')).toBe('76,7 %');
    expect(formatPercent(76.7, 'kk').replace(/\s/g, ' ')).toMatch(/^76,7\s?%$/);
    expect(formatPercent(76.7, 'en')).toBe('76.7%');
    expect(formatPercent(70, 'ru').replace(/\s/g, ' ')).toBe('70 %');
    expect(formatNumber(0.4342, 'ru', 2)).toBe('0,43');
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
  });
  it('dates and times in the language', () => {
    const at = Date.UTC(2026, 0, 5, 6, 0);
    expect(formatDateTime(at, 'ru', 'Asia/Almaty')).toMatch(/^05\.01\.2026,? 1[12]:00$/);
    expect(formatDateTime(at, 'en', 'UTC')).toBe('05/01/2026, 06:00');
  });
});
