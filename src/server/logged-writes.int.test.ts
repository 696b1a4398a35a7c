/**
 * "The log is written with what it records": a state change and the log entry that records
 * it are one transaction. The fault is injected in the real database, SQLite or PostgreSQL (a trigger that
 * aborts the entry's INSERT, as a crash between the two writes would): neither may be stored, and the
 * resend after the fault stores both. The control room's acts are held to the same rule.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExamSnapshot, LiveSession, Response } from '../shared/protocol';
import { data, request, startHarness, type CandidateSocket, type Harness } from '../testing/centre-harness';
import { testDatabase, type TestDatabase } from '../testing/test-database';

let h: Harness;
let db: TestDatabase;
beforeEach(async () => {
  h = await startHarness();
  db = testDatabase(h.dataDir);
});
afterEach(async () => {
  await h.close();
});

/** Every INSERT of a log entry of this type fails until healed, as if the centre died between the write and its entry. */
async function failNextEntry(type: string): Promise<void> {
  if (db.engine === 'sqlite') {
    await db.exec(
      `CREATE TRIGGER fail_entry BEFORE INSERT ON events WHEN NEW.type = '${type}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END`,
    );
  } else {
    await db.exec("CREATE FUNCTION fail_entry() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$");
    await db.exec(
      `CREATE TRIGGER fail_entry BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.type = '${type}') EXECUTE FUNCTION fail_entry()`,
    );
  }
}
const healFault = async () => {
  if (db.engine === 'sqlite') await db.exec('DROP TRIGGER fail_entry');
  else await db.exec('DROP FUNCTION fail_entry CASCADE');
};

async function started(): Promise<{ socket: CandidateSocket; snapshot: ExamSnapshot }> {
  const socket = await h.candidate((await h.issueToken()).token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await h.passPrestart(socket);
  return { socket, snapshot: data(await request<ExamSnapshot>(socket, 'exam:start')) };
}
const types = async (sessionId: string) => (await h.store.listEvents(sessionId)).map((e) => e.type);

describe('one transaction per write and its log entry', () => {
  it('answer:save: a fault before answer.saved stores no answer; the resend stores both', async () => {
    const { socket, snapshot } = await started();
    const q = snapshot.questions[0]!;
    const answer = { questionId: q.id, optionIds: [q.options[0]!.id], rev: 1 };
    await failNextEntry('answer.saved');
    expect(await request(socket, 'answer:save', answer)).toMatchObject({ error: { code: 'internal' } });
    expect(await h.store.getAnswers(snapshot.sessionId)).toEqual([]);
    expect(await types(snapshot.sessionId)).not.toContain('answer.saved');
    await healFault();
    expect(data(await request<{ applied: boolean }>(socket, 'answer:save', answer)).applied).toBe(true);
    expect((await h.store.getAnswers(snapshot.sessionId)).map((a) => a.questionId)).toEqual([q.id]);
    expect((await types(snapshot.sessionId)).filter((t) => t === 'answer.saved')).toHaveLength(1);
  });

  it('exam:submit: a fault before exam.submitted leaves the exam running ungraded; the resend ends it with its entry', async () => {
    const { socket, snapshot } = await started();
    await failNextEntry('exam.submitted');
    expect(await request(socket, 'exam:submit')).toMatchObject({ error: { code: 'internal' } });
    const running = (await h.store.getSession(snapshot.sessionId))!;
    expect(running.status).toBe('in_progress');
    expect(running.result).toBeNull();
    await healFault();
    expect(data(await request<ExamSnapshot>(socket, 'exam:submit')).status).toBe('submitted');
    expect((await types(snapshot.sessionId)).filter((t) => t === 'exam.submitted')).toHaveLength(1);
  });

  it('exam:choose-language: a fault before language.chosen keeps no language (rule 9); the resend stores both', async () => {
    const socket = await h.candidate((await h.issueToken()).token);
    await failNextEntry('language.chosen');
    expect(await request(socket, 'exam:choose-language', { language: 'kk' })).toMatchObject({ error: { code: 'internal' } });
    const sessionId = data(await request<ExamSnapshot>(socket, 'exam:resume')).sessionId;
    expect((await h.store.getSession(sessionId))!.language).toBeNull();
    await healFault();
    expect(data(await request<ExamSnapshot>(socket, 'exam:choose-language', { language: 'kk' })).language).toBe('kk');
    expect((await types(sessionId)).filter((t) => t === 'language.chosen')).toHaveLength(1);
  });

  it('rule 13: a fault before policy.warning stores no warning; the resent report warns and logs it', async () => {
    const { socket, snapshot } = await started();
    const t0 = Date.now();
    const incident = { id: randomBytes(9).toString('base64url'), type: 'face.multiple', start: t0, end: null, confidence: 0.9, detail: {} };
    const report = { seq: snapshot.nextSeq, id: `ev-${incident.id}`, type: 'incident.open', at: t0 + 3_000, data: { incident } };
    await failNextEntry('policy.warning');
    expect(await request(socket, 'event:log', report)).toMatchObject({ error: { code: 'internal' } });
    expect((await h.store.getSession(snapshot.sessionId))!.policy?.warning ?? null).toBeNull();
    await healFault();
    data(await request(socket, 'event:log', report)); // the browser resends what was not acknowledged
    expect((await h.store.getSession(snapshot.sessionId))!.policy?.warning).toMatchObject({ incidentId: incident.id });
    expect((await types(snapshot.sessionId)).filter((t) => t === 'policy.warning')).toHaveLength(1);
  });

  // The proctor's control room, under the same rule: a proctor's act, what it changes and its entry are one transaction.
  it("a proctor's dismissal: a fault before incident.dismissed keeps the warning and stores no decision; the retry does both", async () => {
    const { socket, snapshot } = await started();
    const sessionId = snapshot.sessionId;
    const t0 = Date.now();
    const incident = { id: randomBytes(9).toString('base64url'), type: 'face.multiple', start: t0, end: null, confidence: 0.9, detail: {} };
    data(
      await request(socket, 'event:log', {
        seq: snapshot.nextSeq,
        id: `ev-${incident.id}`,
        type: 'incident.open',
        at: t0 + 3_000,
        data: { incident },
      }),
    );
    const p = await h.staff(await h.staffToken('proctor'));
    const decide = () => request(p, 'incident:decide', { sessionId, incidentId: incident.id, decision: 'dismiss', comment: 'a poster' });
    await failNextEntry('incident.dismissed');
    expect(await decide()).toMatchObject({ error: { code: 'internal' } });
    expect((await h.store.getSession(sessionId))!.policy?.warning).toMatchObject({ incidentId: incident.id });
    expect(await h.store.listIncidentReviews(sessionId)).toEqual([]);
    await healFault();
    data(await decide());
    expect((await h.store.getSession(sessionId))!.policy?.warning ?? null).toBeNull();
    expect((await h.store.listIncidentReviews(sessionId)).map((r) => r.decision)).toEqual(['dismissed']);
    expect((await types(sessionId)).filter((t) => t === 'incident.dismissed')).toHaveLength(1);
  });

  it.each([
    ['pause', { kind: 'pause', reason: 'checking the room' }, 'exam.paused'],
    ['more time', { kind: 'add-time', minutes: 10, reason: 'the page froze' }, 'exam.time_added'],
    ['message', { kind: 'message', text: 'please sit still' }, 'proctor.message'],
  ])("a proctor's %s: a fault before its entry changes nothing and leaves no note; the retry does both", async (_name, action, entry) => {
    const { snapshot } = await started();
    const sessionId = snapshot.sessionId;
    const before = (await h.store.getSession(sessionId))!;
    const p = await h.staff(await h.staffToken('proctor'));
    const act = () => request<LiveSession>(p, 'proctor:act', { sessionId, action });
    await failNextEntry(entry);
    expect(await act()).toMatchObject({ error: { code: 'internal' } });
    const after = (await h.store.getSession(sessionId))!;
    expect([after.paused, after.deadlineAt]).toEqual([before.paused, before.deadlineAt]);
    expect(await h.store.listNotes(sessionId)).toEqual([]);
    await healFault();
    expect('data' in ((await act()) as Response<LiveSession>)).toBe(true);
    expect(await h.store.listNotes(sessionId)).toHaveLength(1);
    expect((await types(sessionId)).filter((t) => t === entry)).toHaveLength(1);
  });

  it("a proctor's end (rule 13): a fault before policy.terminated leaves the exam running; the retry ends it with its entry and note", async () => {
    const { snapshot } = await started();
    const sessionId = snapshot.sessionId;
    const p = await h.staff(await h.staffToken('proctor'));
    const end = () =>
      request<LiveSession>(p, 'proctor:act', {
        sessionId,
        action: { kind: 'end', cause: 'violation', reason: 'a second person answered' },
      });
    await failNextEntry('policy.terminated');
    expect(await end()).toMatchObject({ error: { code: 'internal' } });
    const running = (await h.store.getSession(sessionId))!;
    expect([running.status, running.result, running.policy?.outcome ?? 'active']).toEqual(['in_progress', null, 'active']);
    expect(await h.store.listNotes(sessionId)).toEqual([]);
    await healFault();
    data(await end());
    const ended = (await h.store.getSession(sessionId))!;
    expect([ended.status, ended.policy?.outcome]).toEqual(['terminated', 'terminated']);
    expect((await h.store.listNotes(sessionId)).map((n) => n.kind)).toEqual(['end']);
    const entries = (await h.store.listEvents(sessionId)).filter((e) => e.type === 'policy.terminated');
    expect(entries.map((e) => e.data)).toMatchObject([
      { manual: true, rule: '13', reason: 'a second person answered', by: { name: 'Proctor Demo' } },
    ]);
  });
});
