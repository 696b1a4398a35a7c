/**
 * The anchored log. Whoever can write the database can edit an entry and recompute every later SHA-256
 * link, or delete the tail; the reviewer's verification must still say so (rule 14: the act cites an
 * unedited log). Replayed against a real centre's database, on the engine under test.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../shared/canonical-json';
import type { ExamSnapshot } from '../shared/protocol';
import { data, request, startHarness, type Harness } from '../testing/centre-harness';
import { chainHash } from './event-chain';
import { toEvent } from './store/sql-rows';
import type { NewEvent } from './store/store';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** A submitted exam with a few answers: its head is checkpointed at exam.submitted. */
async function finishedExam(): Promise<string> {
  const socket = await h.candidate((await h.issueToken()).token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await h.passPrestart(socket);
  const snap = data(await request<ExamSnapshot>(socket, 'exam:start'));
  for (const [i, q] of snap.questions.slice(0, 3).entries())
    data(await request(socket, 'answer:save', { questionId: q.id, optionIds: [q.options[0]!.id], rev: i + 1 }));
  data(await request(socket, 'exam:submit'));
  return snap.sessionId;
}

type LogReport = {
  status: string;
  verified: boolean;
  index?: number;
  firstBrokenIndex: number | null;
  head: { index: number; hash: string } | null;
};
async function verifyLog(sessionId: string): Promise<LogReport> {
  const res = await h.http<{ log: LogReport }>('GET', `/api/sessions/${sessionId}`, await h.staffToken('reviewer'));
  if (!('data' in res.body)) throw new Error(JSON.stringify(res.body));
  return res.body.data.log;
}

/** A stored row as the event the attacker re-hashes, read with the store's own mapper (numbers as numbers on either engine). */
const asEvent = (r: Record<string, unknown>): NewEvent => {
  const { origin, seq, eventId, type, clientAt, serverAt, data } = toEvent(r);
  return { origin, seq, eventId, type, clientAt, serverAt, data };
};

describe('the anchored log', () => {
  it('an intact log verifies and its head is given for the documents', async () => {
    const sessionId = await finishedExam();
    const log = await verifyLog(sessionId);
    const events = await h.store.listEvents(sessionId);
    expect(log).toMatchObject({
      status: 'intact',
      verified: true,
      firstBrokenIndex: null,
      head: { index: events.length - 1, hash: events.at(-1)!.hash },
    });
    expect(await h.centre.exams.headOf(sessionId)).toEqual(log.head);
    // The secret and the checkpoints are outside the database, owner-only.
    expect(statSync(path.join(h.dataDir, 'log-secret')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(h.dataDir, 'log-checkpoints.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('rule 14: an answer rewritten in the database with every later hash recomputed is reported as rewritten there', async () => {
    const sessionId = await finishedExam();
    const rows = await h.database.query('SELECT * FROM events WHERE session_id = ? ORDER BY idx', sessionId);
    const target = rows.find((r) => r.type === 'answer.saved')!;
    const at = Number(target.idx);
    // The attack: change the answer, then re-link the rest of the chain as plain SHA-256, as the code is public.
    let prev = at === 0 ? GENESIS_HASH : String(rows[at - 1]!.hash);
    const updates: unknown[][] = [];
    for (const r of rows.slice(at)) {
      const e = asEvent(r);
      if (r === target) e.data = { ...(e.data as object), optionIds: ['forged'] };
      const hash = chainHash(prev, sessionId, Number(r.idx), e);
      updates.push([JSON.stringify(e.data), prev, hash, sessionId, r.idx]);
      prev = hash;
    }
    await h.database.execMany('UPDATE events SET data_json = ?, prev_hash = ?, hash = ? WHERE session_id = ? AND idx = ?', updates);
    expect(await verifyLog(sessionId)).toMatchObject({ status: 'rewritten', verified: false, index: at, firstBrokenIndex: at });
  });

  it('rule 14: a deleted tail (the submission and what led to it) is reported as truncated', async () => {
    const sessionId = await finishedExam();
    const events = await h.store.listEvents(sessionId);
    const cut = events.findIndex((e) => e.type === 'answer.saved') + 1;
    expect(await h.database.exec('DELETE FROM events WHERE session_id = ? AND idx >= ?', sessionId, cut)).toBeGreaterThan(0);
    expect(await verifyLog(sessionId)).toMatchObject({ status: 'truncated', verified: false, index: events.length - 1 });
  });
});
