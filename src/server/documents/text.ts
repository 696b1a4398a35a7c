/**
 * The documents' catalogue lookup: one function per language that fills a template's
 * `{name}` slots. A slot left without a value is an error, never printed as "{name}".
 */
import type { DocumentLanguage } from '../../shared/documents';
import { kk } from './text.kk';
import { ru, type DocumentTextKey } from './text.ru';

export type { DocumentTextKey };
export const DOCUMENT_TEXT: Record<DocumentLanguage, Record<DocumentTextKey, string>> = { kk, ru };

export type DocumentVars = Record<string, string | number>;
export type Say = (key: DocumentTextKey, vars?: DocumentVars) => string;

/**
 * A value that ends in an abbreviation's point ("2026 г.", "2026 ж.") before the template's own
 * full stop would print two points; the sentence keeps one.
 */
const ABBREVIATION_THEN_STOP = /(\s(?:г|ж)\.)\./g;

export function fillTemplate(template: string, vars: DocumentVars = {}): string {
  return template
    .replace(/\{(\w+)\}/g, (_whole, name: string) => {
      if (!Object.hasOwn(vars, name)) throw new Error(`document text: no value for {${name}} in "${template}"`);
      return String(vars[name]);
    })
    .replace(ABBREVIATION_THEN_STOP, '$1');
}

export function sayer(language: DocumentLanguage): Say {
  const catalogue = DOCUMENT_TEXT[language];
  return (key, vars) => fillTemplate(catalogue[key], vars);
}
