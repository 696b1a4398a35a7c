/**
 * npm run bench:control-room [-- --candidates 300 --seconds 60 --hour-seconds 120 --live-runs 5 --json FILE]
 *
 * The proctor's control room under load, in headless Chromium, against a centre of
 * its own with simulated candidates (src/cli/simulated-candidates.ts):
 *
 * 1. Load: --candidates send events, answers, incidents and (for the cards on screen) live
 *    thumbnails for --seconds; the page's main thread is watched with a PerformanceObserver
 *    for long tasks (> 50 ms), and every queue item's arrival in the page is timed.
 * 2. A working day: the events of an hour of 30 candidates (1 event/s each, 108,000 in all)
 *    are sent compressed into --hour-seconds (30 candidates at 3600/hour-seconds events/s each),
 *    with thumbnails, and the page's JS heap is read after a forced garbage collection before
 *    and after: nothing the control room keeps may grow with the day.
 *
 * 3. The live camera: a real candidate in Chromium through the system check to the exam; the proctor
 *    opens its live camera --live-runs times (first frame, and the candidate's analysed fps).
 *
 * Needs `npm run build` first and Debian's Chromium. Traffic stays on this machine.
 * TANU_BENCH_DEBUG=1 prints when each long task came; TANU_BENCH_PROFILE=FILE writes the page's CPU profile of the load.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../testing/chromium';
import { percentile } from './percentile';
import { api, drive, newStats, startCandidates, startOwnCentre } from './simulated-candidates';

const { values: args } = parseArgs({
  options: {
    candidates: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '60' },
    'hour-seconds': { type: 'string', default: '120' },
    'live-runs': { type: 'string', default: '5' },
    json: { type: 'string' },
  },
});
const N = Math.max(1, Math.min(1000, Number(args.candidates)));
const SECONDS = Math.max(5, Math.min(600, Number(args.seconds)));
const HOUR_SECONDS = Math.max(0, Math.min(3600, Number(args['hour-seconds'])));
const LIVE_RUNS = Math.max(0, Math.min(20, Number(args['live-runs'])));
const PASSWORD = 'bench-password';

type Row = { metric: string; value: number; unit: string; note?: string };
const rows: Row[] = [];
const add = (metric: string, value: number, unit: string, note?: string) =>
  rows.push({ metric, value: Math.round(value * 10) / 10, unit, ...(note ? { note } : {}) });

async function openControlRoom(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/staff`);
  await page.locator('input[name="username"]').fill('proctor');
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.getByTestId('incident-queue').waitFor({ timeout: 30_000 });
  await page.evaluate(() => {
    const w = window as unknown as { benchLongTasks: number[]; benchLongTaskStarts: number[] };
    w.benchLongTasks = [];
    w.benchLongTaskStarts = [];
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => {
        w.benchLongTasks.push(e.duration);
        w.benchLongTaskStarts.push(e.startTime);
      }),
    ).observe({ type: 'longtask', buffered: false });
  });
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usedSize / 1e6;
}

/**
 * Opens a real candidate's exam (system check and consent; identity and the room scan off for the
 * programme, so the fake camera's single face is enough), then opens the live camera from the
 * proctor's drill-down `LIVE_RUNS` times: first frame = from the click to a decoded frame playing
 * in the <video>. Also the candidate's analysed frames per second before and while watched.
 */
async function liveCameraFigures(browser: Browser, base: string, adminToken: string, proctor: Page): Promise<void> {
  const roster = await api<{ candidates: Array<{ id: string }>; programmes: Array<{ id: string }> }>(base, '/api/roster', adminToken);
  const programmeId = roster.programmes[0]!.id;
  const current = await api<{ overrides: Record<string, unknown> }>(base, `/api/programmes/${programmeId}/proctoring`, adminToken);
  const overrides = {
    ...current.overrides,
    steps: { ...((current.overrides.steps as object | undefined) ?? {}), identity: false, roomScan: false },
  };
  await fetch(`${base}/api/programmes/${programmeId}/proctoring`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(overrides),
  });
  const link = await api<{ url: string; sessionId: string }>(base, '/api/exam-links', adminToken, {
    candidateId: roster.candidates[0]!.id,
    programmeId,
  });
  const candidate = await (await browser.newContext({ locale: 'ru-RU' })).newPage();
  const phase = (p: string, timeout = 30_000) => candidate.locator(`.page.exam[data-phase="${p}"]`).waitFor({ timeout });
  await candidate.goto(link.url.replace(/^https?:\/\/[^/]+/, base));
  await phase('language');
  await candidate.getByRole('button', { name: 'Русский' }).click();
  await phase('system-check');
  await candidate.getByTestId('check-run').click();
  await candidate.getByTestId('check-summary').waitFor({ timeout: 120_000 });
  await candidate.locator('[data-testid="system-check"] button.primary').click();
  await phase('consent');
  await candidate.getByTestId('consent-checkbox').check();
  await candidate.locator('[data-testid="consent"] button.primary').click();
  await phase('briefing');
  await candidate.locator('[data-testid="proctoring-ready"]').waitFor({ timeout: 90_000 });
  await candidate.getByTestId('briefing-confirm').check();
  await candidate.locator('.page.exam button.primary').click();
  await phase('test');

  const fps = async () => {
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      sum += Number(await candidate.getByTestId('proctoring-badge').getAttribute('data-fps'));
      await candidate.waitForTimeout(1_000);
    }
    return sum / 4;
  };
  await proctor.getByTestId('scope-all').click();
  await proctor.getByTestId('cards-search').fill('');
  await proctor
    .locator(`[data-testid="session-card"][data-session-id="${link.sessionId}"] [data-testid="card-open"]`)
    .click({ timeout: 30_000 });
  const fpsBefore = await fps();
  const firstFrame: number[] = [];
  let fpsWatched = 0;
  for (let i = 0; i < LIVE_RUNS; i++) {
    const t0 = Date.now();
    await proctor.getByTestId('live-open').click();
    await proctor.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="live-video"]');
        return !!v && v.videoWidth > 0 && v.currentTime > 0;
      },
      undefined,
      { timeout: 20_000, polling: 'raf' },
    );
    firstFrame.push(Date.now() - t0);
    if (i === 0) fpsWatched = await fps();
    await proctor.getByTestId('live-close').click();
    await proctor.getByTestId('live-open').waitFor({ timeout: 10_000 });
  }
  add(
    'live camera: first frame after opening, median',
    percentile(firstFrame, 50),
    'ms',
    `${LIVE_RUNS} opens, one candidate and the proctor in one Chromium: ${firstFrame.join(', ')} ms`,
  );
  add('live camera: first frame, slowest', Math.max(...firstFrame), 'ms');
  add("candidate's analysed frames per second, not watched", fpsBefore, 'fps');
  add("candidate's analysed frames per second, watched live", fpsWatched, 'fps');
  await candidate.context().close();
}

async function main(): Promise<void> {
  const browser = await launchChromium({ video: 'single-face-5s.mjpeg', audio: 'silence.wav' });
  const centre = await startOwnCentre(PASSWORD);
  try {
    const admin = await api<{ token: string }>(centre.url, '/api/staff/login', null, { username: 'admin', password: PASSWORD });
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'ru-RU' })).newPage();

    // 1. A minute of load.
    const stats = newStats();
    const candidates = await startCandidates(centre.url, admin.token, N, stats);
    await openControlRoom(page, centre.url);
    await page.getByTestId('session-card').first().waitFor({ timeout: 30_000 });
    const pageT0 = await page.evaluate(() => {
      const w = window as unknown as { benchLongTasks: number[]; benchLongTaskStarts: number[] };
      w.benchLongTasks = [];
      w.benchLongTaskStarts = [];
      return performance.now();
    });
    const profiler = process.env.TANU_BENCH_PROFILE ? await page.context().newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    const t0 = Date.now();
    await drive(candidates, { rate: 1, incidentsPerMinute: 2, until: t0 + SECONDS * 1000 }, stats);
    await new Promise((r) => setTimeout(r, 2_000));
    const longTasks = await page.evaluate(() => (window as unknown as { benchLongTasks: number[] }).benchLongTasks);
    const shown = await page.getByTestId('queue-item').count();
    if (profiler) {
      const { profile } = (await profiler.send('Profiler.stop')) as { profile: unknown };
      writeFileSync(process.env.TANU_BENCH_PROFILE!, JSON.stringify(profile));
      await profiler.detach();
    }
    if (process.env.TANU_BENCH_DEBUG) {
      const starts = await page.evaluate(() => (window as unknown as { benchLongTaskStarts: number[] }).benchLongTaskStarts);
      console.log(
        'long tasks (s after the load began, ms):',
        starts.map((s, i) => `${((s - pageT0) / 1000).toFixed(1)}:${Math.round(longTasks[i]!)}`).join(' '),
      );
    }
    add(
      `control room: long tasks (> 50 ms) during ${SECONDS} s of ${N} candidates`,
      longTasks.length,
      'tasks',
      `${stats.incidentsSent.size} incidents, ${stats.acked} events`,
    );
    add('control room: longest main-thread task under load', longTasks.length ? Math.max(...longTasks) : 0, 'ms');
    add('control room: long tasks over 100 ms', longTasks.filter((d) => d > 100).length, 'tasks');
    add('centre: answer round trip meanwhile, p99', percentile(stats.answerMs, 99), 'ms');
    add('control room: queue items on screen after the load', shown, 'items', 'bounded');
    candidates.forEach((c) => c.socket.close());

    // 2. A working day, compressed.
    if (HOUR_SECONDS > 0) {
      const day = newStats();
      const thirty = await startCandidates(centre.url, admin.token, 30, day);
      await page.waitForTimeout(3_000);
      const before = await heapMB(page);
      const t1 = Date.now();
      await drive(
        thirty,
        { rate: 3600 / HOUR_SECONDS, incidentsPerMinute: (3600 / HOUR_SECONDS) * 2, until: t1 + HOUR_SECONDS * 1000 },
        day,
      );
      await page.waitForTimeout(3_000);
      const after = await heapMB(page);
      add('control room: JS heap before a simulated hour (after GC)', before, 'MB');
      add(
        'control room: JS heap after a simulated hour (after GC)',
        after,
        'MB',
        `${day.acked} events, ${day.incidentsSent.size} incidents, ${day.thumbsSent} thumbnails in ${HOUR_SECONDS} s`,
      );
      add('control room: heap growth over the simulated hour', after - before, 'MB');
      thirty.forEach((c) => c.socket.close());
    }
    // 3. The live camera: one real candidate in this Chromium (fake camera, real proctoring), opened by the proctor LIVE_RUNS times.
    if (LIVE_RUNS > 0) await liveCameraFigures(browser, centre.url, admin.token, page);
    console.table(rows);
    if (args.json)
      writeFileSync(args.json, JSON.stringify({ measuredAt: new Date().toISOString(), cpus: os.cpus().length, rows }, null, 2));
  } finally {
    await browser.close();
    await centre.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`control-room bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
