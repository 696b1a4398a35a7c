/**
 * The centre's time zone (set in the admin's centre settings): every date and time a
 * staff screen shows is in it, whatever the staff member's computer is set to. Kazakhstan runs one
 * zone, UTC+5, since 2024-03-01, so 'Asia/Almaty' is the default.
 */
export const DEFAULT_CENTRE_TIME_ZONE = 'Asia/Almaty';

/** A zone Intl knows; anything else falls back to the default rather than throwing in a render. */
export function usableTimeZone(zone: string | null | undefined): string {
  if (!zone) return DEFAULT_CENTRE_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return DEFAULT_CENTRE_TIME_ZONE;
  }
}

/** The zone's offset at an instant, as people read it: "UTC+5", "UTC+5:30", "UTC". */
export function zoneOffsetLabel(zone: string, at: number): string {
  const part =
    new Intl.DateTimeFormat('en-US', { timeZone: usableTimeZone(zone), timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/.exec(part);
  if (!m || !m[1] || (Number(m[2]) === 0 && (!m[3] || m[3] === '00'))) return 'UTC';
  return `UTC${m[1] === '-' ? '−' : '+'}${Number(m[2])}${m[3] && m[3] !== '00' ? `:${m[3]}` : ''}`;
}

/** YYYY-MM-DD of an instant in the zone (the centre's calendar day). */
export function zoneDay(at: number, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: usableTimeZone(zone), year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The zone's offset from UTC at an instant, in minutes (Almaty: +300). */
export function zoneOffsetMinutes(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: usableTimeZone(zone),
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((wall - Math.floor(at / 1000) * 1000) / 60_000);
}

/**
 * A wall-clock date (YYYY-MM-DD) and time (HH:MM) in the zone as an instant in ms; null when either is
 * unreadable or the date does not exist (31 February). An admin schedules in the centre's time, not
 * the time of the computer they sit at.
 */
export function zoneWallToInstant(date: string, time: string, zone: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (h > 23 || mi > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, da, h, mi);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== da) return null;
  // Two passes settle the offset across a change of the zone's offset (a DST switch, Kazakhstan's 2024 move).
  let at = asUtc - zoneOffsetMinutes(zone, asUtc) * 60_000;
  at = asUtc - zoneOffsetMinutes(zone, at) * 60_000;
  return at;
}
