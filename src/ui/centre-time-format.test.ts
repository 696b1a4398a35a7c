import { describe, expect, it } from 'vitest';
import { centreDateTime, centreZone, figure, videoClock } from './centre-time-format';

describe('review formats', () => {
  it('dates and times in the centre zone, whatever the machine zone', () => {
    const ms = Date.UTC(2026, 11, 6, 5, 47, 18);
    expect(centreDateTime(ms, 'ru', 'Asia/Almaty')).toBe('06.12.2026, 10:47:18');
    expect(centreDateTime(ms, 'kk', 'Asia/Almaty')).toBe('06.12.2026, 10:47:18');
    expect(centreDateTime(ms, 'en', 'Asia/Almaty')).toBe('06/12/2026, 10:47:18');
    expect(centreZone('Asia/Almaty', ms)).toBe('UTC+5');
    // A centre set to another zone sees its own time.
    expect(centreDateTime(ms, 'ru', 'UTC')).toBe('06.12.2026, 05:47:18');
    expect(centreZone('UTC', ms)).toBe('UTC');
  });
  it('video places and figures in the locale', () => {
    expect(videoClock(3723.9)).toBe('1:02:03');
    expect(videoClock(65)).toBe('01:05');
    expect(figure(0.4342, 'kk')).toBe('0,43');
    expect(figure(0.4342, 'en')).toBe('0.43');
  });
});
