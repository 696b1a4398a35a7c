/**
 * The procedure's storage on a real SQLite file. The document sequence is taken in the
 * transaction that issues (N issues at once get N distinct consecutive numbers, and a number taken
 * meanwhile makes the other render again); a document is issued once per kind per session, its serial
 * number unique; procedure changes made on an old version are refused; a file per language is stored once.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProtocolSnapshot } from '../../shared/procedure';
import type { ServerEventType } from '../../shared/protocol';
import { close, newSession, open, seeded, T0, useStoreFixtures } from '../../testing/store-fixtures';
import { issueNumbered } from '../document-issuer';
import type { NewDocument } from './procedure-store';
import type { LoggedWrite, NewEvent, Store } from './store';

useStoreFixtures();

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const entry = (type: ServerEventType, data: unknown): NewEvent => ({
  origin: 'server',
  seq: null,
  eventId: null,
  type,
  clientAt: null,
  serverAt: T0,
  data,
});
const doc = (id: string, sequence: number, over: Partial<NewDocument> = {}): NewDocument => {
  const bytes = new TextEncoder().encode(`%PDF document ${sequence}`);
  return {
    id,
    kind: 'recognition',
    number: `43210-74110001-4-150325-0001-${String(sequence).padStart(8, '0')}`,
    serialNumber: `43210-74110001-4-150325-0001-${String(sequence).padStart(8, '0')}`,
    sequence,
    issuedAt: T0,
    issuedOn: '2025-06-15',
    language: 'kk',
    file: { sha256: sha(bytes), bytes },
    ...over,
  };
};
const writer =
  (store: Store) => (sessionId: string, writes: readonly LoggedWrite[], entries: readonly { type: ServerEventType; data: unknown }[]) =>
    store
      .writeWithEvents(
        sessionId,
        writes,
        entries.map((e) => entry(e.type, e.data)),
      )
      .then((r) => r.applied);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the document sequence (Appendix 2, level 6)', () => {
  it('N issues at once take N distinct consecutive numbers, each document with its own, in the issuing transaction', async () => {
    const s = await seeded();
    const centre = (await s.store.getCentre())!;
    const sessions = await Promise.all(Array.from({ length: 12 }, () => newSession(s)));
    let renders = 0;
    const outcomes = await Promise.all(
      sessions.map((sessionId, i) =>
        issueNumbered({
          store: s.store,
          writeLogged: writer(s.store),
          sessionId,
          centreId: centre.id,
          counter: 'recognition',
          kind: 'recognition',
          make: async (sequence) => {
            renders++;
            await pause((i * 7) % 5); // renders take different times, so issues overtake each other
            return {
              writes: [{ kind: 'document', document: doc(`doc-${i}`, sequence) }],
              entries: [{ type: 'document.issued', data: { sequence } }],
            };
          },
        }),
      ),
    );
    expect(outcomes).toEqual(sessions.map(() => 'issued'));
    const numbers = await Promise.all(sessions.map(async (id) => (await s.store.listDocuments(id))[0]!.sequence!));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await s.store.counterValue(centre.id, 'recognition')).toBe(12);
    // Numbers another issue took meanwhile were rendered again with the next one: more renders than documents.
    expect(renders).toBeGreaterThan(12);
    // Each session's log holds its document's entry with the very number stored.
    for (const id of sessions) {
      const stored = (await s.store.listDocuments(id))[0]!;
      expect((await s.store.listEvents(id)).map((e) => e.data)).toEqual([{ sequence: stored.sequence }]);
    }
  });

  it('a second issue for the same session is "exists" and takes no number', async () => {
    const s = await seeded();
    const centre = (await s.store.getCentre())!;
    const sessionId = await newSession(s);
    const issue = (id: string) =>
      issueNumbered({
        store: s.store,
        writeLogged: writer(s.store),
        sessionId,
        centreId: centre.id,
        counter: 'recognition',
        kind: 'recognition',
        make: async (sequence) => ({
          writes: [{ kind: 'document', document: doc(id, sequence) }],
          entries: [{ type: 'document.issued', data: { sequence } }],
        }),
      });
    expect(await Promise.all([issue('a'), issue('b')])).toEqual(expect.arrayContaining(['issued', 'exists']));
    expect(await s.store.listDocuments(sessionId)).toHaveLength(1);
    expect(await s.store.counterValue(centre.id, 'recognition')).toBe(1);
  });

  it('refuses a serial number or a sequence already used, and keeps the counter where it was', async () => {
    const s = await seeded();
    const centre = (await s.store.getCentre())!;
    const [a, b] = [await newSession(s), await newSession(s)];
    expect(
      (
        await s.store.writeWithEvents(
          a,
          [
            { kind: 'counter', centreId: centre.id, name: 'recognition', value: 1 },
            { kind: 'document', document: doc('a', 1) },
          ],
          [],
        )
      ).applied,
    ).toBe(true);
    await expect(
      s.store.writeWithEvents(
        b,
        [
          { kind: 'counter', centreId: centre.id, name: 'recognition', value: 2 },
          { kind: 'document', document: doc('b', 1) },
        ],
        [],
      ),
    ).rejects.toThrow(/unique/i);
    expect(await s.store.counterValue(centre.id, 'recognition')).toBe(1);
    // A counter value out of turn is not applied, and nothing of its write is.
    expect(
      (
        await s.store.writeWithEvents(
          b,
          [
            { kind: 'counter', centreId: centre.id, name: 'recognition', value: 3 },
            { kind: 'document', document: doc('b', 3) },
          ],
          [],
        )
      ).applied,
    ).toBe(false);
    expect(await s.store.listDocuments(b)).toEqual([]);
    expect(await s.store.findDocumentBySerial(doc('a', 1).serialNumber!)).toMatchObject({
      id: 'a',
      sessionId: a,
      languages: ['kk'],
      revokedAt: null,
    });
  });
});

describe('procedures and files', () => {
  const protocol = (number: string): ProtocolSnapshot => ({
    number,
    violationActNumber: null,
    drawnAt: T0,
    chair: { userId: 'c', name: 'C' },
    members: [],
    basis: {
      outcome: 'failed',
      reason: 'theory',
      theory: { correct: 1, total: 30, percent: 3.3, admitted: false },
      practical: null,
      violation: null,
      endedAt: T0,
    },
  });

  it('a change made on an old version is refused; a redrawn protocol starts unsigned; one signature per person', async () => {
    const s = await seeded();
    const sessionId = await newSession(s);
    const chair = (await s.store.findStaffByUsername('chair'))!;
    const w = (write: LoggedWrite) => s.store.writeWithEvents(sessionId, write, []).then((r) => r.applied);
    expect(await w({ kind: 'procedure', expectVersion: 0, protocol: protocol('2025-000001') })).toBe(true);
    expect(await w({ kind: 'procedure', expectVersion: 0, protocol: protocol('2025-000002') })).toBe(false);
    const signature = { userId: chair.id, name: chair.displayName, role: 'commission_chair' as const, at: T0 + 1 };
    expect(await w({ kind: 'procedure', expectVersion: 1, signature })).toBe(true);
    expect(await w({ kind: 'procedure', expectVersion: 2, signature: { ...signature, at: T0 + 2 } })).toBe(false);
    expect((await s.store.getProcedure(sessionId))!).toMatchObject({
      version: 2,
      signatures: [signature],
      protocol: { number: '2025-000001' },
    });
    expect(await w({ kind: 'procedure', expectVersion: 2, protocol: protocol('2025-000001') })).toBe(true);
    expect((await s.store.getProcedure(sessionId))!).toMatchObject({ version: 3, signatures: [] });
  });

  it('stores each language of a document once, and survives a reopen', async () => {
    const s = await seeded();
    const centre = (await s.store.getCentre())!;
    const sessionId = await newSession(s);
    await s.store.writeWithEvents(
      sessionId,
      [
        { kind: 'counter', centreId: centre.id, name: 'recognition', value: 1 },
        { kind: 'document', document: doc('d1', 1) },
      ],
      [],
    );
    const ru = new TextEncoder().encode('%PDF ru');
    const add = () =>
      s.store
        .writeWithEvents(
          sessionId,
          { kind: 'document-file', documentId: 'd1', language: 'ru', file: { sha256: sha(ru), bytes: ru }, at: T0 + 5 },
          [],
        )
        .then((r) => r.applied);
    expect(await add()).toBe(true);
    expect(await add()).toBe(false);
    expect(
      await s.store
        .writeWithEvents(sessionId, { kind: 'revoke', documentId: 'd1', at: T0 + 9, reason: 'issued in error' }, [])
        .then((r) => r.applied),
    ).toBe(true);
    await close(s.store);
    const again = await open(s.dir);
    expect(await again.getDocument('d1')).toMatchObject({ languages: ['kk', 'ru'], revokedAt: T0 + 9, revokedReason: 'issued in error' });
    expect(Buffer.from((await again.getDocumentFile('d1', 'ru'))!.bytes).toString()).toBe('%PDF ru');
  });
});
