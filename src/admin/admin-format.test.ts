import { describe, expect, it } from 'vitest';
import { formatDateTime, formatNumber, localInstant } from './admin-format';

describe('admin console formats', () => {
  it('numbers: a decimal comma in kk and ru, a point in en', () => {
    expect(formatNumber(0.6, 'kk')).toBe('0,6');
    expect(formatNumber(0.6, 'ru')).toBe('0,6');
    expect(formatNumber(0.6, 'en')).toBe('0.6');
  });

  it('dates as day.month.year with a 24-hour time in every language (no "M12" from the kk locale data)', () => {
    const ms = Date.UTC(2026, 11, 6, 9, 5);
    expect(formatDateTime(ms, 'kk', 'Asia/Almaty')).toBe(formatDateTime(ms, 'ru', 'Asia/Almaty'));
    expect(formatDateTime(ms, 'ru', 'UTC')).toBe('06.12.2026, 09:05');
    expect(formatDateTime(ms, 'en', 'UTC')).toBe('06/12/2026, 09:05');
  });

  it('a form date and time as the local instant; nonsense is null', () => {
    expect(localInstant('2026-12-06', '09:05')).toBe(new Date(2026, 11, 6, 9, 5).getTime());
    expect(localInstant('2026-12-06', '9am')).toBeNull();
    expect(localInstant('', '09:00')).toBeNull();
  });
});
