/**
 * Catalogue keys of the admin console's codes: a form field's label, an error code's sentence (an unknown code reads as "not accepted").
 */
import { en } from '../ui/i18n/en';
import type { MessageKey } from '../ui/i18n/i18n';

export const fieldKey = (field: string): MessageKey => `admin.field.${field}` as MessageKey;
export const errorKey = (code: string): MessageKey => {
  const key = `admin.err.${code}`;
  return (Object.hasOwn(en, key) ? key : 'admin.err.invalid') as MessageKey;
};
