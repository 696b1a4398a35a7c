/** Each accommodation in force as a line of plain words (the proctor's card, the briefing, the log, the admin's form). */
import type { Accommodations } from '../shared/accommodations';
import type { Translate } from './i18n/i18n';

export function accommodationLines(t: Translate, a: Accommodations | null | undefined): string[] {
  if (!a) return [];
  const lines: string[] = [];
  if (a.extraTime)
    lines.push(t(a.extraTime.unit === 'percent' ? 'acc.extraTime.percent' : 'acc.extraTime.minutes', { value: a.extraTime.value }));
  if (a.screenReader) lines.push(t('acc.screenReader'));
  if (a.assistant) lines.push(t('acc.assistant', { name: a.assistant.name }));
  if (a.speech) lines.push(t('acc.speech'));
  if (a.breaks) lines.push(t('acc.breaks', { count: a.breaks.count, minutes: a.breaks.minutes }));
  if (a.largeText) lines.push(t('acc.largeText'));
  if (a.highContrast) lines.push(t('acc.highContrast'));
  return lines;
}

/** All of them in one line ("none" when nothing is set). */
export function accommodationSummary(t: Translate, a: Accommodations | null | undefined): string {
  const lines = accommodationLines(t, a);
  return lines.length ? lines.join('; ') : t('acc.none');
}
