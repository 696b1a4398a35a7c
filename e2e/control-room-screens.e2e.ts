/**
 * The control room's screens with a dozen candidates (simulated over socket.io with
 * real camera stills and evidence from the test clips; the proctor's browser is real): the grid
 * shows every card with its thumbnail, the queue works by keyboard alone, the drill-down opens,
 * and none of them has a serious or critical WCAG 2.1 AA violation in kk, ru or en. Screenshots
 * go to $TANU_SCREENSHOTS (default: a folder in the system's temp dir) for people to look at.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MjpegClip } from '../src/testing/mjpeg';
import { TEST_PASSWORD } from '../src/testing/centre-harness';
import { seriousViolations } from './support/axe';
import { ProctorPage } from './support/pages';
import { simulatedCandidates } from './support/simulated-candidates';
import { browserSuite } from './support/suite';

const suite = browserSuite();
const SHOTS = process.env.TANU_SCREENSHOTS ?? path.join(os.tmpdir(), 'tanu-screenshots');

describe('the control room with a dozen candidates', () => {
  it('grid with thumbnails, queue by keyboard alone, drill-down; axe-clean in kk, ru and en', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const h = suite.centre;
    const clips = ['single-face-5s.mjpeg', 'two-faces-5s.mjpeg', 'same-person-6s.mjpeg', 'no-face-5s.mjpeg', 'other-person-6s.mjpeg'].map(
      (f) => new MjpegClip(f),
    );
    const phone = new MjpegClip('phone-5s.mjpeg');
    const people = await simulatedCandidates(h, 13, clips, (i) => (i < 11 ? 'started' : 'waiting'));
    // Incidents as the engine reports them: a second face, a phone, speech; two candidates end up warned.
    const multiple = await people[1]!.incident('face.multiple');
    await people[4]!.incident('object.phone', phone);
    await people[6]!.incident('audio.speech');
    await people[8]!.incident('face.absent');

    const context = await suite.newContext('en-GB', { bypassCSP: true });
    const page = await context.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    const proctor = new ProctorPage(page);
    await proctor.logIn(h.url, 'proctor', TEST_PASSWORD);

    // Every card, each with a live camera still from its candidate's stream.
    await expect.poll(() => page.getByTestId('session-card').count(), { timeout: 15_000 }).toBe(13);
    for (const p of people.slice(0, 12)) {
      await page.waitForFunction(
        (id) => {
          const img = document.querySelector<HTMLImageElement>(
            `[data-testid="session-card"][data-session-id="${id}"] img[data-testid="card-thumb"]`,
          );
          return !!img && img.complete && img.naturalWidth > 0;
        },
        p.sessionId,
        { timeout: 20_000 },
      );
    }
    await expect.poll(() => page.getByTestId('queue-item').count(), { timeout: 10_000 }).toBe(4);
    await page.screenshot({ path: path.join(SHOTS, 'control-room-grid-en.png') });

    for (const language of ['kk', 'ru', 'en'] as const) {
      await page.locator('.lang-switch select').selectOption(language);
      await page.locator(`html[lang="${language}"]`).waitFor({ timeout: 5_000 });
      expect(await seriousViolations(page), `${language} grid and queue`).toEqual([]);
      if (language !== 'en') {
        // Nothing English leaks into the kk / ru control room (names and codes aside).
        const text = await page.locator('.dashboard').innerText();
        const english = text.match(/\b(?:the|and|left|incident|confirm|dismiss|warned|online|offline|minutes?|answered)\b/gi) ?? [];
        expect(english, `${language}: English words on the screen`).toEqual([]);
        await page.screenshot({ path: path.join(SHOTS, `control-room-grid-${language}.png`) });
      }
    }

    // The compact list for a large room.
    await page.getByTestId('view-list').click();
    await page.getByTestId('session-list').waitFor();
    expect(await seriousViolations(page), 'list view').toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'control-room-list-en.png') });
    await page.getByTestId('view-grid').click();

    // The queue by keyboard alone: Tab into it, arrows to move, D to dismiss, C to confirm, Enter to open.
    let inQueue = false;
    for (let i = 0; i < 120 && !inQueue; i++) {
      await page.keyboard.press('Tab');
      inQueue = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'queue-item');
    }
    expect(inQueue, 'Tab reaches the queue').toBe(true);
    const focusedId = () => page.evaluate(() => document.activeElement?.getAttribute('data-incident-id') ?? null);
    const first = await focusedId();
    await page.keyboard.press('ArrowDown');
    const second = await focusedId();
    expect(second).not.toBe(first);
    await page.keyboard.press('ArrowUp');
    expect(await focusedId()).toBe(first);
    // Go to the two-faces incident and dismiss it; confirm the next one.
    for (let i = 0; i < 4 && (await focusedId()) !== multiple; i++) await page.keyboard.press('ArrowDown');
    expect(await focusedId()).toBe(multiple);
    await page.keyboard.press('d');
    await page.locator(`[data-testid="queue-item"][data-incident-id="${multiple}"][data-decision="dismissed"]`).waitFor({ timeout: 5_000 });
    await page.keyboard.press('ArrowUp');
    const confirmed = await focusedId();
    await page.keyboard.press('c');
    await page
      .locator(`[data-testid="queue-item"][data-incident-id="${confirmed}"][data-decision="confirmed"]`)
      .waitFor({ timeout: 5_000 });
    const dismissed = (await h.store.listEvents(people[1]!.sessionId)).find((e) => e.type === 'incident.dismissed');
    expect(dismissed?.data).toMatchObject({ incidentId: multiple, by: { name: 'Proctor Demo' } });
    await page.screenshot({ path: path.join(SHOTS, 'control-room-queue-en.png') });

    await page.locator(`[data-testid="queue-item"][data-incident-id="${multiple}"]`).focus();
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('candidate-detail');
    await detail.waitFor({ timeout: 5_000 });
    await expect.poll(() => detail.innerText(), { timeout: 5_000 }).toContain(people[1]!.name);
    await detail.getByTestId('signals').waitFor({ timeout: 5_000 });
    for (const language of ['ru', 'kk', 'en'] as const) {
      await page.locator('.lang-switch select').selectOption(language);
      await page.locator(`html[lang="${language}"]`).waitFor({ timeout: 5_000 });
      expect(await seriousViolations(page), `${language} drill-down`).toEqual([]);
    }
    await page.getByTestId('act-message').click();
    expect(await seriousViolations(page), 'action form').toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'control-room-detail-en.png'), fullPage: true });
  });
});
