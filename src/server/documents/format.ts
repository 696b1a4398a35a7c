/**
 * Dates, moments and numbers as the documents print them, per language (Intl with the kk-KZ and
 * ru-RU locales): a long date for a calendar day ("5 января 2026 г.", "2026 ж. 5 қаңтар"), a
 * numeric moment in the centre's time zone ("05.01.2026, 11:07"), a decimal comma in percentages.
 */
import type { DocumentLanguage, IsoDate } from '../../shared/documents';

const LOCALE: Record<DocumentLanguage, string> = { kk: 'kk-KZ', ru: 'ru-RU' };

/** Milliseconds of midnight UTC of a `YYYY-MM-DD` day; throws on anything else (no silent guess). */
export function isoDateMs(iso: IsoDate): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not a YYYY-MM-DD date: "${iso}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) throw new Error(`no such date: "${iso}"`);
  return ms;
}

/** A calendar day, long form, never shifted by a time zone; no-break spaces keep it on one line. */
export function formatDate(iso: IsoDate, language: DocumentLanguage): string {
  return new Intl.DateTimeFormat(LOCALE[language], { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })
    .format(isoDateMs(iso))
    .replace(/ /g, '\u00a0');
}

/** A moment in the centre's zone: "05.01.2026, 11:07", with seconds when asked. */
export function formatMoment(ms: number, language: DocumentLanguage, timeZone: string, seconds = false): string {
  return new Intl.DateTimeFormat(LOCALE[language], {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(ms);
}

/** The zone's offset at that moment, "UTC+05:00" (the centre's zone name may be Latin; the offset is not). */
export function formatUtcOffset(ms: number, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(ms)
    .find((p) => p.type === 'timeZoneName');
  const offset = (part?.value ?? 'GMT').replace(/^GMT/, '');
  return `UTC${offset === '' ? '+00:00' : offset}`;
}

/** correct / total as a percentage with one decimal at most ("76,7 %" ru, "76,7%" kk). */
export function formatShare(correct: number, total: number, language: DocumentLanguage): string {
  return new Intl.NumberFormat(LOCALE[language], { style: 'percent', maximumFractionDigits: 1 }).format(total > 0 ? correct / total : 0);
}

export function formatInteger(value: number, language: DocumentLanguage): string {
  return new Intl.NumberFormat(LOCALE[language], { maximumFractionDigits: 0 }).format(value);
}

/** A position in a recording, "h:mm:ss" (language-neutral, as a player shows it). */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
