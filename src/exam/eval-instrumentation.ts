/**
 * The instrumentation `npm run eval`, the benches and the lossless browser test get: they set
 * localStorage 'tanu.eval' before the page loads, and read window.tanuEval. What it exposes is this
 * browser's own sensor readings and its own record of what it queued for the centre, nothing from the centre.
 */
import type { ProducedKind } from '../session/delivery';
import { examStore } from '../stores/exam-store';
import { EvalRecording } from './engine-instrumentation';
import type { ProctoringEngine } from './proctoring-engine';
import type { RoomScanEvalRun } from './room-scan-eval';
import type { CandidateInstrumentation } from './runtime-parts';

const EVAL_FLAG = 'tanu.eval';
/** The lossless test compares what this browser produced (stored locally, kept across reloads) with what the centre holds. */
const PRODUCED_KEY = 'tanu.produced';

/** Whether this page was opened for an evaluation (never in the product: nothing sets the flag). */
export function evaluating(storage: Pick<Storage, 'getItem'> | null): boolean {
  try {
    return storage?.getItem(EVAL_FLAG) === '1';
  } catch {
    return false; // storage refused: not an evaluation
  }
}

export function evalInstrumentation(target: object, storage: Storage): CandidateInstrumentation {
  let engine: ProctoringEngine | null = null;
  const recording = new EvalRecording(() => engine?.droppedFrames() ?? null);
  const roomScan: RoomScanEvalRun[] = [];
  return {
    engine: recording,
    produced: (kind: ProducedKind, key: string) => {
      const log = JSON.parse(storage.getItem(PRODUCED_KEY) ?? '{"event":[],"answer":[],"chunk":[]}') as Record<ProducedKind, string[]>;
      log[kind].push(key);
      storage.setItem(PRODUCED_KEY, JSON.stringify(log));
    },
    roomScan: (run) => roomScan.push(run),
    attach: (parts) => {
      engine = parts.engine;
      Object.assign(target, {
        tanuEval: {
          engine: recording,
          camera: parts.devices.camera,
          microphone: parts.devices.microphone,
          recorder: parts.devices.recorder,
          outbox: () => parts.delivery.box.status(),
          uploads: () => examStore.getState().uploads,
          sessionId: () => examStore.getState().snapshot?.sessionId ?? null,
          roomScan,
        },
      });
    },
  };
}
