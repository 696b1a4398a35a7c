/**
 * The candidate's steps in Firefox, through puppeteer-core over WebDriver BiDi: the same
 * screens and test ids as CandidatePage (pages.ts), which drives Chromium through Playwright.
 */
import type { Page } from 'puppeteer-core';

const WAIT = { timeout: 20_000 };

export class FirefoxCandidate {
  /** The page's console, kept for a failure's message (Firefox's workers log here too). */
  readonly log: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => this.log.push(`${m.type()}: ${m.text().slice(0, 300)}`));
    page.on('pageerror', (e) => this.log.push(`pageerror: ${String(e).slice(0, 300)}`));
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
  }

  phase(): Promise<string | null> {
    return this.page.$eval('.page.exam', (e) => e.getAttribute('data-phase'));
  }

  async waitForPhase(phase: string, timeout = WAIT.timeout): Promise<void> {
    await this.page.waitForSelector(`.page.exam[data-phase="${phase}"]`, { timeout });
  }

  async chooseLanguage(language: 'kk' | 'ru'): Promise<void> {
    await this.waitForPhase('language');
    await this.page.click(`.page.exam button[lang="${language}"]`);
  }

  /** Runs the system check and waits for its verdict; returns the failed items as { item: reason }. */
  async runSystemCheck(timeout = 120_000): Promise<Record<string, string>> {
    await this.waitForPhase('system-check');
    await this.page.click('[data-testid="check-run"]');
    await this.page.waitForSelector('[data-testid="check-summary"]', { timeout });
    return this.page.$$eval('[data-testid^="check-"][data-ok="false"]', (els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-testid')!.slice('check-'.length), e.getAttribute('data-reason') ?? ''])),
    );
  }

  async passSystemCheck(): Promise<void> {
    const failed = await this.runSystemCheck();
    if (Object.keys(failed).length > 0)
      throw new Error(`system check failed in Firefox: ${JSON.stringify(failed)}\n${this.log.slice(-20).join('\n')}`);
    await this.page.click('[data-testid="system-check"] button.primary');
    await this.waitForPhase('consent');
  }

  async giveConsent(next: string): Promise<void> {
    await this.waitForPhase('consent');
    await this.page.click('[data-testid="consent-checkbox"]');
    await this.page.click('[data-testid="consent"] button.primary');
    await this.waitForPhase(next);
  }

  async start(): Promise<void> {
    await this.page.waitForSelector('[data-testid="proctoring-ready"]', { timeout: 90_000 });
    await this.page.click('[data-testid="briefing-confirm"]');
    await this.page.click('.page.exam button.primary');
    await this.waitForPhase('test');
  }

  async currentQuestionId(): Promise<string> {
    return this.page.$eval('[data-testid="question"]', (e) => e.getAttribute('data-question-id') ?? '');
  }

  /** Chooses options by id on the current question and waits until the centre confirms the save. */
  async answer(optionIds: string[]): Promise<void> {
    for (const id of optionIds) await this.page.click(`[data-testid="question"] input[value="${id}"]`);
    await this.page.waitForSelector('[data-testid="save-state"][data-state="saved"]', WAIT);
  }

  text(testId: string): Promise<string> {
    return this.page.$eval(`[data-testid="${testId}"]`, (e) => (e as HTMLElement).innerText);
  }
}
