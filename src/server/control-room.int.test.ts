/**
 * The control room at the centre: the proctor's decisions and actions, each reaching the candidate and
 * logged with who, when and why in the hash-chained log; thumbnails and the live camera's
 * signalling relayed only while a proctor watches; reviewers and candidates refused. Real
 * SQLite, real socket.io clients.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem, ThumbRequest } from '../shared/control-room';
import type { Incident, IncidentType } from '../shared/incidents';
import type { DashboardSnapshot, ExamSnapshot, LiveSession, Response, SessionDetail } from '../shared/protocol';
import { FIXTURES } from '../testing/chromium';
import {
  data,
  nextEvent,
  request,
  startHarness,
  waitUntil,
  type CandidateSocket,
  type Harness,
  type StaffSocket,
} from '../testing/centre-harness';
import { ENROLMENT_IDENTITY } from '../testing/prestart-steps';
import { rescheduleTasks } from './reschedule-routes';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function startedExam(): Promise<{
  socket: CandidateSocket;
  snapshot: ExamSnapshot;
  sessionId: string;
  token: string;
  seq: () => number;
}> {
  const { token, sessionId } = await h.issueToken();
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'ru' }));
  await h.passPrestart(socket);
  const snapshot = data(await request<ExamSnapshot>(socket, 'exam:start'));
  let seq = snapshot.nextSeq - 1;
  return { socket, snapshot, sessionId, token, seq: () => ++seq };
}

const newId = () => randomBytes(9).toString('base64url');
function incident(type: IncidentType, start: number, end: number | null = null): Incident {
  return { id: newId(), type, start, end, confidence: 0.87, detail: {} };
}
function report(socket: CandidateSocket, seq: number, inc: Incident) {
  return request<{ seq: number }>(socket, 'event:log', {
    seq,
    id: `ev-${inc.id}-${inc.end === null ? 'open' : 'close'}`,
    type: inc.end === null ? 'incident.open' : 'incident.close',
    at: inc.start + 3_000,
    data: { incident: inc },
  });
}
async function proctor(): Promise<StaffSocket> {
  const socket = await h.staff(await h.staffToken('proctor'));
  data(await request<DashboardSnapshot>(socket, 'dashboard:subscribe', {}));
  return socket;
}
const act = (socket: StaffSocket, sessionId: string, action: unknown) => request<LiveSession>(socket, 'proctor:act', { sessionId, action });
const errorCode = (r: Response<unknown>) => ('error' in r ? r.error.code : 'ok');
async function logTypes(sessionId: string) {
  return (await h.store.listEvents(sessionId)).map((e) => e.type);
}
async function lastEvent(sessionId: string, type: string) {
  return (await h.store.listEvents(sessionId)).filter((e) => e.type === type).at(-1);
}

describe('incident decisions (rule 13 with people in control)', () => {
  it('the queue lists incidents with rule, confidence and candidate; a dismissed first violation means the next one warns instead of ending', async () => {
    const p = await proctor();
    const { socket, sessionId, seq } = await startedExam();
    const t0 = Date.now();
    const first = incident('face.multiple', t0);
    const queued = nextEvent<QueueItem>(p, 'queue:item', (i) => i.incidentId === first.id);
    const warned = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.proctoring.policy.warning?.incidentId === first.id);
    data(await report(socket, seq(), first));
    await warned;
    const item = await queued;
    expect(item).toMatchObject({
      sessionId,
      type: 'face.multiple',
      rule: '13',
      confidence: 0.87,
      violation: true,
      review: null,
      candidateName: 'Сейтқали Айгерім Нұрланқызы',
    });

    // Dismissed: the warning is withdrawn at the centre and in the browser's state.
    const withdrawn = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.proctoring.policy.warning === null);
    const decided = data(
      await request<QueueItem>(p, 'incident:decide', {
        sessionId,
        incidentId: first.id,
        decision: 'dismiss',
        comment: 'a photo on the wall',
      }),
    );
    expect(decided.review).toMatchObject({
      decision: 'dismissed',
      comment: 'a photo on the wall',
      by: { name: 'Proctor Demo', role: 'proctor' },
    });
    expect((await withdrawn).proctoring.policy.dismissed).toContain(first.id);
    expect(await lastEvent(sessionId, 'incident.dismissed')).toMatchObject({
      data: { incidentId: first.id, warningWithdrawn: true, by: { name: 'Proctor Demo' } },
    });

    // The next violation warns (it would have ended the exam without the dismissal).
    const second = incident('object.phone', t0 + 60_000);
    data(await report(socket, seq(), second));
    const s = (await h.store.getSession(sessionId))!;
    expect(s.status).toBe('in_progress');
    expect(s.policy?.warning?.incidentId).toBe(second.id);

    // Confirmed: stands as decided, logged with who; the third violation ends the exam.
    data(await request(p, 'incident:decide', { sessionId, incidentId: second.id, decision: 'confirm' }));
    expect(await lastEvent(sessionId, 'incident.confirmed')).toMatchObject({ data: { incidentId: second.id, comment: null } });
    data(await report(socket, seq(), incident('face.absent', t0 + 120_000)));
    expect((await h.store.getSession(sessionId))!.status).toBe('terminated');
    expect(await h.verifyLog(sessionId)).toMatchObject({ status: 'intact', badCheckpointLines: 0 });
  });

  it('an exam ended on a dismissed incident can be reinstated with the time it had left; not before the dismissal', async () => {
    const p = await proctor();
    const { socket, sessionId, seq } = await startedExam();
    const t0 = Date.now();
    const first = incident('face.multiple', t0);
    const second = incident('object.phone', t0 + 60_000);
    data(await report(socket, seq(), first));
    data(await report(socket, seq(), second));
    const ended = (await h.store.getSession(sessionId))!;
    expect(ended.status).toBe('terminated');
    const leftAtEnd = ended.deadlineAt! - ended.finishedAt!;

    const refused = await act(p, sessionId, { kind: 'reinstate', reason: 'the phone was a calculator case' });
    expect(refused).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/dismiss/) } });

    data(
      await request(p, 'incident:decide', { sessionId, incidentId: second.id, decision: 'dismiss', comment: 'a calculator case, allowed' }),
    );
    const detail = data(await request<SessionDetail>(p, 'session:detail', { sessionId }));
    expect(detail.reinstatableMs).toBe(leftAtEnd);
    const resumed = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.status === 'in_progress');
    h.clock.advance(5_000);
    const card = data(await act(p, sessionId, { kind: 'reinstate', reason: 'the phone was a calculator case' }));
    expect(card.status).toBe('in_progress');
    const snap = await resumed;
    expect(snap.deadlineAt! - snap.serverNow).toBeGreaterThan(leftAtEnd - 2_000);
    expect(snap.result).toBeNull();
    expect(snap.notes.map((n) => n.kind)).toContain('reinstated');
    expect(snap.proctoring.policy.outcome).toBe('active');
    expect(await lastEvent(sessionId, 'exam.reinstated')).toMatchObject({
      data: { leftMs: leftAtEnd, previousStatus: 'terminated', by: { name: 'Proctor Demo' } },
    });
    // Answers are taken again.
    const q = snap.questions[0]!;
    expect(errorCode(await request(socket, 'answer:save', { questionId: q.id, optionIds: [q.options[0]!.id], rev: 5 }))).toBe('ok');
  });
});

describe("the proctor's actions reach the candidate and are logged", () => {
  it('message: a note in the snapshot until acknowledged, with the reply logged', async () => {
    const p = await proctor();
    const { socket, sessionId } = await startedExam();
    const pushed = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.notes.length === 1);
    const t = Date.now();
    data(await act(p, sessionId, { kind: 'message', text: 'Please move the lamp: your face is dark.' }));
    const snap = await pushed;
    expect(Date.now() - t).toBeLessThan(1_000);
    const note = snap.notes[0]!;
    expect(note).toMatchObject({ kind: 'message', text: 'Please move the lamp: your face is dark.' });
    // A reload sees it too.
    expect(data(await request<ExamSnapshot>(socket, 'exam:resume')).notes).toHaveLength(1);
    const acked = data(await request<ExamSnapshot>(socket, 'note:ack', { id: note.id, reply: 'Done' }));
    expect(acked.notes).toHaveLength(0);
    data(await request(socket, 'note:ack', { id: note.id, reply: 'again' })); // a resend: logged once
    const types = await logTypes(sessionId);
    expect(types.filter((x) => x === 'note.acknowledged')).toHaveLength(1);
    expect(await lastEvent(sessionId, 'note.acknowledged')).toMatchObject({ data: { noteId: note.id, kind: 'message', reply: 'Done' } });
    const detail = data(await request<SessionDetail>(p, 'session:detail', { sessionId }));
    expect(detail.notes[0]).toMatchObject({ id: note.id, reply: 'Done' });
    expect(detail.notes[0]!.acknowledgedAt).not.toBeNull();
    expect(errorCode(await request(socket, 'note:ack', { id: 'note-unknown1' }))).toBe('not_found');
  });

  it('warn counts exactly like an automatic warning: the next violation ends the exam; a second manual warning is refused', async () => {
    const p = await proctor();
    const { socket, sessionId, seq } = await startedExam();
    const warned = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.proctoring.policy.warning !== null);
    data(await act(p, sessionId, { kind: 'warn', incidentType: 'audio.speech', reason: 'talking to someone off camera' }));
    const snap = await warned;
    expect(snap.proctoring.policy.warning).toMatchObject({ type: 'audio.speech' });
    expect(snap.notes.at(-1)).toMatchObject({
      kind: 'warning',
      incidentType: 'audio.speech',
      rule: '13',
      text: 'talking to someone off camera',
    });
    expect(await lastEvent(sessionId, 'policy.warning')).toMatchObject({
      data: { manual: true, rule: '13', type: 'audio.speech', by: { name: 'Proctor Demo' } },
    });
    expect(errorCode(await act(p, sessionId, { kind: 'warn', incidentType: 'audio.speech', reason: 'again' }))).toBe('conflict');
    data(await report(socket, seq(), incident('face.multiple', Date.now() + 60_000)));
    expect((await h.store.getSession(sessionId))!.status).toBe('terminated');
  });

  it('pause stops the timer (answers wait, no time-out), resume moves the deadline on; add time with a reason', async () => {
    const p = await proctor();
    const { socket, snapshot, sessionId } = await startedExam();
    const deadline = snapshot.deadlineAt!;
    const paused = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.paused !== null);
    data(await act(p, sessionId, { kind: 'pause', reason: 'checking the room' }));
    expect((await paused).paused).toMatchObject({ reason: 'checking the room' });
    const q = snapshot.questions[0]!;
    expect(errorCode(await request(socket, 'answer:save', { questionId: q.id, optionIds: [q.options[0]!.id], rev: 1 }))).toBe('paused');
    expect(errorCode(await act(p, sessionId, { kind: 'pause', reason: 'twice' }))).toBe('conflict');

    // The whole exam's time passes while paused: nothing times out.
    h.clock.advance(41 * 60_000);
    await new Promise((r) => setTimeout(r, 600));
    expect((await h.store.getSession(sessionId))!.status).toBe('in_progress');

    const resumed = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.paused === null);
    data(await act(p, sessionId, { kind: 'resume' }));
    const after = await resumed;
    expect(after.deadlineAt! - deadline).toBeGreaterThanOrEqual(41 * 60_000);
    expect(errorCode(await request(socket, 'answer:save', { questionId: q.id, optionIds: [q.options[0]!.id], rev: 2 }))).toBe('ok');

    data(await act(p, sessionId, { kind: 'add-time', minutes: 10, reason: 'camera froze for a while' }));
    expect((await h.store.getSession(sessionId))!.deadlineAt).toBe(after.deadlineAt! + 10 * 60_000);
    const types = await logTypes(sessionId);
    expect(types).toEqual(expect.arrayContaining(['exam.paused', 'exam.resumed', 'exam.time_added']));
    expect(await lastEvent(sessionId, 'exam.time_added')).toMatchObject({
      data: { minutes: 10, reason: 'camera froze for a while', by: { role: 'proctor' } },
    });
  });

  it('end with a reason: a violation terminates (rule 13), a technical fault suspends for rescheduling (rule 11)', async () => {
    const p = await proctor();
    const a = await startedExam();
    const ended = nextEvent<ExamSnapshot>(a.socket, 'exam:state', (s) => s.status === 'terminated');
    data(await act(p, a.sessionId, { kind: 'end', cause: 'violation', reason: 'a second person dictated answers' }));
    expect((await ended).notes.at(-1)).toMatchObject({ kind: 'end', outcome: 'violation' });
    expect(await lastEvent(a.sessionId, 'policy.terminated')).toMatchObject({
      data: { manual: true, rule: '13', reason: 'a second person dictated answers' },
    });

    const b = await startedExam();
    data(await act(p, b.sessionId, { kind: 'end', cause: 'technical', reason: 'power cut in the room' }));
    expect((await h.store.getSession(b.sessionId))!.status).toBe('suspended');
    expect((await rescheduleTasks(h.store)).map((t) => t.sessionId)).toContain(b.sessionId);
    expect(errorCode(await act(p, b.sessionId, { kind: 'end', cause: 'technical', reason: 'again' }))).toBe('conflict');
  });

  it('identity locked after five tries: the proctor sees both photos and approves, and the candidate goes on; a rejection stops further tries', async () => {
    const p = await proctor();
    await h.setSteps({ identity: true });
    const reference = new Uint8Array(readFileSync(path.join(FIXTURES, 'reference.jpg')));
    const admin = await h.staffToken('admin');
    const up = await fetch(`${h.url}/api/candidates/${h.candidateId}/reference-photo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'image/jpeg' },
      body: reference,
    });
    expect(up.status).toBe(200);

    for (const decision of ['approve', 'reject'] as const) {
      const { token, sessionId } = await h.issueToken();
      const socket = await h.candidate(token);
      data(await request(socket, 'exam:choose-language', { language: 'kk' }));
      await h.store.updatePrestart(sessionId, { identity: { verifiedAt: null, similarity: 0.41, attempts: 5, reference: 'file' } });
      const card = data(await request<DashboardSnapshot>(p, 'dashboard:subscribe', {})).sessions.find((s) => s.sessionId === sessionId)!;
      expect(card).toMatchObject({ identityLocked: true, stage: 'system-check', colour: 'attention' });
      // The proctor may see the reference while the session is live.
      const photo = await fetch(`${h.url}/api/sessions/${sessionId}/identity/reference`, {
        headers: { authorization: `Bearer ${await h.staffToken('proctor')}` },
      });
      expect(photo.status).toBe(200);
      expect(photo.headers.get('cache-control')).toBe('no-store');

      const pushed = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.prestart.identity.decision !== null);
      data(await act(p, sessionId, { kind: 'identity', decision, reason: 'same person as the ID card shown to the camera' }));
      const snap = await pushed;
      if (decision === 'approve') {
        expect(snap.prestart.identity.verifiedAt).not.toBeNull();
        expect(await lastEvent(sessionId, 'identity.approved')).toMatchObject({ data: { attempts: 5, by: { name: 'Proctor Demo' } } });
      } else {
        expect(snap.prestart.identity).toMatchObject({ verifiedAt: null, decision: 'rejected' });
        expect(snap.contact.phone).toBeTruthy();
        expect(snap.reference).toMatch(/^[0-9A-F]{8}$/);
        const retry = await request(socket, 'identity:verify', ENROLMENT_IDENTITY);
        expect(errorCode(retry)).toBe('closed');
      }
      expect(errorCode(await act(p, sessionId, { kind: 'identity', decision: 'approve', reason: 'twice' }))).toBe('conflict');
    }
  });
});

describe('thumbnails, signals and the live camera are relayed only while a proctor watches', () => {
  const jpeg = () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...randomBytes(600), 0xff, 0xd9]);

  it('watching a card asks for thumbnails, relays them to that proctor, and stops when the card leaves the screen', async () => {
    const p = await proctor();
    const { socket, sessionId } = await startedExam();
    // Nobody watches: a frame is dropped, not relayed.
    expect(data(await request<{ relayed: number }>(socket, 'thumb:frame', { jpeg: jpeg() }))).toEqual({ relayed: 0 });

    const asked = nextEvent<ThumbRequest>(socket, 'thumbs:set', (r) => r.intervalMs > 0);
    data(await request(p, 'cards:watch', { sessionIds: [sessionId], detail: null }));
    expect(await asked).toEqual({ intervalMs: 4_000, signals: false });
    const thumb = nextEvent<{ sessionId: string; jpeg: ArrayBuffer }>(p, 'thumb');
    expect(data(await request<{ relayed: number }>(socket, 'thumb:frame', { jpeg: jpeg() }))).toEqual({ relayed: 1 });
    expect((await thumb).sessionId).toBe(sessionId);
    // Faster than the centre asked: dropped.
    expect(data(await request<{ relayed: number }>(socket, 'thumb:frame', { jpeg: jpeg() }))).toEqual({ relayed: 0 });

    const detail = nextEvent<ThumbRequest>(socket, 'thumbs:set', (r) => r.signals);
    data(await request(p, 'cards:watch', { sessionIds: [sessionId], detail: sessionId }));
    expect(await detail).toEqual({ intervalMs: 1_000, signals: true });
    h.clock.advance(1_000);
    const signals = nextEvent<{ sessionId: string; samples: unknown[] }>(p, 'signals');
    data(
      await request(socket, 'thumb:frame', {
        jpeg: jpeg(),
        samples: [{ t: Date.now(), faces: 1, yaw: 4, pitch: -3, levelDb: -55, speech: 0.1 }],
      }),
    );
    expect((await signals).samples).toHaveLength(1);
    expect(data(await request<SessionDetail>(p, 'session:detail', { sessionId })).signals).toHaveLength(1);

    const stopped = nextEvent<ThumbRequest>(socket, 'thumbs:set', (r) => r.intervalMs === 0);
    data(await request(p, 'cards:watch', { sessionIds: [], detail: null }));
    await stopped;

    // Too large, not a JPEG, or not binary: a clear refusal, nothing relayed.
    expect(errorCode(await request(socket, 'thumb:frame', { jpeg: new Uint8Array(20 * 1024).fill(0xff) }))).toBe('invalid');
    expect(errorCode(await request(socket, 'thumb:frame', { jpeg: 'not binary' }))).toBe('invalid');
  });

  it('the live camera: signalling is relayed both ways, only for the proctor who opened it, and who watched when is logged', async () => {
    const p = await proctor();
    const other = await h.staff(await h.staffToken('admin'));
    const { socket, sessionId } = await startedExam();
    const started = nextEvent<{ iceServers: unknown[] }>(socket, 'live:start');
    expect(data(await request(p, 'live:open', { sessionId }))).toEqual({ iceServers: [] });
    expect(await started).toEqual({ iceServers: [] });

    const offer = { description: { type: 'offer', sdp: 'v=0\r\n' } };
    const atProctor = nextEvent<{ sessionId: string; signal: unknown }>(p, 'live:signal');
    data(await request(socket, 'live:signal', { signal: offer }));
    expect(await atProctor).toEqual({ sessionId, signal: offer });
    const answer = { description: { type: 'answer', sdp: 'v=0\r\n' } };
    const atCandidate = nextEvent<unknown>(socket, 'live:signal');
    data(await request(p, 'live:signal', { sessionId, signal: answer }));
    expect(await atCandidate).toEqual(answer);
    // Another staff member who did not open it cannot inject signalling.
    expect(errorCode(await request(other, 'live:signal', { sessionId, signal: answer }))).toBe('conflict');
    expect(errorCode(await request(p, 'live:signal', { sessionId, signal: { description: { type: 'rollback', sdp: '' } } }))).toBe(
      'invalid',
    );

    const stopped = nextEvent<void>(socket, 'live:stop');
    data(await request(p, 'live:close', { sessionId }));
    await stopped;
    const types = await logTypes(sessionId);
    expect(types).toEqual(expect.arrayContaining(['live.opened', 'live.closed']));
    expect(await lastEvent(sessionId, 'live.opened')).toMatchObject({ data: { by: { name: 'Proctor Demo' } } });
    expect(errorCode(await request(socket, 'live:signal', { signal: offer }))).toBe('conflict');
  });

  it("the candidate's link dropping or being replaced closes the live camera for the proctor (no frozen picture shown as live), with the reason logged", async () => {
    const p = await proctor();
    const { socket, sessionId, token } = await startedExam();
    data(await request(p, 'live:open', { sessionId }));
    const dropped = nextEvent<{ sessionId: string; reason: string }>(p, 'live:closed');
    socket.disconnect();
    expect(await dropped).toEqual({ sessionId, reason: 'the candidate lost the connection' });
    await waitUntil(async () => (await lastEvent(sessionId, 'live.closed')) !== undefined, 5_000, 'live.closed logged');
    expect((await lastEvent(sessionId, 'live.closed'))!.data).toMatchObject({
      reason: 'the candidate lost the connection',
      by: { name: 'Proctor Demo' },
    });

    // Back on a new link, the proctor opens it again; a second tab with the same link replaces the first and closes it too.
    await h.candidate(token);
    data(await request(p, 'live:open', { sessionId }));
    const replaced = nextEvent<{ sessionId: string; reason: string }>(p, 'live:closed');
    await h.candidate(token);
    expect(await replaced).toEqual({ sessionId, reason: 'the candidate reconnected' });
    await waitUntil(
      async () => (await h.store.listEvents(sessionId)).filter((e) => e.type === 'live.closed').length === 2,
      5_000,
      'second live.closed logged',
    );
  });
});

describe('who may do what', () => {
  it('every control-room command is refused for reviewers; candidates cannot reach the staff namespace; bad payloads get a clear error', async () => {
    const { socket, sessionId } = await startedExam();
    const reviewer = await h.staff(await h.staffToken('reviewer'));
    const commands: Array<[string, unknown]> = [
      ['dashboard:subscribe', {}],
      ['cards:watch', { sessionIds: [sessionId], detail: null }],
      ['session:detail', { sessionId }],
      ['incident:decide', { sessionId, incidentId: 'abcdefgh', decision: 'dismiss' }],
      ['proctor:act', { sessionId, action: { kind: 'message', text: 'hi' } }],
      ['proctor:act', { sessionId, action: { kind: 'end', cause: 'violation', reason: 'reviewer tries' } }],
      ['live:open', { sessionId }],
      ['live:signal', { sessionId, signal: { description: { type: 'answer', sdp: 'x' } } }],
      ['live:close', { sessionId }],
    ];
    for (const [event, payload] of commands)
      expect(`${event}: ${errorCode(await request(reviewer, event, payload))}`).toBe(`${event}: forbidden`);
    expect((await h.store.getSession(sessionId))!.status).toBe('in_progress');

    // A candidate's exam token is not a staff log-in; the staff commands do not exist on the candidate namespace.
    const { token } = await h.issueToken();
    await expect(h.staff(token)).rejects.toThrow(/unauthorised/);
    expect(errorCode(await request(socket, 'proctor:act', { sessionId, action: { kind: 'resume' } }))).toBe('unknown_command');

    const p = await proctor();
    const bad: Array<[string, unknown, RegExp]> = [
      ['proctor:act', { sessionId, action: { kind: 'add-time', minutes: 0, reason: 'none' } }, /minutes/],
      ['proctor:act', { sessionId, action: { kind: 'add-time', minutes: 10, reason: '' } }, /reason/],
      ['proctor:act', { sessionId, action: { kind: 'fly' } }, /kind/],
      ['proctor:act', { sessionId: 'not-a-uuid', action: { kind: 'resume' } }, /sessionId/],
      ['incident:decide', { sessionId, incidentId: 'abcdefgh', decision: 'maybe' }, /decision/],
      ['cards:watch', { sessionIds: Array(201).fill(sessionId), detail: null }, /sessionIds/],
    ];
    for (const [event, payload, field] of bad) {
      const r = await request(p, event, payload);
      expect(r).toMatchObject({ error: { code: 'invalid', message: expect.stringMatching(field) } });
    }
    expect(errorCode(await request(p, 'incident:decide', { sessionId, incidentId: 'abcdefgh', decision: 'dismiss' }))).toBe('not_found');
    expect(
      errorCode(await request(p, 'proctor:act', { sessionId: '00000000-0000-4000-8000-000000000000', action: { kind: 'resume' } })),
    ).toBe('not_found');
    expect(await h.verifyLog(sessionId)).toMatchObject({ status: 'intact', badCheckpointLines: 0 });
  });

  it("a proctor's sockets stop receiving at log-out", async () => {
    const token = await h.staffToken('proctor');
    const p = await h.staff(token);
    data(await request(p, 'dashboard:subscribe', {}));
    const told = nextEvent<void>(p, 'staff:logged-out');
    const gone = new Promise<void>((resolve) => p.once('disconnect', () => resolve()));
    expect((await h.http('POST', '/api/staff/logout', token, {})).status).toBe(200);
    await told;
    await gone;
  });

  it('admins assign sessions to a proctor within the limit; the card names the proctor; proctors cannot assign', async () => {
    const admin = await h.staffToken('admin');
    const users = (await h.http<Array<{ id: string; role: string; assigned: number; limit: number }>>('GET', '/api/staff-users', admin))
      .body;
    const proctorUser = ('data' in users ? users.data : []).find((u) => u.role === 'proctor')!;
    expect(proctorUser).toMatchObject({ assigned: 0, limit: 30 });
    const links = [await h.issueToken(), await h.issueToken()];
    const r = await h.http<{ assigned: number }>('POST', '/api/assignments', admin, {
      proctorId: proctorUser.id,
      sessionIds: links.map((l) => l.sessionId),
    });
    expect(r.body).toEqual({ data: { assigned: 2, sessions: 2 } });
    const p = await proctor();
    const snap = data(await request<DashboardSnapshot>(p, 'dashboard:subscribe', { scope: 'mine' }));
    expect(snap.sessions.filter((s) => s.assignedTo?.userId === proctorUser.id)).toHaveLength(2);
    expect(await lastEvent(links[0]!.sessionId, 'session.assigned')).toMatchObject({
      data: { proctor: { name: 'Proctor Demo' }, by: { role: 'admin' } },
    });

    // A programme and day at once.
    const day = new Date(Date.now() + 5 * 3600_000).toISOString().slice(0, 10);
    const third = await h.issueToken();
    expect((await h.http('POST', '/api/assignments', admin, { proctorId: proctorUser.id, programmeId: h.programmeId, day })).body).toEqual({
      data: { assigned: 1, sessions: 3 },
    });
    expect((await h.store.getSession(third.sessionId))!.assignedTo).toBe(proctorUser.id);

    // Over the limit: refused, nothing changed.
    const many = await Promise.all(Array.from({ length: 28 }, () => h.issueToken()));
    const over = await h.http('POST', '/api/assignments', admin, { proctorId: proctorUser.id, sessionIds: many.map((l) => l.sessionId) });
    expect(over.status).toBe(409);
    expect((await h.store.getSession(many[0]!.sessionId))!.assignedTo).toBeNull();

    expect(
      (await h.http('POST', '/api/assignments', await h.staffToken('proctor'), { proctorId: null, sessionIds: [third.sessionId] })).status,
    ).toBe(403);
    expect((await h.http('POST', '/api/assignments', admin, { proctorId: proctorUser.id })).status).toBe(400);
  });
});
