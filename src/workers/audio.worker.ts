/**
 * The audio worker: receives raw blocks straight from the capture worklet (a MessagePort, so
 * audio never passes through the main thread), resamples to 16 kHz when the AudioContext runs at
 * another rate, cuts 512-sample frames (32 ms) and measures each one: RMS level in dBFS (rule
 * 2.8.1) and Silero speech probability. AudioSignals go to the main thread in batches.
 *
 * Levels flow from the first block; speechProbability is null until the VAD has loaded (or if
 * it cannot load). Frames are measured in order; when the VAD falls behind by more than half a
 * second, the oldest frames get a level only and the VAD restarts from a clean state.
 */
import { Framer, levelDbfs, Resampler, VAD_FRAME_SAMPLES, VAD_SAMPLE_RATE } from '../proctoring/audio-level';
import type { AudioSignals } from '../proctoring/signals';
import { fetchBytes, ORT_WASM_FILE, SpeechDetector } from '../detectors/speech-detector';
import type { AudioWorkerEvent, AudioWorkerRequest, CaptureMessage } from './audio-protocol';
import { messageOf, serveWorker, workerScope } from './serve-worker';

const scope = workerScope<AudioWorkerRequest, AudioWorkerEvent>();
const post = (event: AudioWorkerEvent) => scope.postMessage(event);

const FRAME_MS = (VAD_FRAME_SAMPLES / VAD_SAMPLE_RATE) * 1000;
/** Frames waiting beyond this (~0.5 s) are measured without the VAD. */
const MAX_BACKLOG = 16;

const detector = new SpeechDetector();
let vadReady = false;
let batchSize = 4;
let pending: AudioSignals[] = [];
let capture: Capture | null = null;
let lastProcessError = 0;

function flush(): void {
  if (pending.length === 0) return;
  post({ type: 'SIGNALS', signals: pending });
  pending = [];
}

class Capture {
  private readonly framer = new Framer();
  private readonly resampler: Resampler | null;
  private readonly lookAheadMs: number;
  private readonly rate: number;
  /** Input samples received so far: the sample clock. */
  private samplesIn = 0;
  /** Wall-clock time of input sample 0: the earliest that any block's arrival implies (delays only add). */
  private origin = Infinity;
  private lastT = 0;
  /** Frames to measure, with the share of resampling time each one cost. */
  private readonly queue: { frame: Float32Array; t: number; resampleMs: number }[] = [];
  private draining = false;
  private vadNeedsReset = false;
  private closed = false;

  constructor(
    private readonly port: MessagePort,
    sampleRate: number,
  ) {
    const rate = Math.round(sampleRate);
    this.rate = rate;
    this.resampler = rate === VAD_SAMPLE_RATE ? null : new Resampler(rate);
    this.lookAheadMs = this.resampler ? (this.resampler.latency / rate) * 1000 : 0;
    port.onmessage = (event: MessageEvent<CaptureMessage>) => this.onBlock(event.data);
  }

  private onBlock(message: CaptureMessage): void {
    if (this.closed || message.type !== 'AUDIO') return;
    // Times come from the sample clock, anchored to the wall clock by the block that arrived
    // with the least delay; a stall of over half a second (context suspended) re-anchors it.
    this.samplesIn += message.samples.length;
    const clockMs = (this.samplesIn / this.rate) * 1000;
    if (message.t - clockMs < this.origin || message.t - clockMs > this.origin + 500) this.origin = message.t - clockMs;
    const blockEnd = this.origin + clockMs;
    const r0 = performance.now();
    const samples = this.resampler ? this.resampler.process(message.samples) : message.samples;
    const frames = this.framer.push(samples);
    const resampleMs = frames.length ? (performance.now() - r0) / frames.length : 0;
    // The last complete frame ends where the block ends, minus what waits for the next frame
    // and what the resampler has not yet turned into output.
    const lastEnd = blockEnd - (this.framer.buffered / VAD_SAMPLE_RATE) * 1000 - this.lookAheadMs;
    frames.forEach((frame, i) => {
      // never backwards, even while the anchor settles in the first blocks
      this.lastT = Math.max(this.lastT, Math.round(lastEnd - (frames.length - 1 - i) * FRAME_MS));
      this.queue.push({ frame, t: this.lastT, resampleMs });
    });
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    while (this.queue.length > 0 && !this.closed) {
      const behind = this.queue.length > MAX_BACKLOG;
      const { frame, t, resampleMs } = this.queue.shift()!;
      const t0 = performance.now();
      const levelDb = levelDbfs(frame);
      let speechProbability: number | null = null;
      if (vadReady && behind) this.vadNeedsReset = true;
      else if (vadReady) {
        if (this.vadNeedsReset) {
          detector.reset();
          this.vadNeedsReset = false;
        }
        try {
          speechProbability = await detector.process(frame);
        } catch (err) {
          detector.reset();
          if (t - lastProcessError > 10_000) post({ type: 'ERROR', stage: 'process', message: messageOf(err), fatal: false });
          lastProcessError = t;
        }
      }
      if (this.closed) break; // stopped while the VAD ran
      pending.push({ t, levelDb, speechProbability, ms: performance.now() - t0 + resampleMs });
      if (pending.length >= batchSize) flush();
    }
    this.draining = false;
  }

  close(): void {
    this.closed = true;
    this.port.onmessage = null;
    this.port.close();
    this.queue.length = 0;
    flush();
  }
}

async function loadVad(modelUrl: string, wasmPaths: string): Promise<void> {
  const t0 = performance.now();
  const base = wasmPaths.endsWith('/') ? wasmPaths : `${wasmPaths}/`;
  // The runtime (~14 MB) and the model (~2.3 MB) are fetched here so that progress covers both.
  const files = { wasm: { loaded: 0, total: 0 }, model: { loaded: 0, total: 0 } };
  let reported = 0;
  const report = (fraction: number) => {
    reported = fraction;
    post({ type: 'PROGRESS', fraction, loaded: files.wasm.loaded + files.model.loaded, total: files.wasm.total + files.model.total });
  };
  const progress = (file: keyof typeof files) => (loaded: number, total: number) => {
    files[file] = { loaded, total };
    const sum = files.wasm.total + files.model.total;
    // 1 only once both downloads are complete (below)
    const fraction = Math.min(0.99, sum > 0 ? (files.wasm.loaded + files.model.loaded) / sum : 0);
    if (fraction >= reported + 0.01) report(fraction);
  };
  try {
    const [wasmBinary, model] = await Promise.all([
      fetchBytes(`${base}${ORT_WASM_FILE}`, progress('wasm')),
      fetchBytes(modelUrl, progress('model')),
    ]);
    report(1);
    await detector.load(model, { wasmPaths: base, wasmBinary });
    vadReady = true;
    post({ type: 'READY', loadMs: Math.round(performance.now() - t0) });
  } catch (err) {
    post({ type: 'ERROR', stage: 'load', message: `speech detector: ${messageOf(err)}`, fatal: false });
  }
}

async function handle(request: AudioWorkerRequest): Promise<void> {
  switch (request.type) {
    case 'INIT':
      batchSize = Math.max(1, Math.floor(request.batch));
      await loadVad(request.modelUrl, request.wasmPaths);
      return;
    case 'CAPTURE':
      capture?.close();
      if (vadReady) detector.reset();
      capture = new Capture(request.port, request.sampleRate);
      return;
    case 'STOP_CAPTURE':
      capture?.close();
      capture = null;
      if (vadReady) detector.reset();
      return;
    case 'DISPOSE':
      capture?.close();
      capture = null;
      vadReady = false;
      // Disposing: a model that failed to free is gone with the worker.
      await detector.dispose().catch(() => undefined);
      post({ type: 'DISPOSED' });
      scope.close();
      return;
  }
}

serveWorker(scope, handle, { onFailure: (err) => post({ type: 'ERROR', stage: 'worker', message: messageOf(err), fatal: false }) });
