/**
 * The centre re-applies rule 13 (warning, then termination) and rule 11 (technical fault →
 * suspension) to the incidents a browser reports, keeps evidence, and lets only staff see it.
 * Real SQLite, real socket.io.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident, IncidentType } from '../shared/incidents';
import type { ExamSnapshot, FeedEvent } from '../shared/protocol';
import { data, nextEvent, request, startHarness, waitUntil, type CandidateSocket, type Harness } from '../testing/centre-harness';
import { MjpegClip } from '../testing/mjpeg';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function startedExam(): Promise<{ socket: CandidateSocket; snapshot: ExamSnapshot; sessionId: string }> {
  const { token, sessionId } = await h.issueToken();
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'kk' }));
  await h.passPrestart(socket);
  const snapshot = data(await request<ExamSnapshot>(socket, 'exam:start'));
  return { socket, snapshot, sessionId };
}

let seq = 0;
const id = () => randomBytes(9).toString('base64url');
function incident(type: IncidentType, start: number, end: number | null = null): Incident {
  return { id: id(), type, start, end, confidence: 0.9, detail: { faces: 2 } };
}
async function report(socket: CandidateSocket, kind: 'open' | 'close', inc: Incident, at = inc.end ?? inc.start + 3_000, sameSeq?: number) {
  return request<{ seq: number; duplicate: boolean }>(socket, 'event:log', {
    seq: sameSeq ?? ++seq,
    id: `ev-${inc.id}-${kind}`,
    type: `incident.${kind}`,
    at,
    data: { incident: inc },
  });
}

describe('rule 13 at the centre', () => {
  it('warns on the first violation, ends the exam on a repeat, and logs both with the incidents behind them', async () => {
    const { socket, snapshot, sessionId } = await startedExam();
    seq = snapshot.nextSeq - 1;
    expect(snapshot.proctoring.policy).toEqual({ outcome: 'active', warning: null, judged: [], pending: [], dismissed: [] });
    expect(snapshot.proctoring.config.incidents['face.multiple'].violation).toBe(true);

    const t0 = Date.now();
    const first = incident('face.multiple', t0);
    const warned = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.proctoring.policy.warning !== null);
    data(await report(socket, 'open', first));
    const afterWarning = await warned;
    expect(afterWarning.status).toBe('in_progress');
    expect(afterWarning.proctoring.policy.warning).toMatchObject({ incidentId: first.id, type: 'face.multiple' });

    // A resend of the same report (lost ack) is judged once: no termination.
    data(await report(socket, 'open', first, undefined, seq));
    expect((await h.store.getSession(sessionId))!.status).toBe('in_progress');

    // Within the grace after the warning (15 s by default) and over before it ends: logged, not counted.
    const glance = incident('head.away', t0 + 10_000);
    data(await report(socket, 'open', glance));
    data(await report(socket, 'close', { ...glance, end: t0 + 12_000 }));
    data(await report(socket, 'close', { ...first, end: t0 + 5_000 }));
    expect((await h.store.getSession(sessionId))!.status).toBe('in_progress');

    const ended = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.status === 'terminated');
    const second = incident('object.phone', t0 + 60_000);
    data(await report(socket, 'open', second));
    const final = await ended;
    expect(final.proctoring.policy.outcome).toBe('terminated');
    expect(final.result).toMatchObject({ admitted: false, finishedBy: 'terminated' });

    const types = (await h.store.listEvents(sessionId)).map((e) => e.type);
    expect(types.filter((t) => t === 'policy.warning')).toHaveLength(1);
    expect(types.filter((t) => t === 'policy.terminated')).toHaveLength(1);
    const terminated = (await h.store.listEvents(sessionId)).find((e) => e.type === 'policy.terminated')!;
    expect(terminated.data).toMatchObject({ incidentId: second.id, warningIncidentId: first.id, rule: '13', type: 'object.phone' });
    // Nothing more is accepted into a finished exam's answers.
    expect(await request(socket, 'answer:save', { questionId: final.questions[0]?.id ?? 'q', optionIds: [], rev: 1 })).toMatchObject({
      error: {},
    });
  });

  it('a warned violation that goes on past the grace is the repeat, even with the browser silent', async () => {
    const { socket, snapshot, sessionId } = await startedExam();
    seq = snapshot.nextSeq - 1;
    const phone = incident('object.phone', Date.now());
    data(await report(socket, 'open', phone, phone.start + 2_000));
    expect((await h.store.getSession(sessionId))!.policy?.warning?.incidentId).toBe(phone.id);
    const ended = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.status === 'terminated');
    h.clock.advance(20_000); // past warning (start + 2 s) + 15 s grace, on the browser's clock
    await ended;
    const terminated = (await h.store.listEvents(sessionId)).find((e) => e.type === 'policy.terminated')!;
    expect(terminated.data).toMatchObject({ incidentId: phone.id, warningIncidentId: phone.id });
  });

  it('never counts a non-violation, and observe mode counts nothing', async () => {
    const { socket, snapshot, sessionId } = await startedExam();
    seq = snapshot.nextSeq - 1;
    const t0 = Date.now();
    data(await report(socket, 'open', incident('body.motion', t0)));
    data(await report(socket, 'open', incident('audio.noise', t0 + 30_000)));
    expect((await h.store.getSession(sessionId))!.policy?.warning).toBeNull();

    const admin = await h.staffToken('admin');
    expect((await h.http('PUT', `/api/programmes/${h.programmeId}/proctoring`, admin, { observe: true })).status).toBe(200);
    data(await report(socket, 'open', incident('face.multiple', t0 + 60_000)));
    data(await report(socket, 'open', incident('face.absent', t0 + 120_000)));
    const s = (await h.store.getSession(sessionId))!;
    expect(s.status).toBe('in_progress');
    expect(s.policy?.warning).toBeNull();
  });

  it('suspends as a technical fault (rule 11) when a technical incident goes on too long, even with the browser silent', async () => {
    const { socket, snapshot, sessionId } = await startedExam();
    seq = snapshot.nextSeq - 1;
    const lost = incident('tech.camera_lost', Date.now());
    data(await report(socket, 'open', lost, lost.start + 2_000));
    expect((await h.store.getSession(sessionId))!.policy?.watched[lost.id]).toBeDefined();
    const suspended = nextEvent<ExamSnapshot>(socket, 'exam:state', (s) => s.status === 'suspended');
    h.clock.advance(121_000); // the sweeper judges it on the browser's clock
    const final = await suspended;
    expect(final.result).toBeNull();
    const event = (await h.store.listEvents(sessionId)).find((e) => e.type === 'policy.suspended')!;
    expect(event.data).toMatchObject({ incidentId: lost.id, rule: '11', type: 'tech.camera_lost' });
  });

  it('a technical incident that ends in time is logged and changes nothing', async () => {
    const { socket, snapshot, sessionId } = await startedExam();
    seq = snapshot.nextSeq - 1;
    const t0 = Date.now();
    const lost = incident('tech.mic_lost', t0);
    data(await report(socket, 'open', lost, t0 + 2_000));
    data(await report(socket, 'close', { ...lost, end: t0 + 30_000 }));
    const s = (await h.store.getSession(sessionId))!;
    expect(s.status).toBe('in_progress');
    expect(s.policy?.watched).toEqual({});
  });

  it('refuses malformed incident reports with a clear error and stores nothing', async () => {
    const { socket, snapshot, sessionId } = await startedExam();
    const before = (await h.store.listEvents(sessionId)).length;
    const base = { seq: snapshot.nextSeq, id: 'bad-report-1', at: Date.now() };
    const inc = incident('face.absent', Date.now());
    const bad = [
      { ...base, type: 'incident.open', data: { incident: { ...inc, type: 'face.invisible' } } },
      { ...base, type: 'incident.open', data: { incident: { ...inc, end: inc.start + 10 } } },
      { ...base, type: 'incident.close', data: { incident: inc } },
      { ...base, type: 'incident.open', data: { incident: { ...inc, confidence: 3 } } },
      { ...base, type: 'incident.open', data: { incident: { ...inc, start: inc.start, end: null, detail: { x: { nested: 1 } } } } },
      { ...base, type: 'incident.close', data: { incident: { ...inc, end: inc.start - 1 } } },
    ];
    for (const payload of bad) expect(await request(socket, 'event:log', payload)).toMatchObject({ error: { code: 'invalid' } });
    expect(await h.store.listEvents(sessionId)).toHaveLength(before);
  });
});

describe('evidence snapshots', () => {
  // Real photos: the centre keeps evidence only when it decodes as an image (FF D8 + anything is refused).
  const clip = new MjpegClip('same-person-6s.mjpeg');
  const jpeg = Buffer.from(clip.jpegAt(0));
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

  it('stores a snapshot once, by hash, and shows it to proctors and reviewers only', async () => {
    const { socket, sessionId } = await startedExam();
    const incidentId = id();
    expect(data(await request(socket, 'evidence:upload', { incidentId, sha256: sha(jpeg), jpeg }))).toEqual({
      incidentId,
      duplicate: false,
    });
    expect(data(await request(socket, 'evidence:upload', { incidentId, sha256: sha(jpeg), jpeg }))).toEqual({
      incidentId,
      duplicate: true,
    });
    const other = Buffer.from(clip.jpegAt(30)); // another snapshot under the same incident id
    expect(await request(socket, 'evidence:upload', { incidentId, sha256: sha(other), jpeg: other })).toMatchObject({
      error: { code: 'conflict' },
    });
    expect((await h.store.listEvents(sessionId)).filter((e) => e.type === 'evidence.stored')).toHaveLength(1);

    const route = `/api/sessions/${sessionId}/evidence/${incidentId}`;
    for (const role of ['proctor', 'reviewer', 'admin'] as const) {
      const res = await fetch(`${h.url}${route}`, { headers: { authorization: `Bearer ${await h.staffToken(role)}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(sha(new Uint8Array(await res.arrayBuffer()))).toBe(sha(jpeg));
    }
    expect((await fetch(`${h.url}${route}`)).status).toBe(401);
    const { token } = await h.issueToken();
    expect((await fetch(`${h.url}${route}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('refuses a wrong hash, a non-JPEG, an empty or oversized file, and keeps the connection', async () => {
    const { socket, sessionId } = await startedExam();
    const big = Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(100 * 1024)]);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const cases = [
      { incidentId: id(), sha256: sha(Buffer.from('x')), jpeg },
      { incidentId: id(), sha256: sha(png), jpeg: png },
      { incidentId: id(), sha256: sha(big), jpeg: big },
      { incidentId: id(), sha256: sha(Buffer.alloc(0)), jpeg: Buffer.alloc(0) },
      { incidentId: id(), sha256: sha(jpeg), jpeg: jpeg.toString('base64') },
      { incidentId: '../../etc', sha256: sha(jpeg), jpeg },
    ];
    for (const c of cases) expect(await request(socket, 'evidence:upload', c)).toMatchObject({ error: { code: 'invalid' } });
    expect(socket.connected).toBe(true);
    expect((await h.store.listEvents(sessionId)).filter((e) => e.type === 'evidence.stored')).toHaveLength(0);
  });
});

describe('programme proctoring settings', () => {
  it('only admins change them; bad settings are refused naming the setting; good ones reach the next snapshot', async () => {
    const route = `/api/programmes/${h.programmeId}/proctoring`;
    const proctor = await h.staffToken('proctor');
    const admin = await h.staffToken('admin');
    expect((await h.http('PUT', route, proctor, { warningGraceSec: 5 })).status).toBe(403);
    const bad = await h.http('PUT', route, admin, { head: { maxYawDeg: 500 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/head\.maxYawDeg/);
    expect((await h.http('PUT', route, admin, { objects: { allow: ['face.absent'] } })).status).toBe(400);
    expect(
      (await h.http('PUT', route, admin, { incidents: { 'tech.offline': { violation: true } }, objects: { allow: ['object.book'] } }))
        .status,
    ).toBe(200);
    const got = await h.http<{ resolved: { incidents: Record<string, { violation: boolean }>; objects: { allow: string[] } } }>(
      'GET',
      route,
      proctor,
    );
    const resolved = data(got.body).resolved;
    expect(resolved.incidents['tech.offline']!.violation).toBe(false); // rule 11: never a violation
    expect(resolved.objects.allow).toEqual(['object.book']);
    const { snapshot } = await startedExam();
    expect(snapshot.proctoring.config.objects.allow).toEqual(['object.book']);
  });
});

describe('the proctor sees incidents live', () => {
  it('an incident report reaches the live feed as an incident with its type', async () => {
    const staff = await h.staff(await h.staffToken('proctor'));
    data(await request(staff, 'dashboard:subscribe'));
    const { socket, snapshot } = await startedExam();
    seq = snapshot.nextSeq - 1;
    const inc = incident('face.absent', Date.now());
    const seen = nextEvent<FeedEvent>(staff, 'feed:event', (e) => e.type === 'incident.open');
    const sentAt = Date.now();
    data(await report(socket, 'open', inc));
    const event = await seen;
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    expect(event.level).toBe('incident');
    expect(event.data).toMatchObject({ incident: { id: inc.id, type: 'face.absent' } });
    await waitUntil(async () => (await h.store.countIncidents(snapshot.sessionId)) >= 2, 2_000, 'incident and warning counted');
  });

  it("a failure in the candidate's browser (client.error) reaches the feed for the proctor's attention; a malformed one is refused", async () => {
    const staff = await h.staff(await h.staffToken('proctor'));
    data(await request(staff, 'dashboard:subscribe'));
    const { socket, snapshot } = await startedExam();
    seq = snapshot.nextSeq - 1;
    const failure = { operation: 'incident_report', code: 'timeout', message: 'event:log was not acknowledged in time' };
    const seen = nextEvent<FeedEvent>(staff, 'feed:event', (e) => e.type === 'client.error');
    data(await request(socket, 'event:log', { seq: ++seq, id: 'client-error-1', type: 'client.error', at: Date.now(), data: failure }));
    const event = await seen;
    expect(event.level).toBe('incident');
    expect(event.data).toEqual(failure);
    const odd = await request(socket, 'event:log', {
      seq: ++seq,
      id: 'client-error-2',
      type: 'client.error',
      at: Date.now(),
      data: { ...failure, operation: 'format_disk' },
    });
    expect(odd).toMatchObject({ error: { code: 'invalid' } });
  });
});
