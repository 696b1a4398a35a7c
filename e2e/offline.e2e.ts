/** A short network drop mid-exam: answers chosen offline wait as "not saved yet" and reach the centre when the link returns. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { SeedQuestion } from '../src/shared/programme';
import { waitUntil, type Harness } from '../src/testing/centre-harness';
import { CandidatePage } from './support/pages';
import { browserSuite } from './support/suite';

const suite = browserSuite();
let h: Harness;
let bank: Map<string, SeedQuestion>;

beforeEach(async () => {
  h = suite.centre;
  bank = await h.questionBank();
  // Single-face clips cannot pass liveness or a 360° scan: this programme has identity and the room scan off.
  await h.setSteps({ identity: false, roomScan: false });
});

describe('network drop', () => {
  it('answers chosen offline are shown as pending and saved once the connection returns', async () => {
    const link = await h.issueToken();
    const context = await suite.newContext('ru-RU');
    const candidate = new CandidatePage(await context.newPage());
    await candidate.open(link.url);
    await candidate.chooseLanguage('Русский');
    await candidate.passPrestart();
    await candidate.start();
    await candidate.answerAll(bank, 30, 0, 2);

    await context.setOffline(true);
    await waitUntil(
      async () => (await candidate.page.getByTestId('connection').getAttribute('class'))?.includes('reconnecting') ?? false,
      15_000,
      'the page to notice',
    );
    await candidate.next();
    const offlineQuestion = bank.get(await candidate.currentQuestionId())!;
    const choice = offlineQuestion.options.filter((o) => o.correct).map((o) => o.id);
    for (const id of choice) await candidate.page.locator(`[data-testid="question"] input[value="${id}"]`).check();
    await candidate.page.locator('[data-testid="save-state"][data-state="pending"]').waitFor();
    expect((await h.store.getAnswers(link.sessionId)).some((a) => a.questionId === offlineQuestion.id)).toBe(false);

    // Submit while offline: the dialog says it was not handed in and why, in the candidate's language; nothing is lost.
    await candidate.page.locator('.button-row button.primary').click();
    const dialog = candidate.page.getByRole('dialog');
    await dialog.locator('button.primary').click();
    const refused = candidate.page.getByTestId('submit-error');
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.getAttribute('role')).toBe('alert');
    expect(await refused.innerText()).toBe(
      'Экзамен не сдан: нет связи. Ваши ответы сохранены. Проверьте подключение и нажмите «Отправить» ещё раз.',
    );
    expect((await h.store.getSession(link.sessionId))?.status).toBe('in_progress');

    await context.setOffline(false);
    await candidate.page.locator('[data-testid="save-state"][data-state="saved"]').waitFor({ timeout: 30_000 });
    const stored = (await h.store.getAnswers(link.sessionId)).find((a) => a.questionId === offlineQuestion.id);
    expect(stored?.optionIds.sort()).toEqual([...choice].sort());
    expect((await h.store.getAnswers(link.sessionId)).length).toBe(3);
    // Submit again, online: the message goes with the new try, and the exam is handed in.
    await dialog.locator('button.primary').click();
    await candidate.waitForPhase('result');
    expect((await h.store.getSession(link.sessionId))?.status).toBe('submitted');
  });
});
