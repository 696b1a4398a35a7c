/** Numbers, percentages and times in the UI language's own format (Intl), for the control room. */
import type { UiLanguage } from '../shared/programme';
import { formatNumber, formatPercent, LOCALES } from '../ui/number-format';

export interface Formats {
  locale: string;
  /** An integer or a figure with up to `digits` decimals. */
  n(value: number, digits?: number): string;
  /** 0..1 as a percentage ("87 %" / "87%"). */
  pct(fraction: number): string;
  /** Bytes as megabytes with one decimal. */
  mb(bytes: number): string;
  /** Wall-clock time, hours and minutes (seconds with `seconds`). */
  time(ms: number, seconds?: boolean): string;
}

const cache = new Map<UiLanguage, Formats>();

export function formats(language: UiLanguage): Formats {
  const hit = cache.get(language);
  if (hit) return hit;
  const locale = LOCALES[language];
  const ints = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const one = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const hm = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
  const hms = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const made: Formats = {
    locale,
    n: (value, digits = 0) => (digits === 0 ? ints.format(value) : formatNumber(value, language, digits)),
    pct: (fraction) => formatPercent(fraction * 100, language, 0),
    mb: (bytes) => one.format(bytes / (1024 * 1024)),
    time: (ms, seconds = false) => (seconds ? hms : hm).format(ms),
  };
  cache.set(language, made);
  return made;
}
