/** Dates and times of the admin console in the interface language (pure, no DOM). */
import type { UiLanguage } from '../shared/programme';
import { LOCALES } from '../ui/number-format';

/** Day, month and year as numbers with a 24-hour time ("06.12.2026, 14:05"): how dates are written in Kazakhstan. */
export function formatDateTime(ms: number, language: UiLanguage, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(ms);
}

export function formatNumber(n: number, language: UiLanguage): string {
  return new Intl.NumberFormat(LOCALES[language]).format(n);
}

/** A local date (YYYY-MM-DD) and time (HH:MM) from the form as the browser's local instant in ms; null when either is unreadable. */
export function localInstant(date: string, time: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const ms = new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2])).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** Today's date as YYYY-MM-DD in the browser's time zone. */
export function todayIso(now = Date.now()): string {
  const d = new Date(now);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
