/**
 * The reviewers' sessions list in real Chromium against a real centre with 80 seeded
 * sessions: axe-clean (no serious or critical WCAG 2.1 AA violation) in kk, ru and en; a filter,
 * a sort, the search and paging done with the keyboard alone; IINs shown to the reviewer; numbers
 * with a decimal comma in Russian; a screenshot (docs/screenshots/sessions-list.png when
 * TANU_SCREENSHOTS=docs/screenshots).
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sessionOutcome } from '../src/shared/session-list';
import { TEST_PASSWORD } from '../src/testing/centre-harness';
import { seedSessions } from '../src/testing/session-list-seed';
import { testDatabase } from '../src/testing/test-database';
import { seriousViolations } from './support/axe';
import { browserSuite } from './support/suite';

const suite = browserSuite();
const SHOTS = process.env.TANU_SCREENSHOTS ?? path.join(os.tmpdir(), 'tanu-screenshots');
const WAIT = { timeout: 15_000 };

async function logInAsReviewer(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/staff`);
  await page.locator('input[name="username"]').fill('reviewer');
  await page.locator('input[name="password"]').fill(TEST_PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.getByTestId('sl-row').first().waitFor(WAIT);
}

/** Presses Tab (or Shift+Tab, `back`) until `testId` has the focus (the keyboard alone, as a person would). */
async function tabTo(page: Page, testId: string, back = false): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

const countText = (page: Page) => page.getByTestId('sl-count').innerText();

describe('the sessions list', () => {
  it('is axe-clean in kk, ru and en, and filters, sorts, searches and pages by keyboard', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const h = suite.centre;
    const seeded = await seedSessions(h.store, testDatabase(h.dataDir), 80, Date.UTC(2026, 0, 5, 5, 0));
    const context = await suite.newContext('kk-KZ', { bypassCSP: true });
    const page = await context.newPage();
    await logInAsReviewer(page, h.url);

    for (const [language, label] of [
      ['kk', 'Сессиялар'],
      ['ru', 'Сессии'],
      ['en', 'Sessions'],
    ] as const) {
      await page.locator('.lang-switch select').selectOption(language);
      await page.locator('caption', { hasText: label }).waitFor({ state: 'attached', ...WAIT });
      expect(await seriousViolations(page), `${language} list`).toEqual([]);
    }

    // Russian from here: the reviewer sees IINs; a percentage has a decimal comma.
    await page.locator('.lang-switch select').selectOption('ru');
    await page.getByRole('columnheader', { name: 'ИИН' }).waitFor(WAIT);
    const firstRow = page.getByTestId('sl-row').first();
    expect(await firstRow.innerText()).toMatch(/\d{12}/);
    await expect.poll(() => countText(page)).toContain('80');

    // Filter by status with the keyboard: Tab to the select, arrows to "прекращён".
    await tabTo(page, 'sl-status');
    for (let i = 0; i < 8 && (await page.getByTestId('sl-status').inputValue()) !== 'terminated'; i++)
      await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId('sl-status').inputValue()).toBe('terminated');
    const terminated = seeded.filter((s) => s.status === 'terminated');
    const statuses = async () => [...new Set(await page.getByTestId('sl-row').locator('td:nth-child(5)').allInnerTexts())];
    await expect.poll(statuses, WAIT).toEqual(['прекращён']);
    await expect.poll(() => countText(page), WAIT).toBe(`Найдено сессий: ${terminated.length}`);
    expect(await page.getByTestId('sl-row').count()).toBe(terminated.length);
    // A terminated exam shows no score as if it were a result.
    expect((await page.getByTestId('sl-row').locator('td:nth-child(6)').allInnerTexts()).every((t) => t === 'прекращён за нарушение')).toBe(
      true,
    );
    expect(await seriousViolations(page), 'ru filtered').toEqual([]);

    // Clear the filters (keyboard), sort by incidents (Enter on the header button).
    await tabTo(page, 'sl-sort-incidents');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('th[aria-sort="descending"]').innerText(), WAIT).toContain('Инциденты');
    const counts = async () => (await page.getByTestId('sl-row').locator('td:nth-child(7)').allInnerTexts()).map(Number);
    await expect
      .poll(async () => {
        const c = await counts();
        return c.length > 0 && c.every((v, i) => i === 0 || c[i - 1]! >= v);
      }, WAIT)
      .toBe(true);
    await page.getByRole('button', { name: 'Сбросить фильтры' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => countText(page), WAIT).toContain('80');

    // Paging by keyboard: 80 sessions, 25 a page → 4 pages; Next moves on, rows change.
    const before = await page.getByTestId('sl-row').locator('td:nth-child(2)').allInnerTexts();
    await tabTo(page, 'sl-next');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('sl-page').innerText(), WAIT).toBe('Страница 2 из 4');
    const names = () => page.getByTestId('sl-row').locator('td:nth-child(2)').allInnerTexts();
    await expect.poll(async () => (await names()).filter((n) => before.includes(n)), WAIT).toEqual([]);
    expect(await names()).toHaveLength(25);

    // Search by typing a Kazakh surname in lower case.
    await tabTo(page, 'sl-search', true);
    await page.keyboard.type('нұрланова');
    const expected = seeded.filter((s) => s.candidateName.startsWith('Нұрланова')).length;
    await expect.poll(() => countText(page), WAIT).toBe(`Найдено сессий: ${expected}`);
    await expect.poll(() => page.getByTestId('sl-page').innerText(), WAIT).toBe('Страница 1 из 1');
    const admitted = seeded.find(
      (s) =>
        s.candidateName.startsWith('Нұрланова') &&
        sessionOutcome(s.status, s.result) === 'admitted' &&
        !Number.isInteger(s.result!.percent),
    );
    if (admitted)
      expect(await page.getByTestId('sl-table').innerText()).toContain(
        `допущен, ${String(admitted.result!.percent).replace('.', ',')}\u00a0%`,
      );
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await expect.poll(() => countText(page), WAIT).toContain('80');
    await page.locator('.session-list').screenshot({ path: path.join(SHOTS, 'sessions-list.png') });
  });
});
