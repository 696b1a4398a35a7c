/**
 * Accommodations for candidates with disabilities (rules 10-11) in the browser, on the two-faces clip (a second person beside the candidate
 * the
 * whole time). A candidate whose accommodations allow an assistant sits the exam: the briefing names the
 * assistant and the extra time, the countdown has the extra time, the second face is logged and never
 * warns, and a break stops the timer. The same clip without accommodations gets the rule 13 warning.
 * Last, on the turning head of person P (identity-live.mjpeg): after P's own identity the identity step
 * asks for the assistant by name, and a photo of P again is refused as the candidate's own face (rule 11).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_ACCOMMODATIONS, type Accommodations } from '../src/shared/accommodations';
import { PROJECT_ROOT } from '../src/server/config';
import { TEST_PASSWORD, waitUntil } from '../src/testing/centre-harness';
import { FIXTURE_DIR } from '../src/testing/mjpeg';
import { CandidatePage, ProctorPage } from './support/pages';
import { uploadReference } from './support/reference-photo';
import { browserSuite } from './support/suite';

/** Screenshots for people to look at: the briefing, the proctor's card, the assistant's part of the identity step. */
const SHOTS = path.join(PROJECT_ROOT, 'docs', 'screenshots');
const suite = browserSuite({ video: 'two-faces-5s.mjpeg', audio: 'silence.wav' });
/**
 * A blind candidate with a reader: a screen reader and an assistant. The screen reader is part of it because on this clip
 * the face mesh, given two faces, now and then measures the pose of the tilted one (pitch ~26°, head.away): a reading for
 * the head-pose detection work, not what this test is about (the second face and speech are expected).
 */
const ASSISTED: Accommodations = {
  ...NO_ACCOMMODATIONS,
  screenReader: true,
  assistant: { name: 'Ахметова Дана' },
  extraTime: { unit: 'minutes', value: 20 },
  breaks: { count: 1, minutes: 5 },
  largeText: true,
  highContrast: true,
};

/** Minutes on the countdown ("59:58" or "1:00:00"). */
const countdownMinutes = (text: string) => {
  const parts = text.trim().split(':').map(Number);
  return parts.length === 3 ? parts[0]! * 60 + parts[1]! : parts[0]!;
};

describe('accommodations honoured end to end (rules 10-11)', () => {
  it('an assistant allowed: the second face is logged, never warned; extra time and a break', async () => {
    const h = suite.centre;
    await h.setSteps({ identity: false, roomScan: false });
    const admin = await h.staffToken('admin');
    const set = await h.http('PUT', `/api/admin/candidates/${h.candidateId}/accommodations`, admin, {
      accommodations: ASSISTED,
      reason: 'Справка МСЭ № 0421',
    });
    expect(set.status).toBe(200);
    const link = await h.issueToken();

    const candidate = new CandidatePage(await (await suite.newContext('ru-RU')).newPage());
    const page = candidate.page;
    await candidate.open(link.url);
    await candidate.chooseLanguage('Русский');
    await candidate.passPrestart();
    const briefing = page.getByTestId('briefing-accommodations');
    await briefing.waitFor({ timeout: 15_000 });
    expect(await briefing.innerText()).toContain('Ахметова Дана');
    expect(await briefing.innerText()).toContain('дополнительное время: +20 мин');
    expect(await page.getByTestId('briefing-extra-time').innerText()).toContain('60 мин'); // 40 + 20
    // Large text and high contrast from the accommodations, without the candidate choosing them.
    expect(await page.evaluate(() => [document.documentElement.dataset.textSize, document.documentElement.dataset.contrast])).toEqual([
      'large',
      'high',
    ]);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'briefing-accommodations-ru.png'), fullPage: true });
    await candidate.start();
    expect(countdownMinutes(await page.getByTestId('countdown').innerText())).toBeGreaterThanOrEqual(59);

    // The second face is seen and kept in the log, and judged as expected: no warning, here or at the centre.
    await waitUntil(
      async () =>
        (await h.store.listEvents(link.sessionId)).some(
          (e) => e.type === 'incident.open' && (e.data as { incident: { type: string } }).incident.type === 'face.multiple',
        ),
      60_000,
    );
    await page.waitForTimeout(2_000); // the centre's answer to that report has come back
    const log = await h.store.listEvents(link.sessionId);
    const lines = log
      .slice(-30)
      .map((e) => `${e.type} ${JSON.stringify(e.data).slice(0, 200)}`)
      .join('\n');
    expect(await page.getByTestId('warning').count(), `the candidate was warned:\n${lines}`).toBe(0);
    expect(log.filter((e) => e.type === 'policy.warning')).toHaveLength(0);
    expect(log.find((e) => e.type === 'accommodations.applied')?.data).toMatchObject({
      extraMinutes: 20,
      excused: ['audio.speech', 'face.multiple', 'head.away'],
    });

    // A break: the questions are covered, the timer stops at the centre, and the candidate comes back.
    const before = (await h.store.getSession(link.sessionId))!.deadlineAt!;
    await page.getByTestId('break-start').click();
    await page.getByTestId('break-on').waitFor({ timeout: 10_000 });
    expect((await h.store.getSession(link.sessionId))!.paused).toMatchObject({ reason: 'break' });
    await page.waitForTimeout(1_500);
    await page.getByTestId('break-end').click();
    await page.getByTestId('break-none-left').waitFor({ timeout: 10_000 });
    const after = (await h.store.getSession(link.sessionId))!;
    expect(after.paused).toBeNull();
    expect(after.deadlineAt! - before).toBeGreaterThanOrEqual(1_500);
    expect((await h.store.listEvents(link.sessionId)).map((e) => e.type)).toEqual(expect.arrayContaining(['break.started', 'break.ended']));
    expect((await h.store.getSession(link.sessionId))!.status).toBe('in_progress');

    // The proctor's card says the accommodations are in force, in the proctor's language, with the whole list for a screen reader.
    const proctor = new ProctorPage(await (await suite.newContext('kk-KZ')).newPage());
    await proctor.page.setViewportSize({ width: 1920, height: 1080 });
    await proctor.logIn(h.url, 'proctor', TEST_PASSWORD);
    const badge = proctor.card(link.sessionId).getByTestId('session-accommodations');
    await badge.waitFor({ timeout: 15_000 });
    const said = (await badge.textContent()) ?? '';
    expect(said).toContain('Ахметова Дана');
    expect(said.replace('Ахметова Дана', ''), 'no English on a Kazakh screen').not.toMatch(/[A-Za-z]/);
    await proctor.card(link.sessionId).screenshot({ path: path.join(SHOTS, 'control-room-card-accommodations-kk.png') });
  });

  it('the same clip without accommodations: the second face warns (rule 13)', async () => {
    const h = suite.centre;
    await h.setSteps({ identity: false, roomScan: false });
    const link = await h.issueToken();
    const candidate = new CandidatePage(await (await suite.newContext('ru-RU')).newPage());
    await candidate.open(link.url);
    await candidate.chooseLanguage('Русский');
    await candidate.passPrestart();
    expect(await candidate.page.getByTestId('briefing-accommodations').count()).toBe(0);
    expect(
      await candidate.page.evaluate(() => [document.documentElement.dataset.textSize, document.documentElement.dataset.contrast]),
    ).toEqual(['normal', 'normal']);
    await candidate.start();
    expect(countdownMinutes(await candidate.page.getByTestId('countdown').innerText())).toBeLessThanOrEqual(40);
    const warning = candidate.page.getByTestId('warning');
    await warning.waitFor({ timeout: 60_000 });
    expect(await warning.getAttribute('data-incident')).toBe('face.multiple');
  });
});

describe('the assistant identified at the identity step (rule 11)', () => {
  const live = browserSuite({ video: 'identity-live.mjpeg', audio: 'silence.wav' });

  it("after the candidate's own identity the step asks for the assistant by name; the candidate's own face is refused", async () => {
    const h = live.centre;
    await h.setSteps({ systemCheck: false, identity: true, roomScan: false });
    const admin = await h.staffToken('admin');
    await uploadReference(h, readFileSync(path.join(FIXTURE_DIR, 'reference.jpg')));
    expect(
      (
        await h.http('PUT', `/api/admin/candidates/${h.candidateId}/accommodations`, admin, {
          accommodations: { ...NO_ACCOMMODATIONS, assistant: { name: 'Ахметова Дана' } },
          reason: 'Справка МСЭ № 0421',
        })
      ).status,
    ).toBe(200);
    const link = await h.issueToken();
    const candidate = new CandidatePage(await (await live.newContext('ru-RU')).newPage());
    const page = candidate.page;
    await candidate.open(link.url);
    await candidate.chooseLanguage('Русский');
    await candidate.reachIdentity();
    // The candidate's own part; a loaded machine may miss the turns once (as in identity.e2e.ts): one retry.
    const part = page.getByTestId('assistant-identity');
    for (let attempt = 1; attempt <= 2; attempt++) {
      await page.getByTestId('identity-start').click();
      await page.locator('[data-testid="assistant-identity"], [data-testid="identity-failed"]').first().waitFor({ timeout: 90_000 });
      if (await part.count()) break;
    }
    expect(await part.innerText()).toContain('Теперь очередь помощника (Ахметова Дана)');
    expect(await candidate.phase()).toBe('identity');
    // The camera still shows the candidate: refused in plain words, and the step stays.
    await page.locator('[data-testid="assistant-take"]:not([disabled])').click();
    const refused = page.getByTestId('assistant-refused');
    await refused.waitFor({ timeout: 60_000 });
    expect(await refused.getAttribute('data-reason')).toBe('samePerson');
    expect(await refused.innerText()).toContain('Это ваше собственное лицо');
    expect(await refused.innerText()).not.toMatch(/[A-Za-z]/);
    expect(await candidate.phase()).toBe('identity');
    await page.screenshot({ path: path.join(SHOTS, 'identity-assistant-ru.png'), fullPage: true });
    const logged = (await h.store.listEvents(link.sessionId)).filter((e) => e.type === 'identity.assistant');
    expect(logged.map((e) => e.data)).toEqual([
      expect.objectContaining({ accepted: false, assistant: 'Ахметова Дана', reasonCode: 'same_person' }),
    ]);
  }, 300_000);
});
