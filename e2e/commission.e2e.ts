/**
 * The exam commission in the browser. Two exams are taken to their end through the centre's
 * sockets (not the candidate's screens): one admitted (rule 15), one not. The chair opens the dashboard
 * (Kazakh), then the admitted candidate's page (Russian): a failed item without a comment is refused in
 * words, then the practical task is recorded against the technological map (rule 16); the chair draws up
 * the protocol naming the member and signs (rule 17). An old accreditation number without its 4 digits
 * stops the document at the member's signature (the page says why); once it is corrected the chair
 * issues the document (rule 18): the page shows the serial number and the PDF downloads in kk and ru.
 * Screenshots in docs/screenshots, axe on both pages.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/server/config';
import { TEST_PASSWORD } from '../src/testing/centre-harness';
import { commission, practicalBody, takeExam, terminatedExam } from '../src/testing/procedure-steps';
import { seriousViolations } from './support/axe';
import { browserSuite } from './support/suite';

const SHOTS = path.join(PROJECT_ROOT, 'docs', 'screenshots');

async function logIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(TEST_PASSWORD);
  await page.locator('form button[type="submit"]').click();
}

const stage = (page: Page, value: string) =>
  page.locator(`[data-testid="cm-procedure"][data-stage="${value}"]`).waitFor({ timeout: 15_000 });

describe('the exam commission signs a protocol and issues the document', () => {
  const suite = browserSuite();

  it('practical assessment, protocol drawn naming the member, two signatures, the document issued with its serial number, PDFs downloaded', async () => {
    const h = suite.centre;
    const passed = await takeExam(h, 25, 'ru');
    expect(passed.snapshot.result).toMatchObject({ admitted: true });
    const failed = await takeExam(h, 5, 'kk');
    expect(failed.snapshot.result).toMatchObject({ admitted: false });

    // The chair, in Kazakh: the dashboard lists both with their stage in words.
    const chair = await (await suite.newContext('kk-KZ', { bypassCSP: true })).newPage();
    await logIn(chair, `${h.url}/staff`, 'chair');
    const row = chair.locator(`[data-testid="cm-row"][data-session-id="${passed.sessionId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('[data-stage]').innerText()).toBe('Практикалық тапсырманы бағалау');
    expect(await chair.locator(`[data-testid="cm-row"][data-session-id="${failed.sessionId}"] [data-stage]`).innerText()).toBe(
      'Хаттаманы жасау',
    );
    // The failed exam's protocol deadline runs (rule 17: 2 working days), the admitted one has none before the practical stage.
    expect(
      await chair.locator(`[data-testid="cm-row"][data-session-id="${failed.sessionId}"] [data-testid="cm-deadline"]`).innerText(),
    ).toMatch(/Хаттама \(17-тармақ\): \d\d\.\d\d\.\d{4} дейін/);
    // The stage filter.
    await chair.getByTestId('cm-filter-stage').selectOption('protocol_to_draw');
    expect(await chair.getByTestId('cm-row').count()).toBe(1);
    await chair.getByTestId('cm-filter-stage').selectOption('');
    expect(await chair.getByTestId('cm-row').count()).toBe(2);
    await chair.screenshot({ path: path.join(SHOTS, 'commission-dashboard-kk.png'), fullPage: true });
    expect(await seriousViolations(chair), 'kk dashboard').toEqual([]);
    const text = await chair.locator('.cm-page').innerText();
    expect(text.match(/\b(?:the|and|protocol|stage|deadline|candidate|open)\b/gi) ?? [], 'English on the Kazakh dashboard').toEqual([]);

    // The admitted candidate's page, in Russian.
    await chair.locator('.lang-switch select').selectOption('ru');
    await row.getByTestId('cm-open').click();
    await stage(chair, 'practical_due');
    // Rule 16: a failed item needs a comment; the form says so before anything is sent.
    const firstItem = chair.getByTestId('cm-item').first();
    await firstItem.getByTestId('cm-item-failed').check();
    await chair.getByTestId('cm-practical-save').click();
    expect(await chair.locator('[data-testid="cm-practical-form"] [role="alert"]').innerText()).toContain(
      'К невыполненному пункту нужен комментарий',
    );
    await firstItem.locator('input[type="radio"]').first().check();
    await firstItem.getByTestId('cm-item-comment').fill('Рабочее место убрано, инструмент проверен');
    await chair.getByTestId('cm-practical-save').click();
    await stage(chair, 'protocol_to_draw');
    expect(await chair.getByTestId('cm-outcome').innerText()).toBe('Сдал(а)');

    // Rule 17: the chair names the member (the only one, chosen already) and draws the protocol up, then signs.
    const member = chair.getByTestId('cm-member');
    expect(await member.count()).toBe(1);
    if (!(await member.isChecked())) await member.check();
    await chair.getByTestId('cm-draw-button').click();
    await stage(chair, 'protocol_to_sign');
    expect(await chair.getByTestId('cm-protocol-number').innerText()).toMatch(/Протокол № \d{4}-\d{6}/);
    await chair.getByTestId('cm-sign').click();
    await chair.locator('[data-testid="cm-signature"][data-signed="true"]').first().waitFor({ timeout: 10_000 });
    expect(await chair.getByTestId('cm-sign').count()).toBe(0);
    expect(await chair.locator('[data-testid="cm-signature"][data-signed="false"]').innerText()).toContain('ещё не подписал(а)');

    // An accreditation number kept from an older version, without its 4 digits: the document will be refused.
    const settings = (await h.store.getCentreSettings())!;
    const audit = {
      at: h.clock.now(),
      actor: { userId: 'e2e', name: 'e2e', role: 'admin' as const },
      action: 'centre.updated',
      subject: 'centre',
      changes: {},
    };
    await h.store.setCentreSettings({ ...settings, accreditationNo: 'KZ-ACC-42' }, audit);

    // The member, in another browser, signs last.
    const memberPage = await (await suite.newContext('ru-RU')).newPage();
    await logIn(memberPage, `${h.url}/staff#/procedure/${passed.sessionId}`, 'member');
    await stage(memberPage, 'protocol_to_sign');
    expect(await memberPage.getByTestId('cm-draw').count(), 'members do not draw up the protocol').toBe(0);
    await memberPage.getByTestId('cm-sign').click();
    await stage(memberPage, 'signed');
    expect(await memberPage.getByTestId('cm-message').innerText()).toContain('номере аккредитации');
    expect(await memberPage.getByTestId('cm-issue').count(), 'a member does not issue').toBe(0);

    // Corrected; the chair issues the document (rule 18).
    await h.store.setCentreSettings(settings, audit);
    await chair.reload();
    await stage(chair, 'signed');
    await chair.getByTestId('cm-issue').click();
    await stage(chair, 'document_issued');
    const serial = await chair.getByTestId('cm-serial').innerText();
    expect(serial).toMatch(/^\d{5}-\d{8}-\d-\d{6}-\d{4}-\d{8}$/);
    const stored = (await h.store.listDocuments(passed.sessionId)).find((d) => d.kind === 'recognition');
    expect(stored?.number).toBe(serial);
    expect(await chair.locator('[data-testid="cm-signature"][data-signed="true"]').count()).toBe(2);

    // The PDFs download in kk and ru; a progress line shows while each is made (the answer held back a moment to see it).
    await chair.route('**/api/documents/**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      await route.continue();
    });
    for (const lang of ['kk', 'ru'] as const) {
      const download = chair.waitForEvent('download', { timeout: 30_000 });
      await chair.getByTestId(`cm-pdf-recognition-${lang}`).click();
      expect(await chair.getByTestId('cm-pdf-busy').innerText()).toBe('Готовится PDF…');
      const file = await (await download).path();
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 4).toString('latin1'), `${lang} PDF`).toBe('%PDF');
    }
    await chair.getByTestId('cm-pdf-busy').waitFor({ state: 'hidden', timeout: 30_000 });
    await chair.screenshot({ path: path.join(SHOTS, 'commission-procedure-ru.png'), fullPage: true });
    expect(await seriousViolations(chair), 'ru procedure page').toEqual([]);
    const ruText = await chair.locator('.cm-page').innerText();
    expect(ruText.match(/\b(?:the|and|protocol|stage|deadline|signed|issued|document)\b/gi) ?? [], 'English on the Russian page').toEqual(
      [],
    );

    // An admin reads the same page from the console's tab, without the commission's buttons.
    const admin = await (await suite.newContext('en-GB')).newPage();
    await logIn(admin, `${h.url}/staff`, 'admin');
    await admin.getByTestId('admin-tab-procedures').click();
    await admin.locator(`[data-testid="cm-row"][data-session-id="${passed.sessionId}"] [data-testid="cm-open"]`).click({ timeout: 15_000 });
    await stage(admin, 'document_issued');
    expect(await admin.getByTestId('cm-serial').innerText()).toBe(serial);
    for (const id of ['cm-sign', 'cm-draw', 'cm-practical-form', 'cm-issue']) expect(await admin.getByTestId(id).count(), id).toBe(0);

    // Each signature and the issue are in the session's log with who.
    const log = await h.store.listEvents(passed.sessionId);
    expect(log.filter((e) => e.type === 'protocol.signed').map((e) => (e.data as { by: { role: string } }).by.role)).toEqual([
      'commission_chair',
      'commission_member',
    ]);
    expect(log.some((e) => e.type === 'document.issued')).toBe(true);
    expect(await h.verifyLog(passed.sessionId)).toMatchObject({ status: 'intact' });
  }, 300_000);

  it('a violation: the act downloads once the protocol is drawn; a protocol changed under the page is not signed unseen (409 reloads and explains)', async () => {
    const h = suite.centre;
    const c = await commission(h);
    const ended = await terminatedExam(h, 'ru');
    const admitted = await takeExam(h, 25, 'kk');
    expect((await h.http('PUT', `/api/procedures/${admitted.sessionId}/practical`, c.member, await practicalBody(h))).status).toBe(200);

    const chair = await (await suite.newContext('ru-RU')).newPage();
    await logIn(chair, `${h.url}/staff#/procedure/${ended.sessionId}`, 'chair');
    await stage(chair, 'protocol_to_draw');
    expect(await chair.getByTestId('cm-outcome').innerText()).toBe('Не сдал(а): нарушение');
    expect(await chair.locator('.cm-procedure').innerText()).toContain('Экзамен прекращён из-за повторного нарушения (пункт 13).');
    expect(await chair.getByTestId('cm-practical-form').count(), 'rules 13-15: no practical stage').toBe(0);
    await chair.getByTestId('cm-draw-button').click();
    await stage(chair, 'protocol_to_sign');
    const act = chair.waitForEvent('download', { timeout: 30_000 });
    await chair.getByTestId('cm-pdf-act-ru').click();
    expect(
      readFileSync(await (await act).path())
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('%PDF');

    // The admitted one: drawn up in the page, then a member corrects the practical assessment meanwhile.
    await chair.goto(`${h.url}/staff#/procedure/${admitted.sessionId}`);
    await stage(chair, 'protocol_to_draw');
    await chair.getByTestId('cm-draw-button').click();
    await stage(chair, 'protocol_to_sign');
    // Settled, the page asks the centre nothing by itself (an earlier build reloaded on every render).
    let reloads = 0;
    chair.on('request', (r) => {
      if (r.url().endsWith(`/api/procedures/${admitted.sessionId}`)) reloads++;
    });
    await chair.waitForTimeout(1_500);
    expect(reloads, 'requests of a settled page').toBe(0);
    expect(
      (await h.http('PUT', `/api/procedures/${admitted.sessionId}/practical`, c.member, await practicalBody(h, 'failed'))).status,
    ).toBe(200);
    await chair.getByTestId('cm-sign').click();
    await stage(chair, 'protocol_to_draw');
    const message = await chair.getByTestId('cm-message').innerText();
    expect(message).toContain('Протокол больше не отражает решение');
    expect(message).toContain('показана заново');
    expect(await chair.getByTestId('cm-outcome').innerText()).toBe('Не сдал(а): практический этап');
    expect((await h.store.getProcedure(admitted.sessionId))!.signatures).toEqual([]);
  }, 300_000);
});
