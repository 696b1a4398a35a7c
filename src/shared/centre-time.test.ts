import { describe, expect, it } from 'vitest';
import { DEFAULT_CENTRE_TIME_ZONE, usableTimeZone, zoneDay, zoneOffsetLabel, zoneOffsetMinutes, zoneWallToInstant } from './centre-time';

describe('the centre time zone', () => {
  it('names the offset as people read it, at the instant asked (Kazakhstan moved to one zone on 2024-03-01)', () => {
    expect(zoneOffsetLabel('Asia/Almaty', Date.UTC(2026, 11, 6, 12))).toBe('UTC+5');
    expect(zoneOffsetLabel('Asia/Almaty', Date.UTC(2023, 5, 1, 12))).toBe('UTC+6');
    expect(zoneOffsetLabel('Asia/Kolkata', Date.UTC(2026, 0, 1))).toBe('UTC+5:30');
    expect(zoneOffsetLabel('UTC', Date.UTC(2026, 0, 1))).toBe('UTC');
    expect(zoneOffsetLabel('America/New_York', Date.UTC(2026, 0, 1))).toBe('UTC−5');
  });

  it('a zone Intl does not know falls back to the default', () => {
    expect(usableTimeZone('Mars/Olympus')).toBe(DEFAULT_CENTRE_TIME_ZONE);
    expect(usableTimeZone(undefined)).toBe(DEFAULT_CENTRE_TIME_ZONE);
    expect(usableTimeZone('Asia/Aqtau')).toBe('Asia/Aqtau');
  });

  it('the calendar day is the zone’s: 20:00 UTC is already the next day in Almaty', () => {
    expect(zoneDay(Date.UTC(2026, 11, 5, 20), 'Asia/Almaty')).toBe('2026-12-06');
    expect(zoneDay(Date.UTC(2026, 11, 5, 20), 'UTC')).toBe('2026-12-05');
  });
});

describe('wall-clock times in the centre zone', () => {
  it('09:00 in Almaty is 04:00 UTC, wherever the admin’s computer is', () => {
    expect(zoneWallToInstant('2026-12-07', '09:00', 'Asia/Almaty')).toBe(Date.UTC(2026, 11, 7, 4));
    expect(zoneWallToInstant('2026-12-07', '09:00', 'UTC')).toBe(Date.UTC(2026, 11, 7, 9));
    expect(zoneWallToInstant('2023-06-01', '09:00', 'Asia/Almaty')).toBe(Date.UTC(2023, 5, 1, 3)); // UTC+6 then
    expect(zoneOffsetMinutes('Asia/Almaty', Date.UTC(2026, 0, 1))).toBe(300);
  });

  it('refuses what is not a date and time', () => {
    expect(zoneWallToInstant('2026-02-31', '09:00', 'Asia/Almaty')).toBeNull();
    expect(zoneWallToInstant('2026-12-07', '24:00', 'Asia/Almaty')).toBeNull();
    expect(zoneWallToInstant('07.12.2026', '09:00', 'Asia/Almaty')).toBeNull();
    expect(zoneWallToInstant('2026-12-07', '9:00', 'Asia/Almaty')).toBeNull();
  });

  it('round-trips with the zone’s day', () => {
    const at = zoneWallToInstant('2026-12-31', '23:30', 'Asia/Almaty')!;
    expect(zoneDay(at, 'Asia/Almaty')).toBe('2026-12-31');
    expect(zoneDay(at, 'UTC')).toBe('2026-12-31');
    expect(zoneDay(zoneWallToInstant('2027-01-01', '02:00', 'Asia/Almaty')!, 'UTC')).toBe('2026-12-31');
  });
});
