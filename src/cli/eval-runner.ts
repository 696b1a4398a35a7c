/**
 * Runs the real candidate app with the real proctoring engine in headless Chromium, fed from
 * a video and an audio file by the fake camera and microphone, against a real centre whose
 * programme is in observe mode (everything detected and logged, nothing terminates), and
 * collects what the engine saw (DESIGN §7). Shared by `npm run eval`, the bench and the tests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IDENTITY_THRESHOLD } from '../shared/identity';
import { launchChromium } from '../testing/chromium';
import { startHarness } from '../testing/centre-harness';
import {
  centreMismatches,
  scoreIdentity,
  type EvalIdentityCheck,
  type EvalIncident,
  type EvalReport,
  type EvalSample,
  type IdentityScore,
} from './eval-score';
import { percentile } from './percentile';

export interface EvalOptions {
  video: string;
  audio: string;
  /** Seconds of proctored exam to observe (counted from when incidents start to count). */
  seconds: number;
  /** Progress lines (model loading, seconds observed) go here. */
  log?: (line: string) => void;
  /**
   * Rule 2.8.6: a JPEG uploaded as the candidate's reference photo (by an admin, through the REST
   * route, so the centre computes its descriptor); the exam then re-verifies the face every
   * `identityEverySec` and the report gets `identity` (similarities, verdict, face.mismatch).
   */
  reference?: string;
  /** Re-verification period with --reference (the programme's identityCheckSec; 10..3600, default 10). */
  identityEverySec?: number;
}

export interface EvalPerf {
  frameMsP50: number;
  frameMsP95: number;
  analysedFps: number;
  audioMsP50: number;
  audioMsP95: number;
  longTasks: number;
  longestTaskMs: number;
  msToReady: number;
  models: Record<string, { p50: number; p95: number; runs: number }>;
  droppedFrames: number | null;
  /** Bytes the browser downloaded from /models/ (model files and wasm runtimes). */
  modelDownloadBytes: number;
}

export interface FullEvalReport extends EvalReport {
  video: string;
  audio: string;
  perf: EvalPerf;
  /** With --reference: the re-verifications during the exam (t in seconds of the feed) and their summary. */
  identity?: IdentityScore & { reference: string; log: EvalIdentityCheck[] };
}

interface PageData {
  cameraStartedAt: number;
  micStartedAt: number;
  armedAt: number;
  now: number;
  samples: EvalSample[];
  incidents: EvalIncident[];
  frameMs: number[];
  audioMs: number[];
  modelMs: Record<string, number[]>;
  longTasks: number[];
  msToReady: number;
  dropped: number | null;
  modelBytes?: number;
  /** As the browser saw them; the similarity is filled in from the centre's log. */
  identityChecks: Array<Omit<EvalIdentityCheck, 'similarity'> & { similarity?: number | null }>;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export async function runEval(options: EvalOptions): Promise<FullEvalReport> {
  const log = options.log ?? (() => undefined);
  const h = await startHarness({ withApp: true });
  const browser = await launchChromium({ video: path.resolve(options.video), audio: path.resolve(options.audio) });
  try {
    await h.store.setProgrammeProctoring(h.programmeId, {
      observe: true,
      ...(options.reference ? { identityCheckSec: options.identityEverySec ?? 10 } : {}),
    });
    h.centre.exams.forgetProctoringConfig(h.programmeId);
    // The eval measures proctoring: the system check and the room scan are not run; identity only with --reference.
    await h.setSteps({ systemCheck: false, roomScan: false, identity: options.reference !== undefined });
    const link = await h.issueToken();
    if (options.reference) {
      // The photo goes through the staff route (the centre finds the one face and describes it, as in production).
      const admin = await h.staffToken('admin');
      const res = await fetch(`${h.url}/api/candidates/${h.candidateId}/reference-photo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'image/jpeg' },
        body: readFileSync(options.reference),
      });
      if (!res.ok) throw new Error(`reference photo refused: ${JSON.stringify(await res.json())}`);
      // The identity step before the exam needs a live head turn, which a recorded clip cannot give on
      // demand: it is recorded as passed here, and what is measured is the re-verification during the exam.
      await h.store.updatePrestart(link.sessionId, {
        identity: { verifiedAt: Date.now(), similarity: null, attempts: 1, reference: 'file' },
      });
    }
    const context = await browser.newContext({ locale: 'kk-KZ', viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
      localStorage.setItem('tanu.eval', '1');
      const tasks: Array<[number, number]> = [];
      Object.assign(window, { tanuLongTasks: tasks });
      new PerformanceObserver((list) =>
        list.getEntries().forEach((e) => tasks.push([performance.timeOrigin + e.startTime, e.duration])),
      ).observe({
        type: 'longtask',
        buffered: true,
      });
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => log(`page error: ${err.message}`));
    // What the candidate's browser downloads for proctoring: model files and wasm runtimes under /models/ (workers fetch them too).
    let modelBytes = 0;
    context.on('response', (res) => {
      if (new URL(res.url()).pathname.startsWith('/models/')) modelBytes += Number(res.headers()['content-length'] ?? 0);
    });
    await page.goto(link.url);
    await page.locator('.page.exam[data-phase="language"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Қазақша' }).click();
    await page.locator('.page.exam[data-phase="devices"] button.big').click();
    // Appendix 1 consent, where the page asks for it, as the candidate gives it.
    await page.locator('.page.exam[data-phase="consent"], .page.exam[data-phase="briefing"]').first().waitFor({ timeout: 30_000 });
    if (await page.locator('.page.exam[data-phase="consent"]').count()) {
      await page.getByTestId('consent-checkbox').check();
      await page.locator('[data-testid="consent"] button.primary').click();
      await page.locator('.page.exam[data-phase="briefing"]').waitFor({ timeout: 30_000 });
    }
    log('devices on; loading the proctoring models…');
    await page.locator('[data-testid="proctoring-ready"], [data-testid="proctoring-failed"]').first().waitFor({ timeout: 120_000 });
    if (await page.locator('[data-testid="proctoring-failed"]').count())
      throw new Error(`proctoring failed: ${await page.locator('[data-testid="proctoring-failed"]').innerText()}`);
    // Rule 8: the candidate confirms the briefing before the start (where the page asks for it).
    if (await page.getByTestId('briefing-confirm').count()) await page.getByTestId('briefing-confirm').check();
    await page.locator('.page.exam button.primary').click();
    await page.locator('.page.exam[data-phase="test"]').waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => (window as unknown as { tanuEval: { engine: { armedAt: number | null } } }).tanuEval.engine.armedAt !== null,
      undefined,
      { timeout: 10_000 },
    );
    for (let s = 0; s < options.seconds; s += 10) {
      await page.waitForTimeout(Math.min(10, options.seconds - s) * 1000);
      log(`observed ${Math.min(options.seconds, s + 10)} / ${options.seconds} s`);
    }
    const data = await page.evaluate((): PageData => {
      type Engine = {
        identityChecks: Array<Omit<EvalIdentityCheck, 'similarity'>>;
        samples: EvalSample[];
        incidents: EvalIncident[];
        armedAt: number;
        modelMs: Record<string, number[]>;
        perf(): { frameMs: number[]; audioMs: number[] };
        readyMs: number;
        droppedFrames(): number | null;
      };
      const w = window as unknown as {
        tanuEval: { engine: Engine; camera: { startedAt: number }; microphone: { startedAt: number } };
        tanuLongTasks: Array<[number, number]>;
      };
      const { engine, camera, microphone } = w.tanuEval;
      const perf = engine.perf();
      return {
        cameraStartedAt: camera.startedAt,
        micStartedAt: microphone.startedAt,
        armedAt: engine.armedAt,
        now: Date.now(),
        samples: engine.samples,
        incidents: engine.incidents,
        frameMs: perf.frameMs,
        audioMs: perf.audioMs,
        modelMs: engine.modelMs,
        // Only while the exam was proctored: page start-up (React, first render) is not the engine's doing.
        longTasks: w.tanuLongTasks.filter(([at]) => at >= engine.armedAt).map(([, duration]) => duration),
        msToReady: engine.readyMs,
        dropped: engine.droppedFrames(),
        identityChecks: engine.identityChecks,
      };
    });
    await context.close();
    // The browser is told matched or not; the similarity of each check is in the centre's log, in the same order.
    const checked = (await h.store.listEvents(link.sessionId)).filter((e) => e.type === 'identity.checked');
    const sims = checked.map((e) => (e.data as { similarity: number }).similarity);
    let next = 0;
    const identityChecks = data.identityChecks.map((c) => ({ ...c, similarity: c.matched === null ? null : (sims[next++] ?? null) }));
    // Rule 2.8.6: face.mismatch is raised at the centre (IdentityService.check), not by the browser's tracker:
    // the incidents of the report include the centre's, each from the first mismatched check of its run to the one that raised it.
    const incidents = [...data.incidents, ...centreMismatches(checked)];
    return toReport(options, { ...data, incidents, identityChecks, modelBytes });
  } finally {
    await browser.close();
    await h.close();
  }
}

/** Page times (ms since the epoch) → seconds from the start of each feed: video from the camera's, audio from the microphone's. */
function toReport(options: EvalOptions, d: PageData): FullEvalReport {
  const sec = (ms: number, origin: number) => round((ms - origin) / 1000, 3);
  const isAudio = (type: string) => type.startsWith('audio.');
  const samples = d.samples.map((s) => ({ ...s, t: sec(s.t, s.faces === null && s.speech !== null ? d.micStartedAt : d.cameraStartedAt) }));
  const incidents = d.incidents.map((i) => {
    const origin = isAudio(i.type) ? d.micStartedAt : d.cameraStartedAt;
    return {
      type: i.type,
      start: sec(i.start, origin),
      end: i.end === null ? null : sec(i.end, origin),
      confidence: round(i.confidence, 3),
    };
  });
  const models: EvalPerf['models'] = {};
  for (const [name, ms] of Object.entries(d.modelMs))
    models[name] = { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), runs: ms.length };
  const observedS = (d.now - d.armedAt) / 1000;
  const framesInWindow = d.samples.filter((s) => s.faces !== null && s.t >= d.armedAt).length;
  const identityLog = d.identityChecks.map((c) => ({ ...c, similarity: c.similarity ?? null, t: sec(c.t, d.cameraStartedAt) }));
  const identity = options.reference
    ? { reference: options.reference, ...scoreIdentity(identityLog, incidents, IDENTITY_THRESHOLD), log: identityLog }
    : undefined;
  return {
    ...(identity ? { identity } : {}),
    video: options.video,
    audio: options.audio,
    window: { from: sec(d.armedAt, d.cameraStartedAt), to: sec(d.now, d.cameraStartedAt) },
    samples,
    incidents,
    perf: {
      frameMsP50: round(percentile(d.frameMs, 50)),
      frameMsP95: round(percentile(d.frameMs, 95)),
      analysedFps: round(framesInWindow / observedS),
      audioMsP50: round(percentile(d.audioMs, 50), 3),
      audioMsP95: round(percentile(d.audioMs, 95), 3),
      longTasks: d.longTasks.length,
      longestTaskMs: round(Math.max(0, ...d.longTasks)),
      msToReady: d.msToReady,
      models,
      droppedFrames: d.dropped,
      modelDownloadBytes: d.modelBytes ?? 0,
    },
  };
}
