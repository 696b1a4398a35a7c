/**
 * The steps before the exam in the browser, with the fake camera and microphone: the candidate's path from the exam
 * link to the first question (language → system check → consent → briefing → test; identity and the
 * 360° room scan are switched off here, their steps have their own tests), in Kazakh and in Russian;
 * the system check's failure messages (camera access refused, no camera at all, the centre unreachable); consent declined
 * blocks the exam.
 */
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CURRENT_CONSENT } from '../src/shared/consent';
import type { ExamSnapshot } from '../src/shared/protocol';
import { waitUntil, type Harness } from '../src/testing/centre-harness';
import { chromiumPath } from '../src/testing/chromium';
import { PROJECT_ROOT } from '../src/server/config';
import { CandidatePage } from './support/pages';
import { browserSuite, centreSuite, DEFAULT_MEDIA } from './support/suite';

const WAIT = { timeout: 20_000 };

describe('the path to the first question', () => {
  const suite = browserSuite();
  let h: Harness;
  beforeEach(async () => {
    h = suite.centre;
    await h.setSteps({ identity: false, roomScan: false }); // a single-face clip passes neither liveness nor a 360° scan
  });

  it('language → system check → consent → briefing → first question, in Kazakh and in Russian; the centre records each step', async () => {
    for (const [language, label, locale] of [
      ['kk', 'Қазақша', 'kk-KZ'],
      ['ru', 'Русский', 'ru-RU'],
    ] as const) {
      const link = await h.issueToken();
      const candidate = new CandidatePage(await (await suite.newContext(locale)).newPage());
      const page = candidate.page;
      await candidate.open(link.url);
      await candidate.chooseLanguage(label);

      // System check: every item passes with its figure; the models load during the check.
      expect(await candidate.runSystemCheck(), `${language}: ${JSON.stringify(await candidate.failedChecks())}`).toBe(true);
      expect(await page.getByTestId('check-camera').innerText()).toContain('640×480');
      for (const item of ['browser', 'camera', 'microphone', 'network', 'models', 'storage']) {
        expect(await page.getByTestId(`check-${item}`).getAttribute('data-ok'), item).toBe('true');
      }
      expect(await candidate.previewIsLive()).toBe(true);
      await page.screenshot({ path: path.join(PROJECT_ROOT, '.tmp', `prestart-system-check-${language}.png`), fullPage: true });
      await page.locator('[data-testid="system-check"] button.primary').click();

      // Consent (Appendix 1) in the exam language: "I agree" waits for the box.
      await candidate.waitForPhase('consent');
      const text = page.locator('.consent-text');
      expect(await text.getAttribute('lang')).toBe(language);
      expect(await text.innerText()).toContain(CURRENT_CONSENT.text[language][0]);
      expect(await page.locator('[data-testid="consent"] button.primary').isDisabled()).toBe(true);
      await page.screenshot({ path: path.join(PROJECT_ROOT, '.tmp', `prestart-consent-${language}.png`), fullPage: true });
      await candidate.giveConsent('briefing');

      // Briefing (rule 8): forbidden items of this programme, the timer, complaints and appeals; Start waits for the box.
      expect(await page.getByTestId('briefing-timer').innerText()).toContain('40');
      expect(await page.getByTestId('briefing-watched').innerText()).toContain(language === 'kk' ? 'телефон' : 'телефона');
      expect(await page.getByTestId('briefing').innerText()).toMatch(language === 'kk' ? /5 жұмыс күні/ : /5 рабочих дней/);
      await page.getByTestId('proctoring-ready').waitFor({ timeout: 90_000 });
      expect(await page.locator('.page.exam button.primary').isDisabled()).toBe(true);
      await page.screenshot({ path: path.join(PROJECT_ROOT, '.tmp', `prestart-briefing-${language}.png`), fullPage: true });
      await candidate.start();
      await page.locator('[data-testid="question"]').waitFor(WAIT);
      expect(await candidate.questionNumber()).toBe(1);

      const events = await h.store.listEvents(link.sessionId);
      const types = events
        .map((e) => e.type)
        .filter((t) => ['language.chosen', 'system.checked', 'consent.given', 'session.started'].includes(t));
      expect(types, language).toEqual(['language.chosen', 'system.checked', 'consent.given', 'session.started']);
      const checked = events.find((e) => e.type === 'system.checked')!.data as {
        ok: boolean;
        items: Array<{ item: string; detail: Record<string, unknown> }>;
      };
      expect(checked.ok).toBe(true);
      const network = checked.items.find((i) => i.item === 'network')!.detail;
      console.log(`prestart e2e (${language}): system check figures ${JSON.stringify(checked.items.map((i) => [i.item, i.detail]))}`);
      expect(network.kbps as number).toBeGreaterThanOrEqual(400);
      expect((await h.store.getPrestart(link.sessionId)).consent).toMatchObject({
        version: CURRENT_CONSENT.version,
        textSha256: CURRENT_CONSENT.sha256[language],
        language,
      });
      await page.close();
    }
  }, 300_000);

  it('consent declined: the page says the exam cannot go on and whom to contact; the centre starts nothing', async () => {
    const link = await h.issueToken();
    const candidate = new CandidatePage(await (await suite.newContext('ru-RU')).newPage());
    const page = candidate.page;
    await candidate.open(link.url);
    await candidate.chooseLanguage('Русский');
    await candidate.passSystemCheck();
    await page.getByRole('button', { name: 'Не согласен(на)' }).click();
    const declined = page.getByTestId('consent-declined');
    await declined.waitFor(WAIT);
    expect(await declined.innerText()).toMatch(/без Вашего согласия экзамен онлайн провести нельзя[\s\S]*центр признания/i);
    expect(await candidate.phase()).toBe('consent');
    // The exam cannot be started around the page either: the centre has no consent.
    const snap = (await h.centre.exams.snapshot(link.sessionId)) as ExamSnapshot;
    expect(snap.prestart.consent).toBeNull();
    await expect(h.centre.exams.start(link.sessionId)).rejects.toThrow(/consent/);
    // Changing one's mind leads back to the text.
    await declined.getByRole('button').click();
    await candidate.giveConsent('briefing');
  }, 180_000);

  it('the centre unreachable: the check says so in plain words, and passes once the connection is back', async () => {
    const link = await h.issueToken();
    const context = await suite.newContext('ru-RU');
    const candidate = new CandidatePage(await context.newPage());
    const page = candidate.page;
    await candidate.open(link.url);
    await candidate.chooseLanguage('Русский');
    expect(await candidate.runSystemCheck()).toBe(true);

    await context.setOffline(true);
    await waitUntil(
      async () => (await page.getByTestId('connection').getAttribute('class'))?.includes('reconnecting') ?? false,
      15_000,
      'the page to notice',
    );
    await page.locator('[data-testid="system-check"] button.primary').click(); // Continue: the centre cannot take the report
    await page.locator('[data-testid="check-network"][data-ok="false"]').waitFor(WAIT);
    expect(await candidate.failedChecks()).toEqual({ network: 'offline' });
    expect(await page.getByTestId('check-network').innerText()).toContain('Нет связи с центром. Проверьте подключение к интернету');
    expect(await candidate.phase()).toBe('system-check');
    expect((await h.store.getPrestart(link.sessionId)).systemCheck).toBeUndefined();

    await context.setOffline(false);
    await waitUntil(
      async () => (await page.getByTestId('connection').getAttribute('class'))?.includes('online') ?? false,
      20_000,
      'the page to reconnect',
    );
    await candidate.passSystemCheck();
    expect((await h.store.getPrestart(link.sessionId)).systemCheck).toMatchObject({ ok: true });
  }, 180_000);
});

describe('camera access refused', () => {
  // A browser of its own with the fake devices but without the flag that accepts every permission prompt: its one
  // context is told "camera: denied" over CDP, as a candidate's click on "Block" would, and later "granted".
  let browser: Browser | null = null;
  const suite = centreSuite();
  beforeAll(async () => {
    const fixtures = path.join(PROJECT_ROOT, 'e2e', 'fixtures');
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-device-for-media-stream',
        '--autoplay-policy=no-user-gesture-required',
        `--use-file-for-fake-video-capture=${path.join(fixtures, DEFAULT_MEDIA.video)}`,
        `--use-file-for-fake-audio-capture=${path.join(fixtures, DEFAULT_MEDIA.audio)}`,
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the camera item says how to allow it, and Retry passes once it is allowed', async () => {
    const h = suite.centre;
    await h.setSteps({ identity: false, roomScan: false });
    const link = await h.issueToken();
    const context = await browser!.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    const cdp = await browser!.newBrowserCDPSession();
    const { browserContextIds } = (await cdp.send('Target.getBrowserContexts')) as { browserContextIds: string[] };
    expect(browserContextIds).toHaveLength(1);
    const setPermission = (name: 'camera' | 'microphone', setting: 'denied' | 'granted') =>
      cdp.send('Browser.setPermission', { permission: { name }, setting, origin: h.url, browserContextId: browserContextIds[0] });
    const setCamera = async (setting: 'denied' | 'granted') => {
      await setPermission('camera', setting);
      await setPermission('microphone', 'granted');
    };
    await setCamera('denied');
    const candidate = new CandidatePage(await context.newPage());
    const page = candidate.page;
    await candidate.open(link.url);
    await candidate.chooseLanguage('Русский');
    expect(await candidate.runSystemCheck()).toBe(false);
    expect(await candidate.failedChecks()).toEqual({ camera: 'denied', microphone: 'skipped', models: 'skipped' });
    expect(await page.getByTestId('check-camera').innerText()).toContain(
      'Доступ к камере запрещён. Разрешите его в адресной строке браузера',
    );
    await setCamera('granted');
    await page.getByTestId('check-run').click(); // "Check again"
    await page.locator('[data-testid="check-summary"].ok').waitFor({ timeout: 120_000 });
    await page.locator('[data-testid="system-check"] button.primary').click();
    await candidate.waitForPhase('consent');
    await context.close();
  }, 180_000);
});

describe('a computer without a camera or microphone', () => {
  // Chromium without its fake capture devices: getUserMedia finds no device, as on a desktop with no webcam.
  let browser: Browser | null = null;
  const suite = centreSuite();
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the camera item fails with what to do, the microphone waits for it, and the candidate cannot continue; the proctor sees why', async () => {
    const h = suite.centre;
    await h.setSteps({ identity: false, roomScan: false });
    const link = await h.issueToken();
    const context = await browser!.newContext({ locale: 'kk-KZ', viewport: { width: 1280, height: 800 } });
    const candidate = new CandidatePage(await context.newPage());
    const page = candidate.page;
    await candidate.open(link.url);
    await candidate.chooseLanguage('Қазақша');
    expect(await candidate.runSystemCheck()).toBe(false);
    expect(await candidate.failedChecks()).toEqual({ camera: 'missing', microphone: 'skipped', models: 'skipped' });
    expect(await page.getByTestId('check-camera').innerText()).toContain('Камера табылмады. Веб-камераны қосып, қайта тексеріңіз.');
    expect(await page.getByTestId('check-summary').innerText()).toContain('қайта тексеріңіз');
    await page.screenshot({ path: path.join(PROJECT_ROOT, '.tmp', 'prestart-system-check-no-camera-kk.png'), fullPage: true });
    // No way on: the only button runs the check again.
    expect(await page.locator('[data-testid="system-check"] button.primary').count()).toBe(0);
    expect(await page.getByTestId('check-run').isEnabled()).toBe(true);
    // The failed check reached the centre, with the reason per item.
    await waitUntil(
      async () => (await h.store.listEvents(link.sessionId)).some((e) => e.type === 'system.checked'),
      5_000,
      'system.checked',
    );
    const event = (await h.store.listEvents(link.sessionId)).find((e) => e.type === 'system.checked')!;
    expect(event.data).toMatchObject({ ok: false, failedItems: 'camera, microphone, models' });
    expect((await h.store.getPrestart(link.sessionId)).systemCheck).toMatchObject({ ok: false });
    await context.close();
  }, 120_000);
});
