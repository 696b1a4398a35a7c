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

/** A percentage given as 0–100: "76,7 %" in ru, "76,7%" in kk (CLDR's kk pattern has no space), "76.7%" in en. */
export function formatPercent(value: number, language: UiLanguage, digits = 1): string {
  if (language === 'kk') return `${formatNumber(value, language, digits)}%`;
  return new Intl.NumberFormat(LOCALES[language], { style: 'percent', maximumFractionDigits: digits }).format(value / 100);
}

export function formatNumber(value: number, language: UiLanguage, digits = 1): string {
  return new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: digits }).format(value);
}

/** Date and time of day, short ("05.01.2026, 11:00"). */
export function formatDateTime(ms: number, language: UiLanguage, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'short', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(ms);
}
