/**
 * Identity at the centre (rule 2.8.6), real server, real SQLite, real sockets, real models in
 * Node: staff upload a reference photo (roles, bad files, no face, several faces), candidates are
 * verified against it from real fixture photos the centre analyses itself, liveness is required,
 * tries are limited, a candidate without a photo is enrolled, and the exam re-checks identity.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IDENTITY_ATTEMPTS } from '../shared/identity';
import type { ExamSnapshot, IdentityCheckResult, IdentityResult, Response } from '../shared/protocol';
import { startHarness, type CandidateSocket, type Harness } from '../testing/centre-harness';
import { FIXTURE_DIR, MjpegClip } from '../testing/mjpeg';
import { ENROLMENT_IDENTITY } from '../testing/prestart-steps';
import { CURRENT_CONSENT } from '../shared/consent';
import { PASSING_SYSTEM_CHECK } from '../testing/prestart-steps';
import { MAX_REFERENCE_PHOTO_BYTES } from './identity-service';

const REFERENCE = readFileSync(path.join(FIXTURE_DIR, 'reference.jpg'));
/** Person P (reference.jpg) turning the head; person Q, still (three photos of Q show no turn). */
const P = ENROLMENT_IDENTITY;
const Q = (() => {
  const clip = new MjpegClip('other-person-6s.mjpeg');
  return { frontal: clip.jpegAt(0), left: clip.jpegAt(60), right: clip.jpegAt(120) };
})();

let h: Harness;
let admin: string;
let reviewer: string;
let proctor: string;

function upload(candidateId: string, body: Uint8Array | string, token: string | null, type = 'image/jpeg') {
  return fetch(`${h.url}/api/candidates/${candidateId}/reference-photo`, {
    method: 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': type },
    body: typeof body === 'string' ? body : Buffer.from(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Response<{ source: string; sha256: string }> }));
}

async function send<T>(socket: CandidateSocket, event: string, payload: unknown): Promise<Response<T>> {
  return (await (socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } })
    .timeout(30_000)
    .emitWithAck(event, payload)) as Response<T>;
}

/** A fresh candidate session in 'issued': language chosen, system check passed, consent given. */
async function newSession(candidateId = h.candidateId) {
  const link = await h.centre.issueExamLink(candidateId, h.programmeId);
  const socket = await h.candidate(new URL(link.url).hash.slice(3));
  const chosen = await send<ExamSnapshot>(socket, 'exam:choose-language', { language: 'ru' });
  expect('data' in chosen).toBe(true);
  expect('data' in (await send(socket, 'exam:system-check', PASSING_SYSTEM_CHECK))).toBe(true);
  expect(
    'data' in
      (await send(socket, 'exam:consent', { version: CURRENT_CONSENT.version, textSha256: CURRENT_CONSENT.sha256.ru, language: 'ru' })),
  ).toBe(true);
  return { socket, sessionId: link.sessionId };
}

const verify = (socket: CandidateSocket, photos: { frontal: Uint8Array; left: Uint8Array; right: Uint8Array }) =>
  send<{ result: IdentityResult; snapshot: ExamSnapshot }>(socket, 'identity:verify', photos);

beforeAll(async () => {
  h = await startHarness();
  await h.setSteps({ identity: true, systemCheck: true });
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
    const photo = await fetch(`${h.url}/api/candidates/${h.candidateId}/reference-photo`, {
      headers: { authorization: `Bearer ${reviewer}` },
    });
    expect(photo.status).toBe(200);
    expect(Buffer.from(await photo.arrayBuffer()).equals(REFERENCE)).toBe(true);
    const list = await h.http<Array<{ id: string; reference: { source: string } | null }>>('GET', '/api/candidates', admin);
    expect('data' in list.body && list.body.data.find((c) => c.id === h.candidateId)?.reference?.source).toBe('file');
  }, 60_000);
});

describe('identity:verify before the exam', () => {
  it('rejects another person, then accepts the person of the photo, and logs both', async () => {
    const { socket, sessionId } = await newSession();
    const other = await verify(socket, Q);
    if (!('data' in other)) throw new Error(other.error.message);
    expect(other.data.result).toMatchObject({ matched: false, reference: 'file', attempts: 1 });
    expect(other.data.snapshot.prestart.identity).toMatchObject({ hasReference: true, verifiedAt: null, attempts: 1 });
    const same = await verify(socket, P);
    if (!('data' in same)) throw new Error(same.error.message);
    expect(same.data.result).toEqual({
      matched: true,
      liveness: true,
      reference: 'file',
      attempts: 2,
      attemptsLeft: MAX_IDENTITY_ATTEMPTS - 2,
    });
    expect(same.data.snapshot.prestart.identity.verifiedAt).not.toBeNull();
    const types = (await h.store.listEvents(sessionId)).map((e) => e.type).filter((t) => t.startsWith('identity.'));
    expect(types).toEqual(['identity.failed', 'identity.verified']);
    expect(await h.store.getEvidence(sessionId, 'identity-2')).not.toBeNull(); // the frontal photo, kept as evidence
    const again = await verify(socket, P);
    expect('error' in again && again.error.code).toBe('conflict');
  }, 60_000);

  it(`allows ${MAX_IDENTITY_ATTEMPTS} tries, then refuses with a message for the candidate`, async () => {
    const { socket, sessionId } = await newSession();
    for (let i = 1; i <= MAX_IDENTITY_ATTEMPTS; i++) {
      const r = await verify(socket, Q);
      expect('data' in r && r.data.result).toMatchObject({ attempts: i, attemptsLeft: MAX_IDENTITY_ATTEMPTS - i });
    }
    const refused = await verify(socket, P);
    expect('error' in refused && refused.error.code).toBe('too_many');
    expect('error' in refused && refused.error.message).toMatch(/proctor/);
    const last = (await h.store.listEvents(sessionId)).filter((e) => e.type === 'identity.failed').at(-1)!.data as { reason: string };
    expect(last.reason).toMatch(/proctor must check/);
  }, 60_000);

  it('refuses a missing or oversized photo', async () => {
    const { socket } = await newSession();
    const missing = await send(socket, 'identity:verify', { frontal: P.frontal, left: P.left });
    expect('error' in missing && missing.error.code).toBe('invalid');
    const big = new Uint8Array(96 * 1024 + 1);
    big.set([0xff, 0xd8]);
    const tooBig = await send(socket, 'identity:verify', { ...P, right: big });
    expect('error' in tooBig && tooBig.error.code).toBe('invalid');
  });

  it('enrols the first live face of a candidate with no photo on file, then compares later sessions with it', async () => {
    const candidateId = '11111111-1111-4111-8111-111111111111';
    const centre = await h.store.getCentre();
    await h.store.createCandidate({
      id: candidateId,
      centreId: centre!.id,
      surname: 'Тестов',
      givenName: 'Нұрлан',
      patronymic: null,
      iin: '900101300015',
      email: null,
    });
    const first = await newSession(candidateId);
    const enrolled = await verify(first.socket, P);
    expect('data' in enrolled && enrolled.data.result).toMatchObject({ matched: true, reference: 'enrolled' });
    const event = (await h.store.listEvents(first.sessionId)).find((e) => e.type === 'identity.verified')!.data;
    expect(event).toMatchObject({ reference: 'enrolled', enrolled: true });
    expect((await h.store.getCandidateReference(candidateId))?.source).toBe('enrolled');
    const second = await newSession(candidateId);
    const other = await verify(second.socket, Q);
    expect('data' in other && other.data.result).toMatchObject({ matched: false, reference: 'enrolled' });
  }, 60_000);
});

describe('identity:check during the exam', () => {
  it('is refused before the start, then compares and logs each check once the exam runs', async () => {
    const { socket, sessionId } = await newSession();
    const early = await send(socket, 'identity:check', { jpeg: P.frontal });
    expect('error' in early && early.error.code).toBe('closed');
    expect('data' in (await verify(socket, P))).toBe(true);
    await h.passPrestart(socket);
    const started = await send<ExamSnapshot>(socket, 'exam:start', {});
    if (!('data' in started)) throw new Error(started.error.message);
    const same = await send<IdentityCheckResult>(socket, 'identity:check', { jpeg: P.frontal });
    expect('data' in same && same.data).toEqual({ matched: true });
    h.clock.advance(60_000);
    const other = await send<IdentityCheckResult>(socket, 'identity:check', { jpeg: Q.frontal });
    expect('data' in other && other.data).toEqual({ matched: false });
    const checks = (await h.store.listEvents(sessionId))
      .filter((e) => e.type === 'identity.checked')
      .map((e) => (e.data as { matched: boolean }).matched);
    expect(checks).toEqual([true, false]);
  }, 60_000);
});
