/**
 * VisionClient's own logic with a fake worker and stand-ins for the DOM pieces it touches
 * (an HTMLVideoElement with frames, createImageBitmap, VideoFrame): frame pacing, dropping while busy,
 * transfer of the bitmap, delivery and the failure paths. The real worker runs in
 * vision-engine.test.ts (models) and was checked in Chromium by hand (see the report).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import { VisionClient } from './vision-client';
import type { FromVisionWorker, ToVisionWorker, VisionConfig } from './vision-protocol';

class FakeVideo {
  readyState = 4;
  videoWidth = 1280;
  videoHeight = 720;
}

class FakeWorker {
  readonly sent: Array<{ msg: ToVisionWorker; transfer: Transferable[] }> = [];
  onmessage: ((event: MessageEvent<FromVisionWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  postMessage(msg: ToVisionWorker, transfer: Transferable[] = []) {
    this.sent.push({ msg, transfer });
  }
  reply(msg: FromVisionWorker) {
    this.onmessage?.({ data: msg } as MessageEvent<FromVisionWorker>);
  }
  terminate() {
    this.terminated = true;
  }
  detects() {
    return this.sent.filter((s) => s.msg.type === 'DETECT') as Array<{
      msg: Extract<ToVisionWorker, { type: 'DETECT' }>;
      transfer: Transferable[];
    }>;
  }
}

const config: VisionConfig = {
  analysisFps: 10,
  face: DEFAULT_PROCTORING.face,
  body: DEFAULT_PROCTORING.body,
  objects: DEFAULT_PROCTORING.objects,
};
const signalsAt = (t: number) => ({
  t,
  faces: [{ box: { x: 0.3, y: 0.3, w: 0.3, h: 0.4 }, score: 0.9 }],
  head: null,
  pose: null,
  objects: null,
  ms: { total: 12, faces: 10 },
});

let worker: FakeWorker;
const bitmaps: Array<{ width: number; height: number; close: () => void }> = [];

beforeEach(() => {
  vi.useFakeTimers();
  worker = new FakeWorker();
  bitmaps.length = 0;
  vi.stubGlobal('HTMLVideoElement', FakeVideo);
  vi.stubGlobal('createImageBitmap', async (_video: unknown, options: { resizeWidth?: number; resizeHeight?: number }) => {
    const bitmap = { width: options.resizeWidth ?? 0, height: options.resizeHeight ?? 0, close: vi.fn() };
    bitmaps.push(bitmap);
    return bitmap;
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function started(client: VisionClient) {
  const start = client.start(new FakeVideo() as unknown as HTMLVideoElement, { config, modelBase: '/models' });
  const init = worker.sent[0]!.msg;
  expect(init).toMatchObject({ type: 'INIT', modelBase: '/models/', wasmBase: '/models/tfjs-wasm/' });
  worker.reply({ type: 'PROGRESS', loaded: 2.5, total: 4, model: 'pose' });
  worker.reply({ type: 'READY', backend: 'wasm', msToReady: 1500, models: ['faces', 'landmarks', 'pose', 'objects'] });
  return start;
}

describe('VisionClient', () => {
  it('loads through the worker, then sends frames at the analysis rate, scaled to 640 px wide and transferred', async () => {
    const progress = vi.fn();
    const client = new VisionClient({ createWorker: () => worker as unknown as Worker, onProgress: progress, onSignals: vi.fn() });
    await expect(started(client)).resolves.toEqual({ backend: 'wasm', msToReady: 1500, models: ['faces', 'landmarks', 'pose', 'objects'] });
    expect(progress).toHaveBeenCalledWith({ loaded: 2.5, total: 4, model: 'pose' });
    await vi.advanceTimersByTimeAsync(100); // one tick at 10 fps
    const [detect] = worker.detects();
    expect(detect!.msg.frame).toMatchObject({ width: 640, height: 360 });
    expect(detect!.transfer).toEqual([detect!.msg.frame]);
    client.dispose();
  });

  it('sends the camera frame itself as a VideoFrame when it needs no scaling (no RGB conversion on the main thread)', async () => {
    const made: Array<{ source: unknown; init: { timestamp: number } }> = [];
    vi.stubGlobal(
      'VideoFrame',
      class {
        constructor(source: unknown, init: { timestamp: number }) {
          made.push({ source, init });
        }
        close() {}
      },
    );
    const client = new VisionClient({ createWorker: () => worker as unknown as Worker, onSignals: vi.fn() });
    const video = Object.assign(new FakeVideo(), { videoWidth: 640, videoHeight: 480 });
    const start = client.start(video as unknown as HTMLVideoElement, { config, modelBase: '/models' });
    worker.reply({ type: 'READY', backend: 'wasm', msToReady: 1, models: ['faces'] });
    await start;
    await vi.advanceTimersByTimeAsync(100);
    const [detect] = worker.detects();
    expect(made).toHaveLength(1);
    expect(made[0]!.source).toBe(video);
    expect(made[0]!.init.timestamp).toBe(detect!.msg.t * 1000);
    expect(detect!.msg.frame).toBeInstanceOf(VideoFrame);
    expect(detect!.transfer).toEqual([detect!.msg.frame]);
    expect(bitmaps).toHaveLength(0); // createImageBitmap was not needed
    client.dispose();
  });

  it('drops frames while the worker is busy, counts them, and delivers results with the snapshot', async () => {
    const onSignals = vi.fn();
    const client = new VisionClient({ createWorker: () => worker as unknown as Worker, onSignals });
    await started(client);
    await vi.advanceTimersByTimeAsync(100);
    expect(worker.detects()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(300); // three ticks while the first frame is analysed
    expect(worker.detects()).toHaveLength(1);
    expect(client.droppedFrames).toBe(3);

    const snapshot = new Blob(['jpeg']);
    const t = worker.detects()[0]!.msg.t;
    worker.reply({ type: 'RESULT', signals: signalsAt(t), snapshot, failed: [] });
    expect(onSignals).toHaveBeenCalledWith(signalsAt(t), snapshot, { failed: [], dropped: 3 });
    // Free again after dropped ticks: the newest frame goes at once (one, not one per dropped tick).
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.detects()).toHaveLength(2);
    expect(client.sentFrames).toBe(2);
    worker.reply({ type: 'RESULT', signals: signalsAt(t + 50), failed: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.detects()).toHaveLength(2); // nothing owed: the next frame waits for its tick
    await vi.advanceTimersByTimeAsync(100);
    expect(worker.detects()).toHaveLength(3);
    client.dispose();
  });

  it('does not deliver a frame whose face count is unknown (face detector failed)', async () => {
    const onSignals = vi.fn();
    const client = new VisionClient({ createWorker: () => worker as unknown as Worker, onSignals });
    await started(client);
    await vi.advanceTimersByTimeAsync(100);
    worker.reply({ type: 'RESULT', signals: { ...signalsAt(1), faces: [] }, failed: ['faces'] });
    expect(onSignals).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    expect(worker.detects()).toHaveLength(2); // but the worker counts as free again
    client.dispose();
  });

  it('passes model errors on and rejects start() when the worker cannot analyse at all', async () => {
    const onError = vi.fn();
    const client = new VisionClient({ createWorker: () => worker as unknown as Worker, onSignals: vi.fn(), onError });
    const start = client.start(new FakeVideo() as unknown as HTMLVideoElement, { config });
    worker.reply({ type: 'ERROR', model: 'objects', message: 'could not load: 404' });
    worker.reply({ type: 'ERROR', message: 'tfjs wasm backend failed to start: no wasm', fatal: true });
    await expect(start).rejects.toThrow('no wasm');
    expect(onError).toHaveBeenNthCalledWith(1, { model: 'objects', message: 'could not load: 404', fatal: false });
    expect(onError).toHaveBeenNthCalledWith(2, { message: 'tfjs wasm backend failed to start: no wasm', fatal: true });
    client.dispose();
  });

  it('stop() stops the frames; dispose() frees the worker', async () => {
    const client = new VisionClient({ createWorker: () => worker as unknown as Worker, onSignals: vi.fn() });
    await started(client);
    client.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(worker.detects()).toHaveLength(0);
    client.dispose();
    expect(worker.sent.at(-1)!.msg).toEqual({ type: 'DISPOSE' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(worker.terminated).toBe(true);
  });
});
