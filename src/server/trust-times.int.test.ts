/**
 * Times, faults and writes the centre must bound. Each test replays an attack from the
 * adversarial test of a running centre, with a real socket.io client against a real centre
 * (SQLite, recordings on disk), and checks the centre's answer and what it stored.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Incident, IncidentType } from '../shared/incidents';
import type { ExamSnapshot, RecordingStatus, SystemCheckReport } from '../shared/protocol';
import { data, request, startHarness, waitUntil, type CandidateSocket, type Harness } from '../testing/centre-harness';
import { ENROLMENT_IDENTITY, PASSING_SYSTEM_CHECK } from '../testing/prestart-steps';
import { cutIntoChunks, ffmpegWebm, sha256, type TestChunk } from '../testing/recording-chunks';
import { EVIDENCE_ALLOWANCE_BYTES, MAX_SEQ_GAP, RECORDING_DRAIN_MS, sessionQuotaBytes } from './write-bounds';

let h: Harness;
let chunks: TestChunk[];
beforeAll(() => {
  chunks = cutIntoChunks(ffmpegWebm(4), 4, { seconds: 4 });
});
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function startedExam(programmeId?: string): Promise<{ socket: CandidateSocket; snapshot: ExamSnapshot; sessionId: string }> {
  const { token, sessionId } = programmeId ? await h.centre.issueExamLink(h.candidateId, programmeId) : await h.issueToken();
  const socket = await h.candidate(token);
  data(await request(socket, 'exam:choose-language', { language: 'kk' }));
  await h.passPrestart(socket);
  const snapshot = data(await request<ExamSnapshot>(socket, 'exam:start'));
  return { socket, snapshot, sessionId };
}

const id = () => randomBytes(9).toString('base64url');
function incident(type: IncidentType, start: number, end: number | null = null): Incident {
  return { id: id(), type, start, end, confidence: 0.9, detail: {} };
}
/** A candidate's event log, numbered from the snapshot's nextSeq as the browser numbers it. */
function eventLog(socket: CandidateSocket, snapshot: ExamSnapshot) {
  let seq = snapshot.nextSeq - 1;
  return (type: 'incident.open' | 'incident.close', inc: Incident, at: number) =>
    request<{ seq: number; duplicate: boolean }>(socket, 'event:log', { seq: ++seq, id: id(), type, at, data: { incident: inc } });
}
const status = async (sessionId: string) => (await h.store.getSession(sessionId))!.status;
const eventTypes = async (sessionId: string) => (await h.store.listEvents(sessionId)).map((e) => e.type);

describe('incident times are the centre’s to bound (rule 11, rule 13)', () => {
  it('a forged 120 s technical fault reported 0.1 s into the exam does not suspend it (no retake)', async () => {
    const { socket, snapshot, sessionId } = await startedExam();
    const log = eventLog(socket, snapshot);
    const t0 = h.clock.now();
    // The attack: one closing report claiming the camera was lost for 120 s, sent at once.
    data(await log('incident.close', incident('tech.camera_lost', t0, t0 + 120_000), t0 + 120_000));
    data(await log('incident.close', incident('tech.mic_lost', t0 - 60_000, t0 + 90_000), t0));
    await new Promise((r) => setTimeout(r, 600)); // three sweeps of the watched incidents
    expect(await status(sessionId)).toBe('in_progress');
    expect(await eventTypes(sessionId)).not.toContain('policy.suspended');

    // A fault the centre watches for 120 s of its own clock still suspends (rule 11), whatever the browser claims.
    const lost = incident('tech.camera_lost', h.clock.now() - 2_000);
    data(await log('incident.open', lost, h.clock.now()));
    h.clock.advance(60_000);
    data(await log('incident.close', { ...lost, end: h.clock.now() + 150_000 }, h.clock.now())); // claims 212 s; the centre saw 62 s
    expect(await status(sessionId)).toBe('in_progress'); // closed after 62 s at the centre: not a fault
    const again = incident('tech.camera_lost', h.clock.now() - 2_000);
    data(await log('incident.open', again, h.clock.now()));
    h.clock.advance(119_000);
    await waitUntil(async () => (await status(sessionId)) === 'suspended');
    const suspended = (await h.store.listEvents(sessionId)).find((e) => e.type === 'policy.suspended')!;
    expect(suspended.data).toMatchObject({ incidentId: again.id, rule: '11' });
    expect((suspended.data as { lastedMs: number }).lastedMs).toBeGreaterThanOrEqual(120_000);
    expect((suspended.data as { lastedMs: number }).lastedMs).toBeLessThan(125_000);
  });

  it('a fault claimed to have begun long before the exam started is refused and stored nowhere', async () => {
    const { socket, snapshot, sessionId } = await startedExam();
    const log = eventLog(socket, snapshot);
    const now = h.clock.now();
    const before = (await h.store.listEvents(sessionId)).length;
    const res = await log('incident.close', incident('tech.camera_lost', now - 600_000, now), now);
    expect(res).toMatchObject({ error: { code: 'invalid', message: expect.stringMatching(/incident\.start is before the exam began/) } });
    expect((await h.store.listEvents(sessionId)).length).toBe(before);
    expect(await status(sessionId)).toBe('in_progress');
  });

  it('a first violation at 9e15 is refused, so four real 60 s violations still warn and then end the exam (rule 13)', async () => {
    const { socket, snapshot, sessionId } = await startedExam();
    const log = eventLog(socket, snapshot);
    const forged = await log('incident.close', incident('face.multiple', 9e15, 9e15), h.clock.now());
    expect(forged).toMatchObject({ error: { code: 'invalid', message: expect.stringMatching(/future/) } });
    const forgedAt = await log('incident.close', incident('face.multiple', 9e15, 9e15), 9e15);
    expect(forgedAt).toMatchObject({ error: { code: 'invalid' } });
    expect((await h.store.getSession(sessionId))!.policy?.warning ?? null).toBeNull();

    for (let i = 0; i < 4 && (await status(sessionId)) === 'in_progress'; i++) {
      const start = h.clock.now();
      h.clock.advance(60_000);
      data(await log('incident.close', incident('face.multiple', start, start + 60_000), h.clock.now()));
      if (i === 0) expect((await h.store.getSession(sessionId))!.policy?.warning).not.toBeNull();
    }
    expect(await status(sessionId)).toBe('terminated');
    const types = await eventTypes(sessionId);
    expect(types.filter((t) => t === 'policy.warning')).toHaveLength(1);
    expect(types.filter((t) => t === 'policy.terminated')).toHaveLength(1);
  });
});

describe('server-owned evidence ids', () => {
  it('evidence:upload as "identity-1" before the identity check is forbidden and plants nothing', async () => {
    const { token, sessionId } = await h.issueToken();
    const socket = await h.candidate(token);
    data(await request(socket, 'exam:choose-language', { language: 'kk' }));
    data(await request(socket, 'exam:system-check', PASSING_SYSTEM_CHECK));
    const jpeg = ENROLMENT_IDENTITY.frontal;
    for (const incidentId of ['identity-1', 'identity-2', 'IDENTITY-1']) {
      const res = await request(socket, 'evidence:upload', { incidentId, sha256: sha256(jpeg), jpeg });
      expect(res).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/centre's own/) } });
      expect(await h.store.getEvidence(sessionId, incidentId)).toBeNull();
    }
    expect(await eventTypes(sessionId)).not.toContain('evidence.stored');
  });
});

describe('client writes end with the exam', () => {
  it('after exam:submit events and evidence are refused as closed; the recording backlog drains for a bounded time', async () => {
    const { socket, snapshot, sessionId } = await startedExam();
    const log = eventLog(socket, snapshot);
    data(await request(socket, 'recording:chunk', chunks[0]));
    data(await request(socket, 'exam:submit'));
    const now = h.clock.now();
    expect(await log('incident.open', incident('face.multiple', now - 3_000), now)).toMatchObject({ error: { code: 'closed' } });
    const focus = { seq: snapshot.nextSeq + 5, id: id(), type: 'env.focus_lost', at: now };
    expect(await request(socket, 'event:log', focus)).toMatchObject({ error: { code: 'closed' } });
    const jpeg = ENROLMENT_IDENTITY.frontal;
    expect(await request(socket, 'evidence:upload', { incidentId: id(), sha256: sha256(jpeg), jpeg })).toMatchObject({
      error: { code: 'closed' },
    });
    const events = await h.store.listEvents(sessionId);
    expect(events.at(-1)!.type).toBe('exam.submitted'); // nothing from the browser after the end
    expect(events.filter((e) => e.origin === 'client')).toHaveLength(0);

    // The recording backlog: taken after the end, and no longer once the drain time is over.
    expect(data(await request(socket, 'recording:chunk', chunks[1]))).toEqual({ seq: 2, duplicate: false });
    h.clock.advance(RECORDING_DRAIN_MS + 60_000);
    expect(await request(socket, 'recording:chunk', chunks[2])).toMatchObject({ error: { code: 'closed' } });
    expect(RECORDING_DRAIN_MS).toBeLessThanOrEqual(2 * 3600_000);
  });
});

describe('sequence numbers continue from the last one', () => {
  it('an event numbered 9007199254740991 is refused and the browser’s numbering goes on', async () => {
    const { socket, snapshot, sessionId } = await startedExam();
    const huge = { seq: Number.MAX_SAFE_INTEGER, id: id(), type: 'env.focus_lost', at: h.clock.now() };
    expect(await request(socket, 'event:log', huge)).toMatchObject({
      error: { code: 'invalid', message: expect.stringMatching(/jumps ahead/) },
    });
    const far = { ...huge, id: id(), seq: snapshot.nextSeq + MAX_SEQ_GAP + 1 };
    expect(await request(socket, 'event:log', far)).toMatchObject({ error: { code: 'invalid' } });
    const next = { seq: snapshot.nextSeq, id: id(), type: 'env.focus_lost', at: h.clock.now() };
    expect(data(await request(socket, 'event:log', next))).toEqual({ seq: snapshot.nextSeq, duplicate: false });
    expect(data(await request<ExamSnapshot>(socket, 'exam:resume')).nextSeq).toBe(snapshot.nextSeq + 1);
    expect((await h.store.listEvents(sessionId)).filter((e) => e.origin === 'client').map((e) => e.seq)).toEqual([snapshot.nextSeq]);
  });

  it('a recording chunk numbered far ahead is refused; the next one is taken and stored on disk', async () => {
    const { socket, sessionId } = await startedExam();
    data(await request(socket, 'recording:chunk', chunks[0]));
    for (const seq of [Number.MAX_SAFE_INTEGER, 1_000_000_000_000_000, 2 + MAX_SEQ_GAP + 1]) {
      expect(await request(socket, 'recording:chunk', { ...chunks[1], seq })).toMatchObject({
        error: { code: 'invalid', message: expect.stringMatching(/jumps ahead/) },
      });
    }
    expect(data(await request(socket, 'recording:chunk', chunks[1]))).toEqual({ seq: 2, duplicate: false });
    const st = data(await request<RecordingStatus>(socket, 'recording:status'));
    expect(st).toMatchObject({ nextSeq: 3, chunks: 2, lastSeq: 2, missing: [] });
    expect((await h.store.listRecordingChunks(sessionId)).map((c) => c.seq)).toEqual([1, 2]);
  });
});

describe('per-session storage quota', () => {
  it('recording and evidence beyond the quota of a short programme are refused as too_large', { timeout: 60_000 }, async () => {
    // A 1-minute programme recorded at 96 kbps: its quota follows from its length and bitrate.
    const programme = (await h.store.getProgramme(h.programmeId))!;
    const shortId = 'short-quota';
    await h.store.createProgramme(
      { ...programme, id: shortId, code: shortId, durationMinutes: 1, proctoring: { ...programme.proctoring, recordingKbps: 96 } },
      await h.store.getQuestions(h.programmeId),
    );
    const quota = sessionQuotaBytes(60_000, 96);
    expect(quota).toBeLessThan(60 * 1024 * 1024);
    const { socket, sessionId } = await startedExam(shortId);
    data(await request(socket, 'recording:chunk', chunks[0]));
    const size = 700 * 1024;
    let seq = 2;
    let refused: unknown = null;
    for (; seq < 200; seq++) {
      const bytes = randomBytes(size);
      const chunk = { seq, sha256: sha256(bytes), bytes, startedAt: h.clock.now(), durationMs: 4_000, mime: 'video/webm' };
      let res = await request(socket, 'recording:chunk', chunk);
      // The chunk rate limit (burst 30, then 5/s) answers too_many first; wait as the real uploader does.
      while ('error' in res && res.error.code === 'too_many') {
        const wait = res.error.retryAfterMs ?? 200;
        await new Promise((r) => setTimeout(r, wait));
        res = await request(socket, 'recording:chunk', chunk);
      }
      if ('error' in res) {
        refused = res;
        break;
      }
    }
    expect(refused).toMatchObject({ error: { code: 'too_large', message: expect.stringMatching(/quota/) } });
    const stored = (await h.store.listRecordingChunks(sessionId)).reduce((n, c) => n + c.bytes, 0);
    expect(stored).toBeLessThanOrEqual(quota - EVIDENCE_ALLOWANCE_BYTES + size); // the evidence allowance stays free of chunks
    expect(stored).toBeGreaterThan(quota - EVIDENCE_ALLOWANCE_BYTES - size);
    // Evidence keeps its own allowance inside the quota (recordingShareBytes leaves it free of chunks).
    const jpeg = ENROLMENT_IDENTITY.frontal;
    data(await request(socket, 'evidence:upload', { incidentId: id(), sha256: sha256(jpeg), jpeg }));
    expect(await status(sessionId)).toBe('in_progress');
  });
});

describe('the system check is the whole check', () => {
  it('exam:system-check {ok: true, items: []} is refused and the step stays open', async () => {
    const { token, sessionId } = await h.issueToken();
    const socket = await h.candidate(token);
    data(await request(socket, 'exam:choose-language', { language: 'kk' }));
    const partial: SystemCheckReport[] = [
      { ok: true, items: [] },
      { ok: true, items: PASSING_SYSTEM_CHECK.items.filter((i) => i.item !== 'camera') },
    ];
    for (const report of partial) {
      expect(await request(socket, 'exam:system-check', report)).toMatchObject({
        error: { code: 'invalid', message: expect.stringMatching(/camera/) },
      });
    }
    const snap = data(await request<ExamSnapshot>(socket, 'exam:resume'));
    expect(snap.prestart.systemCheck).toBeNull();
    expect(await eventTypes(sessionId)).not.toContain('system.checked');
    expect(data(await request<ExamSnapshot>(socket, 'exam:system-check', PASSING_SYSTEM_CHECK)).prestart.systemCheck).toMatchObject({
      ok: true,
    });
  });
});
