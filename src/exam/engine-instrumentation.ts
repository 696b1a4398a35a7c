/**
 * What an evaluation or a benchmark watches in the proctoring engine, passed to it from outside
 * (eval-instrumentation.ts gives one only when the page was opened for `npm run eval`, `bench` or
 * `bench:browsers`), so the engine itself keeps nothing for them: the product passes none.
 */
import type { Incident } from '../shared/incidents';
import { pitchOf, type AudioSignals, type FrameSignals, type ProctoringSample } from '../proctoring/signals';

/** One re-verification during the exam, as the engine saw it. */
export interface IdentityCheckRecord {
  t: number;
  matched: boolean | null;
  /** Why there was no comparison (no face, several faces, the centre unreachable). */
  skipped?: string;
}

export interface EngineInstrumentation {
  /** Both workers are ready, `ms` after start(). */
  ready(ms: number): void;
  /** Incidents count from `at` (Date.now()). */
  armed(at: number): void;
  frame(signals: FrameSignals): void;
  sound(signals: AudioSignals): void;
  incident(kind: 'open' | 'close', incident: Incident): void;
  identityChecked(record: IdentityCheckRecord): void;
}

/**
 * Everything the engine did, kept in full for the eval runner and the benches to read from the
 * page (window.tanuEval.engine): every frame's and audio buffer's signals, timings per model,
 * incidents with their ends, the identity re-checks.
 */
export class EvalRecording implements EngineInstrumentation {
  readonly samples: ProctoringSample[] = [];
  readonly incidents: Incident[] = [];
  readonly identityChecks: IdentityCheckRecord[] = [];
  /** Per-model ms of every analysed frame. */
  readonly modelMs: Record<string, number[]> = {};
  private readonly frameMs: number[] = [];
  private readonly audioMs: number[] = [];
  readyMs = 0;
  armedAt: number | null = null;

  /** `dropped`: camera frames the vision worker had no time for, so far. */
  constructor(private readonly dropped: () => number | null) {}

  droppedFrames(): number | null {
    return this.dropped();
  }

  perf(): { frameMs: number[]; audioMs: number[] } {
    return { frameMs: [...this.frameMs], audioMs: [...this.audioMs] };
  }

  ready(ms: number): void {
    this.readyMs = ms;
  }

  armed(at: number): void {
    this.armedAt = at;
  }

  frame(signals: FrameSignals): void {
    for (const [model, ms] of Object.entries(signals.ms)) if (typeof ms === 'number') (this.modelMs[model] ??= []).push(ms);
    this.frameMs.push(signals.ms.total);
    this.samples.push({
      t: signals.t,
      faces: signals.faces.length,
      yawDeg: signals.head?.yawDeg ?? null,
      pitchDeg: pitchOf(signals.head),
      speech: null,
      levelDb: null,
      objects: signals.objects ? signals.objects.map((o) => o.type) : null,
    });
  }

  sound(signals: AudioSignals): void {
    this.audioMs.push(signals.ms);
    this.samples.push({
      t: signals.t,
      faces: null,
      yawDeg: null,
      pitchDeg: null,
      speech: signals.speechProbability,
      levelDb: signals.levelDb,
      objects: null,
    });
  }

  incident(kind: 'open' | 'close', incident: Incident): void {
    if (kind === 'open') this.incidents.push({ ...incident });
    else {
      const opened = this.incidents.find((i) => i.id === incident.id);
      if (opened) opened.end = incident.end;
    }
  }

  identityChecked(record: IdentityCheckRecord): void {
    this.identityChecks.push(record);
  }
}
