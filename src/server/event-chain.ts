/**
 * The per-session event log is a hash chain. Version 2: hash = HMAC-SHA-256(key, prevHash ‖
 * canonical event) with the centre's log secret, kept outside the database, so whoever can edit the
 * SQLite file cannot recompute a valid chain. Version 1 (rows written before the log was keyed) is plain
 * SHA-256; such rows are trusted only up to the head the centre anchored in its checkpoint file when it
 * first started with a secret (LogAnchor.anchorLegacy). Checkpoints (HMAC-signed heads in an append-only
 * file) catch what a chain alone cannot: a deleted tail. The violation act (rule 14) cites the head.
 */
import { createHash, createHmac } from 'node:crypto';
import { canonicalJson, GENESIS_HASH } from '../shared/canonical-json';
import type { EventRow, NewEvent } from './store/store';

/** `key` null: the legacy plain SHA-256 link (version 1); otherwise the keyed link (version 2). */
export function chainHash(prevHash: string, sessionId: string, index: number, event: NewEvent, key: Uint8Array | null = null): string {
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
  return (key ? createHmac('sha256', key) : createHash('sha256')).update(prevHash).update(body).digest('hex');
}

/** Index of the first broken link of a legacy (plain SHA-256) chain, or null when it verifies. */
export function findBrokenLink(events: readonly EventRow[]): number | null {
  let prev = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    if (e.index !== i || e.prevHash !== prev || chainHash(prev, e.sessionId, e.index, e) !== e.hash) return i;
    prev = e.hash;
  }
  return null;
}

/** A session's head as a checkpoint records it; `legacy` marks the anchor of rows hashed before the log was keyed. */
export interface Checkpoint {
  sessionId: string;
  index: number;
  hash: string;
  at: number;
  legacy?: boolean;
}

export type LogVerdict =
  | { status: 'intact'; events: number; head: { index: number; hash: string } | null; checkpoints: number }
  /** The link at `index` does not verify with the centre's key (edited, reordered, or re-hashed without the key). */
  | { status: 'rewritten'; events: number; index: number; reason: string }
  /** A checkpoint says entry `index` existed with `hash`: the log ends before it, or holds something else there. */
  | { status: 'truncated'; events: number; index: number; expectedHash: string; reason: string };

/** Checks every link with the key and the log against every (already MAC-checked) checkpoint of its session. */
export function verifyChain(events: readonly EventRow[], key: Uint8Array, checkpoints: readonly Checkpoint[]): LogVerdict {
  const n = events.length;
  // Rows hashed without a key are accepted only up to the head anchored when the secret was introduced.
  const legacyUpTo = Math.max(-1, ...checkpoints.filter((c) => c.legacy).map((c) => c.index));
  let prev = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    if (e.index !== i) return { status: 'rewritten', events: n, index: i, reason: `entry ${i} is numbered ${e.index}` };
    if (e.prevHash !== prev) return { status: 'rewritten', events: n, index: i, reason: `entry ${i} does not link to entry ${i - 1}` };
    const legacy = (e.hashVersion ?? 1) === 1;
    if (legacy && i > legacyUpTo)
      return { status: 'rewritten', events: n, index: i, reason: `entry ${i} is not signed with the centre's key` };
    if (chainHash(prev, e.sessionId, i, e, legacy ? null : key) !== e.hash)
      return { status: 'rewritten', events: n, index: i, reason: `entry ${i} does not match its hash` };
    prev = e.hash;
  }
  for (const c of [...checkpoints].sort((a, b) => a.index - b.index)) {
    if (c.index >= n)
      return {
        status: 'truncated',
        events: n,
        index: c.index,
        expectedHash: c.hash,
        reason: `a checkpoint at ${new Date(c.at).toISOString()} saw entry ${c.index}; the log ends at ${n - 1}`,
      };
    if (events[c.index]!.hash !== c.hash)
      return {
        status: 'truncated',
        events: n,
        index: c.index,
        expectedHash: c.hash,
        reason: `entry ${c.index} is not the one a checkpoint saw: the log was cut and written again from there`,
      };
  }
  const last = events.at(-1);
  return { status: 'intact', events: n, head: last ? { index: last.index, hash: last.hash } : null, checkpoints: checkpoints.length };
}
