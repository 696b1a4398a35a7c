/**
 * Accommodations for candidates with disabilities (rules 10-11) on the real centre (SQLite, socket.io, routes): an admin sets a candidate's
 * accommodations with the reason and a document; the exam not started yet is told in its log; the
 * candidate's snapshot carries them and the accommodated settings; the start freezes them and adds the
 * extra time to the deadline the centre enforces; rule 13 at the centre excuses what they allow and
 * nothing else; bad input and the wrong roles are refused with nothing stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_ACCOMMODATIONS, type AccommodationRecord, type Accommodations } from '../shared/accommodations';
import type { AuditView } from '../shared/admin';
import type { Incident, IncidentType } from '../shared/incidents';
import type { DashboardSnapshot, ExamSnapshot } from '../shared/protocol';
import { data, nextEvent, request, startHarness, type CandidateSocket, type Harness } from '../testing/centre-harness';
import { getBytes } from '../testing/procedure-steps';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 9, 9, 9, 9]);
const ASSISTED: Accommodations = {
  ...NO_ACCOMMODATIONS,
  extraTime: { unit: 'percent', value: 50 },
  assistant: { name: 'Ахметова Дана Серікқызы' },
  largeText: true,
};
const REASON = 'Справка МСЭ № 0421, I группа по зрению';
const url = () => `/api/admin/candidates/${h.candidateId}/accommodations`;
const body = <T>(res: { status: number; body: unknown }): T => {
  if (!(res.body && typeof res.body === 'object' && 'data' in res.body)) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { data: T }).data;
};

let seq = 0;
const incident = (type: IncidentType, start: number): Incident => ({
  id: randomBytes(9).toString('base64url'),
  type,
  start,
  end: null,
  confidence: 0.9,
  detail: {},
});
const report = (socket: CandidateSocket, inc: Incident) =>
  request<{ seq: number }>(socket, 'event:log', {
    seq: ++seq,
    id: `ev-${inc.id}`,
    type: 'incident.open',
    at: inc.start + 3_000,
    data: { incident: inc },
  });

async function startedExam(token: string): Promise<{ socket: CandidateSocket; snapshot: ExamSnapshot }> {
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await h.passPrestart(socket);
  const snapshot = data(await request<ExamSnapshot>(socket, 'exam:start'));
  seq = snapshot.nextSeq - 1;
  return { socket, snapshot };
}

describe('accommodations set by an admin (rules 10-11)', () => {
  it('stored with who, when, why and the document; logged in the exam not started yet; shown to the candidate and the proctor', async () => {
    const admin = await h.staffToken('admin');
    const { token, sessionId } = await h.issueToken();
    expect(body(await h.http('GET', url(), admin))).toBeNull();

    const put = await h.http('PUT', url(), admin, {
      accommodations: ASSISTED,
      reason: REASON,
      document: { name: 'mse.png', data: PNG.toString('base64') },
    });
    expect(put.status).toBe(200);
    const { record, exams } = body<{ record: AccommodationRecord; exams: number }>(put);
    expect(exams).toBe(1);
    expect(record).toMatchObject({
      accommodations: ASSISTED,
      reason: REASON,
      setBy: { role: 'admin', name: 'Admin Demo' },
      document: { name: 'mse.png', type: 'image/png', bytes: PNG.byteLength },
    });
    expect(body<AccommodationRecord>(await h.http('GET', url(), admin))).toEqual(record);
    const doc = await getBytes(h, `${url()}/document`, admin);
    expect(doc).toMatchObject({ status: 200, type: 'image/png' });
    expect(createHash('sha256').update(doc.bytes).digest('hex')).toBe(createHash('sha256').update(PNG).digest('hex'));

    // The exam's log says what it will run with, who set it and why; the centre's audit log too.
    const set = (await h.store.listEvents(sessionId)).find((e) => e.type === 'accommodations.set')!;
    expect(set.data).toMatchObject({
      accommodations: ASSISTED,
      reason: REASON,
      documentSha256: record.document!.sha256,
      by: { role: 'admin', name: 'Admin Demo' },
    });
    const audit = body<AuditView[]>(await h.http('GET', `/api/admin/audit?subject=candidate:${h.candidateId}`, admin));
    expect(audit.find((a) => a.action === 'candidate.accommodations')).toMatchObject({
      actor: { role: 'admin' },
      changes: { reason: REASON },
    });

    // The candidate, before the start: the accommodations and the settings rule 13 will use.
    const socket = await h.candidate(token);
    const before = data(await request<ExamSnapshot>(socket, 'exam:choose-language', { language: 'kk' }));
    expect(before.accommodations).toEqual(ASSISTED);
    expect(before.proctoring.config.incidents['face.multiple'].violation).toBe(false);
    expect(before.proctoring.config.incidents['audio.speech'].violation).toBe(false);
    expect(before.proctoring.config.incidents['object.phone'].violation).toBe(true);

    // The proctor's card.
    const proctor = await h.staff(await h.staffToken('proctor'));
    const dashboard = data(await request<DashboardSnapshot>(proctor, 'dashboard:subscribe'));
    expect(dashboard.sessions.find((s) => s.sessionId === sessionId)?.accommodations).toEqual(ASSISTED);
  });

  it('the start freezes them and adds the extra time to the deadline the centre enforces; later changes wait for the next exam', async () => {
    const admin = await h.staffToken('admin');
    body(await h.http('PUT', url(), admin, { accommodations: ASSISTED, reason: REASON }));
    const { token, sessionId } = await h.issueToken();
    const { snapshot } = await startedExam(token);
    // 40 minutes + 50 %: 60 minutes.
    expect(snapshot.durationMinutes).toBe(40);
    expect(snapshot.deadlineAt! - snapshot.startedAt!).toBe(60 * 60_000);
    const applied = (await h.store.listEvents(sessionId)).find((e) => e.type === 'accommodations.applied')!;
    expect(applied.data).toMatchObject({
      accommodations: ASSISTED,
      reason: REASON,
      extraMinutes: 20,
      excused: ['audio.speech', 'face.multiple'],
    });

    // Changed during the exam: the running exam keeps what it started with.
    body(await h.http('PUT', url(), admin, { accommodations: NO_ACCOMMODATIONS, reason: 'отменено' }));
    expect((await h.store.getSession(sessionId))!.accommodations).toEqual(ASSISTED);
    const socket2 = await h.candidate(token);
    const again = data(await request<ExamSnapshot>(socket2, 'exam:resume'));
    expect(again.accommodations).toEqual(ASSISTED);
    expect(again.proctoring.config.incidents['face.multiple'].violation).toBe(false);

    // The centre ends the exam at the extended deadline, not at 40 minutes.
    h.clock.advance(45 * 60_000);
    await new Promise((r) => setTimeout(r, 500)); // two sweeps
    expect((await h.store.getSession(sessionId))!.status).toBe('in_progress');
    h.clock.advance(16 * 60_000);
    await expect.poll(async () => (await h.store.getSession(sessionId))!.status, { timeout: 5_000 }).toBe('submitted');
  });

  it('rule 13 at the centre: with an assistant, a second face and speech are logged and never warn; a phone still warns', async () => {
    body(await h.http('PUT', url(), await h.staffToken('admin'), { accommodations: ASSISTED, reason: REASON }));
    const { token, sessionId } = await h.issueToken();
    const { socket } = await startedExam(token);
    const t0 = Date.now();
    data(await report(socket, incident('face.multiple', t0)));
    data(await report(socket, incident('audio.speech', t0 + 1_000)));
    data(await report(socket, incident('face.multiple', t0 + 2_000)));
    let log = await h.store.listEvents(sessionId);
    expect(log.filter((e) => e.type === 'incident.open')).toHaveLength(3); // seen and kept
    expect(log.filter((e) => e.type === 'policy.warning')).toHaveLength(0);
    expect((await h.store.getSession(sessionId))!.status).toBe('in_progress');

    const warned = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.proctoring.policy.warning !== null);
    data(await report(socket, incident('object.phone', t0 + 3_000)));
    expect((await warned).proctoring.policy.warning).toMatchObject({ type: 'object.phone' });
    log = await h.store.listEvents(sessionId);
    expect(log.filter((e) => e.type === 'policy.warning')).toHaveLength(1);
  });

  it('without accommodations the same second face warns (the control case)', async () => {
    const { token, sessionId } = await h.issueToken();
    const { socket } = await startedExam(token);
    const warned = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.proctoring.policy.warning !== null);
    data(await report(socket, incident('face.multiple', Date.now())));
    expect((await warned).proctoring.policy.warning).toMatchObject({ type: 'face.multiple' });
    expect((await h.store.getSession(sessionId))!.deadlineAt! - (await h.store.getSession(sessionId))!.startedAt!).toBe(40 * 60_000);
    expect((await h.store.listEvents(sessionId)).some((e) => e.type === 'accommodations.applied')).toBe(false);
  });
});

describe('refusals', () => {
  it('bad values, a document that is not a photo or PDF, an unknown candidate: 400/404 with a code, nothing stored', async () => {
    const admin = await h.staffToken('admin');
    const bad = [
      { accommodations: { ...ASSISTED, extraTime: { unit: 'percent', value: 150 } }, reason: REASON },
      { accommodations: { ...ASSISTED, breaks: { count: 0, minutes: 5 } }, reason: REASON },
      { accommodations: ASSISTED, reason: '   ' },
      { accommodations: { ...ASSISTED, braille: true }, reason: REASON },
      { accommodations: ASSISTED, reason: REASON, document: { name: 'x.png', data: 'not base64!' } },
    ];
    for (const b of bad)
      expect((await h.http('PUT', url(), admin, b)).body, JSON.stringify(b)).toMatchObject({ error: { code: 'invalid' } });
    const text = await h.http('PUT', url(), admin, {
      accommodations: ASSISTED,
      reason: REASON,
      document: { name: 'x.png', data: Buffer.from('plain text').toString('base64') },
    });
    expect(text).toMatchObject({ status: 400, body: { error: { code: 'invalid', reason: 'not_a_certificate_file' } } });
    expect(
      await h.http('PUT', '/api/admin/candidates/00000000-0000-4000-8000-000000000000/accommodations', admin, {
        accommodations: ASSISTED,
        reason: REASON,
      }),
    ).toMatchObject({ status: 404 });
    expect(await h.store.getAccommodations(h.candidateId)).toBeNull();
  });

  it('only an admin reads and sets them: 401 without a log-in, 403 for other staff and the candidate', async () => {
    const { token } = await h.issueToken();
    const routes = [
      { method: 'GET', path: url() },
      { method: 'PUT', path: url(), body: { accommodations: ASSISTED, reason: REASON } },
      { method: 'GET', path: `${url()}/document` },
    ];
    for (const r of routes) {
      expect((await h.http(r.method, r.path, null, r.body)).status, `${r.method} ${r.path} anonymous`).toBe(401);
      expect((await h.http(r.method, r.path, token, r.body)).status, `${r.method} ${r.path} candidate`).toBe(401);
      for (const role of ['proctor', 'reviewer'] as const)
        expect((await h.http(r.method, r.path, await h.staffToken(role), r.body)).status, `${r.method} ${r.path} ${role}`).toBe(403);
    }
    expect(await h.store.getAccommodations(h.candidateId)).toBeNull();
  });
});
