/**
 * The documents of the paper trail as PDF files: one entry point for every kind, and the digest the
 * centre writes to the session's log when it stores a document (each is stored once, by its sha256).
 */
import { createHash } from 'node:crypto';
import type { DocumentInputs, DocumentKind, DocumentLanguage } from '../../shared/documents';
import { renderAppealDecision } from './appeal-decision';
import { renderFailureNotice } from './failure-notice';
import { renderProtocol } from './protocol';
import { renderRecognition } from './recognition';
import { renderViolationAct } from './violation-act';

const RENDERERS: { [K in DocumentKind]: (input: DocumentInputs[K], language: DocumentLanguage) => Promise<Uint8Array> } = {
  'violation-act': renderViolationAct,
  protocol: renderProtocol,
  recognition: renderRecognition,
  'failure-notice': renderFailureNotice,
  'appeal-decision': renderAppealDecision,
};

/** A4 PDF of the document in Kazakh or Russian; throws DocumentInputError on an input that contradicts itself. */
export function renderDocument<K extends DocumentKind>(kind: K, input: DocumentInputs[K], language: DocumentLanguage): Promise<Uint8Array> {
  const render = RENDERERS[kind] as (input: DocumentInputs[K], language: DocumentLanguage) => Promise<Uint8Array>;
  return render(input, language);
}

/** Lower-case hex SHA-256 of the file's bytes. */
export function documentSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
