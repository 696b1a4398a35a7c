/**
 * Voice activity: Silero VAD v5 (models/manifest.json 'vad/silero_vad_v5.onnx', shipped in
 * @ricky0123/vad-web) on onnxruntime-web's wasm backend, single-threaded so it needs neither
 * SharedArrayBuffer nor COOP/COEP. Tells voices from fans, typing or a door, which a level
 * cannot.
 *
 * The model takes 16 kHz mono in 512-sample frames (32 ms) and is recurrent: `state` [2,1,128]
 * carries what it heard so far, so frames must be fed in order and reset() called after a gap.
 * Like silero-vad's own OnnxWrapper (and vad-web), each frame is prefixed with the last 64
 * samples of the previous one: input [1, 576] float32, state [2,1,128] float32, sr int64 scalar
 * → output [1,1] (speech probability), stateN [2,1,128] (checked against the model's metadata).
 *
 * The runtime files come from the app's own origin: wasmPaths = '/models/ort/' in the browser
 * (ort imports ort-wasm-simd-threaded.mjs from there, which fetches the .wasm next to it), the
 * package's dist/ folder in Node. Nothing Node-only is imported here.
 */
import * as ort from 'onnxruntime-web/wasm';
import { VAD_FRAME_SAMPLES, VAD_SAMPLE_RATE } from '../proctoring/audio-level';

/** The runtime binary ort loads from wasmPaths (its loader is ort-wasm-simd-threaded.mjs). */
export const ORT_WASM_FILE = 'ort-wasm-simd-threaded.wasm';

const CONTEXT_SAMPLES = 64;
const STATE_SIZE = 2 * 1 * 128;

export interface SpeechDetectorLoadOptions {
  /**
   * Folder holding ort-wasm-simd-threaded.{mjs,wasm}, with a trailing slash: '/models/ort/' in
   * the browser, node_modules/onnxruntime-web/dist/ in Node. ort reads it once per realm (the
   * first session); omitted, ort uses the loader bundled into onnxruntime-web/wasm.
   */
  wasmPaths?: string;
  /** The .wasm bytes, already fetched (e.g. with fetchBytes for progress); ort then does not fetch it. */
  wasmBinary?: Uint8Array;
  /** Download progress of the model file, 0..1 (only when the model is given as a URL). */
  onProgress?: (fraction: number) => void;
}

/** GET a file as bytes, reporting progress when the server sends Content-Length. */
export async function fetchBytes(url: string | URL, onProgress?: (loaded: number, total: number) => void): Promise<Uint8Array> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`GET ${String(url)}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length') ?? 0);
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, bytes.length);
    return bytes;
  }
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    loaded += value.length;
    onProgress?.(loaded, Math.max(total, loaded));
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  onProgress?.(loaded, loaded);
  return bytes;
}

/** ort's environment is global to the realm; configure it before the first session only. */
let configured = false;
function configureOrt(options: SpeechDetectorLoadOptions): void {
  if (configured) return;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths.endsWith('/') ? options.wasmPaths : `${options.wasmPaths}/`;
  if (options.wasmBinary) ort.env.wasm.wasmBinary = options.wasmBinary;
  ort.env.logLevel = 'error';
  configured = true;
}

export class SpeechDetector {
  private session: ort.InferenceSession | null = null;
  private state: Float32Array = new Float32Array(STATE_SIZE);
  /** The last 64 samples of the previous frame. */
  private context: Float32Array = new Float32Array(CONTEXT_SAMPLES);
  private sr: ort.Tensor | null = null;
  /** Runs are chained: the recurrent state must see frames one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped by reset(), so a run in flight does not bring back the state reset() cleared. */
  private generation = 0;

  get ready(): boolean {
    return this.session !== null;
  }

  /** Loads the model from a URL (fetched with progress) or from its bytes. */
  async load(model: string | URL | ArrayBuffer | Uint8Array, options: SpeechDetectorLoadOptions = {}): Promise<void> {
    configureOrt(options);
    const bytes =
      typeof model === 'string' || model instanceof URL
        ? await fetchBytes(model, (loaded, total) => options.onProgress?.(total > 0 ? loaded / total : 0))
        : model instanceof Uint8Array
          ? model
          : new Uint8Array(model);
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    // The runtime is compiled once per realm: let the ~14 MB copy of its binary go.
    if (ort.env.wasm.wasmBinary) ort.env.wasm.wasmBinary = undefined;
    const missing = ['input', 'state', 'sr']
      .filter((n) => !session.inputNames.includes(n))
      .concat(['output', 'stateN'].filter((n) => !session.outputNames.includes(n)));
    if (missing.length) {
      await session.release();
      throw new Error(
        `not a Silero VAD v5 model: no ${missing.join(', ')} (inputs ${session.inputNames.join(',')}; outputs ${session.outputNames.join(',')})`,
      );
    }
    await this.session?.release();
    this.session = session;
    this.sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
    // The first run compiles the wasm kernels (~100-500 ms): pay it here, not on the first live frame.
    await this.process(new Float32Array(VAD_FRAME_SAMPLES));
    this.reset();
    options.onProgress?.(1);
  }

  /**
   * Speech probability 0..1 of the next 512-sample 16 kHz frame. Calls are queued, so
   * concurrent calls still run in order.
   */
  process(frame16k: Float32Array): Promise<number> {
    if (frame16k.length !== VAD_FRAME_SAMPLES)
      return Promise.reject(new Error(`SpeechDetector.process: need ${VAD_FRAME_SAMPLES} samples at 16 kHz, got ${frame16k.length}`));
    const run = this.queue.then(() => this.run(frame16k));
    // Only orders the runs: the caller of this run gets its failure.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(frame: Float32Array): Promise<number> {
    const session = this.session;
    if (!session || !this.sr) throw new Error('SpeechDetector: load() first');
    const generation = this.generation;
    const input = new Float32Array(CONTEXT_SAMPLES + VAD_FRAME_SAMPLES);
    input.set(this.context);
    input.set(frame, CONTEXT_SAMPLES);
    this.context = frame.slice(VAD_FRAME_SAMPLES - CONTEXT_SAMPLES);
    const feeds = {
      input: new ort.Tensor('float32', input, [1, input.length]),
      state: new ort.Tensor('float32', this.state, [2, 1, 128]),
      sr: this.sr,
    };
    const out = await session.run(feeds);
    const p = out.output?.data[0];
    const stateN = out.stateN?.data;
    if (typeof p !== 'number' || !(stateN instanceof Float32Array) || stateN.length !== STATE_SIZE)
      throw new Error('Silero VAD: unexpected outputs');
    if (generation === this.generation) this.state = stateN;
    return p;
  }

  /** Forgets what the model heard (after a gap in the audio or skipped frames). */
  reset(): void {
    this.generation++;
    this.state = new Float32Array(STATE_SIZE);
    this.context = new Float32Array(CONTEXT_SAMPLES);
  }

  async dispose(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.sr = null;
    await this.queue;
    await session?.release();
  }
}
