/**
 * Rule 7 in the browser: an ill candidate opens the exam link, sends the sick-leave certificate
 * from the first screen (in Kazakh), and sees that the centre is moving the exam; the admin sets the new
 * window; the old link then tells the candidate the new date (rule 6's notice).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/server/config';
import type { RescheduleTaskView } from '../src/shared/reschedule';
import { seriousViolations } from './support/axe';
import { browserSuite } from './support/suite';

const SHOTS = path.join(PROJECT_ROOT, 'docs', 'screenshots');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const HOUR = 3600_000;

describe('an ill candidate sends the certificate from the exam link (rule 7)', () => {
  const suite = browserSuite();

  it('filed before the exam, the centre moves it, the old link shows the new date', async () => {
    const h = suite.centre;
    const { token, sessionId } = await h.issueToken();
    const page = await (await suite.newContext('kk-KZ', { bypassCSP: true })).newPage();
    await page.goto(`${h.url}/exam#t=${token}`);
    await page.locator('.page.exam[data-phase="language"]').waitFor({ timeout: 15_000 });

    const form = page.getByTestId('sick-leave');
    await form.locator('summary').click();
    // Not a certificate: refused in the browser, in Kazakh.
    await form.locator('textarea[name="note"]').fill('14-18 желтоқсан аралығында ауырдым, анықтама № 123.');
    await form
      .locator('input[name="certificate"]')
      .setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await form.locator('button[type="submit"]').click();
    expect(await form.getByRole('alert').innerText()).toContain('PDF');
    // No English besides the formats' names.
    expect((await form.getByRole('alert').innerText()).replace(/JPEG|PNG|PDF/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    expect(await seriousViolations(page)).toEqual([]);

    await form.locator('input[name="certificate"]').setInputFiles({ name: 'anyqtama.png', mimeType: 'image/png', buffer: PNG });
    await form.locator('button[type="submit"]').click();
    const notice = page.getByTestId('reschedule-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.getAttribute('data-state')).toBe('open');
    expect(await page.getByTestId('sick-leave').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'candidate-sick-leave-kk.png'), fullPage: true });

    // The centre has the task with the certificate as sent, filed by the candidate.
    const admin = await h.staffToken('admin');
    const res = await h.http<RescheduleTaskView[]>('GET', '/api/admin/reschedule-tasks', admin);
    if (!('data' in res.body)) throw new Error(JSON.stringify(res.body));
    const task = res.body.data.find((t) => t.sessionId === sessionId)!;
    expect(task).toMatchObject({
      cause: 'sick_leave',
      state: 'open',
      note: '14-18 желтоқсан аралығында ауырдым, анықтама № 123.',
      certificate: 'image/png',
      openedBy: null,
    });

    // The admin moves the exam; the old link says to when, in the centre's zone, as Kazakh writes dates.
    const start = Math.ceil((h.clock.now() + 48 * HOUR) / HOUR) * HOUR;
    const written = (ms: number) =>
      new Intl.DateTimeFormat('ru-RU', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Almaty' }).format(ms);
    const moved = await h.http('POST', `/api/admin/reschedule-tasks/${task.id}/reschedule`, admin, {
      windowStart: start,
      windowEnd: start + 4 * HOUR,
    });
    expect(moved.status).toBe(200);
    await page.reload();
    const after = page.getByTestId('reschedule-notice');
    await after.waitFor({ timeout: 15_000 });
    expect(await after.getAttribute('data-state')).toBe('rescheduled');
    expect(await after.innerText()).toContain(written(start));
    expect(await after.innerText()).toContain(written(start + 4 * HOUR));
    expect(written(start)).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:00$/);
  });
});
