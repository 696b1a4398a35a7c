import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH } from '../shared/canonical-json';
import { chainHash, findBrokenLink, verifyChain } from './event-chain';
import type { EventRow, NewEvent } from './store/store';

const SESSION = 'session-1';

const NEW_EVENTS: NewEvent[] = [
  { origin: 'server', seq: null, eventId: null, type: 'session.connected', clientAt: null, serverAt: 1000, data: null },
  { origin: 'client', seq: 1, eventId: 'evt-aaaaaaaa', type: 'device.camera', clientAt: 990, serverAt: 1010, data: { state: 'on' } },
  { origin: 'client', seq: 2, eventId: 'evt-bbbbbbbb', type: 'env.tab_hidden', clientAt: 1990, serverAt: 2000, data: null },
  { origin: 'server', seq: null, eventId: null, type: 'answer.saved', clientAt: null, serverAt: 2500, data: { questionId: 'q01', rev: 1 } },
  { origin: 'client', seq: 3, eventId: 'evt-cccccccc', type: 'env.tab_visible', clientAt: 2990, serverAt: 3000, data: null },
];

/** Links events the way the store does: index, prevHash, hash. */
function buildChain(events: readonly NewEvent[], sessionId = SESSION): EventRow[] {
  const rows: EventRow[] = [];
  let prev = GENESIS_HASH;
  events.forEach((e, index) => {
    const hash = chainHash(prev, sessionId, index, e);
    rows.push({ ...e, sessionId, index, prevHash: prev, hash });
    prev = hash;
  });
  return rows;
}

describe('chainHash', () => {
  const e = NEW_EVENTS[1]!;

  it('is SHA-256 of the previous hash followed by the canonical event', () => {
    const body = canonicalJson({
      sessionId: SESSION,
      index: 1,
      origin: e.origin,
      seq: e.seq,
      eventId: e.eventId,
      type: e.type,
      clientAt: e.clientAt,
      serverAt: e.serverAt,
      data: e.data,
    });
    const expected = createHash('sha256')
      .update(GENESIS_HASH + body)
      .digest('hex');
    expect(chainHash(GENESIS_HASH, SESSION, 1, e)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the key order of the data', () => {
    const a = { ...e, data: { state: 'on', label: 'cam' } };
    const b = { ...e, data: { label: 'cam', state: 'on' } };
    expect(chainHash(GENESIS_HASH, SESSION, 0, a)).toBe(chainHash(GENESIS_HASH, SESSION, 0, b));
  });

  it('treats undefined data as null', () => {
    expect(chainHash(GENESIS_HASH, SESSION, 0, { ...e, data: undefined })).toBe(chainHash(GENESIS_HASH, SESSION, 0, { ...e, data: null }));
  });

  it.each<[string, (x: NewEvent) => NewEvent]>([
    ['data', (x) => ({ ...x, data: { state: 'off' } })],
    ['type', (x) => ({ ...x, type: 'device.mic' })],
    ['serverAt', (x) => ({ ...x, serverAt: x.serverAt + 1 })],
    ['clientAt', (x) => ({ ...x, clientAt: 0 })],
    ['seq', (x) => ({ ...x, seq: 99 })],
    ['eventId', (x) => ({ ...x, eventId: 'evt-zzzzzzzz' })],
    ['origin', (x) => ({ ...x, origin: 'server' })],
  ])('changes when the %s changes', (_field, change) => {
    expect(chainHash(GENESIS_HASH, SESSION, 1, change(e))).not.toBe(chainHash(GENESIS_HASH, SESSION, 1, e));
  });

  it('changes with the previous hash, the session and the index', () => {
    const base = chainHash(GENESIS_HASH, SESSION, 1, e);
    expect(chainHash('1'.repeat(64), SESSION, 1, e)).not.toBe(base);
    expect(chainHash(GENESIS_HASH, 'session-2', 1, e)).not.toBe(base);
    expect(chainHash(GENESIS_HASH, SESSION, 2, e)).not.toBe(base);
  });
});

describe('findBrokenLink (the log cited by the act of rule 14 must be unedited)', () => {
  it('returns null for an intact chain of 5 events and for an empty one', () => {
    expect(findBrokenLink(buildChain(NEW_EVENTS))).toBeNull();
    expect(findBrokenLink([])).toBeNull();
  });

  it('the first event links to the genesis hash', () => {
    expect(buildChain(NEW_EVENTS)[0]!.prevHash).toBe(GENESIS_HASH);
  });

  it('rule 14: altering the data of event 2 breaks the chain at 2', () => {
    const rows = buildChain(NEW_EVENTS);
    rows[2] = { ...rows[2]!, data: { forged: true } };
    expect(findBrokenLink(rows)).toBe(2);
  });

  it('rule 14: altering event 2 and recomputing its own hash still breaks the chain at 3', () => {
    const rows = buildChain(NEW_EVENTS);
    const forged = { ...rows[2]!, type: 'env.tab_visible' as const };
    rows[2] = { ...forged, hash: chainHash(forged.prevHash, SESSION, 2, forged) };
    expect(findBrokenLink(rows)).toBe(3);
  });

  it('rule 14: deleting event 1 breaks the chain at 1', () => {
    const rows = buildChain(NEW_EVENTS);
    rows.splice(1, 1);
    expect(findBrokenLink(rows)).toBe(1);
  });

  it('rule 14: deleting event 1 and renumbering the rest still breaks the chain at 1', () => {
    const rows = buildChain(NEW_EVENTS);
    rows.splice(1, 1);
    const renumbered = rows.map((r, i) => ({ ...r, index: i }));
    expect(findBrokenLink(renumbered)).toBe(1);
  });

  it('rule 14: deleting event 1 and re-linking the rest with fresh hashes is caught by the index gap', () => {
    // A forger who can recompute hashes but keeps the original indexes leaves a hole: 0, 2, 3, 4.
    const rows: EventRow[] = [];
    let prev = GENESIS_HASH;
    for (const index of [0, 2, 3, 4]) {
      const e = NEW_EVENTS[index]!;
      const hash = chainHash(prev, SESSION, index, e);
      rows.push({ ...e, sessionId: SESSION, index, prevHash: prev, hash });
      prev = hash;
    }
    expect(findBrokenLink(rows)).toBe(1);
  });

  it('rule 14: a stored prevHash that does not match the previous event is caught', () => {
    const rows = buildChain(NEW_EVENTS);
    rows[2] = { ...rows[2]!, prevHash: rows[0]!.hash };
    expect(findBrokenLink(rows)).toBe(2);
  });

  it('a chain that does not start at the genesis hash does not verify', () => {
    const rows = buildChain(NEW_EVENTS)
      .slice(1)
      .map((r, i) => ({ ...r, index: i }));
    expect(findBrokenLink(rows)).toBe(0);
  });

  it('rule 14: swapping events 2 and 3 breaks the chain at 2', () => {
    const rows = buildChain(NEW_EVENTS);
    [rows[2], rows[3]] = [rows[3]!, rows[2]!];
    expect(findBrokenLink(rows)).toBe(2);
  });

  it('rule 14: swapping events 2 and 3 and fixing their indexes still breaks the chain at 2', () => {
    const rows = buildChain(NEW_EVENTS);
    [rows[2], rows[3]] = [
      { ...rows[3]!, index: 2 },
      { ...rows[2]!, index: 3 },
    ];
    expect(findBrokenLink(rows)).toBe(2);
  });

  it('truncating the tail leaves a valid prefix (the chain proves order and content, not completeness)', () => {
    expect(findBrokenLink(buildChain(NEW_EVENTS).slice(0, 3))).toBeNull();
  });

  it('a chain moved to another session does not verify', () => {
    const rows = buildChain(NEW_EVENTS).map((r) => ({ ...r, sessionId: 'session-2' }));
    expect(findBrokenLink(rows)).toBe(0);
  });
});

describe('verifyChain (keyed links and checkpoints)', () => {
  const KEY = Buffer.alloc(32, 7);
  const keyed = (events: readonly NewEvent[], key: Uint8Array = KEY): EventRow[] => {
    const rows: EventRow[] = [];
    let prev = GENESIS_HASH;
    events.forEach((e, index) => {
      const hash = chainHash(prev, SESSION, index, e, key);
      rows.push({ ...e, sessionId: SESSION, index, prevHash: prev, hash, hashVersion: 2 });
      prev = hash;
    });
    return rows;
  };
  const cp = (rows: EventRow[], index: number, legacy = false) => ({ sessionId: SESSION, index, hash: rows[index]!.hash, at: 1, legacy });

  it('an intact keyed chain with matching checkpoints is intact, with its head', () => {
    const rows = keyed(NEW_EVENTS);
    expect(verifyChain(rows, KEY, [cp(rows, 2), cp(rows, 4)])).toEqual({
      status: 'intact',
      events: 5,
      head: { index: 4, hash: rows[4]!.hash },
      checkpoints: 2,
    });
    expect(verifyChain([], KEY, [])).toMatchObject({ status: 'intact', head: null });
  });

  it('rule 14: an edit re-linked with plain SHA-256 (no key) is rewritten at the edit', () => {
    const rows = keyed(NEW_EVENTS);
    const forged = buildChain([...NEW_EVENTS.slice(0, 3), { ...NEW_EVENTS[3]!, data: { questionId: 'q01', rev: 9 } }, NEW_EVENTS[4]!]);
    const mixed = [...rows.slice(0, 3), ...forged.slice(3).map((r) => ({ ...r, hashVersion: 2 as const }))];
    mixed[3] = { ...mixed[3]!, prevHash: rows[2]!.hash, hash: chainHash(rows[2]!.hash, SESSION, 3, mixed[3]!) };
    expect(verifyChain(mixed, KEY, [])).toMatchObject({ status: 'rewritten', index: 3 });
    // …and marking the forged rows as legacy does not help: no legacy anchor covers them.
    expect(
      verifyChain(
        mixed.map((r, i) => (i >= 3 ? { ...r, hashVersion: 1 as const } : r)),
        KEY,
        [],
      ),
    ).toMatchObject({ status: 'rewritten', index: 3 });
  });

  it('a chain keyed with another secret is rewritten at 0', () => {
    expect(verifyChain(keyed(NEW_EVENTS, Buffer.alloc(32, 8)), KEY, [])).toMatchObject({ status: 'rewritten', index: 0 });
  });

  it('a deleted tail behind a checkpoint is truncated at the checkpoint', () => {
    const rows = keyed(NEW_EVENTS);
    expect(verifyChain(rows.slice(0, 3), KEY, [cp(rows, 4)])).toMatchObject({ status: 'truncated', index: 4, expectedHash: rows[4]!.hash });
  });

  it('a tail cut and grown again (validly keyed) differs at the checkpoint: truncated', () => {
    const rows = keyed(NEW_EVENTS);
    const regrown = keyed([...NEW_EVENTS.slice(0, 3), { ...NEW_EVENTS[4]!, serverAt: 9999 }, NEW_EVENTS[4]!]);
    expect(verifyChain(regrown, KEY, [cp(rows, 3)])).toMatchObject({ status: 'truncated', index: 3 });
  });

  it('legacy (plain SHA-256) rows verify only up to their legacy anchor', () => {
    const legacy = buildChain(NEW_EVENTS.slice(0, 3)).map((r) => ({ ...r, hashVersion: 1 as const }));
    let prev = legacy[2]!.hash;
    const rest = NEW_EVENTS.slice(3).map((e, i) => {
      const hash = chainHash(prev, SESSION, i + 3, e, KEY);
      const row: EventRow = { ...e, sessionId: SESSION, index: i + 3, prevHash: prev, hash, hashVersion: 2 };
      prev = hash;
      return row;
    });
    const all = [...legacy, ...rest];
    expect(verifyChain(all, KEY, [cp(all, 2, true)])).toMatchObject({ status: 'intact' });
    expect(verifyChain(all, KEY, [])).toMatchObject({ status: 'rewritten', index: 0 });
    expect(verifyChain(all, KEY, [cp(all, 1, true)])).toMatchObject({ status: 'rewritten', index: 2 });
  });
});
