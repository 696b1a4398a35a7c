/**
 * Dates, times and figures on the staff screens (review, commission) in the centre's time zone (the admin's centre settings), in the UI
 * language's format.
 */
import type { UiLanguage } from '../shared/programme';
import { usableTimeZone, zoneOffsetLabel } from '../shared/centre-time';
import { LOCALES } from './number-format';

/** "06.12.2026, 10:47:18" in the centre's zone, whatever the reviewer's computer is set to. */
export function centreDateTime(ms: number, language: UiLanguage, zone: string): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    timeZone: usableTimeZone(zone),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}

/** The zone's name as people read it at that time: "UTC+5". */
export function centreZone(zone: string, at: number): string {
  return zoneOffsetLabel(zone, at);
}

/** A place in the video, "1:02:03" or "02:03". */
export function videoClock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A figure in the UI language (decimal comma in kk and ru). */
export function figure(value: number, language: UiLanguage, digits = 2): string {
  return new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: digits }).format(value);
}
