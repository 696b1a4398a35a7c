/**
 * People first: every candidate screen and the staff pages pass axe-core's WCAG 2.1 AA checks
 * (no serious or critical violation), and a candidate can answer and move on with the keyboard alone.
 */
import type { BrowserContext } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, waitUntil, type Harness } from '../src/testing/centre-harness';
import { seriousViolations } from './support/axe';
import { CandidatePage, ProctorPage } from './support/pages';
import { browserSuite } from './support/suite';

const suite = browserSuite();
let h: Harness;
let context: BrowserContext;

beforeEach(async () => {
  h = suite.centre;
  // Single-face clips cannot pass liveness or a 360° scan: this programme has identity and the room scan off.
  await h.setSteps({ identity: false, roomScan: false });
  context = await suite.newContext('kk-KZ', { bypassCSP: true });
});

describe('accessibility', () => {
  it('the checker itself finds violations where there are some', async () => {
    const page = await context.newPage();
    await page.setContent('<html><body><input type="text"><img src="x.png"><button></button></body></html>');
    const found = await seriousViolations(page);
    expect(found.map((v) => v.split(' ')[0])).toEqual(expect.arrayContaining(['button-name', 'image-alt', 'label']));
  });

  it('every candidate screen, in Kazakh and Russian, has no serious WCAG 2.1 AA violation', async () => {
    for (const [language, label] of [
      ['kk', 'Қазақша'],
      ['ru', 'Русский'],
    ] as const) {
      const candidate = new CandidatePage(await context.newPage());
      await candidate.open((await h.issueToken()).url);
      await candidate.waitForPhase('language');
      expect(await seriousViolations(candidate.page), `${language} language step`).toEqual([]);
      await candidate.chooseLanguage(label);
      await candidate.waitForPhase('system-check');
      expect(await seriousViolations(candidate.page), `${language} system check`).toEqual([]);
      expect(await candidate.runSystemCheck()).toBe(true);
      expect(await seriousViolations(candidate.page), `${language} system check results`).toEqual([]);
      await candidate.page.locator('[data-testid="system-check"] button.primary').click();
      await candidate.waitForPhase('consent');
      expect(await seriousViolations(candidate.page), `${language} consent`).toEqual([]);
      await candidate.page.getByRole('button', { name: language === 'kk' ? 'Келіспеймін' : 'Не согласен(на)' }).click();
      await candidate.page.getByTestId('consent-declined').waitFor();
      expect(await seriousViolations(candidate.page), `${language} consent declined`).toEqual([]);
      await candidate.page.getByTestId('consent-declined').getByRole('button').click();
      await candidate.giveConsent('briefing');
      expect(await seriousViolations(candidate.page), `${language} briefing`).toEqual([]);
      await candidate.start();
      expect(await seriousViolations(candidate.page), `${language} test`).toEqual([]);
      await candidate.page.locator('.button-row button.primary').click();
      await candidate.page.getByRole('dialog').waitFor();
      expect(await seriousViolations(candidate.page), `${language} submit dialog`).toEqual([]);
      await candidate.page.getByRole('dialog').locator('button.primary').click();
      await candidate.waitForPhase('result');
      expect(await seriousViolations(candidate.page), `${language} result`).toEqual([]);
      await candidate.page.close();
    }
  });

  it('the staff log-in, live dashboard and review pages have no serious violation', async () => {
    const link = await h.issueToken();
    const candidateSocket = await h.candidate(link.token);
    await candidateSocket.timeout(5000).emitWithAck('exam:choose-language', { language: 'kk' });
    const proctor = new ProctorPage(await context.newPage());
    await proctor.page.goto(`${h.url}/staff`);
    await proctor.page.locator('form').waitFor();
    expect(await seriousViolations(proctor.page), 'log-in').toEqual([]);
    await proctor.logIn(h.url, 'proctor', TEST_PASSWORD);
    await proctor.waitForFeed('language.chosen');
    expect(await seriousViolations(proctor.page), 'dashboard').toEqual([]);
    await proctor.page.getByRole('button', { name: /Шығу|Выйти|Log out/ }).click();
    await proctor.page.locator('input[name="username"]').fill('reviewer');
    await proctor.page.locator('input[name="password"]').fill(TEST_PASSWORD);
    await proctor.page.locator('form button[type="submit"]').click();
    await proctor.page.locator('table.sessions').waitFor();
    expect(await seriousViolations(proctor.page), 'review list').toEqual([]);
    await proctor.page.getByTestId('review-open').first().click();
    await proctor.page.getByTestId('log-integrity').waitFor();
    expect(await seriousViolations(proctor.page), 'review timeline').toEqual([]);
  });

  it('a candidate answers and moves between questions with the keyboard alone', async () => {
    const link = await h.issueToken();
    const candidate = new CandidatePage(await context.newPage());
    const page = candidate.page;
    await candidate.open(link.url);
    await candidate.waitForPhase('language');
    // Tab to the language buttons and press Enter: no mouse from here on
    await page.keyboard.press('Tab');
    let guard = 0;
    while (!(await page.evaluate(() => document.activeElement?.textContent === 'Русский')) && guard++ < 10)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await candidate.waitForPhase('system-check');
    await page.getByTestId('check-run').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('check-summary').waitFor({ timeout: 120_000 });
    await page.locator('[data-testid="system-check"] button.primary').focus();
    await page.keyboard.press('Enter');
    await candidate.waitForPhase('consent');
    await page.getByTestId('consent-checkbox').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab'); // on to "I agree"
    await page.keyboard.press('Enter');
    await candidate.waitForPhase('briefing');
    await page.getByTestId('proctoring-ready').waitFor({ timeout: 90_000 }); // Start waits for the proctoring models
    await page.getByTestId('briefing-confirm').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab'); // on to Start
    await page.keyboard.press('Enter');
    await candidate.waitForPhase('test');

    // focus starts on the question heading; Tab reaches the first option, Space chooses it
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toMatch(/radio|checkbox/);
    await page.keyboard.press('Space');
    await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();
    const first = await candidate.currentQuestionId();
    await waitUntil(
      async () => (await h.store.getAnswers(link.sessionId)).some((a) => a.questionId === first),
      5_000,
      'the answer on the server',
    );

    // the question map buttons are reachable and move to another question
    await page.getByRole('navigation').getByRole('button').nth(2).focus();
    await page.keyboard.press('Enter');
    expect(await candidate.questionNumber()).toBe(3);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2'); // focus follows to the new question
  });
});
