/**
 * What a refusal from the centre means, in the reader's language. The centre answers with a
 * code (src/shared/protocol.ts) and an English message for its logs; screens show only the code's words.
 */
import type { MessageKey, Translate } from './i18n/i18n';

const KNOWN = new Set(['conflict', 'forbidden', 'not_found', 'invalid', 'offline', 'timeout', 'too_many', 'closed', 'unauthorised']);

export function errorCodeText(t: Translate, code: string): string {
  return t(`cr.error.${KNOWN.has(code) ? code : 'other'}` as MessageKey);
}
