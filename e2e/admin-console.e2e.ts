/**
 * The admin console in a real browser against a real centre: an admin creates a candidate,
 * uploads the reference photo (the centre finds one face), switches the programme's steps off in the
 * programme form (so the setting changed in the form must reach the next exam), schedules the exam and
 * issues the link; that link runs the candidate page to the first question. A CSV with bad lines is
 * imported and its refusals shown; a staff account is made and the centre's settings saved. Every admin page is axe-checked in kk, ru and
 * en, and screenshotted
 * to docs/screenshots/admin-*.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/server/config';
import { TEST_PASSWORD } from '../src/testing/centre-harness';
import { seriousViolations } from './support/axe';
import { CandidatePage, ProctorPage } from './support/pages';
import { browserSuite } from './support/suite';

const suite = browserSuite();
const SHOTS = path.join(PROJECT_ROOT, 'docs', 'screenshots');
const WAIT = { timeout: 20_000 };

/** axe on the current page in each language, with no English word leaking into kk / ru. */
async function checkLanguages(page: Page, name: string): Promise<void> {
  for (const language of ['kk', 'ru', 'en'] as const) {
    await page.locator('.lang-switch select').selectOption(language);
    await page.locator(`html[lang="${language}"]`).waitFor({ timeout: 5_000 });
    expect(await seriousViolations(page), `${name} ${language}`).toEqual([]);
    if (language !== 'en') {
      // A file format's example (<code>) and people's data are the same in every language; the rest must be translated.
      const text = await page.locator('main').evaluate((main) => {
        const copy = main.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('code, input, [data-testid="issued-url"], [data-file-name]').forEach((e) => e.remove());
        return copy.textContent ?? '';
      });
      const english =
        text.match(
          /\b(?:the|and|choose|chosen|save|saved|found|face|candidate|photo|link|exam|default|setting|yes|no|file|import|changes?|revoked|copied|level)\b/gi,
        ) ?? [];
      expect(english, `${name} ${language}: English words on the screen`).toEqual([]);
    }
    await page.screenshot({ path: path.join(SHOTS, `admin-${name}-${language}.png`), fullPage: true });
  }
}

describe('the admin console', () => {
  it('creates a candidate with a photo, switches the steps off, issues a link that runs to the first question; axe-clean in kk, ru, en', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const h = suite.centre;
    const context = await suite.newContext('en-GB', { bypassCSP: true });
    const page = await context.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await new ProctorPage(page).logIn(h.url, 'admin', TEST_PASSWORD);
    await page.locator('.lang-switch select').selectOption('en');

    // 1. A new candidate: first the form refuses a wrong IIN checksum, then saves.
    await page.getByTestId('admin-tab-candidates').click();
    await page.getByRole('button', { name: 'New candidate' }).click();
    const form = page.getByTestId('candidate-form');
    const fill = async (label: string, value: string) => form.getByLabel(label, { exact: true }).fill(value);
    await fill('Surname', 'Жаңабаев');
    await fill('Given name', 'Ерлан');
    await fill('IIN (12 digits)', '900101300018');
    await fill('Date of birth', '1990-01-01');
    await fill('Phone', '+7 701 555 44 33');
    await fill('E-mail', 'erlan@example.kz');
    await fill('Profession', 'Электромонтёр');
    await fill('Qualification level (NQF, 1–8)', '4');
    await fill('Address', 'Астана, Сарыарқа 10');
    await form.getByLabel(/personal data/).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('This IIN is not valid').waitFor(WAIT);
    expect(await form.getByLabel('IIN (12 digits)', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await fill('IIN (12 digits)', '900101300017');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByTestId('candidate-status').filter({ hasText: 'Saved.' }).waitFor(WAIT);
    await page.getByTestId('candidate-list').getByText('Жаңабаев Ерлан').waitFor(WAIT);

    // 2. The reference photo: the centre finds exactly one face in the fixture.
    await form.getByLabel('Photo file (JPEG)').setInputFiles(path.join(PROJECT_ROOT, 'e2e', 'fixtures', 'reference.jpg'));
    await form.getByRole('button', { name: 'Upload the photo' }).click();
    await form.getByTestId('photo-message').filter({ hasText: 'Saved: one face found.' }).waitFor({ timeout: 90_000 });
    await form.locator('img[alt^="The photo on file"]').waitFor(WAIT);
    await form.getByText('put a reference photo on file').waitFor(WAIT);
    await page.getByTestId('candidate-list').locator('tr', { hasText: 'Жаңабаев Ерлан' }).getByText('on file').waitFor(WAIT);
    // ...or taken with the admin's camera (Chromium's fake camera shows one face): checked the same way.
    await form.getByRole('button', { name: 'Take with the camera' }).click();
    await page.waitForFunction(
      () => (document.querySelector<HTMLVideoElement>('.admin-camera video')?.videoWidth ?? 0) > 0,
      undefined,
      WAIT,
    );
    await form.getByRole('button', { name: 'Take the photo' }).click();
    await form.getByTestId('photo-message').filter({ hasText: 'Saved: one face found.' }).waitFor({ timeout: 90_000 });
    await expect.poll(async () => (await h.store.listAudit(null, 20)).filter((e) => e.action === 'candidate.photo').length, WAIT).toBe(2);
    await form.locator('.admin-camera').waitFor({ state: 'detached', ...WAIT });
    await checkLanguages(page, 'candidate');

    // 3. A CSV with bad lines: each refused line is listed with why.
    const csvFile = path.join(os.tmpdir(), `tanu-import-${Date.now()}.csv`);
    writeFileSync(
      csvFile,
      [
        'surname;given name;iin;birth date;address;phone;profession;nqf level;consent',
        'Әлиев;Бауыржан;850505400127;1985-05-05;Алматы;+77011112233;Сварщик;3;да',
        'Қасымова;Дана;850505400128;1985-05-05;Алматы;+77011112233;Сварщик;3;да',
        'Тестов;Нұрлан;900101300017;1990-01-01;Астана;+77011112233;Электрик;4;да',
      ].join('\n'),
    );
    await page.locator('.lang-switch select').selectOption('en');
    await page.getByLabel('CSV file', { exact: true }).setInputFiles(csvFile);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-result').filter({ hasText: 'Added: 1. Refused: 2.' }).waitFor(WAIT);
    await page.getByTestId('csv-import').getByText('its last digit does not match').waitFor(WAIT);
    await page.getByTestId('csv-import').getByText('already on file').waitFor(WAIT);
    await checkLanguages(page, 'import');

    // 4. The programme form: the steps before the exam off, reviewed as a diff, saved.
    await page.locator('.lang-switch select').selectOption('en');
    await page.getByTestId('admin-tab-programmes').click();
    for (const step of ['steps.systemCheck', 'steps.identity', 'steps.roomScan'])
      await page.locator(`input[data-setting="${step}"]`).uncheck();
    await page.getByRole('button', { name: 'Review the changes' }).click();
    expect(await page.getByTestId('programme-diff').locator('li').count()).toBe(3);
    await checkLanguages(page, 'programme');
    await page.locator('.lang-switch select').selectOption('en');
    await page.getByRole('button', { name: 'Save these changes' }).click();
    await page.getByTestId('programme-message').filter({ hasText: 'Saved.' }).waitFor(WAIT);
    const stored = await h.store.getProgramme(h.programmeId);
    expect(stored!.proctoring).toEqual({ steps: { systemCheck: false, identity: false, roomScan: false } });

    // 5. Schedule today and issue the link: shown once, with a copy button.
    await page.getByTestId('admin-tab-exams').click();
    const option = page.locator('select[name="candidate"] option', { hasText: 'Жаңабаев Ерлан' });
    await option.waitFor({ state: 'attached', ...WAIT });
    await page.locator('select[name="candidate"]').selectOption({ label: (await option.textContent())! });
    await page.locator('input[name="from"]').fill('00:00');
    await page.locator('input[name="to"]').fill('23:59');
    await page.getByRole('button', { name: 'Issue the exam link' }).click();
    const url = await page.getByTestId('issued-url').inputValue(WAIT);
    expect(url).toMatch(/\/exam#t=/);
    await page.getByTestId('not-started').getByText('Жаңабаев Ерлан').waitFor(WAIT);
    await checkLanguages(page, 'exams');

    // 6. The link runs the candidate's exam to the first question, with the steps the form switched off skipped.
    const candidateContext = await suite.newContext('ru-RU');
    const candidate = new CandidatePage(await candidateContext.newPage());
    await candidate.open(url);
    await candidate.chooseLanguage('Русский');
    await candidate.allowDevices('consent');
    await candidate.giveConsent('briefing');
    await candidate.start();
    await candidate.page.locator('[data-testid="question"]').waitFor(WAIT);
    expect(await candidate.questionNumber()).toBe(1);

    // 7. Staff: a new account's password is shown once; the centre's settings are saved.
    await page.locator('.lang-switch select').selectOption('en');
    await page.getByTestId('admin-tab-staff').click();
    await page.getByLabel('Name', { exact: true }).fill('Айгүл Сәрсенова');
    await page.getByLabel('Log-in name', { exact: true }).fill('chair.one');
    await page.getByRole('button', { name: 'Create the account' }).click();
    await page.getByTestId('staff-password').locator('code').waitFor(WAIT);
    await page.getByTestId('staff-list').getByText('chair.one').waitFor(WAIT);
    await checkLanguages(page, 'staff');
    await page.locator('.lang-switch select').selectOption('en');
    await page.getByTestId('admin-tab-centre').click();
    await page.getByLabel('Accreditation number').fill('KZ-ACC-0042');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('centre-status').filter({ hasText: 'Saved.' }).waitFor(WAIT);
    expect((await h.store.getCentre())!.accreditationNo).toBe('KZ-ACC-0042');
    await checkLanguages(page, 'centre');

    // 8. Reschedule (rules 7, 11): the page with nothing to move, axe-clean in the three languages.
    await page.locator('.lang-switch select').selectOption('en');
    await page.getByTestId('admin-tab-reschedule').click();
    await page.getByText('Nothing to reschedule.').waitFor(WAIT);
    await checkLanguages(page, 'reschedule');
  });
});
