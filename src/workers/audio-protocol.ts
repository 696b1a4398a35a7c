/**
 * Messages of the audio path. Three threads take part and audio never crosses the main thread:
 *
 *   AudioWorklet (audio thread)  ──CaptureMessage over a MessageChannel──>  audio.worker
 *   main thread (AudioClient)    ──AudioWorkerRequest──>                      audio.worker
 *   audio.worker                 ──AudioWorkerEvent──>                        main thread
 *   main thread                  ──CaptureControl──>  worklet (its node.port)
 *
 * The worker cuts the stream into 512-sample 16 kHz frames (32 ms), measures each (level in
 * dBFS, Silero speech probability) and posts AudioSignals in batches.
 */
import type { AudioSignals } from '../proctoring/signals';

// The main thread imports this file, so it must not import the detector, onnxruntime or meyda.

/** Manifest names of what the worker loads (served at /models/<name>). */
export const VAD_MODEL = 'vad/silero_vad_v5.onnx';
export const ORT_WASM_DIR = 'ort/';
/** The rate the AudioContext asks for: the VAD's, so the browser resamples and the worker need not. */
export const CAPTURE_SAMPLE_RATE = 16_000;

/** registerProcessor name of audio-capture.worklet.ts. */
export const CAPTURE_PROCESSOR = 'tanu-audio-capture';

/** AudioWorkletNode processorOptions for the capture processor. */
export interface CaptureProcessorOptions {
  /** Samples per posted block (a multiple of the 128-sample render quantum; ~32 ms). */
  blockSize: number;
}

/** Main thread → worklet, on node.port. */
export type CaptureControl =
  /** Where to post the audio: one end of a MessageChannel whose other end the worker holds. */
  | { type: 'CONNECT'; port: MessagePort }
  /** Stop posting; process() returns false so the node can be collected. */
  | { type: 'STOP' };

/** Worklet → worker: one block of mono samples at the AudioContext's rate (the buffer is transferred). */
export interface CaptureMessage {
  type: 'AUDIO';
  samples: Float32Array;
  /** Date.now() when the block's last sample was captured (as seen by the audio thread). */
  t: number;
}

/** Main thread → worker. */
export type AudioWorkerRequest =
  | {
      type: 'INIT';
      /** URL of the Silero model, e.g. '/models/vad/silero_vad_v5.onnx'. */
      modelUrl: string;
      /** Folder of ort-wasm-simd-threaded.{mjs,wasm}, e.g. '/models/ort/' (trailing slash). */
      wasmPaths: string;
      /** Frames per SIGNALS message (1 = every 32 ms). */
      batch: number;
    }
  /** Start measuring a capture stream: the worklet posts CaptureMessages on `port`. */
  | { type: 'CAPTURE'; port: MessagePort; sampleRate: number }
  /** Stop measuring: close the port, post what is pending, forget partial frames and the VAD state. */
  | { type: 'STOP_CAPTURE' }
  | { type: 'DISPOSE' };

/** Worker → main thread. */
export type AudioWorkerEvent =
  /** Download of the VAD runtime and model, 0..1 over their bytes. */
  | { type: 'PROGRESS'; fraction: number; loaded: number; total: number }
  /** The VAD is loaded; from now on speechProbability is a number. */
  | { type: 'READY'; loadMs: number }
  | { type: 'SIGNALS'; signals: AudioSignals[] }
  /**
   * stage 'load': the VAD could not load; levels keep coming with speechProbability null.
   * stage 'process': a frame failed (the VAD state was reset). fatal: the worker stopped.
   */
  | { type: 'ERROR'; stage: 'load' | 'process' | 'worker'; message: string; fatal: boolean }
  | { type: 'DISPOSED' };
