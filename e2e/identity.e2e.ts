/**
 * Identity before the exam (rule 2.8.6) through the candidate's real page, with the fake camera
 * on the fixtures (e2e/fixtures/README.md) and a reference photo uploaded by an admin:
 * - the turning head of person P (identity-live.mjpeg) against P's photo (reference.jpg): verified;
 * - the same clip against a photo of another person Q (a frame of other-person-6s.mjpeg): the
 *   liveness passes but the face does not match, and the page says what to do, with tries left;
 * - P's photo held still in front of the camera (identity-still.mjpeg): the liveness fails.
 * Chromium gets one fake video per launch, so each clip has its own describe (and browser).
 * Last, `npm run eval -- --reference` re-verifies during the exam: P passes, Q raises face.mismatch.
 * The system check and the room scan are switched off for the programme: this file is about identity.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runEval } from '../src/cli/eval-runner';
import { FIXTURE_DIR, MjpegClip } from '../src/testing/mjpeg';
import type { Harness } from '../src/testing/centre-harness';
import { seriousViolations } from './support/axe';
import { CandidatePage } from './support/pages';
import { uploadReference } from './support/reference-photo';
import { browserSuite } from './support/suite';

const REFERENCE_P = readFileSync(path.join(FIXTURE_DIR, 'reference.jpg'));

/** From the link to the identity screen: language, devices, consent. */
async function toIdentity(centre: Harness, page: Page): Promise<{ candidate: CandidatePage; sessionId: string }> {
  await centre.setSteps({ systemCheck: false, roomScan: false });
  const link = await centre.issueToken();
  const candidate = new CandidatePage(page);
  await candidate.open(link.url);
  await candidate.chooseLanguage('Русский');
  await candidate.reachIdentity();
  return { candidate, sessionId: link.sessionId };
}

const identityEvents = async (centre: Harness, sessionId: string) =>
  (await centre.store.listEvents(sessionId))
    .filter((e) => e.type.startsWith('identity.'))
    .map((e) => ({ type: e.type, data: e.data as Record<string, unknown> }));

describe('identity: the turning head of the person on file', () => {
  const suite = browserSuite({ video: 'identity-live.mjpeg', audio: 'silence.wav' });

  it('asks to turn left and right, verifies against the reference, and moves on', async () => {
    await uploadReference(suite.centre, REFERENCE_P);
    const page = await (await suite.newContext('ru-RU')).newPage();
    const { candidate, sessionId } = await toIdentity(suite.centre, page);
    await page.getByTestId('identity-start').click();
    // The prompts are spoken through a live region while the check runs.
    await expect
      .poll(() => page.getByTestId('identity-prompt').innerText(), { timeout: 30_000 })
      .toMatch(/Посмотрите в камеру|Медленно поверните голову влево|Теперь вправо|Готово/);
    // The attempt may take up to 30 s on a busy machine (liveness waits for both turns); then the page moves on.
    // A loaded machine may analyse too few frames to see both turns within a try: the page then says so and offers
    // another try, as it would to a real candidate. One such miss is allowed; a mismatch or anything else is not.
    const failed = page.getByTestId('identity-failed');
    for (let attempt = 1; attempt <= 2; attempt++) {
      await page.locator('.page.exam[data-phase="briefing"], [data-testid="identity-failed"]').first().waitFor({ timeout: 90_000 });
      if ((await candidate.phase()) === 'briefing' || attempt === 2) break;
      expect(await failed.innerText()).toContain('Повороты головы не были замечены вовремя');
      await page.getByTestId('identity-start').click();
      await failed.waitFor({ state: 'detached', timeout: 10_000 });
    }
    expect(await candidate.phase(), (await failed.count()) ? await failed.innerText() : '').toBe('briefing');
    const events = await identityEvents(suite.centre, sessionId);
    expect(events.at(-1)!.type).toBe('identity.verified');
    expect(events.slice(0, -1).map((e) => e.type)).toEqual(events.length === 2 ? ['identity.failed'] : []);
    const verified = events.at(-1)!;
    expect(verified.data).toMatchObject({ reference: 'file', liveness: { passed: true, method: 'turn' } });
    expect(verified.data.similarity as number).toBeGreaterThanOrEqual(0.6);
    console.log(
      `identity e2e: P vs P similarity ${verified.data.similarity}, liveness ${JSON.stringify(verified.data.liveness)}, tries ${events.length}`,
    );
  }, 240_000);
});

describe('identity: a live face that is not the person on file', () => {
  const suite = browserSuite({ video: 'identity-live.mjpeg', audio: 'silence.wav' });

  it('passes the liveness but does not match; the page says why, what to do, and the tries left', async () => {
    // The reference on file is person Q (a frame of other-person-6s.mjpeg); the camera shows P.
    await uploadReference(suite.centre, new MjpegClip('other-person-6s.mjpeg').jpegAt(60));
    // bypassCSP only so the accessibility checker can be injected (see e2e/accessibility.e2e.ts).
    const page = await (await suite.newContext('ru-RU', { bypassCSP: true })).newPage();
    const { candidate, sessionId } = await toIdentity(suite.centre, page);
    expect(await seriousViolations(page), 'identity screen').toEqual([]);
    await page.getByTestId('identity-start').click();
    const failed = page.getByTestId('identity-failed');
    await failed.waitFor({ timeout: 90_000 });
    // As in the first test: a loaded machine may analyse too few frames to see both turns within a try, and
    // the page then asks for another (a try used, nothing compared). One such miss is allowed, nothing else.
    let tries = 1;
    if (/Повороты головы не были замечены вовремя/.test(await failed.innerText())) {
      await page.getByTestId('identity-start').click();
      await failed.waitFor({ state: 'detached', timeout: 10_000 });
      await failed.waitFor({ timeout: 90_000 });
      tries = 2;
    }
    expect(await failed.innerText()).toMatch(/не совпало с фотографией/);
    expect(await failed.innerText()).toMatch(/осветите лицо спереди/);
    expect(await page.getByTestId('identity-attempts').innerText()).toMatch(new RegExp(`Осталось попыток: ${5 - tries}`));
    expect(await candidate.phase()).toBe('identity');
    const events = await identityEvents(suite.centre, sessionId);
    expect(events.map((e) => e.type)).toEqual(Array<string>(tries).fill('identity.failed'));
    const compared = events.at(-1)!;
    expect(compared.data).toMatchObject({ reference: 'file', liveness: { passed: true }, reason: 'face does not match the reference' });
    expect(compared.data.similarity as number).toBeLessThan(0.6);
    console.log(`identity e2e: P vs Q similarity ${compared.data.similarity}, tries ${tries}`);
    // The way on is the same button, as a retry.
    expect(await page.getByTestId('identity-start').innerText()).toMatch(/Попробовать снова/);
    expect(await seriousViolations(page), 'identity failed').toEqual([]);
  }, 240_000);
});

describe('identity: a photo held still in front of the camera', () => {
  const suite = browserSuite({ video: 'identity-still.mjpeg', audio: 'silence.wav' });

  it('fails the liveness check (no head turn) and is never verified', async () => {
    await uploadReference(suite.centre, REFERENCE_P);
    // The programme gives 8 s for the turn instead of 30 (identityTurnSec): the same failure, sooner.
    await suite.centre.store.setProgrammeProctoring(suite.centre.programmeId, { identityTurnSec: 8 });
    const page = await (await suite.newContext('ru-RU')).newPage();
    const { candidate, sessionId } = await toIdentity(suite.centre, page);
    await page.getByTestId('identity-start').click();
    const failed = page.getByTestId('identity-failed');
    await failed.waitFor({ timeout: 60_000 }); // the attempt gives up after 8 s without a turn
    expect(await failed.innerText()).toMatch(/Повороты головы не были замечены/);
    expect(await candidate.phase()).toBe('identity');
    // The try reached the centre and is logged for the proctor, never as verified.
    const events = await identityEvents(suite.centre, sessionId);
    expect(events.map((e) => e.type)).toEqual(['identity.failed']);
    // The centre's own reading of the three photos (src/server/identity-service.ts, judgeTurn), whatever the browser concluded.
    expect(events[0]!.data).toMatchObject({ reason: 'the photos do not show a head turn both ways', liveness: { passed: false } });
    expect(await page.getByTestId('identity-attempts').innerText()).toMatch(/Осталось попыток: 4/);
  }, 240_000);
});

describe('npm run eval --reference: re-verification during the exam', () => {
  it('reports the person on file as verified, and another person as not, with a face.mismatch incident', async () => {
    const common = {
      audio: path.join(FIXTURE_DIR, 'silence.wav'),
      seconds: 30,
      reference: path.join(FIXTURE_DIR, 'reference.jpg'),
      identityEverySec: 10,
    };
    const same = await runEval({ ...common, video: path.join(FIXTURE_DIR, 'same-person-6s.mjpeg') });
    console.log(`eval identity, P: ${JSON.stringify({ ...same.identity, log: undefined })}`);
    expect(same.identity).toMatchObject({ verified: true, mismatchIncidents: 0 });
    expect(same.identity!.similarity!.min).toBeGreaterThanOrEqual(0.6);
    expect(same.incidents.filter((i) => i.type === 'face.mismatch')).toEqual([]);
    const other = await runEval({ ...common, video: path.join(FIXTURE_DIR, 'other-person-6s.mjpeg') });
    console.log(`eval identity, Q: ${JSON.stringify({ ...other.identity, log: undefined })}`);
    expect(other.identity).toMatchObject({ verified: false });
    expect(other.identity!.similarity!.max).toBeLessThan(0.6);
    expect(other.identity!.mismatchIncidents).toBeGreaterThanOrEqual(1);
  }, 480_000);
});
