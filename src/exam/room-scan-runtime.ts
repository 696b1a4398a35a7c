/**
 * The 360° room scan in the browser (rule 2.8.3): the camera's frames, ~10 per second, drawn into
 * a 160x120 canvas on the main thread (drawImage + getImageData + the tracker: a few ms per frame)
 * and fed to the pure tracker (src/proctoring/room-scan.ts); the forbidden-object findings of the
 * proctoring engine's detector (CenterNet and SSDLite in the side worker, every objects.intervalSec of the
 * programme) flagged for the proctor while the scan runs (rule 12); and the report sent to the
 * centre, which records it and logs room_scan.completed or room_scan.failed.
 *
 * The screen (RoomScanStep.tsx) gets each reading through onReading, to draw the ring straight
 * into the DOM; React state changes only when something the candidate reads changes.
 */
import { RoomScanTracker, WORK_HEIGHT, WORK_WIDTH, type RoomScanReading } from '../proctoring/room-scan';
import { ScanObjectLog, type ScanObjectFinding } from '../proctoring/room-scan-objects';
import type { ObjectSignal } from '../proctoring/signals';
import { sha256Hex } from '../session/evidence-uploads';
import type { ObjectIncident } from '../shared/incidents';
import type { RoomScanReport } from '../shared/protocol';
import { examStore } from '../stores/exam-store';
import type { RoomScanEvalRun, ScanEnd } from './room-scan-eval';
import type { CandidateCore } from './runtime-parts';

export type { ScanEnd };

/** Frames measured per second: enough at a slow turn (12°/s = 1.2° a frame), cheap on the main thread. */
export const SCAN_FPS = 10;
/** An attempt ends by itself after this long; a candidate who has not come round by then tries again. */
export const MAX_SCAN_MS = 120_000;
/** Evidence snapshot of an object seen: width in pixels (height follows), JPEG quality. */
const SNAPSHOT_WIDTH = 320;
const SNAPSHOT_QUALITY = 0.7;

export interface ScanView {
  reading: RoomScanReading;
  /** Kinds of forbidden objects seen so far in this attempt. */
  objects: ObjectIncident[];
  elapsedMs: number;
}

export interface ScanOutcome {
  end: ScanEnd;
  report: RoomScanReport;
}

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A video element playing the camera, for drawImage (not shown: the step shows its own preview). */
async function cameraVideo(stream: MediaStream): Promise<HTMLVideoElement> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play().catch(() => undefined); // muted inline video plays without a gesture; frames are awaited below
  return video;
}

/** The camera's current picture as a small JPEG (evidence for the proctor). */
async function snapshotJpeg(video: HTMLVideoElement): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!video.videoWidth) return null;
  const canvas = document.createElement('canvas');
  canvas.width = SNAPSHOT_WIDTH;
  canvas.height = Math.round((SNAPSHOT_WIDTH * video.videoHeight) / video.videoWidth);
  canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', SNAPSHOT_QUALITY));
  return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
}

export type RoomScan = ReturnType<typeof createRoomScan>;

/** The room scan on the runtime's camera and engine. */
export function createRoomScan(core: CandidateCore) {
  /**
   * One attempt: measures until the turn is complete, the candidate stops it (signal), or
   * MAX_SCAN_MS pass; then sends the report (complete or not) and resolves with it. The centre's
   * answer (the new snapshot) moves the page on when the scan counts.
   */
  async function runRoomScan(onView: (view: ScanView) => void, signal: AbortSignal): Promise<ScanOutcome> {
    const stream = core.camera.mediaStream;
    const config = examStore.getState().snapshot?.proctoring.config;
    const tracker = new RoomScanTracker();
    const objects = new ScanObjectLog({ minScore: config?.objects.minScore ?? 0.4, allow: config?.objects.allow ?? [] });
    const startedAt = core.now();
    const run: RoomScanEvalRun = {
      startedAt,
      endedAt: null,
      end: null,
      coverageDeg: 0,
      complete: false,
      returnedToStart: false,
      frames: [],
      objects: objects.findings,
      objectRuns: 0,
      fovDeg: tracker.fovDeg,
    };
    core.instrumentation.roomScan?.(run);
    let last: RoomScanReading | null = null;

    const end = await (async (): Promise<ScanEnd> => {
      if (!stream) return 'camera';
      const video = await cameraVideo(stream);
      const canvas = document.createElement('canvas');
      canvas.width = WORK_WIDTH;
      canvas.height = WORK_HEIGHT;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) return 'camera';
      // Rule 12 during the scan: the engine's object detector, whenever it has run on a frame.
      const flag = (found: ObjectSignal[]) => {
        for (const finding of objects.see(found, core.now() - startedAt)) void flagObject(finding, video);
        if (found.length > 0 && last) onView({ reading: last, objects: objects.kinds, elapsedMs: core.now() - startedAt });
      };
      const unsubscribe = core.engine.onFrame((signals) => {
        if (!signals.objects) return;
        run.objectRuns++;
        flag(signals.objects);
      });
      try {
        return await new Promise<ScanEnd>((resolve) => {
          let failures = 0;
          const timer = setInterval(() => {
            if (core.now() - startedAt > MAX_SCAN_MS) return finish('time_up');
            if (video.readyState < 2 || !video.videoWidth) return void (++failures > 5 * SCAN_FPS && finish('camera'));
            const t = core.now();
            const t0 = performance.now();
            ctx.drawImage(video, 0, 0, WORK_WIDTH, WORK_HEIGHT);
            const reading = tracker.feed(ctx.getImageData(0, 0, WORK_WIDTH, WORK_HEIGHT), t);
            const ms = performance.now() - t0;
            if (core.instrumentation.roomScan)
              run.frames.push({
                t,
                headingDeg: Math.round(reading.headingDeg * 100) / 100,
                status: reading.status,
                ms: Math.round(ms * 100) / 100,
              });
            last = reading;
            onView({ reading, objects: objects.kinds, elapsedMs: t - startedAt });
            if (reading.complete) finish('complete');
          }, 1000 / SCAN_FPS);
          const stop = () => finish('stopped');
          signal.addEventListener('abort', stop, { once: true });
          function finish(how: ScanEnd) {
            clearInterval(timer);
            signal.removeEventListener('abort', stop);
            resolve(how);
          }
          if (signal.aborted) finish('stopped');
        });
      } finally {
        unsubscribe();
        video.pause();
        video.srcObject = null;
      }
    })();

    const reading = last as RoomScanReading | null;
    const report: RoomScanReport = {
      coverageDeg: Math.min(720, Math.round((reading?.coverageDeg ?? 0) * 10) / 10),
      complete: reading?.complete ?? false,
      returnedToStart: reading?.returnedToStart ?? false,
      durationMs: Math.min(3_600_000, core.now() - startedAt),
      frames: tracker.frames,
      // The recorder numbers its chunks only when they are sent (after the start), so no range is known here.
      recordingSeq: null,
    };
    Object.assign(run, {
      endedAt: core.now(),
      end,
      coverageDeg: report.coverageDeg,
      complete: report.complete,
      returnedToStart: report.returnedToStart,
      fovDeg: tracker.fovDeg,
    });
    return { end, report };
  }

  /** The report to the centre: it records the attempt (complete or not) and answers with the new snapshot. */
  async function sendRoomScanReport(report: RoomScanReport): Promise<void> {
    await core.sendPrestartStep('room-scan:report', report);
  }

  /** Rule 12: a forbidden object seen during the scan goes to the proctor with a snapshot of what the camera saw. */
  async function flagObject(finding: ScanObjectFinding, video: HTMLVideoElement): Promise<void> {
    const id = randomId();
    // The object is logged without its picture when the frame cannot be encoded.
    const jpeg = await snapshotJpeg(video).catch(() => null);
    let evidenceSha256: string | undefined;
    if (jpeg && jpeg.byteLength > 0) {
      evidenceSha256 = await sha256Hex(jpeg);
      core.queueEvidence({ incidentId: id, sha256: evidenceSha256, jpeg });
    }
    const score = Math.round(finding.score * 1000) / 1000;
    core.logEvent('room_scan.object', {
      id,
      incident: finding.incident,
      score,
      at: finding.at,
      ...(evidenceSha256 ? { evidenceSha256 } : {}),
    });
  }

  return { runRoomScan, sendRoomScanReport };
}
