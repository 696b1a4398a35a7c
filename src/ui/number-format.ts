/**
 * Numbers and dates as people of each interface language write them (Intl): a decimal comma in
 * Kazakh and Russian (76,7 %), a point in English (76.7%).
 */
import type { UiLanguage } from '../shared/programme';

/**
 * The locale each interface language's numbers and dates are written with. Kazakh writes them as Russian
 * does (decimal comma, a space between thousands, 21.04.2026, 24-hour time: CLDR's kk patterns), and the
 * ICU inside Chromium has no Kazakh data, so 'kk-KZ' there gives "33.3%", "12,345.5" and "2026 M04 21".
 */
export const LOCALES: Record<UiLanguage, string> = { kk: 'ru-RU', ru: 'ru-RU', en: 'en-GB' };

/**
 * Intl formatters are costly to build (ICU data) and cheap to reuse: one per locale, style and digits.
 * The control room formats a figure per card and queue item on every render (no long tasks).
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, style: 'decimal' | 'percent', digits: number): Intl.NumberFormat {
  const key = `${locale}|${style}|${digits}`;
  let made = numberFormats.get(key);
  if (!made) numberFormats.set(key, (made = new Intl.NumberFormat(locale, { style, maximumFractionDigits: digits })));
  return made;
}

/** A percentage given as 0–100: "76,7 %" in ru, "76,7%" in kk (CLDR's kk pattern has no space), "76.7%" in en. */
export function formatPercent(value: number, language: UiLanguage, digits = 1): string {
  if (language === 'kk') return `${formatNumber(value, language, digits)}%`;
  return numberFormat(LOCALES[language], 'percent', digits).format(value / 100);
}

export function formatNumber(value: number, language: UiLanguage, digits = 1): string {
  return numberFormat(LOCALES[language], 'decimal', digits).format(value);
}

/** Date and time of day, short ("05.01.2026, 11:00"). */
export function formatDateTime(ms: number, language: UiLanguage, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'short', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(
    ms,
  );
}
