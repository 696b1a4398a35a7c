/**
 * An exam scheduled for later. The candidate who opens the link early does the steps before
 * the exam, then sees when it opens (in Kazakh here) with the start button held; at the window's start,
 * by the centre's clock, the button works and the exam begins.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IssuedExam } from '../src/shared/admin';
import { seriousViolations } from './support/axe';
import { CandidatePage } from './support/pages';
import { browserSuite } from './support/suite';
import { PROJECT_ROOT } from '../src/server/config';

const suite = browserSuite();
const OPENS_IN_MS = 50_000;

describe('an exam window that has not opened yet', () => {
  it('the steps are done early, the start waits for the window and then works', async () => {
    const h = suite.centre;
    await h.setSteps({ identity: false, roomScan: false });
    const admin = await h.staffToken('admin');
    const now = h.clock.now();
    const res = await h.http<IssuedExam>('POST', '/api/admin/exams', admin, {
      candidateId: h.candidateId,
      programmeId: h.programmeId,
      windowStart: now + OPENS_IN_MS,
      windowEnd: now + 3 * 3600_000,
    });
    if (!('data' in res.body)) throw new Error(JSON.stringify(res.body));
    const candidate = new CandidatePage(await (await suite.newContext('kk-KZ', { bypassCSP: true })).newPage());
    const page = candidate.page;
    await candidate.open(res.body.data.url);
    await candidate.chooseLanguage('Қазақша');
    await candidate.passPrestart();
    await page.locator('[data-testid="proctoring-ready"]').waitFor({ timeout: 90_000 });
    await page.getByTestId('briefing-confirm').check();

    const note = page.getByTestId('opens-at');
    const start = page.locator('.page.exam button.primary');
    expect(h.clock.now(), 'the steps took longer than the window’s delay').toBeLessThan(now + OPENS_IN_MS - 5_000);
    await note.waitFor({ timeout: 5_000 });
    expect(await note.innerText()).toMatch(/Емтиханның ашылу уақыты: \d{2}:\d{2}/);
    expect(await note.innerText()).not.toMatch(/[A-Za-z]/);
    expect(await start.isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'screenshots', 'exam-opens-at-kk.png'), fullPage: true });
    console.log(`[exam window] the start held with ${Math.round((now + OPENS_IN_MS - h.clock.now()) / 1000)} s to go`);
    await page.locator('.page.exam button.primary:not([disabled])').waitFor({ timeout: OPENS_IN_MS + 10_000 });
    expect(h.clock.now()).toBeGreaterThanOrEqual(now + OPENS_IN_MS - 1_000); // within the browser's clock estimate
    await start.click();
    await candidate.waitForPhase('test');
    expect((await h.store.getSession(res.body.data.sessionId))!.startedAt!).toBeGreaterThanOrEqual(now + OPENS_IN_MS);
  });
});
