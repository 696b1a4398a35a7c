/**
 * The per-session event log is a hash chain: hash = SHA-256(prevHash ‖ canonical event).
 * Editing, removing or reordering any stored event breaks every later link, which is
 * what lets the violation act (rule 14) show that the log it cites was not edited.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, GENESIS_HASH } from '../shared/canonical-json';
import type { EventRow, NewEvent } from './store/store';

export function chainHash(prevHash: string, sessionId: string, index: number, event: NewEvent): string {
  const body = canonicalJson({
    sessionId,
    index,
    origin: event.origin,
    seq: event.seq,
    eventId: event.eventId,
    type: event.type,
    clientAt: event.clientAt,
    serverAt: event.serverAt,
    data: event.data ?? null,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/** Index of the first broken link, or null when the whole chain verifies. */
export function findBrokenLink(events: readonly EventRow[]): number | null {
  let prev = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    if (e.index !== i || e.prevHash !== prev || chainHash(prev, e.sessionId, e.index, e) !== e.hash) return i;
    prev = e.hash;
  }
  return null;
}
