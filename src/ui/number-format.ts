/**
 * Numbers and dates as people of each interface language write them (Intl): a decimal comma in
 * Kazakh and Russian (76,7 %), a point in English (76.7%).
 */
import type { UiLanguage } from '../shared/programme';

export const LOCALES: Record<UiLanguage, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

/** A percentage given as 0–100 (76.7 → "76,7 %" in ru), with at most `digits` decimals. */
export function formatPercent(value: number, language: UiLanguage, digits = 1): string {
  return new Intl.NumberFormat(LOCALES[language], { style: 'percent', maximumFractionDigits: digits }).format(value / 100);
}

export function formatNumber(value: number, language: UiLanguage, digits = 1): string {
  return new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: digits }).format(value);
}

/** Date and time of day, short ("05.01.2026, 11:00"). */
export function formatDateTime(ms: number, language: UiLanguage, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'short', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(ms);
}
