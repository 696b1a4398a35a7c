/**
 * The system check (the first step before the exam): the measurements it takes in the candidate's browser. Each
 * function measures one thing and returns plain figures; the verdict against the thresholds is
 * src/exam/system-check-verdict.ts (pure, unit-tested).
 */
import type { BrowserFeatures } from '../shared/browser-support';

/**
 * Browser features the exam needs (camera, recording, the models' WebAssembly, offline buffering,
 * workers, drawing frames in a worker, the microphone's capture worklet); judged on the first screen
 * (browser-support.ts) and again in the system check.
 */
export function browserFeatures(): BrowserFeatures {
  const recorder = typeof MediaRecorder !== 'undefined';
  return {
    getUserMedia: typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function',
    mediaRecorderWebm:
      recorder && (MediaRecorder.isTypeSupported('video/webm;codecs=vp8,opus') || MediaRecorder.isTypeSupported('video/webm')),
    webAssembly: typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function',
    indexedDb: typeof indexedDB !== 'undefined',
    workers: typeof Worker !== 'undefined',
    offscreenCanvas: typeof OffscreenCanvas !== 'undefined',
    audioWorklet: typeof AudioWorkletNode !== 'undefined',
  };
}

/** What the camera actually delivers (the browser may give less than asked for). */
export function cameraSettings(stream: MediaStream | null): { width: number | null; height: number | null; fps: number | null } {
  const track = stream?.getVideoTracks()[0];
  if (!track || track.readyState !== 'live') return { width: null, height: null, fps: null };
  const s = track.getSettings();
  return { width: s.width ?? null, height: s.height ?? null, fps: s.frameRate ?? null };
}

/** The loudest level (dBFS) the microphone delivers over `ms`, sampled every 50 ms. */
export async function microphonePeak(level: () => number, ms = 1_500): Promise<number> {
  let peak = -Infinity;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    peak = Math.max(peak, level());
    await new Promise((r) => setTimeout(r, 50));
  }
  return peak;
}

/**
 * Upstream to the centre: one small probe for the round trip, then `count` probes of `bytes` each,
 * each timed from send to the centre's ack (which comes once the bytes have arrived).
 */
export async function uploadProbes(
  send: (bytes: Uint8Array) => Promise<unknown>,
  options: { bytes?: number; count?: number } = {},
): Promise<{ rttMs: number; probes: Array<{ bytes: number; ms: number }> }> {
  const size = options.bytes ?? 128 * 1024;
  const count = options.count ?? 3;
  const payload = new Uint8Array(size);
  // Random bytes: nothing on the way can compress them into a faster-looking line.
  for (let i = 0; i < size; i += 65_536) crypto.getRandomValues(payload.subarray(i, Math.min(size, i + 65_536)));
  let t0 = performance.now();
  await send(new Uint8Array(16));
  const rttMs = performance.now() - t0;
  const probes: Array<{ bytes: number; ms: number }> = [];
  for (let i = 0; i < count; i++) {
    t0 = performance.now();
    await send(payload);
    probes.push({ bytes: size, ms: Math.max(0, performance.now() - t0 - rttMs / 2) });
  }
  return { rttMs, probes };
}

/** Free space the browser grants this site for offline buffering, in MB (null when it does not say). */
export async function freeStorageMb(): Promise<number | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return null;
  const { quota, usage } = await navigator.storage.estimate();
  if (quota === undefined) return null;
  return (quota - (usage ?? 0)) / (1024 * 1024);
}
