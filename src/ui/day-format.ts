/** A calendar day (YYYY-MM-DD: a deadline's last day, a registration date, the centre's date) in the UI language's format. */
import type { UiLanguage } from '../shared/programme';
import { LOCALES } from './number-format';

/** "21.04.2026" in kk and ru, "21/04/2026" in en; the day as given, whatever this computer's zone. */
export function formatDay(isoDate: string, language: UiLanguage): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(LOCALES[language], { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    Date.UTC(y, m - 1, d),
  );
}
