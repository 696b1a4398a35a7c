/**
 * At the centre: the steps before the first question (system check with its bandwidth
 * probes, Appendix 1 consent, the 360° room scan of rule 2.8.3) through real sockets, and
 * exam:start refused until every step the programme requires is done.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CURRENT_CONSENT } from '../shared/consent';
import { MAX_PROBE_BYTES, type ExamSnapshot, type SystemCheckReport } from '../shared/protocol';
import { data, request, startHarness, type CandidateSocket, type Harness } from '../testing/centre-harness';
import { FULL_ROOM_SCAN, PASSING_SYSTEM_CHECK } from '../testing/prestart-steps';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const consentFor = (language: 'kk' | 'ru') => ({
  version: CURRENT_CONSENT.version,
  textSha256: CURRENT_CONSENT.sha256[language],
  language,
});
const FAILED_CHECK: SystemCheckReport = {
  ok: false,
  items: PASSING_SYSTEM_CHECK.items.map((i) =>
    i.item === 'network' ? { item: 'network', ok: false, detail: { kbps: 120, rttMs: 900 } } : i,
  ),
};

async function candidate(language: 'kk' | 'ru' | null = 'ru'): Promise<{ socket: CandidateSocket; sessionId: string }> {
  const { token, sessionId } = await h.issueToken();
  const socket = await h.candidate(token);
  if (language) data(await request(socket, 'exam:choose-language', { language }));
  return { socket, sessionId };
}

async function eventTypes(sessionId: string): Promise<string[]> {
  return (await h.store.listEvents(sessionId)).map((e) => e.type);
}

describe('the path to the first question (identity switched off: its service is tested on its own)', () => {
  beforeEach(async () => {
    await h.setSteps({ identity: false });
  });

  it('probe, system check, consent, room scan, then the exam starts; each step is recorded with the server time and logged', async () => {
    const { socket, sessionId } = await candidate('kk');
    expect(data(await request(socket, 'check:upload', { bytes: new Uint8Array(64 * 1024) }))).toEqual({ bytes: 64 * 1024 });

    const afterCheck = data(await request<ExamSnapshot>(socket, 'exam:system-check', PASSING_SYSTEM_CHECK));
    expect(afterCheck.prestart.systemCheck).toEqual({ ok: true, at: expect.any(Number) });
    expect(afterCheck.prestart.consent).toBeNull();

    const before = h.clock.now();
    const afterConsent = data(await request<ExamSnapshot>(socket, 'exam:consent', consentFor('kk')));
    expect(afterConsent.prestart.consent).toMatchObject({ version: CURRENT_CONSENT.version });
    const stored = await h.store.getPrestart(sessionId);
    expect(stored.consent).toEqual({ ...consentFor('kk'), at: expect.any(Number) });
    expect(stored.consent!.at).toBeGreaterThanOrEqual(before);

    const afterScan = data(await request<ExamSnapshot>(socket, 'room-scan:report', FULL_ROOM_SCAN));
    expect(afterScan.prestart.roomScan).toMatchObject({ coverageDeg: 360, complete: true });
    expect((await h.store.getPrestart(sessionId)).roomScan).toMatchObject({ attempts: 1, complete: true });

    const started = data(await request<ExamSnapshot>(socket, 'exam:start'));
    expect(started.status).toBe('in_progress');
    const types = await eventTypes(sessionId);
    expect(types.filter((t) => ['system.checked', 'consent.given', 'room_scan.completed', 'session.started'].includes(t))).toEqual([
      'system.checked',
      'consent.given',
      'room_scan.completed',
      'session.started',
    ]);
    const checked = (await h.store.listEvents(sessionId)).find((e) => e.type === 'system.checked')!;
    expect(checked.data).toEqual({ ...PASSING_SYSTEM_CHECK, failedItems: '—' }); // the proctor sees every item with its figures
  });

  it('a failed system check is recorded and logged, and keeps the exam from starting until a passing one', async () => {
    const { socket, sessionId } = await candidate();
    const snap = data(await request<ExamSnapshot>(socket, 'exam:system-check', FAILED_CHECK));
    expect(snap.prestart.systemCheck).toMatchObject({ ok: false });
    expect((await h.store.listEvents(sessionId)).find((e) => e.type === 'system.checked')!.data).toMatchObject({
      ok: false,
      failedItems: 'network',
    });
    expect(await request(socket, 'exam:consent', consentFor('ru'))).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/system check/) },
    });
    expect(await request(socket, 'exam:start')).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/system check/) },
    });
    data(await request(socket, 'exam:system-check', PASSING_SYSTEM_CHECK));
    data(await request(socket, 'exam:consent', consentFor('ru')));
  });

  it('rule 2.8.3: a partial scan is recorded and logged as failed but does not count; a full one then does', async () => {
    const { socket, sessionId } = await candidate();
    data(await request(socket, 'exam:system-check', PASSING_SYSTEM_CHECK));
    data(await request(socket, 'exam:consent', consentFor('ru')));
    const third = { ...FULL_ROOM_SCAN, coverageDeg: 120, complete: false, returnedToStart: false };
    expect(data(await request<ExamSnapshot>(socket, 'room-scan:report', third)).prestart.roomScan).toMatchObject({
      coverageDeg: 120,
      complete: false,
    });
    // A browser that claims "complete" for 300° is not believed either.
    const claimed = { ...FULL_ROOM_SCAN, coverageDeg: 300 };
    expect(data(await request<ExamSnapshot>(socket, 'room-scan:report', claimed)).prestart.roomScan).toMatchObject({
      coverageDeg: 300,
      complete: false,
    });
    expect(await request(socket, 'exam:start')).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/room scan.*2\.8\.3/) },
    });
    data(await request(socket, 'room-scan:report', FULL_ROOM_SCAN));
    data(await request(socket, 'room-scan:report', third)); // a later partial attempt does not undo the full one
    expect(await h.store.getPrestart(sessionId)).toMatchObject({ roomScan: { complete: true, coverageDeg: 360, attempts: 4 } });
    expect((await eventTypes(sessionId)).filter((t) => t.startsWith('room_scan.'))).toEqual([
      'room_scan.failed',
      'room_scan.failed',
      'room_scan.completed',
      'room_scan.failed',
    ]);
    const failed = (await h.store.listEvents(sessionId)).find((e) => e.type === 'room_scan.failed')!;
    expect(failed.data).toMatchObject({ coverageDeg: 120, attempt: 1 });
    expect(data(await request<ExamSnapshot>(socket, 'exam:start')).status).toBe('in_progress');
  });

  it('steps out of order are refused with the step that comes first', async () => {
    const { socket } = await candidate(null);
    // Before the language (rule 9): nothing.
    for (const [event, payload] of [
      ['check:upload', { bytes: new Uint8Array(10) }],
      ['exam:system-check', PASSING_SYSTEM_CHECK],
      ['exam:consent', consentFor('ru')],
      ['room-scan:report', FULL_ROOM_SCAN],
    ] as const) {
      expect(await request(socket, event, payload), event).toMatchObject({
        error: { code: 'conflict', message: expect.stringMatching(/language/) },
      });
    }
    data(await request(socket, 'exam:choose-language', { language: 'ru' }));
    expect(await request(socket, 'exam:consent', consentFor('ru'))).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/system check/) },
    });
    expect(await request(socket, 'room-scan:report', FULL_ROOM_SCAN)).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/system check/) },
    });
    data(await request(socket, 'exam:system-check', PASSING_SYSTEM_CHECK));
    expect(await request(socket, 'room-scan:report', FULL_ROOM_SCAN)).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/consent/) },
    });
  });

  it('bad payloads get a clear "invalid" and change nothing', async () => {
    const { socket, sessionId } = await candidate();
    const cases: Array<[string, unknown]> = [
      ['check:upload', { bytes: 'aaaa' }],
      ['check:upload', { bytes: new Uint8Array(0) }],
      ['check:upload', { bytes: new Uint8Array(MAX_PROBE_BYTES + 1) }],
      ['check:upload', { bytes: new Uint8Array(10), extra: 1 }],
      ['exam:system-check', { ...PASSING_SYSTEM_CHECK, ok: false }], // ok must agree with the items
      ['exam:system-check', { ok: true, items: [...PASSING_SYSTEM_CHECK.items, PASSING_SYSTEM_CHECK.items[0]] }],
      ['exam:system-check', { ok: true, items: [{ item: 'gpu', ok: true, detail: {} }] }],
      ['exam:system-check', null],
      ['room-scan:report', { ...FULL_ROOM_SCAN, coverageDeg: 900 }],
      ['room-scan:report', { ...FULL_ROOM_SCAN, frames: -1 }],
    ];
    for (const [event, payload] of cases)
      expect(await request(socket, event, payload), `${event} ${JSON.stringify(payload)?.slice(0, 80)}`).toMatchObject({
        error: { code: 'invalid' },
      });
    data(await request(socket, 'exam:system-check', PASSING_SYSTEM_CHECK));
    const consents: unknown[] = [
      { ...consentFor('ru'), textSha256: 'a'.repeat(64) }, // a text the centre never showed
      { ...consentFor('ru'), version: 'appendix1-1999.1' },
      { ...consentFor('ru'), version: '../etc/passwd' },
      consentFor('kk'), // the Kazakh text for an exam in Russian
      { ...consentFor('ru'), textSha256: CURRENT_CONSENT.sha256.kk },
      { ...consentFor('ru'), language: 'en', textSha256: CURRENT_CONSENT.sha256.en }, // English is not an exam language (rule 9)
      { version: CURRENT_CONSENT.version, language: 'ru' },
    ];
    for (const c of consents)
      expect(await request(socket, 'exam:consent', c), JSON.stringify(c)).toMatchObject({
        error: { code: 'invalid', message: expect.any(String) },
      });
    expect((await h.store.getPrestart(sessionId)).consent).toBeUndefined();
    expect(await eventTypes(sessionId)).not.toContain('consent.given');
    // The connection survived all of it.
    expect(data(await request<ExamSnapshot>(socket, 'exam:consent', consentFor('ru'))).prestart.consent).not.toBeNull();
  });

  it('once the exam has started (or ended), no step before it can be taken again', async () => {
    const { socket } = await candidate();
    await h.passPrestart(socket);
    data(await request(socket, 'exam:start'));
    for (const [event, payload] of [
      ['check:upload', { bytes: new Uint8Array(10) }],
      ['exam:system-check', FAILED_CHECK],
      ['exam:consent', consentFor('ru')],
      ['room-scan:report', FULL_ROOM_SCAN],
    ] as const) {
      expect(await request(socket, event, payload), event).toMatchObject({
        error: { code: 'conflict', message: expect.stringMatching(/before it starts/) },
      });
    }
    data(await request(socket, 'exam:submit'));
    expect(await request(socket, 'exam:consent', consentFor('ru'))).toMatchObject({ error: { code: 'conflict' } });
  });
});

describe('exam:start names the missing step, as the programme sets the steps', () => {
  it('consent is always required (Appendix 1), even with every switchable step off', async () => {
    await h.setSteps({ systemCheck: false, identity: false, roomScan: false });
    const { socket } = await candidate();
    expect(await request(socket, 'exam:start')).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/consent.*Appendix 1/) },
    });
    data(await request(socket, 'exam:consent', consentFor('ru')));
    expect(data(await request<ExamSnapshot>(socket, 'exam:start')).status).toBe('in_progress');
  });

  it('with the default settings: system check, then consent, then identity (rule 2.8.6), then the room scan (rule 2.8.3)', async () => {
    const { socket, sessionId } = await candidate();
    expect(await request(socket, 'exam:start')).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/system check/) },
    });
    data(await request(socket, 'exam:system-check', PASSING_SYSTEM_CHECK));
    expect(await request(socket, 'exam:start')).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/consent/) } });
    data(await request(socket, 'exam:consent', consentFor('ru')));
    expect(await request(socket, 'exam:start')).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/identity.*2\.8\.6/) },
    });
    expect(await request(socket, 'room-scan:report', FULL_ROOM_SCAN)).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/identity/) },
    });
    // The identity step's record, as the identity service writes it.
    await h.store.updatePrestart(sessionId, {
      identity: { verifiedAt: h.clock.now(), similarity: 0.9, attempts: 1, reference: 'enrolled' },
    });
    expect(await request(socket, 'exam:start')).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/room scan/) } });
    data(await request(socket, 'room-scan:report', FULL_ROOM_SCAN));
    expect(data(await request<ExamSnapshot>(socket, 'exam:start')).status).toBe('in_progress');
  });

  it('a step switched off is not asked for; switched on again, it is', async () => {
    await h.setSteps({ systemCheck: false, identity: false });
    const { socket } = await candidate();
    data(await request(socket, 'exam:consent', consentFor('ru')));
    expect(await request(socket, 'exam:start')).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/room scan/) } });
    await h.setSteps({ roomScan: false, systemCheck: true });
    expect(await request(socket, 'exam:start')).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/system check/) },
    });
    await h.setSteps({ systemCheck: false });
    expect(data(await request<ExamSnapshot>(socket, 'exam:start')).status).toBe('in_progress');
  });

  it('the admin route takes the step switches and refuses consent as a switch', async () => {
    const admin = await h.staffToken('admin');
    const put = await h.http('PUT', `/api/programmes/${h.programmeId}/proctoring`, admin, { steps: { roomScan: false } });
    expect(put.status).toBe(200);
    const bad = await h.http('PUT', `/api/programmes/${h.programmeId}/proctoring`, admin, { steps: { consent: false } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/steps.*consent/);
    const { socket } = await candidate();
    expect(data(await request<ExamSnapshot>(socket, 'exam:resume')).proctoring.config.steps).toEqual({
      systemCheck: true,
      identity: true,
      roomScan: false,
    });
  });
});
