/**
 * The whole path with every step on (the programme's defaults), through the candidate's
 * real page with the fake camera and microphone: language (rule 9) → system check → consent
 * (Appendix 1) → identity against the photo on file with the liveness turn (rule 2.8.6) → the 360°
 * room scan (rule 2.8.3) → briefing (rule 8) → the first question. The camera plays
 * walk-identity-room.mjpeg: person P turning his head, then a full turn of a room (e2e/fixtures/README.md);
 * the file loops, so each step finds its part when it comes round.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../src/testing/mjpeg';
import { CandidatePage } from './support/pages';
import { browserSuite } from './support/suite';

describe('the whole path before the exam, every step on', () => {
  const suite = browserSuite({ video: 'walk-identity-room.mjpeg', audio: 'silence.wav' });

  it('reaches the first question only after each step, and the centre records every one in order', async () => {
    const h = suite.centre;
    const config = (
      await h.http<{ resolved: { steps: Record<string, boolean> } }>(
        'GET',
        `/api/programmes/${h.programmeId}/proctoring`,
        await h.staffToken('admin'),
      )
    ).body;
    expect('data' in config && config.data.resolved.steps).toEqual({ systemCheck: true, identity: true, roomScan: true });

    const admin = await h.staffToken('admin');
    const upload = await fetch(`${h.url}/api/candidates/${h.candidateId}/reference-photo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'image/jpeg' },
      body: readFileSync(path.join(FIXTURE_DIR, 'reference.jpg')),
    });
    expect(upload.status).toBe(200);

    const link = await h.issueToken();
    const candidate = new CandidatePage(await (await suite.newContext('kk-KZ')).newPage());
    const page = candidate.page;
    await candidate.open(link.url);
    await candidate.chooseLanguage('Қазақша');
    await candidate.passSystemCheck();
    await candidate.giveConsent('identity');

    await page.locator('[data-testid="identity-start"]:not([disabled])').waitFor({ timeout: 120_000 });
    // The clip shows P for 13.1 s of every 43.1 s: a try that starts while the camera sees only the room finds no face (or
    // catches only the end of the turn) and asks to try again; the candidate presses the same button again, as a person would.
    for (let attempt = 0; attempt < 5 && (await candidate.phase()) === 'identity'; attempt++) {
      await page.locator('[data-testid="identity-start"]:not([disabled])').click();
      await page.getByTestId('identity-failed').waitFor({ state: 'hidden', timeout: 10_000 });
      await page.locator('.page.exam[data-phase="room-scan"], [data-testid="identity-failed"]').first().waitFor({ timeout: 120_000 });
      const failed = await page.locator('[data-testid="identity-failed"]').allInnerTexts();
      console.log(`full path, identity try ${attempt + 1}: ${failed.length ? failed.join(' ').replace(/\s+/g, ' ') : 'verified'}`);
    }
    expect(
      await candidate.phase(),
      await page
        .locator('[data-testid="identity-failed"]')
        .allInnerTexts()
        .then((t) => t.join(' ')),
    ).toBe('room-scan');

    await page.getByTestId('room-scan-start').click();
    // One loop of the clip is 43.1 s; the scan completes on the first full turn it sees from its start.
    await page.locator('.page.exam[data-phase="briefing"]').waitFor({ timeout: 150_000 });
    await candidate.start();
    expect(await candidate.questionNumber()).toBe(1);

    const types = (await h.store.listEvents(link.sessionId)).map((e) => e.type);
    const order = ['language.chosen', 'system.checked', 'consent.given', 'identity.verified', 'room_scan.completed', 'session.started'];
    const positions = order.map((t) => types.indexOf(t as (typeof types)[number]));
    expect(
      positions.every((p) => p >= 0),
      JSON.stringify(types),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const prestart = await h.store.getPrestart(link.sessionId);
    expect(prestart.identity).toMatchObject({ reference: 'file' });
    expect(prestart.identity!.similarity!).toBeGreaterThanOrEqual(0.6);
    expect(prestart.roomScan).toMatchObject({ complete: true });
    expect(prestart.roomScan!.coverageDeg).toBeGreaterThanOrEqual(350);
    // The identity check and the room scan were recorded (from consent on): chunks of them reached the centre before the start.
    const events = await h.store.listEvents(link.sessionId);
    const consentAt = events.find((e) => e.type === 'consent.given')!.serverAt;
    const startedAt = events.find((e) => e.type === 'session.started')!.serverAt;
    const chunks = await h.store.listRecordingChunks(link.sessionId);
    const before = chunks.filter((c) => c.storedAt <= startedAt);
    expect(before.length, `chunks before the start: ${before.length} of ${chunks.length}`).toBeGreaterThanOrEqual(
      Math.floor((startedAt - consentAt) / 3000) - 3,
    );
    expect(before[0]?.header).toBe(true);
    console.log(
      `[full path] identity similarity ${prestart.identity!.similarity!.toFixed(3)}, room scan ${prestart.roomScan!.coverageDeg.toFixed(1)}°, ${before.length} chunks recorded in ${((startedAt - consentAt) / 1000).toFixed(1)} s from consent to start`,
    );
  }, 420_000);
});
