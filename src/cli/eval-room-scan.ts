/**
 * `npm run eval -- --room-scan --video F.mjpeg --seconds N`: the 360° room scan step (rule 2.8.3)
 * of the real candidate app in headless Chromium, the fake camera playing the file, against a real
 * centre whose programme asks for the scan only (no system check, no identity). The candidate goes
 * language → devices → consent → room scan, starts the scan and turns (the video does), and the
 * run ends when the step completes or N seconds pass (then it presses "Finish the scan"). Reports
 * what the browser measured, what the centre recorded, ms per measured frame and, for a file with
 * yaw_deg_by_s in labels.json, the heading error against the labelled turn.
 */
import path from 'node:path';
import { launchChromium } from '../testing/chromium';
import { startHarness } from '../testing/centre-harness';
import type { RoomScanEvalRun } from '../exam/room-scan-eval';
import { percentile } from './percentile';

export interface RoomScanEvalOptions {
  video: string;
  audio: string;
  /** Longest the scan may run before the candidate presses Finish. */
  seconds: number;
  /** labels.json entry of the video (yaw_deg_by_s etc.), when there is one. */
  label?: RoomScanLabel | null;
  log?: (line: string) => void;
}

/** The room-scan fields of a labels.json entry. */
export interface RoomScanLabel {
  duration_s: number;
  rotation_deg: number;
  yaw_deg_by_s: number[];
  yaw_deg_last_frame?: number;
}

export interface RoomScanEvalReport {
  video: string;
  roomScan: {
    coverageDeg: number;
    complete: boolean;
    returnedToStart: boolean;
    /** From pressing Start to the end of the attempt (complete, or Finish pressed), seconds. */
    seconds: number;
    frames: number;
    /** Measured frames by tracker status. */
    statuses: Record<string, number>;
    /** drawImage + getImageData + tracker, per frame on the main thread. */
    msPerFrame: { p50: number; p95: number; max: number };
    /** The lens the completed turn implies (60° assumed). */
    fovDeg: number;
    /** Against the labelled turn (frames the tracker measured), when labelled. */
    headingErrorDeg: { p50: number; p95: number; max: number; frames: number } | null;
    objects: Array<{ incident: string; score: number; at: number }>;
    /** Object-detector runs during the scan (rule 12; every objects.intervalSec once the engine is ready). */
    objectRuns: number;
    /** What the centre recorded (prestart record and the logged event). */
    centre: { complete: boolean; coverageDeg: number; attempts: number; event: string | null };
  };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * The labelled heading at `sec` of the looping feed, unwrapped: a full turn keeps adding 360° per
 * loop; a turn that comes back (ends where it began) repeats. Linear between the labelled seconds.
 */
export function labelledYaw(label: RoomScanLabel, sec: number): number {
  const d = label.duration_s;
  const loops = Math.floor(sec / d);
  const s = sec - loops * d;
  const end = label.yaw_deg_last_frame ?? label.rotation_deg;
  const points = [...label.yaw_deg_by_s, end];
  const i = Math.min(points.length - 2, Math.floor(s));
  const yaw = points[i]! + (points[i + 1]! - points[i]!) * (s - i);
  return yaw + loops * (end - points[0]!);
}

/** Heading error of each measured frame: the tracker's heading against the labelled turn since its first frame. */
export function headingErrors(run: Pick<RoomScanEvalRun, 'frames'>, cameraStartedAt: number, label: RoomScanLabel): number[] {
  const measured = run.frames.filter((f) => f.status === 'ok' || f.status === 'start' || f.status === 'complete');
  const first = measured[0];
  if (!first) return [];
  const yaw0 = labelledYaw(label, (first.t - cameraStartedAt) / 1000);
  return measured
    .filter((f) => f.status !== 'complete')
    .map((f) => Math.abs(f.headingDeg - (labelledYaw(label, (f.t - cameraStartedAt) / 1000) - yaw0)));
}

export async function runRoomScanEval(options: RoomScanEvalOptions): Promise<RoomScanEvalReport> {
  const log = options.log ?? (() => undefined);
  const h = await startHarness({ withApp: true });
  const browser = await launchChromium({ video: path.resolve(options.video), audio: path.resolve(options.audio) });
  try {
    await h.setSteps({ systemCheck: false, identity: false, roomScan: true });
    const link = await h.issueToken();
    const context = await browser.newContext({ locale: 'kk-KZ', viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => localStorage.setItem('tanu.eval', '1'));
    const page = await context.newPage();
    page.on('pageerror', (err) => log(`page error: ${err.message}`));
    await page.goto(link.url);
    const phase = (name: string, timeout = 30_000) => page.locator(`.page.exam[data-phase="${name}"]`).waitFor({ timeout });
    await phase('language');
    await page.getByRole('button', { name: 'Қазақша' }).click();
    await phase('devices');
    await page.locator('.page.exam[data-phase="devices"] button.big').click();
    await phase('consent');
    await page.getByTestId('consent-checkbox').check();
    await page.locator('[data-testid="consent"] button.primary').click();
    await phase('room-scan');
    await page.getByTestId('room-scan-start').click();
    log('scanning…');
    const ended = page.locator('.page.exam[data-phase="briefing"], [data-testid="room-scan-failed"]').first();
    await ended.waitFor({ timeout: options.seconds * 1000 }).catch(() => undefined);
    if (!(await ended.isVisible().catch(() => false))) {
      log(`${options.seconds} s passed: pressing Finish`);
      await page.getByTestId('room-scan-stop').click();
      await ended.waitFor({ timeout: 15_000 });
    }
    const { run, cameraStartedAt } = await page.evaluate(() => {
      const w = window as unknown as { tanuEval: { roomScan: RoomScanEvalRun[]; camera: { startedAt: number } } };
      return { run: w.tanuEval.roomScan.at(-1)!, cameraStartedAt: w.tanuEval.camera.startedAt };
    });
    const prestart = await h.store.getPrestart(link.sessionId);
    const events = await h.store.listEvents(link.sessionId);
    const scanEvent = events.filter((e) => e.type === 'room_scan.completed' || e.type === 'room_scan.failed').at(-1);
    await context.close();

    const ms = run.frames.map((f) => f.ms);
    const statuses: Record<string, number> = {};
    for (const f of run.frames) statuses[f.status] = (statuses[f.status] ?? 0) + 1;
    const errors = options.label ? headingErrors(run, cameraStartedAt, options.label) : [];
    return {
      video: options.video,
      roomScan: {
        coverageDeg: run.coverageDeg,
        complete: run.complete,
        returnedToStart: run.returnedToStart,
        seconds: round(((run.endedAt ?? Date.now()) - run.startedAt) / 1000, 1),
        frames: run.frames.length,
        statuses,
        msPerFrame: { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), max: round(Math.max(0, ...ms)) },
        fovDeg: round(run.fovDeg, 1),
        headingErrorDeg:
          errors.length > 0
            ? {
                p50: round(percentile(errors, 50)),
                p95: round(percentile(errors, 95)),
                max: round(Math.max(...errors)),
                frames: errors.length,
              }
            : null,
        objects: run.objects.map((o) => ({ incident: o.incident, score: o.score, at: o.at })),
        objectRuns: run.objectRuns,
        centre: {
          complete: prestart.roomScan?.complete ?? false,
          coverageDeg: prestart.roomScan?.coverageDeg ?? 0,
          attempts: prestart.roomScan?.attempts ?? 0,
          event: scanEvent?.type ?? null,
        },
      },
    };
  } finally {
    await browser.close();
    await h.close();
  }
}
