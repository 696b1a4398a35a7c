/**
 * The reviewer's verdict at the centre. Route × role (anonymous, candidate, proctor, reviewer, admin): only
 * reviewers and admins give one; it is validated, written with its log entry in one transaction (the chain stays intact),
 * shown in the session's detail with the credibility score and in the sessions list; overturning an automatic
 * termination sends the session to the reschedule tasks (rule 11). Real SQLite, real socket.io clients.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Credibility } from '../shared/credibility';
import type { Incident, IncidentType } from '../shared/incidents';
import type { ExamSnapshot } from '../shared/protocol';
import type { SessionVerdict } from '../shared/review-verdict';
import type { SessionListPage } from '../shared/session-list';
import { data, request, startHarness, type CandidateSocket, type Harness } from '../testing/centre-harness';
import { rescheduleTasks } from './reschedule-routes';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const newId = () => randomBytes(9).toString('base64url');
const incident = (type: IncidentType, start: number): Incident => ({ id: newId(), type, start, end: null, confidence: 0.9, detail: {} });

/** A started exam; `violate` reports violations (the second one ends the exam, rule 13). */
async function exam(): Promise<{ socket: CandidateSocket; sessionId: string; token: string; report: (inc: Incident) => Promise<unknown> }> {
  const { token, sessionId } = await h.issueToken();
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'kk' }));
  await h.passPrestart(socket);
  const snap = data(await request<ExamSnapshot>(socket, 'exam:start'));
  let seq = snap.nextSeq - 1;
  const report = (inc: Incident) =>
    request(socket, 'event:log', {
      seq: ++seq,
      id: `ev-${inc.id}`,
      type: 'incident.open',
      at: inc.start + 1_000,
      data: { incident: inc },
    }).then(data);
  return { socket, sessionId, token, report };
}

describe('POST /api/sessions/:id/verdict', () => {
  it('route × role: anonymous 401, candidate 401, proctor 403; reviewer and admin give a verdict', async () => {
    const e = await exam();
    data(await request(e.socket, 'exam:submit'));
    const body = { kind: 'no_violation', comment: 'Seen the whole recording: nothing wrong.' };
    const route = `/api/sessions/${e.sessionId}/verdict`;
    expect((await h.http('POST', route, null, body)).status).toBe(401);
    expect((await h.http('POST', route, e.token, body)).status).toBe(401);
    expect((await h.http('POST', route, await h.staffToken('proctor'), body)).status).toBe(403);
    for (const role of ['reviewer', 'admin'] as const) {
      const res = await h.http('POST', route, await h.staffToken(role), body);
      expect(res.status, role).toBe(200);
      expect((res.body as { data: { verdict: SessionVerdict } }).data.verdict).toMatchObject({ kind: 'no_violation', by: { role } });
    }
    const entries = (await h.store.listEvents(e.sessionId)).filter((x) => x.type === 'review.verdict');
    expect(entries.map((x) => (x.data as { by: { role: string } }).by.role)).toEqual(['reviewer', 'admin']);
    expect(await h.verifyLog(e.sessionId)).toMatchObject({ status: 'intact' });
  });

  it('refuses what does not fit: bad body, unknown incident, a running exam, an overturn of a submitted exam; nothing is logged', async () => {
    const e = await exam();
    const reviewer = await h.staffToken('reviewer');
    const route = `/api/sessions/${e.sessionId}/verdict`;
    const before = (await h.store.listEvents(e.sessionId)).length;
    expect((await h.http('POST', route, reviewer, { kind: 'no_violation', comment: 'x' })).status).toBe(409); // still running
    data(await request(e.socket, 'exam:submit'));
    expect((await h.http('POST', route, reviewer, { kind: 'maybe', comment: 'x' })).status).toBe(400);
    expect((await h.http('POST', route, reviewer, { kind: 'no_violation', comment: '   ' })).status).toBe(400);
    expect((await h.http('POST', route, reviewer, { kind: 'violation_confirmed', incidentIds: [], comment: 'x' })).status).toBe(400);
    expect(
      (await h.http('POST', route, reviewer, { kind: 'violation_confirmed', incidentIds: ['not-an-incident'], comment: 'x' })).status,
    ).toBe(400);
    expect((await h.http('POST', route, reviewer, { kind: 'termination_overturned', comment: 'x' })).status).toBe(409);
    expect(
      (await h.http('POST', '/api/sessions/00000000-0000-4000-8000-000000000000/verdict', reviewer, { kind: 'no_violation', comment: 'x' }))
        .status,
    ).toBe(404);
    const after = await h.store.listEvents(e.sessionId);
    expect(after.filter((x) => x.type === 'review.verdict')).toEqual([]);
    expect(after.length).toBeGreaterThan(before); // the submit, only
    expect(await h.store.getVerdict(e.sessionId)).toBeNull();
  });

  it('"violation confirmed" rests on incidents: in the detail with the lower credibility score, and in the sessions list', async () => {
    const e = await exam();
    const t0 = Date.now();
    const phone = incident('object.phone', t0);
    await e.report(phone);
    data(await request(e.socket, 'exam:submit'));
    const reviewer = await h.staffToken('reviewer');
    const before = (await h.http('GET', `/api/sessions/${e.sessionId}`, reviewer)).body as {
      data: { credibility: Credibility; verdict: SessionVerdict | null };
    };
    expect(before.data.verdict).toBeNull();
    expect(before.data.credibility.score).toBe(80);
    const res = await h.http('POST', `/api/sessions/${e.sessionId}/verdict`, reviewer, {
      kind: 'violation_confirmed',
      incidentIds: [phone.id],
      comment: 'A phone in the hand at 12:03.',
    });
    expect(res.status).toBe(200);
    const detail = (await h.http('GET', `/api/sessions/${e.sessionId}`, reviewer)).body as {
      data: { credibility: Credibility; verdict: SessionVerdict };
    };
    expect(detail.data.verdict).toMatchObject({
      kind: 'violation_confirmed',
      incidentIds: [phone.id],
      comment: 'A phone in the hand at 12:03.',
      by: { name: 'Reviewer Demo' },
    });
    expect(detail.data.credibility).toMatchObject({ score: 70, parts: [{ type: 'object.phone', decision: 'confirmed', points: 30 }] });
    const list = (await h.http('GET', '/api/sessions?size=100', reviewer)).body as { data: SessionListPage };
    const row = list.data.rows.find((s) => s.sessionId === e.sessionId);
    expect(row?.verdict).toBe('violation_confirmed');
    expect(row?.credibility).toBe(detail.data.credibility.score);
  });

  it('overturning an automatic termination makes the session a reschedule task (rule 11), in one logged write', async () => {
    const e = await exam();
    const t0 = Date.now();
    const first = incident('face.multiple', t0);
    const second = incident('object.phone', t0 + 60_000);
    await e.report(first);
    await e.report(second);
    expect((await h.store.getSession(e.sessionId))!.status).toBe('terminated');
    const admin = await h.staffToken('admin');
    const res = await h.http('POST', `/api/sessions/${e.sessionId}/verdict`, admin, {
      kind: 'termination_overturned',
      incidentIds: [second.id],
      comment: 'The "phone" is a calculator case.',
    });
    expect(res.status).toBe(200);
    expect((await h.store.getSession(e.sessionId))!.status).toBe('suspended');
    expect((await rescheduleTasks(h.store)).map((t) => t.sessionId)).toContain(e.sessionId);
    const entry = (await h.store.listEvents(e.sessionId)).at(-1)!;
    expect(entry).toMatchObject({
      type: 'review.verdict',
      data: { kind: 'termination_overturned', overturned: true, incidentIds: [second.id] },
    });
    // Once suspended, it cannot be overturned again: nothing more is written.
    expect(
      (await h.http('POST', `/api/sessions/${e.sessionId}/verdict`, admin, { kind: 'termination_overturned', comment: 'again' })).status,
    ).toBe(409);
    expect(await h.verifyLog(e.sessionId)).toMatchObject({ status: 'intact' });
  });
});
