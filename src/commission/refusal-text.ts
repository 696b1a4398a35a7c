/** A refusal of the centre in the reader's words: its code (and finer reason) named in the catalogues, or a general error. */
import { en } from '../ui/i18n/en';
import type { MessageKey, Translate } from '../ui/i18n/i18n';
import { refusalKey } from './commission-view';

export function refusalText(t: Translate, e: { code: string; reason?: string }): string {
  const key = refusalKey(e);
  return Object.hasOwn(en, key) ? t(key as MessageKey) : t('cm.error.internal');
}
