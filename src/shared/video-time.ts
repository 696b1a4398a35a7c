/**
 * Where a moment of the session's log is in the recording. The seekable WebM (src/server/recordings/
 * webm-plan.ts) starts at the first run's first chunk (recording starts at consent) and puts every later recorder
 * run (a reload of the page) at its wall-clock distance from that start, or right after the earlier run when the
 * clocks would overlap it. This module mirrors that from the chunk list (GET …/recording/chunks: each chunk's
 * start on the browser's clock, its duration, whether it opens a run), so a log time maps to a video time and back.
 * Times in the log are on two clocks: the browser's (incidents, client events' clientAt) and the centre's (server
 * events); browserSkewMs estimates the difference from the client events, which carry both.
 */

export interface ChunkTiming {
  seq: number;
  /** Browser clock, ms. */
  startedAt: number;
  durationMs: number;
  /** The chunk opens a recorder run (starts with the WebM header). */
  header: boolean;
}

export interface RecordingRun {
  /** Browser clock, ms, of the run's first frame. */
  logStart: number;
  /** Where the run starts in the video, s. */
  videoStart: number;
  /** How long the run lasts, s. */
  durationSec: number;
}

/** The runs of the seekable video, as the centre builds it: chunks before the first header chunk are left out. */
export function recordingRuns(chunks: readonly ChunkTiming[]): RecordingRun[] {
  const runs: RecordingRun[] = [];
  let firstStart: number | null = null;
  for (const c of [...chunks].sort((a, b) => a.seq - b.seq)) {
    const last = runs[runs.length - 1];
    if (c.header) {
      firstStart ??= c.startedAt;
      const end = last ? last.videoStart + last.durationSec : 0;
      const wanted = (c.startedAt - firstStart) / 1000;
      runs.push({ logStart: c.startedAt, videoStart: last ? Math.max(wanted, end) : 0, durationSec: c.durationMs / 1000 });
    } else if (last) {
      // A missing chunk leaves no gap in a run's own timecodes: the run ends where its last chunk ends.
      last.durationSec = Math.max(last.durationSec, (c.startedAt + c.durationMs - last.logStart) / 1000);
    }
  }
  return runs;
}

/** The video's length, s. */
export function videoDuration(runs: readonly RecordingRun[]): number {
  const last = runs[runs.length - 1];
  return last ? last.videoStart + last.durationSec : 0;
}

/**
 * The video time (s) of a browser-clock moment: inside a run, its place in the run; in a gap between runs (the page
 * was reloading), the next run's start; before the recording, 0; after it, its end. Null without a recording.
 */
export function logToVideo(runs: readonly RecordingRun[], at: number): number | null {
  if (runs.length === 0) return null;
  for (let i = runs.length - 1; i >= 0; i--) {
    const r = runs[i]!;
    if (at >= r.logStart) {
      const into = (at - r.logStart) / 1000;
      if (into <= r.durationSec) return r.videoStart + into;
      const next = runs[i + 1];
      return next ? next.videoStart : r.videoStart + r.durationSec;
    }
  }
  return 0;
}

/** The browser-clock moment (ms) shown at video time `t` (s). */
export function videoToLog(runs: readonly RecordingRun[], t: number): number | null {
  if (runs.length === 0) return null;
  let run = runs[0]!;
  for (const r of runs) if (t >= r.videoStart) run = r;
  return run.logStart + Math.min(Math.max(0, t - run.videoStart), run.durationSec) * 1000;
}

/** Browser clock minus the centre's, ms: the median over client events of (browser time − receive time). */
export function browserSkewMs(events: ReadonlyArray<{ origin: string; at: number; clientAt: number | null }>): number {
  const d = events
    .filter((e) => e.origin === 'client' && e.clientAt !== null)
    .map((e) => e.clientAt! - e.at)
    .sort((a, b) => a - b);
  if (d.length === 0) return 0;
  const mid = Math.floor(d.length / 2);
  return d.length % 2 ? d[mid]! : (d[mid - 1]! + d[mid]!) / 2;
}
