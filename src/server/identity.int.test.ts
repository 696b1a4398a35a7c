/**
 * Identity at the centre (rule 2.8.6), real server, real SQLite, real sockets, real models in
 * Node: staff upload a reference photo (roles, bad files, no face, several faces), candidates are
 * verified against it with descriptors computed from real fixture frames, liveness is required,
 * tries are limited, a candidate without a photo is enrolled, and the exam re-checks identity.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceDetector } from '../detectors/face-detector';
import { FaceEmbedding } from '../detectors/face-embedding';
import { IDENTITY_THRESHOLD, MAX_IDENTITY_ATTEMPTS } from '../shared/identity';
import type { ExamSnapshot, IdentityResult, LivenessReport, Response } from '../shared/protocol';
import { startHarness, type CandidateSocket, type Harness } from '../testing/centre-harness';
import { FIXTURE_DIR, MjpegClip } from '../testing/mjpeg';
import { fixtureTensor, initNodeTf, nodeModels } from '../testing/node-models';
import { MAX_REFERENCE_PHOTO_BYTES } from './identity-service';

const REFERENCE = readFileSync(path.join(FIXTURE_DIR, 'reference.jpg'));
const LIVE: LivenessReport = { passed: true, method: 'turn', yawMinDeg: -14, yawMaxDeg: 20, blinks: 0, durationMs: 2_000 };
const STILL: LivenessReport = { passed: false, method: 'turn', yawMinDeg: 8.4, yawMaxDeg: 9.1, blinks: 0, durationMs: 30_000 };

let h: Harness;
let admin: string;
let reviewer: string;
let proctor: string;
/** Descriptors of real frames: person P (the man of reference.jpg) and person Q. */
let samePerson: number[];
let otherPerson: number[];
let samePhoto: Uint8Array;

async function describeFrame(file: string, sec: number): Promise<number[]> {
  const detector = await FaceDetector.load(nodeModels, { modelType: 'full' });
  const embedding = await FaceEmbedding.load(nodeModels);
  const frame = fixtureTensor(file, sec);
  try {
    const faces = await detector.detect(frame);
    expect(faces).toHaveLength(1);
    return Array.from(await embedding.describe(frame, faces[0]!.box));
  } finally {
    frame.dispose();
    detector.dispose();
    embedding.dispose();
  }
}

function upload(candidateId: string, body: Uint8Array | string, token: string | null, type = 'image/jpeg') {
  return fetch(`${h.url}/api/candidates/${candidateId}/reference-photo`, {
    method: 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': type },
    body: typeof body === 'string' ? body : Buffer.from(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Response<{ source: string; sha256: string }> }));
}

async function send<T>(socket: CandidateSocket, event: string, payload: unknown): Promise<Response<T>> {
  return (await (socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } }).timeout(10_000).emitWithAck(event, payload)) as Response<T>;
}

/** A fresh candidate session in 'issued', language chosen. */
async function newSession(candidateId = h.candidateId) {
  const link = await h.centre.issueExamLink(candidateId, h.programmeId);
  const socket = await h.candidate(new URL(link.url).hash.slice(3));
  const chosen = await send<ExamSnapshot>(socket, 'exam:choose-language', { language: 'ru' });
  expect('data' in chosen).toBe(true);
  return { socket, sessionId: link.sessionId };
}

const verify = (socket: CandidateSocket, descriptor: number[], liveness = LIVE) =>
  send<{ result: IdentityResult; snapshot: ExamSnapshot }>(socket, 'identity:verify', { descriptor, liveness, jpeg: samePhoto });

beforeAll(async () => {
  await initNodeTf();
  samePerson = await describeFrame('same-person-6s.mjpeg', 2);
  otherPerson = await describeFrame('other-person-6s.mjpeg', 2);
  samePhoto = new MjpegClip('same-person-6s.mjpeg').jpegAt(60);
  h = await startHarness();
  [admin, reviewer, proctor] = await Promise.all([h.staffToken('admin'), h.staffToken('reviewer'), h.staffToken('proctor')]);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('reference photo upload (staff)', () => {
  it('is refused without a log-in, to proctors, and for an unknown candidate', async () => {
    expect((await upload(h.candidateId, REFERENCE, null)).status).toBe(401);
    const asProctor = await upload(h.candidateId, REFERENCE, proctor);
    expect(asProctor.status).toBe(403);
    expect((await upload('00000000-0000-4000-8000-000000000000', REFERENCE, admin)).status).toBe(404);
    expect((await upload('not-a-uuid', REFERENCE, admin)).status).toBe(400);
    expect((await h.http('GET', '/api/candidates', proctor)).status).toBe(403);
    expect((await h.http('GET', `/api/candidates/${h.candidateId}/reference-photo`, proctor)).status).toBe(403);
  });

  it('refuses what is not a JPEG, a broken JPEG, a wrong content type and a too large body, with a clear message', async () => {
    const png = await upload(h.candidateId, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]), admin);
    expect(png.status).toBe(400);
    expect('error' in png.body && png.body.error.message).toMatch(/JPEG/);
    const broken = await upload(h.candidateId, REFERENCE.subarray(0, 600), admin);
    expect(broken.status).toBe(400);
    expect('error' in broken.body && broken.body.error.message).toMatch(/not a readable JPEG/);
    const json = await upload(h.candidateId, '{"a":1}', admin, 'application/json');
    expect(json.status).toBe(400);
    const big = new Uint8Array(MAX_REFERENCE_PHOTO_BYTES + 1024);
    big.set([0xff, 0xd8, 0xff]);
    const tooLarge = await upload(h.candidateId, big, admin);
    expect(tooLarge.status).toBe(413);
  });

  it('refuses a photo with no face and one with two faces', async () => {
    const none = await upload(h.candidateId, new MjpegClip('no-face-5s.mjpeg').jpegAt(30), admin);
    expect(none.status).toBe(400);
    expect('error' in none.body && none.body.error.message).toMatch(/no face/);
    const two = await upload(h.candidateId, new MjpegClip('two-faces-5s.mjpeg').jpegAt(30), reviewer);
    expect(two.status).toBe(400);
    expect('error' in two.body && two.body.error.message).toMatch(/2 faces/);
    expect(await h.store.getCandidateReference(h.candidateId)).toBeNull();
  }, 60_000);

  it('stores reference.jpg with its descriptor; reviewers and admins see it, the candidate list says so', async () => {
    const res = await upload(h.candidateId, REFERENCE, admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ data: { source: 'file' } });
    const row = await h.store.getCandidateReference(h.candidateId);
    expect(row?.descriptor).toHaveLength(1024);
    const photo = await fetch(`${h.url}/api/candidates/${h.candidateId}/reference-photo`, { headers: { authorization: `Bearer ${reviewer}` } });
    expect(photo.status).toBe(200);
    expect(Buffer.from(await photo.arrayBuffer()).equals(REFERENCE)).toBe(true);
    const list = await h.http<Array<{ id: string; reference: { source: string } | null }>>('GET', '/api/candidates', admin);
    expect('data' in list.body && list.body.data.find((c) => c.id === h.candidateId)?.reference?.source).toBe('file');
  }, 60_000);
});

describe('identity:verify before the exam', () => {
  it('rejects another person, then accepts the person of the photo, and logs both', async () => {
    const { socket, sessionId } = await newSession();
    const other = await verify(socket, otherPerson);
    if (!('data' in other)) throw new Error(other.error.message);
    expect(other.data.result).toMatchObject({ matched: false, reference: 'file', attempts: 1, threshold: IDENTITY_THRESHOLD });
    expect(other.data.result.similarity).toBeLessThan(IDENTITY_THRESHOLD);
    expect(other.data.snapshot.prestart.identity).toMatchObject({ hasReference: true, verifiedAt: null, attempts: 1 });
    const same = await verify(socket, samePerson);
    if (!('data' in same)) throw new Error(same.error.message);
    expect(same.data.result).toMatchObject({ matched: true, reference: 'file', attempts: 2 });
    expect(same.data.result.similarity).toBeGreaterThanOrEqual(IDENTITY_THRESHOLD);
    expect(same.data.snapshot.prestart.identity.verifiedAt).not.toBeNull();
    const types = (await h.store.listEvents(sessionId)).map((e) => e.type).filter((t) => t.startsWith('identity.'));
    expect(types).toEqual(['identity.failed', 'identity.verified']);
    const verified = (await h.store.listEvents(sessionId)).find((e) => e.type === 'identity.verified')!.data as Record<string, unknown>;
    expect(verified).toMatchObject({ reference: 'file', threshold: IDENTITY_THRESHOLD });
    expect(await h.store.getEvidence(sessionId, 'identity-2')).not.toBeNull(); // the photo taken, kept as evidence
    const again = await verify(socket, samePerson);
    expect('error' in again && again.error.code).toBe('conflict');
  }, 30_000);

  it('never verifies without liveness, and sees through a report that claims a pass without a turn', async () => {
    const { socket, sessionId } = await newSession();
    const still = await verify(socket, samePerson, STILL);
    expect('data' in still && still.data.result.matched).toBe(false);
    const claimed = await verify(socket, samePerson, { ...STILL, passed: true });
    expect('data' in claimed && claimed.data.result.matched).toBe(false);
    const failed = (await h.store.listEvents(sessionId)).filter((e) => e.type === 'identity.failed').map((e) => (e.data as { reason: string }).reason);
    expect(failed).toEqual(['liveness not passed', 'liveness report does not show a turn both ways']);
  }, 30_000);

  it(`allows ${MAX_IDENTITY_ATTEMPTS} tries, then refuses with a message for the candidate`, async () => {
    const { socket, sessionId } = await newSession();
    for (let i = 1; i <= MAX_IDENTITY_ATTEMPTS; i++) {
      const r = await verify(socket, otherPerson);
      expect('data' in r && r.data.result.attempts).toBe(i);
    }
    const refused = await verify(socket, samePerson);
    expect('error' in refused && refused.error.code).toBe('too_many');
    expect('error' in refused && refused.error.message).toMatch(/proctor/);
    const last = (await h.store.listEvents(sessionId)).filter((e) => e.type === 'identity.failed').at(-1)!.data as { reason: string };
    expect(last.reason).toMatch(/proctor must check/);
  }, 30_000);

  it('refuses a malformed descriptor or a missing photo', async () => {
    const { socket } = await newSession();
    const short = await send(socket, 'identity:verify', { descriptor: [1, 2, 3], liveness: LIVE, jpeg: samePhoto });
    expect('error' in short && short.error.code).toBe('invalid');
    const noPhoto = await send(socket, 'identity:verify', { descriptor: samePerson, liveness: LIVE, jpeg: new Uint8Array([1, 2, 3]) });
    expect('error' in noPhoto && noPhoto.error.message).toMatch(/JPEG/);
  });

  it('enrols the first live face of a candidate with no photo on file, then compares later sessions with it', async () => {
    const candidateId = '11111111-1111-4111-8111-111111111111';
    const centre = await h.store.getCentre();
    await h.store.createCandidate({ id: candidateId, centreId: centre!.id, surname: 'Тестов', givenName: 'Нұрлан', patronymic: null, iin: '900101300015', email: null });
    const first = await newSession(candidateId);
    const enrolled = await verify(first.socket, samePerson);
    expect('data' in enrolled && enrolled.data.result).toMatchObject({ matched: true, reference: 'enrolled' });
    const event = (await h.store.listEvents(first.sessionId)).find((e) => e.type === 'identity.verified')!.data;
    expect(event).toMatchObject({ reference: 'enrolled', enrolled: true });
    expect((await h.store.getCandidateReference(candidateId))?.source).toBe('enrolled');
    const second = await newSession(candidateId);
    const other = await verify(second.socket, otherPerson);
    expect('data' in other && other.data.result).toMatchObject({ matched: false, reference: 'enrolled' });
  }, 30_000);
});

describe('identity:check during the exam', () => {
  it('is refused before the start, then compares and logs each check once the exam runs', async () => {
    const { socket, sessionId } = await newSession();
    const early = await send(socket, 'identity:check', { descriptor: samePerson });
    expect('error' in early && early.error.code).toBe('closed');
    expect('data' in (await verify(socket, samePerson))).toBe(true);
    await h.passPrestart(socket);
    const started = await send<ExamSnapshot>(socket, 'exam:start', {});
    if (!('data' in started)) throw new Error(started.error.message);
    const same = await send<IdentityResult>(socket, 'identity:check', { descriptor: samePerson });
    expect('data' in same && same.data).toMatchObject({ matched: true, reference: 'file' });
    const other = await send<IdentityResult>(socket, 'identity:check', { descriptor: otherPerson });
    expect('data' in other && other.data.matched).toBe(false);
    const checks = (await h.store.listEvents(sessionId)).filter((e) => e.type === 'identity.checked').map((e) => (e.data as { matched: boolean }).matched);
    expect(checks).toEqual([true, false]);
  }, 30_000);
});
