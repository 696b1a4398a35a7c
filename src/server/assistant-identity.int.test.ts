/**
 * Rule 11 (an assistant for a candidate with a disability) on the real centre (SQLite, sockets, the face worker with the real models): the
 * assistant the accommodations allow is identified at the identity step after the candidate. The
 * centre refuses it without an assistant accommodation, before the candidate's own identity, for what
 * is not a readable JPEG of one face (two women side by side), and for the candidate's own face; it
 * accepts somebody else, keeps the photo and logs it with the name from the accommodations; the room
 * scan and the start wait for it; the tries are limited; staff see the photo under the face-photo rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_ACCOMMODATIONS, type Accommodations } from '../shared/accommodations';
import type { AssistantIdentityResult } from '../shared/assistant-identity';
import { CURRENT_CONSENT } from '../shared/consent';
import { MAX_IDENTITY_ATTEMPTS } from '../shared/identity';
import type { ExamSnapshot, Response, SessionDetail } from '../shared/protocol';
import { request, startHarness, type CandidateSocket, type Harness } from '../testing/centre-harness';
import { MjpegClip } from '../testing/mjpeg';
import { ASSISTANT_PHOTO, ENROLMENT_IDENTITY, FULL_ROOM_SCAN, PASSING_SYSTEM_CHECK } from '../testing/prestart-steps';

/** The candidate P again (another frame of P talking), and two women side by side in one picture. */
const CANDIDATE_AGAIN = new MjpegClip('same-person-6s.mjpeg').jpegAt(30);
const TWO_FACES = new MjpegClip('two-faces-5s.mjpeg').jpegAt(0);
const ASSISTANT = 'Ахметова Дана Серікқызы';
const ASSISTED: Accommodations = { ...NO_ACCOMMODATIONS, assistant: { name: ASSISTANT } };

let h: Harness;
let admin: string;
let reviewer: string;
let proctor: string;

const setAccommodations = async (accommodations: Accommodations) =>
  expect(
    (await h.http('PUT', `/api/admin/candidates/${h.candidateId}/accommodations`, admin, { accommodations, reason: 'Справка МСЭ № 0421' }))
      .status,
  ).toBe(200);

const send = <T>(socket: CandidateSocket, event: string, payload: unknown) => request<T>(socket, event, payload, 30_000);
const codeOf = (r: Response<unknown>) => ('error' in r ? r.error.code : 'ok');
const dataOf = <T>(r: Response<T>): T => {
  if ('error' in r) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
};
const assistant = (socket: CandidateSocket, jpeg: Uint8Array) =>
  send<{ result: AssistantIdentityResult; snapshot: ExamSnapshot }>(socket, 'identity:assistant', { jpeg });

/** A fresh session in 'issued': language, system check and consent done; the candidate verified (enrolled as P) unless told not to. */
async function session(verified = true): Promise<{ socket: CandidateSocket; sessionId: string }> {
  const { token, sessionId } = await h.issueToken();
  const socket = await h.candidate(token);
  dataOf(await send(socket, 'exam:choose-language', { language: 'ru' }));
  dataOf(await send(socket, 'exam:system-check', PASSING_SYSTEM_CHECK));
  dataOf(await send(socket, 'exam:consent', { version: CURRENT_CONSENT.version, textSha256: CURRENT_CONSENT.sha256.ru, language: 'ru' }));
  if (verified)
    expect(dataOf(await send<{ result: { matched: boolean } }>(socket, 'identity:verify', ENROLMENT_IDENTITY)).result.matched).toBe(true);
  return { socket, sessionId };
}

const assistantEvents = async (sessionId: string) => (await h.store.listEvents(sessionId)).filter((e) => e.type === 'identity.assistant');

beforeAll(async () => {
  h = await startHarness();
  await h.setSteps({ identity: true, systemCheck: true, roomScan: true });
  [admin, reviewer, proctor] = await Promise.all([h.staffToken('admin'), h.staffToken('reviewer'), h.staffToken('proctor')]);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('the assistant identified at the identity step (rule 11)', () => {
  it('without an assistant accommodation: refused (conflict), and the steps after identity go on as before', async () => {
    await setAccommodations({ ...NO_ACCOMMODATIONS, largeText: true });
    const { socket, sessionId } = await session();
    expect(codeOf(await assistant(socket, ASSISTANT_PHOTO))).toBe('conflict');
    expect(await assistantEvents(sessionId)).toHaveLength(0);
    expect(await h.store.getEvidence(sessionId, 'identity-assistant-1')).toBeNull();
    expect(codeOf(await send(socket, 'room-scan:report', FULL_ROOM_SCAN))).toBe('ok');
    expect(codeOf(await send(socket, 'exam:start', {}))).toBe('ok');
  }, 120_000);

  it("refused before the candidate's own identity, and for what is not a readable JPEG of exactly one face (no try counted)", async () => {
    await setAccommodations(ASSISTED);
    const { socket, sessionId } = await session(false);
    expect(codeOf(await assistant(socket, ASSISTANT_PHOTO))).toBe('conflict');
    dataOf(await send(socket, 'identity:verify', ENROLMENT_IDENTITY));

    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
    expect(codeOf(await assistant(socket, png))).toBe('invalid');
    const broken = new Uint8Array(2048).fill(7);
    broken.set([0xff, 0xd8, 0xff, 0xe0]);
    expect(codeOf(await assistant(socket, broken))).toBe('invalid');
    expect(codeOf(await assistant(socket, new Uint8Array(200 * 1024).fill(0xff)))).toBe('invalid'); // over the identity photo's size
    const two = await assistant(socket, TWO_FACES);
    expect(two).toMatchObject({ error: { code: 'invalid', message: expect.stringMatching(/2 faces/), reason: 'several_faces' } }); // the screen says it from the code

    expect(await assistantEvents(sessionId)).toHaveLength(0);
    expect(await h.store.getEvidence(sessionId, 'identity-assistant-1')).toBeNull();
    expect((await h.store.getPrestart(sessionId)).assistant).toBeUndefined();
  }, 120_000);

  it("the candidate's own face is refused (same_person); somebody else is accepted, kept and logged with the name; the gate opens only then", async () => {
    await setAccommodations(ASSISTED);
    const { socket, sessionId } = await session();
    // Verified, the assistant not yet: the next step and the start are refused, and the browser stays on identity.
    expect(codeOf(await send(socket, 'room-scan:report', FULL_ROOM_SCAN))).toBe('conflict');
    expect(codeOf(await send(socket, 'exam:start', {}))).toBe('conflict');

    const self = dataOf(await assistant(socket, CANDIDATE_AGAIN));
    expect(self.result).toEqual({ accepted: false, reason: 'same_person', attempts: 1, attemptsLeft: MAX_IDENTITY_ATTEMPTS - 1 });
    expect(self.snapshot.prestart.assistant).toEqual({ acceptedAt: null, attempts: 1 });
    expect(codeOf(await send(socket, 'room-scan:report', FULL_ROOM_SCAN))).toBe('conflict');

    const other = dataOf(await assistant(socket, ASSISTANT_PHOTO));
    expect(other.result).toEqual({ accepted: true, reason: null, attempts: 2, attemptsLeft: MAX_IDENTITY_ATTEMPTS - 2 });
    expect(JSON.stringify(other)).not.toMatch(/similarity|threshold/); // No figure to the browser
    expect(other.snapshot.prestart.assistant).toEqual({ acceptedAt: expect.any(Number), attempts: 2 });

    const [refused, accepted] = await assistantEvents(sessionId);
    expect(refused!.data).toMatchObject({
      accepted: false,
      assistant: ASSISTANT,
      photo: 'identity-assistant-1',
      reasonCode: 'same_person',
      attempts: 1,
    });
    expect((refused!.data as { similarity: number }).similarity).toBeGreaterThanOrEqual(0.5);
    expect(accepted!.data).toMatchObject({
      accepted: true,
      assistant: ASSISTANT,
      photo: 'identity-assistant-2',
      threshold: 0.5,
      attempts: 2,
    });
    expect((accepted!.data as { similarity: number }).similarity).toBeLessThan(0.5);
    console.log(
      `assistant int: candidate again ${(refused!.data as { similarity: number }).similarity}, another person ${(accepted!.data as { similarity: number }).similarity}`,
    );
    expect((await h.store.getEvidence(sessionId, 'identity-assistant-2'))?.bytes.byteLength).toBe(ASSISTANT_PHOTO.byteLength);

    expect(codeOf(await assistant(socket, ASSISTANT_PHOTO))).toBe('conflict'); // once accepted, done

    // Staff: the proctor's drill-down names the assistant with the photos; the photo follows the identity photos' rule.
    const staff = await h.staff(proctor);
    const detail = dataOf(await request<SessionDetail>(staff, 'session:detail', { sessionId }));
    expect(detail.assistant).toEqual({
      name: ASSISTANT,
      acceptedAt: expect.any(Number),
      photos: [
        { id: 'identity-assistant-1', accepted: false },
        { id: 'identity-assistant-2', accepted: true },
      ],
    });
    const get = (token: string) =>
      fetch(`${h.url}/api/sessions/${sessionId}/evidence/identity-assistant-2`, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.status,
      );
    expect([await get(proctor), await get(reviewer)]).toEqual([200, 200]);

    dataOf(await send(socket, 'room-scan:report', FULL_ROOM_SCAN));
    dataOf(await send(socket, 'exam:start', {}));
    dataOf(await send(socket, 'exam:submit', {}));
    expect([await get(proctor), await get(reviewer)]).toEqual([403, 200]); // after the exam: reviewers only (face-access.ts)
  }, 120_000);

  it(`tries are limited (${MAX_IDENTITY_ATTEMPTS}): then refused with too_many`, async () => {
    await setAccommodations(ASSISTED);
    const { socket, sessionId } = await session();
    for (let i = 1; i <= MAX_IDENTITY_ATTEMPTS; i++) {
      expect(dataOf(await assistant(socket, ENROLMENT_IDENTITY.frontal)).result).toMatchObject({
        accepted: false,
        reason: 'same_person',
        attempts: i,
      });
    }
    expect(codeOf(await assistant(socket, ASSISTANT_PHOTO))).toBe('too_many');
    expect(await assistantEvents(sessionId)).toHaveLength(MAX_IDENTITY_ATTEMPTS);
    expect(codeOf(await send(socket, 'exam:start', {}))).toBe('conflict');

    // Nobody is left at a dead end: the card says identity needs the proctor, who looks at the photos and approves the assistant.
    const staff = await h.staff(proctor);
    const card = async () => dataOf(await request<SessionDetail>(staff, 'session:detail', { sessionId })).session;
    expect((await card()).identityLocked).toBe(true);
    const approve = {
      kind: 'identity',
      decision: 'approve',
      reason: 'the interpreter named in the certificate, seen beside the candidate',
    };
    dataOf(await request(staff, 'proctor:act', { sessionId, action: approve }));
    expect((await card()).identityLocked).toBe(false);
    const approved = (await h.store.listEvents(sessionId)).filter((e) => e.type === 'identity.approved');
    expect(approved.map((e) => e.data)).toEqual([
      expect.objectContaining({
        person: 'assistant',
        assistant: ASSISTANT,
        photo: `identity-assistant-${MAX_IDENTITY_ATTEMPTS}`,
        by: expect.objectContaining({ role: 'proctor' }),
      }),
    ]);
    expect(codeOf(await request(staff, 'proctor:act', { sessionId, action: approve }))).toBe('conflict'); // decided once
    // The candidate is told it is about the assistant (not their own identity), and may go on.
    const told = dataOf(await request<ExamSnapshot>(socket, 'exam:resume')).notes;
    expect(told).toEqual([expect.objectContaining({ kind: 'identity', outcome: 'assistant-approve', text: approve.reason })]);
    dataOf(await send(socket, 'room-scan:report', FULL_ROOM_SCAN));
    dataOf(await send(socket, 'exam:start', {}));
  }, 180_000);
});
