/** Plain-words text of a logged event, for the live feed and the review timeline. */
import type { Accommodations } from '../shared/accommodations';
import { isBrowserName, isBrowserRefusal } from '../shared/browser-support';
import { isIdentityFailure } from '../shared/identity-failures';
import { accommodationSummary } from './accommodation-text';
import { incidentTypeOf, isIncidentType } from '../shared/incidents';
import { CLIENT_OPERATIONS, type ClientOperation, type FeedEvent } from '../shared/protocol';
import type { MessageKey, Translate } from './i18n/i18n';

const DEVICE_STATE_KEYS: Record<string, MessageKey> = {
  on: 'device.on',
  off: 'device.off',
  denied: 'device.denied',
  lost: 'device.lost',
  missing: 'device.missing',
};

export function describeEvent(t: Translate, e: Pick<FeedEvent, 'type' | 'data'>): string {
  const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(data)) if (typeof v === 'string' || typeof v === 'number') vars[k] = v;
  if (typeof data.state === 'string') vars.state = t(DEVICE_STATE_KEYS[data.state] ?? 'device.off');
  if (typeof data.index === 'number') vars.index = data.index + 1;
  const incident = incidentTypeOf(e.data);
  if (incident) vars.incident = t(`incident.${incident}` as MessageKey);
  // A rule 12 object seen during the room scan names its incident type as a plain string.
  if (e.type === 'room_scan.object' && isIncidentType(data.incident)) vars.incident = t(`incident.${data.incident}` as MessageKey);
  // Identity (rule 2.8.6): which reference, and a dash where nothing was compared (a face enrolled as the reference).
  if (data.reference === 'file' || data.reference === 'enrolled')
    vars.reference = t(data.reference === 'file' ? 'reference.file' : 'reference.enrolled');
  if (e.type.startsWith('identity.') && typeof data.similarity !== 'number') vars.similarity = '—';
  // The log keeps the centre's English sentence; the screen says it in the reader's language (older entries: a plain general reason).
  // Rule 11: the assistant's photo, accepted or refused as the candidate's own face.
  if (e.type === 'identity.assistant')
    vars.outcome = t(data.accepted === true ? 'assistant.outcome.accepted' : 'assistant.outcome.same_person');
  if (e.type === 'identity.failed')
    vars.reason = t(isIdentityFailure(data.reasonCode) ? (`identity.failure.${data.reasonCode}` as MessageKey) : 'identity.failure.other');
  // Who acted (a proctor's decision or action) and whom a session was assigned to.
  const nameOf = (v: unknown) =>
    typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : null;
  vars.name = nameOf(data.by) ?? '—';
  if (e.type === 'session.assigned') vars.proctor = nameOf(data.proctor) ?? '—';
  // Which browser the first screen refused, and why, in words.
  if (e.type === 'browser.unsupported') {
    if (isBrowserName(data.browser)) vars.browser = t(`browser.name.${data.browser}`);
    if (isBrowserRefusal(data.reason)) vars.reason = t(`browser.why.${data.reason}`);
    vars.version = typeof data.version === 'number' ? data.version : '';
  }
  // Something the candidate's browser did in the background failed: what, and why, in words (the message stays in the log).
  if (e.type === 'client.error') {
    if (isClientOperation(data.operation)) vars.operation = t(`client.operation.${data.operation}`);
    vars.reason = t(clientReasonKey(typeof data.code === 'string' ? data.code : ''));
  }
  if (typeof data.language === 'string') vars.language = data.language === 'kk' ? t('lang.kk') : t('lang.ru');
  // What the accommodations are, in words.
  if (e.type.startsWith('accommodations.')) vars.summary = accommodationSummary(t, data.accommodations as Accommodations | null);
  // A proctor's decision on the assistant (every try used) reads as such, not as the candidate's identity.
  if ((e.type === 'identity.approved' || e.type === 'identity.rejected') && data.person === 'assistant')
    return t(`event.${e.type}.assistant` as MessageKey, vars);
  return t(`event.${e.type}` as MessageKey, vars);
}

const isClientOperation = (v: unknown): v is ClientOperation => (CLIENT_OPERATIONS as readonly unknown[]).includes(v);

/** A failed request's code in words: no answer, no connection, refused by the centre, or anything else. */
export function clientReasonKey(code: string): MessageKey {
  if (code === 'timeout' || code === 'offline') return `client.reason.${code}`;
  return code === 'error' ? 'client.reason.other' : 'client.reason.refused';
}
