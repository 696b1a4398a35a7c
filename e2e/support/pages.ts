/** Page objects: what a candidate and a proctor do, in their own words. */
import type { Page } from 'playwright-core';
import type { SeedQuestion } from '../../src/shared/programme';

const WAIT = { timeout: 15_000 };

export class CandidatePage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
  }

  phase(): Promise<string | null> {
    return this.page.locator('.page.exam').getAttribute('data-phase');
  }

  async waitForPhase(phase: string): Promise<void> {
    await this.page.locator(`.page.exam[data-phase="${phase}"]`).waitFor(WAIT);
  }

  async chooseLanguage(label: 'Қазақша' | 'Русский'): Promise<void> {
    await this.waitForPhase('language');
    await this.page.getByRole('button', { name: label }).click();
  }

  /**
   * Grants camera and microphone on the devices screen (after a reload, or where the programme has no
   * system check); the exam then goes on to `next` (the next step before the exam, or the test after a reload).
   */
  async allowDevices(next: 'briefing' | 'consent' | 'test' = 'briefing'): Promise<void> {
    await this.waitForPhase('devices');
    await this.page.locator('.page.exam button.big').click();
    await this.waitForPhase(next);
  }

  /**
   * Runs the system check (the first step before the exam; it turns the devices on) and waits for its verdict; true when every item passed.
   */
  async runSystemCheck(): Promise<boolean> {
    await this.waitForPhase('system-check');
    await this.page.getByTestId('check-run').click();
    const summary = this.page.getByTestId('check-summary');
    await summary.waitFor({ timeout: 120_000 }); // the proctoring models load during the check
    return (await this.page.locator('[data-testid^="check-"][data-ok="false"]').count()) === 0;
  }

  /** The failed items of the last check, as { item: reason }. */
  async failedChecks(): Promise<Record<string, string>> {
    const items = await this.page
      .locator('[data-testid^="check-"][data-ok="false"]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-testid')!.slice('check-'.length), e.getAttribute('data-reason') ?? '']));
    return Object.fromEntries(items);
  }

  /** Runs the system check, which must pass, and continues to consent. */
  async passSystemCheck(): Promise<void> {
    const passed = await this.runSystemCheck();
    if (!passed) throw new Error(`system check failed: ${JSON.stringify(await this.failedChecks())}`);
    await this.page.locator('[data-testid="system-check"] button.primary').click();
    await this.waitForPhase('consent');
  }

  /** Appendix 1: ticks the box and agrees; the exam goes on to `next`. */
  async giveConsent(next: 'identity' | 'room-scan' | 'briefing' = 'briefing'): Promise<void> {
    await this.waitForPhase('consent');
    await this.page.getByTestId('consent-checkbox').check();
    await this.page.locator('[data-testid="consent"] button.primary').click();
    await this.waitForPhase(next);
  }

  /** With no system check: devices, consent, and the identity screen ready (its start is enabled once the proctoring models run). */
  async reachIdentity(): Promise<void> {
    await this.allowDevices('consent');
    await this.giveConsent('identity');
    await this.page.locator('[data-testid="identity-start"]:not([disabled])').waitFor({ timeout: 120_000 });
  }

  /** System check, then consent, up to the briefing (identity and the room scan switched off for the programme). */
  async passPrestart(): Promise<void> {
    await this.passSystemCheck();
    await this.giveConsent('briefing');
  }

  /** True once the self-view shows real frames from the (fake) camera. */
  async previewIsLive(): Promise<boolean> {
    const handle = await this.page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="self-view"]');
        return v && v.videoWidth > 0 && v.readyState >= 2 && !v.paused ? v.videoWidth : false;
      },
      undefined,
      WAIT,
    );
    return Number(await handle.jsonValue()) > 0;
  }

  /** Waits for the proctoring models to load (Start stays disabled until then), confirms the rules (rule 8), then starts. */
  async start(): Promise<void> {
    await this.page.locator('[data-testid="proctoring-ready"]').waitFor({ timeout: 90_000 });
    await this.page.getByTestId('briefing-confirm').check();
    await this.page.locator('.page.exam button.primary').click();
    await this.waitForPhase('test');
  }

  async currentQuestionId(): Promise<string> {
    return (await this.page.locator('[data-testid="question"]').getAttribute('data-question-id'))!;
  }

  async questionNumber(): Promise<number> {
    const current = this.page.locator('.question-map button[aria-current="step"]');
    return Number(await current.textContent());
  }

  /** Chooses options by id on the current question and waits until the centre confirms the save. */
  async answer(optionIds: string[]): Promise<void> {
    for (const id of optionIds) await this.page.locator(`[data-testid="question"] input[value="${id}"]`).check();
    await this.page.locator('[data-testid="save-state"][data-state="saved"]').waitFor(WAIT);
  }

  async checkedOptions(): Promise<string[]> {
    return this.page.locator('[data-testid="question"] input:checked').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  }

  async next(): Promise<void> {
    const before = await this.questionNumber();
    await this.page.locator('.button-row button').nth(1).click();
    await this.page
      .locator(`.question-map button[aria-current="step"]`)
      .filter({ hasText: String(before + 1) })
      .waitFor(WAIT);
  }

  /** Answers from `from` to the end, correctly for the first `correct` questions overall (by position). */
  async answerAll(bank: Map<string, SeedQuestion>, correct: number, from: number, total: number): Promise<void> {
    for (let i = from; i < total; i++) {
      const q = bank.get(await this.currentQuestionId())!;
      const ids = i < correct ? q.options.filter((o) => o.correct).map((o) => o.id) : [q.options.find((o) => !o.correct)!.id];
      await this.answer(ids);
      if (i < total - 1) await this.next();
    }
  }

  async submit(): Promise<void> {
    await this.page.locator('.button-row button.primary').click();
    const dialog = this.page.getByRole('dialog');
    await dialog.waitFor(WAIT);
    await dialog.locator('button.primary').click();
    await this.waitForPhase('result');
  }

  text(testId: string): Promise<string> {
    return this.page.getByTestId(testId).innerText();
  }
}

export class ProctorPage {
  constructor(readonly page: Page) {}

  async logIn(baseUrl: string, username: string, password: string): Promise<void> {
    await this.page.goto(`${baseUrl}/staff`);
    await this.page.locator('input[name="username"]').fill(username);
    await this.page.locator('input[name="password"]').fill(password);
    await this.page.locator('form button[type="submit"]').click();
    await this.page.locator('.dashboard').waitFor(WAIT);
  }

  card(sessionId: string) {
    return this.page.locator(`[data-testid="session-card"][data-session-id="${sessionId}"]`);
  }

  async waitForCard(sessionId: string, testId: string, text: string | RegExp): Promise<void> {
    await this.card(sessionId).getByTestId(testId).filter({ hasText: text }).waitFor(WAIT);
  }

  async waitForFeed(type: string): Promise<void> {
    await this.page.locator(`[data-testid="feed-item"][data-type="${type}"]`).first().waitFor(WAIT);
  }

  feedTypes(): Promise<string[]> {
    return this.page.locator('[data-testid="feed-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-type') ?? ''));
  }
}
