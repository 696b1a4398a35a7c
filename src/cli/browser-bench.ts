/**
 * npm run bench:browsers [-- --seconds 30] [--json FILE]
 *
 * The proctoring pipeline in Firefox beside Chromium, measured the same way in both: a
 * candidate on the same clean clip (single-face-5s.mjpeg: Chromium's fake camera plays it, Firefox's
 * clip camera draws it), through the system check and the briefing into the test, proctored for
 * `seconds`. The figures come from what the centre logged: proctoring.ready (time to ready, backend,
 * models) and the per-second signals (analysed frames per second), plus any model failure and
 * incident on a clip where nothing happens. Needs `npm run build` first; runs one browser at a time.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { SIGNAL_BATCH_SECONDS, secondsOfLog } from '../shared/signal-seconds';
import { startHarness, type Harness } from '../testing/centre-harness';
import { launchChromium } from '../testing/chromium';
import { installClipCamera, playClip } from '../testing/clip-camera';
import { launchFirefox } from '../testing/firefox';
import { percentile } from './percentile';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, json: { type: 'string' } } });
const SECONDS = Math.max(10, Math.min(600, Number(args.seconds)));
const CLIP = 'single-face-5s.mjpeg';

/** What both drivers' pages can do (Playwright's and puppeteer's Page share these two). */
interface Driven {
  click(selector: string): Promise<void>;
  waitForSelector(selector: string, options: { timeout: number }): Promise<unknown>;
  evaluate(script: string): Promise<unknown>;
}

async function toTheTest(page: Driven): Promise<void> {
  const step = async (wait: string, click: string, timeout = 30_000) => {
    await page.waitForSelector(wait, { timeout });
    await page.click(click);
  };
  await step('.page.exam[data-phase="language"] button[lang="ru"]', 'button[lang="ru"]');
  await step('[data-testid="check-run"]', '[data-testid="check-run"]');
  await step('[data-testid="system-check"] button.primary:not([disabled])', '[data-testid="system-check"] button.primary', 180_000);
  await step('[data-testid="consent-checkbox"]', '[data-testid="consent-checkbox"]');
  await page.click('[data-testid="consent"] button.primary');
  await step('[data-testid="proctoring-ready"]', '[data-testid="briefing-confirm"]', 120_000);
  await page.click('.page.exam button.primary');
  await page.waitForSelector('.page.exam[data-phase="test"]', { timeout: 30_000 });
}

interface Figures {
  browser: string;
  version: string;
  msToReady: number;
  backend: string;
  models: string;
  fpsMedian: number;
  frameMsP50: number;
  frameMsP95: number;
  perModelP50: string;
  dropped: number;
  fpsP10: number;
  seconds: number;
  modelFailures: number;
  incidents: string;
}

/** The page's own timings (the eval flag, set before the page loaded, exposes the engine as window.tanuEval). */
const PAGE_TIMINGS = `(() => {
  const e = window.tanuEval.engine;
  return { frameMs: e.perf().frameMs, modelMs: e.modelMs, dropped: e.droppedFrames() ?? 0 };
})()`;
type PageTimings = { frameMs: number[]; modelMs: Record<string, number[]>; dropped: number };

async function figuresOf(h: Harness, sessionId: string, browser: string, version: string, page: PageTimings): Promise<Figures> {
  const events = await h.store.listEvents(sessionId);
  const ready = events.find((e) => e.type === 'proctoring.ready')?.data as
    { msToReady: number; backend: string; models: string[] } | undefined;
  if (!ready) throw new Error(`${browser}: proctoring never became ready`);
  const fps = (await examSeconds(h, sessionId)).map((s) => s.fps);
  const incidents = events.filter((e) => e.type === 'incident.open').map((e) => (e.data as { incident: { type: string } }).incident.type);
  return {
    browser,
    version,
    msToReady: ready.msToReady,
    backend: ready.backend,
    models: ready.models.join(' '),
    fpsMedian: percentile(fps, 50),
    frameMsP50: Math.round(percentile(page.frameMs, 50)),
    frameMsP95: Math.round(percentile(page.frameMs, 95)),
    perModelP50: Object.entries(page.modelMs)
      .map(([m, ms]) => `${m} ${Math.round(percentile(ms, 50))}`)
      .join(', '),
    dropped: page.dropped,
    fpsP10: percentile(fps, 10),
    seconds: fps.length,
    modelFailures: incidents.filter((t) => t === 'tech.model_failed').length,
    incidents: incidents.join(' ') || 'none',
  };
}

/** The per-second signals logged since the exam started (after the models' warm-up). */
async function examSeconds(h: Harness, sessionId: string) {
  const started = (await h.store.listEventsOfTypes(sessionId, ['session.started']))[0]?.serverAt ?? 0;
  return secondsOfLog(await h.store.listEventsOfTypes(sessionId, ['signals.seconds'])).filter((s) => s.t >= started + 1000);
}

/** Proctors for SECONDS of exam time: the browser sends its per-second signals in batches, so wait for them to arrive. */
async function proctorFor(h: Harness, sessionId: string): Promise<void> {
  const end = Date.now() + (SECONDS + SIGNAL_BATCH_SECONDS + 30) * 1000;
  while ((await examSeconds(h, sessionId)).length < SECONDS) {
    if (Date.now() > end) throw new Error(`fewer than ${SECONDS} seconds of signals arrived`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const EVAL_FLAG = "localStorage.setItem('tanu.eval', '1')";

async function measure(name: 'chromium' | 'firefox'): Promise<Figures> {
  const h = await startHarness({ withApp: true });
  try {
    await h.setSteps({ identity: false, roomScan: false });
    const link = await h.issueToken();
    if (name === 'chromium') {
      const browser = await launchChromium({ video: CLIP, audio: 'silence.wav' });
      try {
        const page = await (await browser.newContext({ locale: 'ru-RU' })).newPage();
        await page.goto(`${h.url}/api/health`);
        await page.evaluate(EVAL_FLAG);
        await page.goto(link.url);
        await toTheTest(page);
        await proctorFor(h, link.sessionId);
        return await figuresOf(h, link.sessionId, 'Chromium', browser.version(), (await page.evaluate(PAGE_TIMINGS)) as PageTimings);
      } finally {
        await browser.close();
      }
    }
    const firefox = await launchFirefox({ sound: 'null-device' });
    try {
      const page = await firefox.browser.newPage();
      await installClipCamera(page);
      await page.goto(`${h.url}/api/health`);
      await page.evaluate(EVAL_FLAG);
      await page.goto(link.url);
      await playClip(page, CLIP);
      await toTheTest(page);
      await proctorFor(h, link.sessionId);
      return await figuresOf(
        h,
        link.sessionId,
        'Firefox',
        await firefox.browser.version(),
        (await page.evaluate(PAGE_TIMINGS)) as PageTimings,
      );
    } finally {
      await firefox.close();
    }
  } finally {
    await h.close();
  }
}

async function main(): Promise<void> {
  const rows = [await measure('chromium'), await measure('firefox')];
  console.table(rows);
  if (args.json)
    writeFileSync(
      args.json,
      JSON.stringify({ measuredAt: new Date().toISOString(), cpus: os.cpus().length, seconds: SECONDS, rows }, null, 2),
    );
}

main().catch((err: unknown) => {
  console.error(`bench:browsers failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
