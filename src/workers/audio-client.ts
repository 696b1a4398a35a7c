/**
 * Main-thread side of the audio path. Takes the microphone's MediaStream (devices/microphone.ts
 * opens it with echo cancellation, noise suppression and gain control off), runs it through a
 * capture AudioWorklet whose port is wired straight to the audio worker, and hands the worker's
 * AudioSignals to onSignals. The main thread only sets things up and receives results.
 *
 * The AudioContext asks for 16 kHz, the VAD's rate, so the browser's own resampler does the
 * work; where a context cannot take a microphone at a rate other than the device's (older
 * Firefox), it falls back to the default rate and the worker resamples.
 */
import type { AudioSignals } from '../proctoring/signals';
import {
  CAPTURE_PROCESSOR,
  CAPTURE_SAMPLE_RATE,
  ORT_WASM_DIR,
  VAD_MODEL,
  type AudioWorkerEvent,
  type AudioWorkerRequest,
  type CaptureControl,
  type CaptureProcessorOptions,
} from './audio-protocol';
import captureWorkletUrl from './audio-capture.worklet.ts?worker&url';
import { startAudioContext } from '../devices/audio-start';

export interface AudioClientError {
  stage: 'load' | 'process' | 'worker' | 'capture';
  /** The model concerned (manifest name) when the speech detector failed. */
  model?: string;
  message: string;
  /** true: the audio path stopped (no more signals); false: it goes on (e.g. levels without speech). */
  fatal: boolean;
}

export interface AudioClientOptions {
  /** Where the verified model files are served (default '/models/'). */
  modelBase?: string;
  /**
   * Rate to ask the AudioContext for (default 16000, the VAD's); null = the device's own rate,
   * which the worker then resamples (the path browsers that refuse 16 kHz take anyway).
   */
  sampleRate?: number | null;
  /** AudioSignals per callback (default 4 = every 128 ms). */
  batch?: number;
  onSignals: (signals: AudioSignals[]) => void;
  /** The speech detector is loaded (levels flow before this, with speechProbability null). */
  onReady?: (info: { loadMs: number }) => void;
  onError?: (error: AudioClientError) => void;
  /** Download of the speech detector's runtime (~14 MB) and model (~2.3 MB). */
  onProgress?: (progress: { fraction: number; loaded: number; total: number }) => void;
  /** For tests: make the worker some other way. */
  createWorker?: () => Worker;
}

const createAudioWorker = () => new Worker(new URL('./audio.worker.ts', import.meta.url), { type: 'module', name: 'tanu-audio' });

export class AudioClient {
  private worker: Worker | null = null;
  private context: AudioContext | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private node: AudioWorkletNode | null = null;
  private disposed = false;
  /** Settles once per worker: true when the VAD loaded, false when it could not. */
  private loaded: Promise<boolean> = Promise.resolve(false);
  private settleLoaded: (ok: boolean) => void = () => undefined;
  private loadMs = 0;

  constructor(private readonly options: AudioClientOptions) {}

  /** The capture rate in use (16000 unless the browser needed its default), null when stopped. */
  get sampleRate(): number | null {
    return this.context?.sampleRate ?? null;
  }

  /**
   * Starts measuring `stream` (stopping any previous capture). Levels flow at once; the promise
   * resolves when the speech detector has loaded or failed to (vad false: speechProbability
   * stays null, onError said why). The worker and its model load once per client.
   */
  async start(stream: MediaStream): Promise<{ sampleRate: number; vad: boolean; loadMs: number }> {
    if (this.disposed) throw new Error('AudioClient is disposed');
    await this.stop();
    this.ensureWorker();
    try {
      const { context, source } = await openRunningContext(
        stream,
        this.options.sampleRate === undefined ? CAPTURE_SAMPLE_RATE : this.options.sampleRate,
      );
      this.context = context;
      this.source = source;
      await context.audioWorklet.addModule(captureWorkletUrl);
      const processorOptions: CaptureProcessorOptions = { blockSize: 128 * Math.max(1, Math.round((context.sampleRate * 0.032) / 128)) };
      const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        outputChannelCount: [1],
        // the browser mixes the microphone down to mono before the worklet sees it
        channelCount: 1,
        channelCountMode: 'explicit',
        channelInterpretation: 'speakers',
        processorOptions,
      });
      this.node = node;
      node.onprocessorerror = () => this.fail({ stage: 'capture', message: 'the audio capture processor failed', fatal: true });
      const channel = new MessageChannel();
      node.port.postMessage({ type: 'CONNECT', port: channel.port1 } satisfies CaptureControl, [channel.port1]);
      this.send({ type: 'CAPTURE', port: channel.port2, sampleRate: context.sampleRate }, [channel.port2]);
      source.connect(node);
      // The node outputs silence; connecting it to the destination keeps it pulled in every browser.
      node.connect(context.destination);
    } catch (err) {
      await this.stop();
      throw err;
    }
    const vad = await this.loaded;
    return { sampleRate: this.context?.sampleRate ?? 0, vad, loadMs: this.loadMs };
  }

  /** Stops capturing (the worker and its loaded model stay for the next start()). */
  async stop(): Promise<void> {
    const { context, node, source } = this;
    this.context = null;
    this.node = null;
    this.source = null;
    if (node) {
      node.port.postMessage({ type: 'STOP' } satisfies CaptureControl);
      node.port.close();
      node.disconnect();
    }
    source?.disconnect();
    if (context) {
      if (this.worker) this.send({ type: 'STOP_CAPTURE' });
      // Closing a context that is already closing or closed: nothing to do.
      await context.close().catch(() => undefined);
    }
  }

  /** Stops and ends the worker; the client cannot be started again. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.stop();
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    // The worker releases the model and closes itself; make sure it is gone even if it hangs.
    const timer = setTimeout(() => worker.terminate(), 2000);
    worker.onmessage = (event: MessageEvent<AudioWorkerEvent>) => {
      if (event.data.type !== 'DISPOSED') return;
      clearTimeout(timer);
      worker.terminate();
    };
    worker.postMessage({ type: 'DISPOSE' } satisfies AudioWorkerRequest);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = (this.options.createWorker ?? createAudioWorker)();
    this.loaded = new Promise((resolve) => (this.settleLoaded = resolve));
    worker.onmessage = (event: MessageEvent<AudioWorkerEvent>) => this.onEvent(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail({ stage: 'worker', message: event.message || 'the audio worker failed to start', fatal: true });
    };
    this.worker = worker;
    const base = this.options.modelBase ?? '/models/';
    const root = base.endsWith('/') ? base : `${base}/`;
    this.send({ type: 'INIT', modelUrl: `${root}${VAD_MODEL}`, wasmPaths: `${root}${ORT_WASM_DIR}`, batch: this.options.batch ?? 4 });
    return worker;
  }

  private send(request: AudioWorkerRequest, transfer: Transferable[] = []): void {
    this.worker?.postMessage(request, transfer);
  }

  private onEvent(event: AudioWorkerEvent): void {
    switch (event.type) {
      case 'SIGNALS':
        this.options.onSignals(event.signals);
        return;
      case 'PROGRESS':
        this.options.onProgress?.({ fraction: event.fraction, loaded: event.loaded, total: event.total });
        return;
      case 'READY':
        this.loadMs = event.loadMs;
        this.settleLoaded(true);
        this.options.onReady?.({ loadMs: event.loadMs });
        return;
      case 'ERROR':
        if (event.stage === 'load') this.settleLoaded(false);
        this.fail({
          stage: event.stage,
          message: event.message,
          fatal: event.fatal,
          ...(event.stage === 'load' || event.stage === 'process' ? { model: VAD_MODEL } : {}),
        });
        return;
      case 'DISPOSED':
        return;
    }
  }

  private fail(error: AudioClientError): void {
    if (error.fatal) this.settleLoaded(false);
    this.options.onError?.(error);
    if (error.fatal) void this.stop();
  }
}

/**
 * How long a context at the asked rate may take to start before the device's own rate is tried.
 * Firefox on some sound set-ups never starts a context whose rate differs from the output device's
 * (seen with ALSA on Linux: the 16 kHz context stays suspended while a 44.1 kHz one runs at once).
 */
const ASKED_RATE_START_MS = 2_000;

/**
 * A running context fed by the microphone: at `rate` where the browser takes and starts one, else at
 * the device's rate (the worker resamples). Throws NoSoundError when not even that one starts.
 */
async function openRunningContext(
  stream: MediaStream,
  rate: number | null,
): Promise<{ context: AudioContext; source: MediaStreamAudioSourceNode }> {
  const first = openContext(stream, rate);
  // A context at a rate of our own choosing gets a short wait, then the device's rate is tried.
  const ownRateNext = rate !== null && first.context.sampleRate === rate;
  try {
    await startAudioContext(first.context, ownRateNext ? ASKED_RATE_START_MS : undefined);
    return first;
  } catch (err) {
    first.source.disconnect();
    // Closing a context that is already closing or closed: nothing to do.
    await first.context.close().catch(() => undefined);
    if (!ownRateNext) throw err;
  }
  const own = openContext(stream, null);
  try {
    await startAudioContext(own.context);
    return own;
  } catch (err) {
    own.source.disconnect();
    // Closing a context that is already closing or closed: nothing to do.
    await own.context.close().catch(() => undefined);
    throw err;
  }
}

/** A context at `rate` if the browser can feed the microphone into one, else at the default rate. */
function openContext(stream: MediaStream, rate: number | null): { context: AudioContext; source: MediaStreamAudioSourceNode } {
  if (rate !== null) {
    try {
      const context = new AudioContext({ sampleRate: rate, latencyHint: 'playback' });
      try {
        return { context, source: context.createMediaStreamSource(stream) };
      } catch (err) {
        // Closing a context that is already closing or closed: nothing to do.
        void context.close().catch(() => undefined);
        if (!(err instanceof DOMException) || err.name !== 'NotSupportedError') throw err;
      }
    } catch (err) {
      if (!(err instanceof DOMException) || err.name !== 'NotSupportedError') throw err;
    }
  }
  const context = new AudioContext({ latencyHint: 'playback' });
  return { context, source: context.createMediaStreamSource(stream) };
}
