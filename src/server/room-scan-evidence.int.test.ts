/**
 * Rule 12 during the room scan (rule 2.8.3): a forbidden object seen before the exam starts is
 * reported with its snapshot, so the centre takes evidence and the room_scan.object event from a
 * session that is still 'issued' once the steps before the exam are under way (the room scan comes
 * after consent), and keeps refusing evidence from a session that has not chosen its language, or
 * has not yet consented to the processing of its personal data (Appendix 1: no photo is kept before).
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CURRENT_CONSENT } from '../shared/consent';
import type { ExamSnapshot } from '../shared/protocol';
import { data, request, startHarness, type Harness } from '../testing/centre-harness';
import { MjpegClip } from '../testing/mjpeg';
import { PASSING_SYSTEM_CHECK } from '../testing/prestart-steps';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** A real photo of a phone in view (the centre keeps evidence only when it decodes as an image). */
const jpeg = Buffer.from(new MjpegClip('phone-5s.mjpeg').jpegAt(30));

describe('evidence of the room scan, before the exam starts', () => {
  it('is refused before the language is chosen, taken after it with its room_scan.object event, and a staff member can fetch it', async () => {
    const link = await h.issueToken();
    const socket = await h.candidate(link.token);
    const incidentId = 'scan0bject0001';
    expect(await request(socket, 'evidence:upload', { incidentId, sha256: sha(jpeg), jpeg })).toMatchObject({
      error: { code: 'conflict' },
    });

    data(await request<ExamSnapshot>(socket, 'exam:choose-language', { language: 'ru' }));
    data(await request(socket, 'exam:system-check', PASSING_SYSTEM_CHECK));
    const refused = await request(socket, 'evidence:upload', { incidentId, sha256: sha(jpeg), jpeg });
    expect(refused).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/Appendix 1/) } });
    const consent = { version: CURRENT_CONSENT.version, textSha256: CURRENT_CONSENT.sha256.ru, language: 'ru' };
    const snapshot = data(await request<ExamSnapshot>(socket, 'exam:consent', consent));
    expect(snapshot.status).toBe('issued');
    expect(data(await request(socket, 'evidence:upload', { incidentId, sha256: sha(jpeg), jpeg }))).toEqual({
      incidentId,
      duplicate: false,
    });
    const event = {
      seq: snapshot.nextSeq,
      id: 'evt-scan-0001',
      type: 'room_scan.object',
      at: Date.now(),
      data: { id: incidentId, incident: 'object.phone', score: 0.61, at: 4200, evidenceSha256: sha(jpeg) },
    };
    expect(data(await request(socket, 'event:log', event))).toMatchObject({ duplicate: false });
    // A payload that does not fit the event type is refused.
    expect(
      await request(socket, 'event:log', {
        ...event,
        seq: event.seq + 1,
        id: 'evt-scan-0002',
        data: { id: incidentId, incident: 'object.sofa', score: 2, at: 1 },
      }),
    ).toMatchObject({
      error: { code: 'invalid' },
    });

    const stored = await h.store.getEvidence(link.sessionId, incidentId);
    expect(stored?.sha256).toBe(sha(jpeg));
    const events = await h.store.listEvents(link.sessionId);
    expect(events.filter((e) => e.type === 'room_scan.object').map((e) => e.data)).toEqual([event.data]);
    expect(events.some((e) => e.type === 'evidence.stored')).toBe(true);

    const proctor = await h.staffToken('proctor');
    const res = await fetch(`${h.url}/api/sessions/${link.sessionId}/evidence/${incidentId}`, {
      headers: { authorization: `Bearer ${proctor}` },
    });
    expect(res.status).toBe(200);
    expect(sha(new Uint8Array(await res.arrayBuffer()))).toBe(sha(jpeg));
    socket.close();
  });
});
