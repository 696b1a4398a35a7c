/** Dates and times on the review page in the centre's time zone (Kazakhstan, one zone UTC+5 since 2024), in the UI language's format. */
import type { UiLanguage } from '../shared/programme';

export const CENTRE_UTC_OFFSET_MINUTES = 300;
const LOCALES: Record<UiLanguage, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

/** "06.12.2026, 10:47:18" in the centre's zone, whatever the reviewer's computer is set to. */
export function centreDateTime(ms: number, language: UiLanguage, offsetMinutes = CENTRE_UTC_OFFSET_MINUTES): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(ms + offsetMinutes * 60_000);
}

/** The zone's name as people read it: "UTC+5". */
export function centreZone(offsetMinutes = CENTRE_UTC_OFFSET_MINUTES): string {
  const h = Math.trunc(offsetMinutes / 60);
  const m = Math.abs(offsetMinutes % 60);
  return `UTC${h >= 0 ? '+' : '−'}${Math.abs(h)}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
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
