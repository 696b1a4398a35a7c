/**
 * Rule 11 (access for people with disabilities): the candidate's text size and contrast switch.
 * The test screen in large text and high contrast passes axe in Kazakh and Russian and fits 1280×800;
 * a candidate with large text answers, moves on, reads the rule 13 warning and submits with the keyboard
 * alone; the choice survives a reload. (The default from the accommodations is unit-tested in
 * src/ui/display-preference.test.ts: the centre sends no accommodations yet.)
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/server/config';
import { waitUntil, type Harness } from '../src/testing/centre-harness';
import { seriousViolations } from './support/axe';
import { CandidatePage } from './support/pages';
import { browserSuite } from './support/suite';

const suite = browserSuite();
let h: Harness;

beforeEach(async () => {
  h = suite.centre;
  // Single-face clips cannot pass liveness or a 360° scan; the system check is not what is tested here.
  await h.setSteps({ systemCheck: false, identity: false, roomScan: false });
});

/** The display shown on <html> and the root font size in CSS pixels. */
async function shownDisplay(page: Page) {
  return page.evaluate(() => ({
    textSize: document.documentElement.getAttribute('data-text-size'),
    contrast: document.documentElement.getAttribute('data-contrast'),
    rootPx: parseFloat(getComputedStyle(document.documentElement).fontSize),
  }));
}

/** Presses Tab until the focused element matches, at most `guard` times; fails otherwise. */
async function tabTo(page: Page, what: string, matches: string | (() => boolean), guard = 60): Promise<void> {
  for (let i = 0; i < guard; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean>(matches)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

/** From the link to the test screen, through the steps the programme keeps (devices, consent, briefing). */
async function toTestScreen(candidate: CandidatePage, url: string, label: 'Қазақша' | 'Русский', beforeStart?: () => Promise<void>) {
  await candidate.open(url);
  await candidate.chooseLanguage(label);
  await candidate.allowDevices('consent');
  await candidate.giveConsent('briefing');
  await beforeStart?.();
  await candidate.start();
}

describe('text size and contrast (rule 11)', () => {
  it('the test screen in large text and high contrast passes axe in Kazakh and Russian and fits the window', async () => {
    for (const [language, label, words] of [
      ['kk', 'Қазақша', { size: 'Мәтін өлшемі', contrast: 'Жоғары контраст' }],
      ['ru', 'Русский', { size: 'Размер текста', contrast: 'Высокий контраст' }],
    ] as const) {
      const context = await suite.newContext(language === 'kk' ? 'kk-KZ' : 'ru-RU', { bypassCSP: true });
      const candidate = new CandidatePage(await context.newPage());
      const page = candidate.page;
      await toTestScreen(candidate, (await h.issueToken()).url, label, async () => {
        await page.getByRole('radio', { name: '125%' }).check();
        await page.getByRole('checkbox', { name: words.contrast }).check();
      });
      expect(await shownDisplay(page)).toEqual({ textSize: 'large', contrast: 'high', rootPx: 21.25 });

      // The switch speaks the candidate's language, with no English in it.
      const switchText = await page.getByTestId('display-switch').innerText();
      expect(switchText).toContain(words.size);
      expect(switchText).toContain(words.contrast);
      expect(switchText, `${language} switch`).not.toMatch(/[A-Za-z]/);
      expect(await page.getByRole('group', { name: words.size }).getByRole('radio', { checked: true }).getAttribute('value')).toBe('large');

      // The palette: white on black, the primary action yellow.
      const colours = await page.evaluate(() => {
        const style = (el: Element) => getComputedStyle(el);
        const submit = document.querySelector('.test .button-row button.primary')!;
        return {
          page: style(document.documentElement).backgroundColor,
          text: style(document.body).color,
          submit: style(submit).backgroundColor,
        };
      });
      expect(colours).toEqual({ page: 'rgb(0, 0, 0)', text: 'rgb(255, 255, 255)', submit: 'rgb(255, 255, 0)' });

      // An answered question says so in the map with a mark, not by colour alone.
      await page.locator('[data-testid="question"] input').first().check();
      await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();
      const mark = await page
        .locator('.question-map button.done')
        .first()
        .evaluate((b) => getComputedStyle(b, '::after').content);
      expect(mark).toBe('"✓"');

      // Keyboard focus is a thick yellow ring.
      await page.getByRole('heading', { level: 2 }).first().focus();
      await page.keyboard.press('Tab');
      const ring = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement!);
        return { style: s.outlineStyle, width: s.outlineWidth, colour: s.outlineColor };
      });
      expect(ring).toEqual({ style: 'solid', width: '4px', colour: 'rgb(255, 255, 0)' });

      expect(await seriousViolations(page), `${language} test screen, large text and high contrast`).toEqual([]);

      // Nothing runs off the side of a 1280×800 window, and the question, its options and the buttons are all in it.
      const fit = await page.evaluate(() => {
        const right = (sel: string) => Math.max(...[...document.querySelectorAll(sel)].map((e) => e.getBoundingClientRect().right));
        return {
          scrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
          widest: Math.max(right('.top *'), right('.test *')),
        };
      });
      expect(fit.scrolls).toBe(false);
      expect(fit.widest).toBeLessThanOrEqual(1280);
      // The whole page from its top (large text scrolls down, never sideways), to look at.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({
        path: path.join(PROJECT_ROOT, 'docs', 'screenshots', `test-large-contrast-${language}.png`),
        fullPage: true,
      });
      await context.close();
    }
  });

  it('with large text, a candidate answers, moves between questions, reads the warning and submits with the keyboard alone', async () => {
    const link = await h.issueToken();
    const candidate = new CandidatePage(await (await suite.newContext('ru-RU')).newPage());
    const page = candidate.page;
    await candidate.open(link.url);
    await candidate.chooseLanguage('Русский');
    await candidate.waitForPhase('devices');
    // Large text by the keyboard: Tab to the size radios (one stop), the right arrow chooses the next size.
    await tabTo(page, 'the text size', () => (document.activeElement as HTMLInputElement | null)?.name === 'display-text-size');
    await page.keyboard.press('ArrowRight');
    expect(await shownDisplay(page)).toEqual({ textSize: 'large', contrast: 'normal', rootPx: 21.25 });
    await page.locator('.page.exam button.big').click();
    await candidate.waitForPhase('consent');
    await candidate.giveConsent('briefing');
    await candidate.start();

    const questionNumber = () => candidate.questionNumber();
    const onOption = () => {
      const el = document.activeElement as HTMLInputElement | null;
      return !!el?.closest('[data-testid="question"]') && (el.type === 'radio' || el.type === 'checkbox');
    };
    /** An expression evaluated in the page: the focused element is the button with this text. */
    const onButton = (text: string) =>
      `document.activeElement?.tagName === 'BUTTON' && document.activeElement.textContent === ${JSON.stringify(text)}`;
    const answered: string[] = [];
    // Questions 1 to 3: from the heading Tab to the first option, Space chooses it; then Tab on to "Next" and Enter.
    for (let n = 1; n <= 3; n++) {
      expect(await questionNumber()).toBe(n);
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2'); // focus follows to the question
      expect(await page.evaluate(() => document.activeElement?.querySelector('.question-text')?.textContent?.length ?? 0)).toBeGreaterThan(
        0,
      );
      await tabTo(page, 'an option', onOption);
      await page.keyboard.press('Space');
      await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();
      answered.push(await candidate.currentQuestionId());
      await tabTo(page, 'Next', onButton('Следующий'));
      await page.keyboard.press('Enter');
      await page
        .locator('.question-map button[aria-current="step"]')
        .filter({ hasText: String(n + 1) })
        .waitFor();
    }
    // In normal contrast too, the answered questions carry a mark in the map, not a colour alone (WCAG 1.4.1).
    const marks = await page
      .locator('.question-map button')
      .evaluateAll((bs) => bs.slice(0, 4).map((b) => getComputedStyle(b, '::after').content));
    expect(marks).toEqual(['"✓"', '"✓"', '"✓"', 'none']);
    // Back to question 2 through the question map, by the keyboard.
    await tabTo(
      page,
      'question 2 in the map',
      () => document.activeElement?.closest('.question-map') !== null && document.activeElement?.textContent === '2',
    );
    await page.keyboard.press('Enter');
    expect(await questionNumber()).toBe(2);
    expect(await candidate.checkedOptions()).toHaveLength(1);

    // The rule 13 warning takes the focus and gives it back. The window's blur is dispatched as the browser would
    // (headless Chromium keeps every page focused); focus on the page stays on an option meanwhile.
    await tabTo(page, 'an option', onOption);
    const focusedBefore = await page.evaluate(() => (document.activeElement as HTMLInputElement).value);
    await page.evaluate(() => window.dispatchEvent(new FocusEvent('blur')));
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor({ timeout: 30_000 });
    await page.evaluate(() => window.dispatchEvent(new FocusEvent('focus'))); // the cause ends, so no repeat follows
    const named = await dialog.evaluate((d) => ({
      title: document.getElementById(d.getAttribute('aria-labelledby')!)?.textContent ?? '',
      description: (d.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ')
        .trim(),
      focusInside: d.contains(document.activeElement),
    }));
    expect(named.title).toMatch(/нарушение/i);
    expect(named.description.length).toBeGreaterThan(0);
    expect(named.focusInside).toBe(true);
    await page.keyboard.press('Enter'); // "I understand": the focused button
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe(focusedBefore);

    // Submit: Tab to "Finish and submit", Enter; the confirmation opens on "Back", Tab to "Submit", Enter.
    await tabTo(page, 'Finish and submit', onButton('Завершить и отправить'));
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await tabTo(page, 'Submit', onButton('Отправить'), 5);
    await page.keyboard.press('Enter');
    await candidate.waitForPhase('result');
    expect(await shownDisplay(page)).toEqual({ textSize: 'large', contrast: 'normal', rootPx: 21.25 });
    await waitUntil(async () => (await h.store.getSession(link.sessionId))?.status === 'submitted', 5_000, 'the exam submitted');
    const stored = (await h.store.getAnswers(link.sessionId)).filter((a) => a.optionIds.length > 0).map((a) => a.questionId);
    expect(stored.sort()).toEqual([...answered].sort());
  });

  it('the choice survives a reload', async () => {
    const link = await h.issueToken();
    const candidate = new CandidatePage(await (await suite.newContext('kk-KZ')).newPage());
    const page = candidate.page;
    await candidate.open(link.url);
    await candidate.waitForPhase('language');
    expect(await shownDisplay(page)).toEqual({ textSize: 'normal', contrast: 'normal', rootPx: 17 });
    await page.getByRole('radio', { name: '150%' }).check();
    await page.getByTestId('high-contrast').check();
    expect(await shownDisplay(page)).toEqual({ textSize: 'larger', contrast: 'high', rootPx: 25.5 });

    await page.reload();
    await candidate.waitForPhase('language');
    expect(await shownDisplay(page)).toEqual({ textSize: 'larger', contrast: 'high', rootPx: 25.5 });
    expect(await page.getByRole('radio', { name: '150%' }).isChecked()).toBe(true);
    expect(await page.getByTestId('high-contrast').isChecked()).toBe(true);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
      'no sideways scroll at 150%',
    ).toBe(true);

    // And back: normal size and contrast are a choice too, kept the same way.
    await page.getByRole('radio', { name: '100%' }).check();
    await page.getByTestId('high-contrast').uncheck();
    await page.reload();
    await candidate.waitForPhase('language');
    expect(await shownDisplay(page)).toEqual({ textSize: 'normal', contrast: 'normal', rootPx: 17 });
  });
});
