/**
 * Rules 20-23 in the browser. The finished procedure is set up through the centre's own sockets and routes
 * (a failed exam, the protocol drawn and signed, the notice issued); then the candidate opens the exam link again:
 * the result page says where the procedure stands, the notice downloads, the appeal is filed with a file (screenshot
 * docs/screenshots/candidate-result-appeal-kk.png); the appeal commission opens it on its screen and upholds it; the
 * candidate sees the decision and the document on recognition on the same page.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/server/config';
import { TEST_PASSWORD } from '../src/testing/centre-harness';
import { commission, drawAndSign, setCentreTime, takeExam } from '../src/testing/procedure-steps';
import { browserSuite } from './support/suite';

const SHOTS = path.join(PROJECT_ROOT, 'docs', 'screenshots');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);

describe('the candidate appeals from the result page and sees the decision', () => {
  const suite = browserSuite();

  it('downloads the notice, files an appeal with a file; the appeal commission upholds it; the candidate sees it', async () => {
    const h = suite.centre;
    setCentreTime(h, '2026-04-14'); // Tuesday: the window closes on Tuesday 21 April (rule 20)
    const c = await commission(h);
    const exam = await takeExam(h, 10, 'kk');
    expect((await drawAndSign(h, c, exam.sessionId)).stage).toBe('notice_issued');

    // The exam link opened again after the exam.
    const page = await (await suite.newContext('kk-KZ')).newPage();
    await page.goto(`${h.url}/exam#t=${exam.token}`);
    await page.locator('.page.exam[data-phase="result"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('appeal-form').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('procedure-state').textContent()).toContain('тапсырмады');
    expect(await page.getByTestId('appeal-until').textContent()).toContain('21.04.2026');
    // The score in Kazakh as Kazakh writes it (a decimal comma), though Chromium has no Kazakh number data.
    expect(await page.getByTestId('score').textContent()).toContain('33,3%');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-failure-notice-kk').click()]);
    expect(download.suggestedFilename()).toMatch(/^failure-notice-.*-kk\.pdf$/);

    await page.locator('textarea[name="text"]').fill('Практикалық бағалаумен келіспеймін: 7-сұрақтың екі дұрыс жауабы бар.');
    await page.locator('input[name="files"]').setInputFiles({ name: 'anyqtama.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('[data-testid="appeal-form"] button[type="submit"]').click();
    await page.getByTestId('appeal-status').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('appeal-status').textContent()).toContain('2026-000001');
    expect(await page.getByTestId('appeal-status').getAttribute('data-decision')).toBe('pending');
    await page.screenshot({ path: path.join(SHOTS, 'candidate-result-appeal-kk.png'), fullPage: true });

    // The appeal commission decides on its screen.
    const staff = await (await suite.newContext('ru-RU')).newPage();
    await staff.goto(`${h.url}/staff`);
    await staff.locator('input[name="username"]').fill('appeal');
    await staff.locator('input[name="password"]').fill(TEST_PASSWORD);
    await staff.locator('form button[type="submit"]').click();
    await staff.getByTestId('appeal-row').first().getByRole('button').click({ timeout: 15_000 });
    await staff.getByTestId('appeal-text').waitFor();
    expect(await staff.getByTestId('appeal-text').textContent()).toContain('7-сұрақтың');
    await staff.locator('input[name="decision"][value="upheld"]').check();
    await staff.locator('textarea[name="reasons"]').fill('Вопрос 7 допускал два верных ответа.');
    await staff.locator('[data-testid="appeal-decide"] button[type="submit"]').click();
    await staff.getByTestId('appeal-decided').waitFor({ timeout: 30_000 });
    // The answer to the decision, not an earlier read of the appeal, brings the document of rule 23 to the page.
    await staff
      .getByTestId('appeal-doc-recognition-ru')
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    // What the commission's page said (an issue error of rule 23 shows there), should the document be missing.
    const said = await staff.locator('main').innerText();
    expect((await h.store.listDocuments(exam.sessionId)).map((d) => d.kind).sort(), said).toEqual([
      'appeal-decision',
      'failure-notice',
      'protocol',
      'recognition',
    ]);

    // The candidate, on the same page again: the decision, and the document to download.
    await page.reload();
    await page.getByTestId('appeal-decision').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('appeal-status').getAttribute('data-decision')).toBe('upheld');
    await page.getByTestId('document-recognition').waitFor();
    const [doc] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-recognition-ru').click()]);
    expect(doc.suggestedFilename()).toMatch(/^recognition-.*-ru\.pdf$/);
  });
});
